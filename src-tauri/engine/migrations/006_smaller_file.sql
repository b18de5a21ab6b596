-- Mission CRM schema, version 6: a smaller file, and a cheaper import row
-- (docs/BENCHMARKS.md has the sizes).
--
-- Newest-first lists page by id. Ids are UUIDv7, minted when a record is
-- created, so the primary key already holds the order records were added
-- in; these indexes repeated it (5.9 MB per 100,000 contacts).
DROP INDEX contacts_by_created;
DROP INDEX organizations_by_created;

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

