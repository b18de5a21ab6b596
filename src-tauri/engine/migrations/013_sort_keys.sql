-- Mission CRM schema, version 13: names sort as their readers expect.
--
-- Sort keys were the name in lower case, compared by code point: ё, the
-- Kazakh letters (ә, қ, ң, ө, ұ, ү, і...) and accented Latin (Şatlyk,
-- Ýazgeldi, Müller) sorted after я and z, so "Әлия" ended the contact list.
-- `sort_key` is the engine's rule (`model::sort_key`), registered on every
-- connection; only the rows whose key changes are written.
UPDATE contacts SET sort_name = sort_key(full_name)
 WHERE sort_name IS NOT sort_key(full_name);
UPDATE organizations SET sort_name = sort_key(name)
 WHERE sort_name IS NOT sort_key(name);
-- The undo stack's entries hold the keys as they were: taking one back
-- would find the row changed outside the app and refuse. As versions 5 and
-- 11 did, the upgrade starts the stack afresh.
DELETE FROM undo_log;
