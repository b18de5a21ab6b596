-- Mission CRM schema, version 1.
-- Ids are UUIDv7 as 16-byte BLOBs. Instants are UTC RFC 3339 text with
-- milliseconds; dates are YYYY-MM-DD. Money is INTEGER minor units plus an
-- ISO 4217 code; exchange rates are exact decimal TEXT, never REAL.
-- deleted_at marks a row as in the trash: it stays, with its links, until
-- restored or purged.

CREATE TABLE missions (
    id            BLOB PRIMARY KEY NOT NULL,
    name          TEXT NOT NULL CHECK (name <> ''),
    organiser     TEXT NOT NULL DEFAULT '',
    host_country  TEXT NOT NULL CHECK (length(host_country) = 2),
    cities        TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(cities)),
    start_date    TEXT NOT NULL,
    end_date      TEXT NOT NULL CHECK (end_date >= start_date),
    time_zone     TEXT NOT NULL,
    base_currency TEXT NOT NULL CHECK (length(base_currency) = 3),
    phone_region  TEXT NOT NULL CHECK (length(phone_region) = 2),
    status        TEXT NOT NULL DEFAULT 'planned'
                  CHECK (status IN ('planned', 'active', 'completed', 'cancelled')),
    created_at    TEXT NOT NULL,
    updated_at    TEXT NOT NULL,
    deleted_at    TEXT
);
CREATE INDEX missions_by_start ON missions (start_date DESC, id) WHERE deleted_at IS NULL;

CREATE TABLE organizations (
    id          BLOB PRIMARY KEY NOT NULL,
    name        TEXT NOT NULL CHECK (name <> ''),
    name_latin  TEXT NOT NULL DEFAULT '',
    kind        TEXT NOT NULL DEFAULT 'company'
                CHECK (kind IN ('company', 'government_agency', 'chamber', 'exchange',
                                'association', 'embassy', 'other')),
    country     TEXT CHECK (country IS NULL OR length(country) = 2),
    city        TEXT NOT NULL DEFAULT '',
    website     TEXT NOT NULL DEFAULT '',
    notes       TEXT NOT NULL DEFAULT '',
    -- Sort key for lists: lower-cased name, so keyset pages need no function.
    sort_name   TEXT NOT NULL,
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL,
    deleted_at  TEXT
);
CREATE INDEX organizations_by_name ON organizations (sort_name, id) WHERE deleted_at IS NULL;

CREATE TABLE organization_sectors (
    organization_id BLOB NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    sector          TEXT NOT NULL CHECK (sector <> ''),
    PRIMARY KEY (organization_id, sector)
) WITHOUT ROWID;
CREATE INDEX organization_sectors_by_sector ON organization_sectors (sector);

CREATE TABLE participations (
    mission_id      BLOB NOT NULL REFERENCES missions (id) ON DELETE CASCADE,
    organization_id BLOB NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    side            TEXT NOT NULL CHECK (side IN ('delegation', 'host', 'organiser', 'partner')),
    created_at      TEXT NOT NULL,
    PRIMARY KEY (mission_id, organization_id)
) WITHOUT ROWID;
CREATE INDEX participations_by_organization ON participations (organization_id);

CREATE TABLE contacts (
    id               BLOB PRIMARY KEY NOT NULL,
    full_name        TEXT NOT NULL CHECK (full_name <> ''),
    full_name_latin  TEXT NOT NULL DEFAULT '',
    position         TEXT NOT NULL DEFAULT '',
    organization_id  BLOB REFERENCES organizations (id) ON DELETE SET NULL,
    languages        TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(languages)),
    met_on           TEXT,
    met_place        TEXT NOT NULL DEFAULT '',
    introduced_by_id BLOB REFERENCES contacts (id) ON DELETE SET NULL,
    notes            TEXT NOT NULL DEFAULT '',
    sort_name        TEXT NOT NULL,
    created_at       TEXT NOT NULL,
    updated_at       TEXT NOT NULL,
    deleted_at       TEXT
);
CREATE INDEX contacts_by_name ON contacts (sort_name, id) WHERE deleted_at IS NULL;
CREATE INDEX contacts_by_organization ON contacts (organization_id) WHERE organization_id IS NOT NULL;

CREATE TABLE contact_emails (
    contact_id BLOB NOT NULL REFERENCES contacts (id) ON DELETE CASCADE,
    position   INTEGER NOT NULL,
    address    TEXT NOT NULL CHECK (address <> ''),
    label      TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (contact_id, position)
) WITHOUT ROWID;
CREATE INDEX contact_emails_by_address ON contact_emails (address COLLATE NOCASE);

