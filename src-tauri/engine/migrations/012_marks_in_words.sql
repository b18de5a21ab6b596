-- Mission CRM schema, version 12: the search index keeps a word whole
-- when its letters carry combining marks, and drops its 3-letter prefixes.
--
-- Devanagari, Bengali, Tamil and Thai write vowels as combining marks.
-- FTS5's unicode61 tokenizer took marks (M*) for separators, so it split
-- "अमिताभ" into pieces; the search quotes each word it was typed, and a
-- quoted word that the tokenizer splits is a phrase, which an index with
-- detail=column refuses: a search for such a name failed with an error.
-- Words are now split in Rust alone (`search::document`), and the tokenizer
-- splits only at spaces: every other category is part of a word (SQLite's
-- tables count the planes past the second as unassigned, Cn, and CJK
-- letters live there), so a word Rust made is one token.
--
-- The 3-letter prefix index was a fifth of the index (3.3 MB of every
-- 100,000 contacts): a 3-letter prefix is looked up through the index's
-- terms as 4 letters and more always were, within the same time at a
-- million contacts (docs/BENCHMARKS.md).
--
-- A new tokenizer needs a new table. The store rebuilds the index from the
-- records when it opens (search_meta cleared), as after schema 8.
DROP TRIGGER contacts_leave_search;
DROP TABLE search_index;
CREATE VIRTUAL TABLE search_index USING fts5(
    words, keys,
    content = '',
    contentless_delete = 1,
    tokenize = "unicode61 remove_diacritics 0 categories 'L* N* M* P* S* Co Cn Cf'",
    prefix = '1 2',
    detail = column
);
CREATE TRIGGER contacts_leave_search AFTER DELETE ON contacts
WHEN EXISTS (SELECT 1 FROM search_index_docsize WHERE id = old.rowid)
BEGIN
    DELETE FROM search_index WHERE rowid = old.rowid;
END;
DELETE FROM search_meta;
