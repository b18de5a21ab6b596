-- Mission CRM schema, version 8: a contact is its own search document.
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

-- The store rebuilds the index when it opens.
DELETE FROM search_meta;