CREATE TABLE contact_phones (
    contact_id BLOB NOT NULL REFERENCES contacts (id) ON DELETE CASCADE,
    position   INTEGER NOT NULL,
    e164       TEXT NOT NULL CHECK (e164 GLOB '+[1-9]*'),
    label      TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (contact_id, position)
) WITHOUT ROWID;
CREATE INDEX contact_phones_by_number ON contact_phones (e164);

CREATE TABLE contact_messengers (
    contact_id BLOB NOT NULL REFERENCES contacts (id) ON DELETE CASCADE,
    kind       TEXT NOT NULL CHECK (kind IN ('telegram', 'whatsapp', 'signal', 'wechat', 'other')),
    handle     TEXT NOT NULL CHECK (handle <> ''),
    PRIMARY KEY (contact_id, kind, handle)
) WITHOUT ROWID;

CREATE TABLE meetings (
    id         BLOB PRIMARY KEY NOT NULL,
    mission_id BLOB NOT NULL REFERENCES missions (id) ON DELETE CASCADE,
    kind       TEXT NOT NULL CHECK (kind IN ('meeting', 'b2b', 'site_visit', 'reception', 'call')),
    title      TEXT NOT NULL CHECK (title <> ''),
    starts_at  TEXT NOT NULL,
    ends_at    TEXT NOT NULL CHECK (ends_at >= starts_at),
    time_zone  TEXT NOT NULL,
    place      TEXT NOT NULL DEFAULT '',
    notes      TEXT NOT NULL DEFAULT '',
    outcomes   TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    deleted_at TEXT
);
CREATE INDEX meetings_agenda ON meetings (mission_id, starts_at, id) WHERE deleted_at IS NULL;

CREATE TABLE meeting_organizations (
    meeting_id      BLOB NOT NULL REFERENCES meetings (id) ON DELETE CASCADE,
    organization_id BLOB NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    PRIMARY KEY (meeting_id, organization_id)
) WITHOUT ROWID;
CREATE INDEX meeting_organizations_by_organization ON meeting_organizations (organization_id);

-- Attendees from both sides: `side` is the attendee's side in the mission.
CREATE TABLE meeting_attendees (
    meeting_id BLOB NOT NULL REFERENCES meetings (id) ON DELETE CASCADE,
    contact_id BLOB NOT NULL REFERENCES contacts (id) ON DELETE CASCADE,
    side       TEXT NOT NULL CHECK (side IN ('delegation', 'host', 'organiser', 'partner')),
    PRIMARY KEY (meeting_id, contact_id)
) WITHOUT ROWID;
CREATE INDEX meeting_attendees_by_contact ON meeting_attendees (contact_id);

CREATE TABLE agreements (
    id                          BLOB PRIMARY KEY NOT NULL,
    mission_id                  BLOB NOT NULL REFERENCES missions (id) ON DELETE CASCADE,
    title                       TEXT NOT NULL CHECK (title <> ''),
    our_organization_id         BLOB REFERENCES organizations (id) ON DELETE SET NULL,
    counterpart_organization_id BLOB REFERENCES organizations (id) ON DELETE SET NULL,
    meeting_id                  BLOB REFERENCES meetings (id) ON DELETE SET NULL,
    sector                      TEXT NOT NULL DEFAULT '',
    stage                       TEXT NOT NULL
                                CHECK (stage IN ('interest', 'memorandum', 'preliminary_contract',
                                                 'signed_contract', 'delivered', 'lost')),
    amount_minor                INTEGER NOT NULL CHECK (amount_minor >= 0),
    currency                    TEXT NOT NULL CHECK (length(currency) = 3),
    -- Units of the mission's base currency per one unit of `currency`,
    -- exact decimal text, locked with its date and source.
    rate                        TEXT NOT NULL,
    rate_date                   TEXT NOT NULL,
    rate_source                 TEXT NOT NULL DEFAULT '',
    base_currency               TEXT NOT NULL CHECK (length(base_currency) = 3),
    -- amount converted at the locked rate, rounded half-even once, in the
    -- base currency's minor units; totals sum this column, never raw amounts.
    base_amount_minor           INTEGER NOT NULL CHECK (base_amount_minor >= 0),
    notes                       TEXT NOT NULL DEFAULT '',
    created_at                  TEXT NOT NULL,
    updated_at                  TEXT NOT NULL,
    deleted_at                  TEXT
);
CREATE INDEX agreements_by_mission ON agreements (mission_id, stage) WHERE deleted_at IS NULL;

