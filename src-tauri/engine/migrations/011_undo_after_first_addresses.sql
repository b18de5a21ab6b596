-- Mission CRM schema, version 11: the undo stack starts afresh.
--
-- Version 8 moved a contact's first e-mail and phone out of the child
-- tables onto its row, but kept the undo stack. An entry recorded before
-- it, taken back after, puts the address back in both places: the row
-- and, at position 0, the child table, so the contact shows it twice. The
-- stack holds only the newest few writes; as version 5 did, the upgrade
-- clears it.
DELETE FROM undo_log;
