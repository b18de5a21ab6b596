-- Mission CRM schema, version 3: the import history, so a whole import can
-- be taken back later.
-- One row per committed import. `problems` keeps the first rows skipped or
-- trimmed, with the reason, as a JSON array of {line, name, reason, skipped}.
CREATE TABLE imports (
    id            BLOB PRIMARY KEY NOT NULL,
    at            TEXT NOT NULL,
    file_name     TEXT NOT NULL,
    format        TEXT NOT NULL CHECK (format IN ('csv', 'vcard')),
    encoding      TEXT NOT NULL DEFAULT '',
    mission_id    BLOB REFERENCES missions (id) ON DELETE SET NULL,
    side          TEXT CHECK (side IS NULL OR side IN ('delegation', 'host', 'organiser', 'partner')),
    rows          INTEGER NOT NULL DEFAULT 0,
    created       INTEGER NOT NULL DEFAULT 0,
    updated       INTEGER NOT NULL DEFAULT 0,
    skipped       INTEGER NOT NULL DEFAULT 0,
    problems      TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(problems)),
    undone_at     TEXT
);
CREATE INDEX imports_by_time ON imports (at DESC);

-- What one import did, record by record: created (undo moves it to the
-- trash), updated (undo puts `before` back, a JSON image of the record),
-- or linked (a participation in the import's mission; undo removes it).
CREATE TABLE import_items (
    import_id BLOB NOT NULL REFERENCES imports (id) ON DELETE CASCADE,
    entity    TEXT NOT NULL,
    entity_id BLOB NOT NULL,
    action    TEXT NOT NULL CHECK (action IN ('created', 'updated', 'linked')),
    before    TEXT CHECK (before IS NULL OR json_valid(before)),
    PRIMARY KEY (import_id, entity, entity_id)
) WITHOUT ROWID;
-- A record's timeline shows the import that created it: imported records
-- have no per-row history entry (a million-row import would double its
-- cost for it); this row is that entry.
CREATE INDEX import_items_by_record ON import_items (entity, entity_id);
