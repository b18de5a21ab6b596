-- Mission CRM schema, version 5: a contact's first e-mail and phone kept on
-- its row, for the contact list. Read from contact_emails and contact_phones
-- they cost each page two B-tree lookups per row, about 1 ms of a 2 ms page
-- at a million contacts (docs/BENCHMARKS.md). Every write of a contact's
-- e-mails or phones sets them in the same transaction (the engine's
-- contact writer, the import's bulk insert, the benchmark generator);
-- contact_emails and contact_phones stay the record of all of them.
ALTER TABLE contacts ADD COLUMN primary_email TEXT;
ALTER TABLE contacts ADD COLUMN primary_phone TEXT;
UPDATE contacts SET
    primary_email = (SELECT address FROM contact_emails e
                      WHERE e.contact_id = contacts.id ORDER BY position LIMIT 1),
    primary_phone = (SELECT e164 FROM contact_phones p
                      WHERE p.contact_id = contacts.id ORDER BY position LIMIT 1);
-- The undo stack's entries were recorded before these columns existed:
-- taking one back would put a contact's old e-mails and phones back but
-- leave the list showing the newer ones. The stack holds only the newest
-- few writes; the upgrade starts it afresh.
DELETE FROM undo_log;
