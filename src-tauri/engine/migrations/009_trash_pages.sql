-- Mission CRM schema, version 9: the trash is read a page at a time, most
-- recently deleted first. Taking an import back puts every person it
-- created in the trash at one time; sending them all at once held the
-- Trash screen for seconds at 100,000. Records trashed at one time are
-- ordered by id, so each kind's index of its trashed rows holds the id as
-- well, and every page is a range read of it. Each index holds only what
-- is in the trash.
DROP INDEX missions_in_trash;
DROP INDEX organizations_in_trash;
DROP INDEX contacts_in_trash;
DROP INDEX meetings_in_trash;
DROP INDEX follow_ups_in_trash;
DROP INDEX agreements_in_trash;
CREATE INDEX missions_in_trash ON missions (deleted_at, id) WHERE deleted_at IS NOT NULL;
CREATE INDEX organizations_in_trash ON organizations (deleted_at, id) WHERE deleted_at IS NOT NULL;
CREATE INDEX contacts_in_trash ON contacts (deleted_at, id) WHERE deleted_at IS NOT NULL;
CREATE INDEX meetings_in_trash ON meetings (deleted_at, id) WHERE deleted_at IS NOT NULL;
CREATE INDEX follow_ups_in_trash ON follow_ups (deleted_at, id) WHERE deleted_at IS NOT NULL;
CREATE INDEX agreements_in_trash ON agreements (deleted_at, id) WHERE deleted_at IS NOT NULL;
