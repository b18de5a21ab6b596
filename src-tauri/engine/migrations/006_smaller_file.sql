-- Mission CRM schema, version 6: a smaller file, and a cheaper import row
-- (docs/BENCHMARKS.md has the sizes before and after).
--
-- Newest-first lists page by id. Ids are UUIDv7, minted when a record is
-- created, so the primary key already holds the order records were added
-- in; these indexes repeated it (5.9 MB per 100,000 contacts).
DROP INDEX contacts_by_created;
DROP INDEX organizations_by_created;

-- search_docs keeps only what finds a record: its kind, id and name key.
-- The title, detail and parent a hit shows are read from the record when
-- the hit is shown (one primary-key lookup each, for the 20 or so shown);
-- the copies were a tenth of the file. Documents keep their numbers, so
-- the full-text index stays as it is.
CREATE TABLE search_docs_v6 (
    doc      INTEGER PRIMARY KEY,
    entity   TEXT NOT NULL,
    ref      BLOB NOT NULL,
    name_key TEXT,
    UNIQUE (entity, ref)
);
INSERT INTO search_docs_v6 (doc, entity, ref, name_key)
    SELECT doc, entity, ref, name_key FROM search_docs;
DROP TABLE search_docs;
ALTER TABLE search_docs_v6 RENAME TO search_docs;
CREATE INDEX search_docs_by_name_key ON search_docs (name_key) WHERE name_key IS NOT NULL;

-- import_items' action check as comparisons: `IN (...)` in a CHECK made
-- SQLite build a temporary table of the three words for every row written,
-- ~4 % of a million-row import's writer thread.
CREATE TABLE import_items_v6 (
    import_id BLOB NOT NULL REFERENCES imports (id) ON DELETE CASCADE,
    entity    TEXT NOT NULL,
    entity_id BLOB NOT NULL,
    action    TEXT NOT NULL
              CHECK (action = 'created' OR action = 'updated' OR action = 'linked'),
    before    TEXT CHECK (before IS NULL OR json_valid(before)),
    PRIMARY KEY (import_id, entity, entity_id)
) WITHOUT ROWID;
INSERT INTO import_items_v6 SELECT import_id, entity, entity_id, action, before FROM import_items;
DROP TABLE import_items;
ALTER TABLE import_items_v6 RENAME TO import_items;
CREATE INDEX import_items_by_record ON import_items (entity, entity_id);

