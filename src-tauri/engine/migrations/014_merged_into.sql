-- Mission CRM schema, version 14: a contact merged into another says so.
--
-- A merge moves the other record's meetings, follow-ups and notes to the
-- one kept and puts the other in the trash, where it showed as a plain
-- deleted contact, often under the very name of the one kept. It now keeps
-- whom it was merged into, so the Trash can say it; restoring it clears
-- the mark. The undo stack's entries hold contacts' rows as they were
-- before the column, so the upgrade clears it (as versions 5 and 11 did).
--
-- No foreign key: one would make every delete of a contact look for rows
-- merged into it, a scan of all contacts without an index, and an index
-- would cost every row. A mark naming a contact deleted for good (an undone
-- import) names no one, and the Trash shows none.
ALTER TABLE contacts ADD COLUMN merged_into_id BLOB;
DELETE FROM undo_log;
