-- Mission CRM schema, version 2: the undo stack, lists newest first, and search.
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

-- Search.
-- One FTS5 row per searchable record (missions, organizations, contacts,
-- meetings, agreements, notes). `words` holds the record's text folded by
-- the engine (every script lower-cased, accents and ё folded, й kept),
-- phone numbers as digits, e-mails split into parts; `keys` holds the
-- cross-script key of each name word. The engine computes both in Rust and
-- keeps them in step inside every write's transaction.
-- search_docs gives each record a stable FTS rowid (implicit rowids of the
-- base tables may change on VACUUM).
-- name_key (contacts): the cross-script keys of the name's words, sorted,
-- so "Сахметов Кайырболат" and "Kairbolat Sakhmetov" share it; duplicates
-- are found by it. title, detail and parent are what a hit shows, kept
-- here so a hit costs one lookup (the record's own fields only).
CREATE TABLE search_docs (
    doc           INTEGER PRIMARY KEY,
    entity        TEXT NOT NULL,
    ref           BLOB NOT NULL,
    name_key      TEXT,
    title         TEXT NOT NULL DEFAULT '',
    detail        TEXT NOT NULL DEFAULT '',
    parent_entity TEXT,
    parent_id     BLOB,
    UNIQUE (entity, ref)
);
CREATE INDEX search_docs_by_name_key ON search_docs (name_key) WHERE name_key IS NOT NULL;

-- detail=column: queries filter by column and by prefix, never by phrase
-- position, so positions are not stored. prefix: 1-3 character prefixes
-- (what is typed first) have their own index.
CREATE VIRTUAL TABLE search_index USING fts5(
    words, keys,
    tokenize = 'unicode61 remove_diacritics 0',
    prefix = '1 2 3',
    detail = column
);

-- Which version of the folding rules built the index; a different one
-- (or none: an upgraded database) rebuilds it when the store opens.
CREATE TABLE search_meta (
    id      INTEGER PRIMARY KEY CHECK (id = 1),
    version INTEGER NOT NULL
);
