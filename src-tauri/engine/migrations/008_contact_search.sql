-- Mission CRM schema, version 8: a contact is its own search document, and
-- its first e-mail and phone live only on its row.
--
-- Each contact had a `search_docs` row repeating its id, name, position and
-- name key, with two indexes: 13 MB of every 100,000 contacts, and three
-- more B-tree writes for every contact imported (docs/BENCHMARKS.md). Now
-- a contact's row in the full-text index has the contact's own rowid, and
-- its name key (the duplicate finder's and the import's name match) is a
-- column of its own. Other records keep their `search_docs` row, numbered
-- from 2^40 up so the two never meet (`search::DOCS_FROM`).
DROP INDEX search_docs_by_name_key;
DROP TABLE search_docs;
CREATE TABLE search_docs (
    doc           INTEGER PRIMARY KEY,
    entity        TEXT NOT NULL,
    ref           BLOB NOT NULL,
    title         TEXT NOT NULL DEFAULT '',
    detail        TEXT NOT NULL DEFAULT '',
    parent_entity TEXT,
    parent_id     BLOB,
    UNIQUE (entity, ref)
);

-- Derived from the name by the search module; set only while the contact
-- is out of the trash, like its index row.
ALTER TABLE contacts ADD COLUMN name_key TEXT;
CREATE INDEX contacts_by_name_key ON contacts (name_key) WHERE name_key IS NOT NULL;

-- A contact deleted for good (undo of its creation, an emptied trash, an
-- undone import) takes its index row with it, whichever code deletes it:
-- the row's rowid is gone once the delete is done, and SQLite gives a
-- rowid out again. Trashing is handled by the indexing, which still sees
-- the row.
CREATE TRIGGER contacts_leave_search AFTER DELETE ON contacts
WHEN EXISTS (SELECT 1 FROM search_index_docsize WHERE id = old.rowid)
BEGIN
    DELETE FROM search_index WHERE rowid = old.rowid;
END;

-- A contact's first e-mail and phone were on its row (for the list, schema
-- 5) and in the child tables, each with a lookup index: 11 MB of every
-- 100,000 contacts held twice. The row keeps them, with their labels, and
-- its own lookup indexes; the child tables keep the further ones, which
-- few people have. Same statements as `contact::move_first_addresses_to_rows`,
-- which a restore of an older export runs.
ALTER TABLE contacts ADD COLUMN primary_email_label TEXT NOT NULL DEFAULT '';
ALTER TABLE contacts ADD COLUMN primary_phone_label TEXT NOT NULL DEFAULT '';
UPDATE contacts SET
    primary_email = (SELECT address FROM contact_emails e
                      WHERE e.contact_id = contacts.id ORDER BY position LIMIT 1),
    primary_email_label = coalesce((SELECT label FROM contact_emails e
                      WHERE e.contact_id = contacts.id ORDER BY position LIMIT 1), ''),
    primary_phone = (SELECT e164 FROM contact_phones p
                      WHERE p.contact_id = contacts.id ORDER BY position LIMIT 1),
    primary_phone_label = coalesce((SELECT label FROM contact_phones p
                      WHERE p.contact_id = contacts.id ORDER BY position LIMIT 1), '');
DELETE FROM contact_emails WHERE position =
    (SELECT min(position) FROM contact_emails f WHERE f.contact_id = contact_emails.contact_id);
DELETE FROM contact_phones WHERE position =
    (SELECT min(position) FROM contact_phones f WHERE f.contact_id = contact_phones.contact_id);
CREATE INDEX contacts_by_email ON contacts (primary_email COLLATE NOCASE)
    WHERE primary_email IS NOT NULL;
CREATE INDEX contacts_by_phone ON contacts (primary_phone) WHERE primary_phone IS NOT NULL;

-- The store rebuilds the index when it opens.
DELETE FROM search_meta;
