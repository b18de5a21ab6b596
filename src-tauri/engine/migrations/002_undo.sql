-- Mission CRM schema, version 2: the undo stack, and lists newest first.
-- Each row is one write made in the app, as the SQLite session extension's
-- inverse changeset: applying it takes the write back, row for row, in every
-- table it touched. `changes` lists the records it changed (JSON array of
-- {entity, id, op, source}) so the undo can be named and recorded in history.
-- Only the newest rows are kept; the CLI, imports and the demo are not undone
-- from here.
CREATE TABLE undo_log (
    seq     INTEGER PRIMARY KEY AUTOINCREMENT,
    at      TEXT NOT NULL,
    changes TEXT NOT NULL CHECK (json_valid(changes)),
    inverse BLOB NOT NULL
);

-- Lists can also be read newest first; each order has its index so every
-- page is a range read.
CREATE INDEX contacts_by_created ON contacts (created_at, id) WHERE deleted_at IS NULL;
CREATE INDEX organizations_by_created ON organizations (created_at, id) WHERE deleted_at IS NULL;
