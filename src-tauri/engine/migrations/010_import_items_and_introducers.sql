-- Mission CRM schema, version 10: two indexes sized for a million contacts.
--
-- An import's items are read by import only. Taking an import back reads
-- them by the primary key (import_id first); a record's timeline, which
-- asked which import created the record, now asks each import in turn by
-- the same key: there are tens of imports, and there is a row per
-- imported person. The index by record took a seventh of a file whose
-- address book came in by import (5 MB per 100,000 people) and a B-tree
-- insert per imported row.
DROP INDEX import_items_by_record;

-- Who introduced whom had no index: deleting a contact (Ctrl+Z of a new
-- one) read every contact to clear the links to it (the foreign key's
-- ON DELETE SET NULL), and a merge read every contact to move them. Few
-- people have an introducer, so the index holds only those.
CREATE INDEX contacts_by_introducer ON contacts (introduced_by_id)
    WHERE introduced_by_id IS NOT NULL;
