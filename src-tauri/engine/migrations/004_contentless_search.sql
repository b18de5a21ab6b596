-- The search index keeps no copy of the text it indexes. Search reads only
-- rowids from it (a hit's text is in search_docs), and the copy was an
-- eighth of the file: 14 MB per 100,000 contacts (docs/BENCHMARKS.md).
-- contentless_delete (SQLite 3.43) lets a record's row be deleted and
-- written again as before. Clearing search_meta makes the store rebuild
-- the index from the records when it opens.
DROP TABLE search_index;
CREATE VIRTUAL TABLE search_index USING fts5(
    words, keys,
    content = '',
    contentless_delete = 1,
    tokenize = 'unicode61 remove_diacritics 0',
    prefix = '1 2 3',
    detail = column
);
DELETE FROM search_meta;