CREATE TABLE follow_ups (
    id              BLOB PRIMARY KEY NOT NULL,
    mission_id      BLOB REFERENCES missions (id) ON DELETE SET NULL,
    title           TEXT NOT NULL CHECK (title <> ''),
    due_on          TEXT NOT NULL,
    status          TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'done', 'cancelled')),
    owner_id        BLOB REFERENCES contacts (id) ON DELETE SET NULL,
    contact_id      BLOB REFERENCES contacts (id) ON DELETE SET NULL,
    organization_id BLOB REFERENCES organizations (id) ON DELETE SET NULL,
    meeting_id      BLOB REFERENCES meetings (id) ON DELETE SET NULL,
    agreement_id    BLOB REFERENCES agreements (id) ON DELETE SET NULL,
    notes           TEXT NOT NULL DEFAULT '',
    completed_at    TEXT,
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL,
    deleted_at      TEXT
);
CREATE INDEX follow_ups_due ON follow_ups (status, due_on, id) WHERE deleted_at IS NULL;
CREATE INDEX follow_ups_by_mission ON follow_ups (mission_id, due_on) WHERE deleted_at IS NULL;

-- Rates the user keeps, to pick from when locking an agreement's rate.
CREATE TABLE exchange_rates (
    id            BLOB PRIMARY KEY NOT NULL,
    currency      TEXT NOT NULL CHECK (length(currency) = 3),
    base_currency TEXT NOT NULL CHECK (length(base_currency) = 3),
    rate          TEXT NOT NULL,
    rate_date     TEXT NOT NULL,
    source        TEXT NOT NULL DEFAULT '',
    created_at    TEXT NOT NULL,
    UNIQUE (currency, base_currency, rate_date, source)
);

CREATE TABLE tags (
    id   BLOB PRIMARY KEY NOT NULL,
    name TEXT NOT NULL UNIQUE CHECK (name <> '')
);

-- entity is one of: mission, organization, contact, meeting, follow_up, agreement.
CREATE TABLE taggings (
    tag_id    BLOB NOT NULL REFERENCES tags (id) ON DELETE CASCADE,
    entity    TEXT NOT NULL,
    entity_id BLOB NOT NULL,
    PRIMARY KEY (entity, entity_id, tag_id)
) WITHOUT ROWID;
CREATE INDEX taggings_by_tag ON taggings (tag_id);

-- Timeline notes on any record.
CREATE TABLE notes (
    id         BLOB PRIMARY KEY NOT NULL,
    entity     TEXT NOT NULL,
    entity_id  BLOB NOT NULL,
    body       TEXT NOT NULL CHECK (body <> ''),
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    deleted_at TEXT
);
CREATE INDEX notes_by_entity ON notes (entity, entity_id, created_at);

-- Files live in the data folder; this table only describes them.
CREATE TABLE attachments (
    id          BLOB PRIMARY KEY NOT NULL,
    entity      TEXT NOT NULL,
    entity_id   BLOB NOT NULL,
    file_name   TEXT NOT NULL,
    media_type  TEXT NOT NULL DEFAULT 'application/octet-stream',
    size_bytes  INTEGER NOT NULL CHECK (size_bytes >= 0),
    sha256      TEXT NOT NULL,
    stored_path TEXT NOT NULL,
    created_at  TEXT NOT NULL,
    deleted_at  TEXT
);
CREATE INDEX attachments_by_entity ON attachments (entity, entity_id);

-- Every change, written in the same transaction as the change itself:
-- the timeline, and what undo and restore read.
CREATE TABLE history (
    seq       INTEGER PRIMARY KEY AUTOINCREMENT,
    at        TEXT NOT NULL,
    source    TEXT NOT NULL CHECK (source IN ('app', 'cli', 'import', 'demo')),
    entity    TEXT NOT NULL,
    entity_id BLOB NOT NULL,
    op        TEXT NOT NULL CHECK (op IN ('insert', 'update', 'delete', 'restore')),
    before    TEXT CHECK (before IS NULL OR json_valid(before)),
    after     TEXT CHECK (after IS NULL OR json_valid(after))
);
CREATE INDEX history_by_entity ON history (entity, entity_id, seq);
