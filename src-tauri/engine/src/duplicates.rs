//! Probable duplicate contacts, and merging two into one.
//!
//! Two people are probably one when they share a phone number, an e-mail
//! address, or a name across scripts and word order (the contact's
//! `name_key`: "Сахметов Кайырболат" and "Kairbolat Sakhmetov"). A merge
//! keeps one record, takes the fields the user chose from the other, joins
//! their e-mails, phones, messengers, languages and tags, moves every link
//! (meetings attended, follow-ups owned or about them, notes, attachments,
//! people they introduced) and puts the other in the trash. It is one write,
//! so Ctrl+Z takes the whole merge back.

use std::collections::BTreeMap;

use rusqlite::params;
use serde::{Deserialize, Serialize};
use specta::Type;

use crate::error::{Error, ErrorCode, Result};
use crate::id::Id;
use crate::macros::text_enum;
use crate::model::contact::{self, Contact, ContactInput, Email, Messenger, Phone};
use crate::model::{follow_up, meeting, note, union};
use crate::store::{ChangeOp, Db, Entity, Tx};
use crate::trash;

/// Why two people look like one (a pair's reasons, an import row's match).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, Type)]
#[serde(rename_all = "snake_case")]
pub enum Reason {
    Name,
    Phone,
    Email,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
pub struct DuplicatePair {
    /// The older record (kept by default).
    pub a: Id,
    pub b: Id,
    pub a_name: String,
    pub b_name: String,
    pub reasons: Vec<Reason>,
}

/// How many pairs the Duplicates screen shows at once (merging some shows
/// the next).
pub const SHOWN: usize = 200;

/// The strongest pairs, and whether [`find`] has more than these: the
/// screen says so, or a user would take the first pairs for all of them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
pub struct DuplicateList {
    pub pairs: Vec<DuplicatePair>,
    pub more: bool,
}

/// How many pairs one shared name can make ("Иван Иванов" × 40 would make
/// 780): the first ones are shown, the rest after merging those.
const PER_GROUP: usize = 10;

/// Pairs of live contacts with the same phone, and with the same e-mail.
/// A contact's first number (address) is on its row, the rest in a child
/// table (schema 8), so each reason takes two passes. First the numbers
/// held more than once as someone's first, found in one pass over the
/// row's index; joining every row to its index instead took a seek per row:
/// ~5 s at a million contacts with few duplicates, against ~0.6 s. Then
/// each further number (few people have one) against everyone's, by index:
/// CROSS JOIN keeps the further numbers the outer loop; SQLite chose by a
/// guess and scanned everyone with a number instead.
/// A pair may come twice, either way round; [`find`] keeps it once.
const SHARED: [(Reason, &str); 4] = [
    (
        Reason::Phone,
        "SELECT x.id, x.full_name, y.id, y.full_name
           FROM (SELECT primary_phone AS e164 FROM contacts WHERE primary_phone IS NOT NULL
                  GROUP BY primary_phone HAVING count(*) > 1) dup
           JOIN contacts x ON x.primary_phone = dup.e164 AND x.deleted_at IS NULL
           JOIN contacts y ON y.primary_phone = x.primary_phone AND y.id > x.id
                          AND y.deleted_at IS NULL
          LIMIT ?1",
    ),
    (
        Reason::Phone,
        "SELECT x.contact_id, cx.full_name, y.id, y.full_name
           FROM contact_phones x
           CROSS JOIN contacts y ON y.primary_phone = x.e164 AND y.id <> x.contact_id
                          AND y.deleted_at IS NULL
           JOIN contacts cx ON cx.id = x.contact_id AND cx.deleted_at IS NULL
         UNION ALL
         SELECT x.contact_id, cx.full_name, y.contact_id, cy.full_name
           FROM contact_phones x
           JOIN contact_phones y ON y.e164 = x.e164 AND y.contact_id > x.contact_id
           JOIN contacts cx ON cx.id = x.contact_id AND cx.deleted_at IS NULL
           JOIN contacts cy ON cy.id = y.contact_id AND cy.deleted_at IS NULL
          LIMIT ?1",
    ),
    (
        Reason::Email,
        "SELECT x.id, x.full_name, y.id, y.full_name
           FROM (SELECT primary_email AS address FROM contacts WHERE primary_email IS NOT NULL
                  GROUP BY primary_email COLLATE NOCASE HAVING count(*) > 1) dup
           JOIN contacts x ON x.primary_email = dup.address COLLATE NOCASE
                          AND x.deleted_at IS NULL
           JOIN contacts y ON y.primary_email = x.primary_email COLLATE NOCASE AND y.id > x.id
                          AND y.deleted_at IS NULL
          LIMIT ?1",
    ),
    (
        Reason::Email,
        "SELECT x.contact_id, cx.full_name, y.id, y.full_name
           FROM contact_emails x
           CROSS JOIN contacts y ON y.primary_email = x.address COLLATE NOCASE
                                AND y.id <> x.contact_id AND y.deleted_at IS NULL
           JOIN contacts cx ON cx.id = x.contact_id AND cx.deleted_at IS NULL
         UNION ALL
         SELECT x.contact_id, cx.full_name, y.contact_id, cy.full_name
           FROM contact_emails x
           JOIN contact_emails y ON y.address = x.address COLLATE NOCASE
                                AND y.contact_id > x.contact_id
           JOIN contacts cx ON cx.id = x.contact_id AND cx.deleted_at IS NULL
           JOIN contacts cy ON cy.id = y.contact_id AND cy.deleted_at IS NULL
          LIMIT ?1",
    ),
];

/// Name keys of two words or more held by more than one live contact, from
/// the name-key index alone: a contact has a key only while it is out of
/// the trash (the search module sets and clears it). One word ("Ivan",
/// "Taxi", "Mom" from a phone's address book) is too little to call two
/// people one, as an import decides too: such namesakes filled the first
/// keys and kept real duplicates off the screen.
const SHARED_NAME_KEYS: &str = "
SELECT name_key FROM contacts WHERE name_key IS NOT NULL AND instr(name_key, ' ') > 0
 GROUP BY name_key HAVING count(*) > 1 LIMIT ?1";

/// The first contacts (in the order they were added) holding a name key,
/// with their names: a range of the name-key index, however many share the
/// name.
const WITH_NAME_KEY: &str = "
SELECT id, full_name FROM contacts WHERE name_key = ?1
 ORDER BY rowid LIMIT ?2";

/// The query plans of [`find`], for the test that keeps them on indexes.
pub fn explain(db: &Db<'_>) -> Result<Vec<String>> {
    let mut plan = Vec::new();
    for sql in SHARED.iter().map(|(_, sql)| *sql).chain([SHARED_NAME_KEYS]) {
        plan.extend(crate::db::query_plan(db.conn(), sql, [20])?);
    }
    plan.extend(crate::db::query_plan(
        db.conn(),
        WITH_NAME_KEY,
        params!["a b", PER_GROUP as i64 + 1],
    )?);
    Ok(plan)
}

/// Probable duplicates among live contacts, strongest first (more reasons,
/// a shared phone or e-mail before a name alone, then name order), at most
/// `limit` pairs.
pub fn find(db: &Db<'_>, limit: usize) -> Result<Vec<DuplicatePair>> {
    find_cut(db, limit).map(|(pairs, _)| pairs)
}

/// As [`find`], and whether some pairs were left for later besides those
/// past `limit`: a shared name's group past its first [`PER_GROUP`] pairs,
/// or a pass that stopped at its own bound.
fn find_cut(db: &Db<'_>, limit: usize) -> Result<(Vec<DuplicatePair>, bool)> {
    let conn = db.conn();
    let mut cut = false;
    // Each pair once, older first, with both names and every reason.
    let mut pairs: BTreeMap<(Id, Id), DuplicatePair> = BTreeMap::new();
    let mut add = |x: (Id, String), y: (Id, String), reason: Reason| {
        let ((a, a_name), (b, b_name)) = if x.0 < y.0 { (x, y) } else { (y, x) };
        let pair = pairs.entry((a, b)).or_insert_with(|| DuplicatePair {
            a,
            b,
            a_name,
            b_name,
            reasons: Vec::new(),
        });
        if !pair.reasons.contains(&reason) {
            pair.reasons.push(reason);
        }
    };
    for (reason, sql) in SHARED {
        let mut stmt = conn.prepare_cached(sql)?;
        let rows = stmt.query_map([limit as i64 * 4], |r| {
            Ok(((r.get(0)?, r.get(1)?), (r.get(2)?, r.get(3)?)))
        })?;
        let mut read = 0;
        for row in rows {
            let (x, y) = row?;
            add(x, y, reason);
            read += 1;
        }
        cut |= read == limit * 4;
    }
    let keys: Vec<String> = conn
        .prepare_cached(SHARED_NAME_KEYS)?
        .query_map([limit as i64], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    cut |= keys.len() == limit;
    for key in keys {
        // Enough for the pairs one group may make (the first with each other).
        let people: Vec<(Id, String)> = conn
            .prepare_cached(WITH_NAME_KEY)?
            .query_map(params![key, PER_GROUP as i64 + 1], |r| {
                Ok((r.get(0)?, r.get(1)?))
            })?
            .collect::<rusqlite::Result<_>>()?;
        let mut made = 0;
        'group: for (i, x) in people.iter().enumerate() {
            for y in &people[i + 1..] {
                if made == PER_GROUP {
                    cut = true;
                    break 'group;
                }
                add(x.clone(), y.clone(), Reason::Name);
                made += 1;
            }
        }
    }

    let mut out: Vec<DuplicatePair> = pairs.into_values().collect();
    for pair in &mut out {
        pair.reasons.sort();
    }
    // More reasons first; then a shared phone or e-mail before a name alone
    // (namesakes are often two people); then by name.
    let name_only = |p: &DuplicatePair| p.reasons == [Reason::Name];
    out.sort_by(|x, y| {
        y.reasons
            .len()
            .cmp(&x.reasons.len())
            .then_with(|| name_only(x).cmp(&name_only(y)))
            .then_with(|| x.a_name.cmp(&y.a_name))
    });
    cut |= out.len() > limit;
    out.truncate(limit);
    Ok((out, cut))
}

/// The first `limit` pairs [`find`] gives, and whether there are more:
/// past `limit`, or in a group of namesakes shown in part.
pub fn first(db: &Db<'_>, limit: usize) -> Result<DuplicateList> {
    let (pairs, more) = find_cut(db, limit)?;
    Ok(DuplicateList { pairs, more })
}

text_enum! {
    /// Fields of a contact the user picks from one side or the other; lists
    /// (e-mails, phones, messengers, languages, tags) are always joined, and
    /// notes too unless `notes` asks for the other's alone.
    pub enum MergeField {
        FullName => "full_name",
        FullNameLatin => "full_name_latin",
        Position => "position",
        Organization => "organization",
        MetOn => "met_on",
        MetPlace => "met_place",
        Notes => "notes",
    }
}

#[derive(Debug, Clone, Serialize, Deserialize, Type)]
pub struct MergeInput {
    pub keep: Id,
    pub remove: Id,
    /// The fields taken from `remove`; every other field stays as `keep` has it.
    pub take: Vec<MergeField>,
}

/// Merges `remove` into `keep` (see the module's comment) and returns the
/// kept record as it now is.
pub fn merge(tx: &mut Tx<'_>, input: &MergeInput) -> Result<Contact> {
    if input.keep == input.remove {
        return Err(Error::invalid(
            ErrorCode::Conflict,
            "remove",
            "a contact cannot be merged with itself",
        ));
    }
    let keep = contact::get(&tx.db(), input.keep)?;
    let other = contact::get(&tx.db(), input.remove)?;
    let takes = |f: MergeField| input.take.contains(&f);
    let pick = |f: MergeField, mine: &str, theirs: &str| -> String {
        if takes(f) { theirs } else { mine }.to_owned()
    };
    let mut merged = ContactInput {
        full_name: pick(MergeField::FullName, &keep.full_name, &other.full_name),
        full_name_latin: pick(
            MergeField::FullNameLatin,
            &keep.full_name_latin,
            &other.full_name_latin,
        ),
        position: pick(MergeField::Position, &keep.position, &other.position),
        organization_id: if takes(MergeField::Organization) {
            other.organization_id
        } else {
            keep.organization_id
        },
        emails: union(&keep.emails, &other.emails, |e: &Email| {
            e.address.to_lowercase()
        }),
        phones: union(&keep.phones, &other.phones, |p: &Phone| p.number.clone()),
        messengers: union(&keep.messengers, &other.messengers, |m: &Messenger| {
            (m.kind, m.handle.clone())
        }),
        languages: union(&keep.languages, &other.languages, String::clone),
        met_on: if takes(MergeField::MetOn) {
            other.met_on
        } else {
            keep.met_on
        }
        .map(|d| d.to_string()),
        met_place: pick(MergeField::MetPlace, &keep.met_place, &other.met_place),
        // Whoever introduced either (the kept one's first); not one of the
        // two, which means nothing once they are one.
        introduced_by_id: {
            let neither = |i: &Id| *i != other.id && *i != keep.id;
            keep.introduced_by_id
                .filter(neither)
                .or(other.introduced_by_id.filter(neither))
        },
        // Both people's notes (one side's were dropped), unless the other's
        // alone were asked for.
        notes: if takes(MergeField::Notes) {
            other.notes.clone()
        } else {
            contact::add_notes(&keep.notes, &other.notes)
        },
        tags: union(&keep.tags, &other.tags, String::clone),
        phone_region: None,
    };
    // A link taken from the other side may point into the trash by now:
    // the merge goes ahead without it. The kept one's own links stay.
    contact::drop_dead_links(&tx.db(), &mut merged, &keep)?;

    // The kept record's change first: an undo names the first record a
    // write changed ("Took back the change to Sakhmetov"), and a moved
    // note named nothing.
    let kept = contact::update(tx, keep.id, &merged)?;
    let (k, r) = (keep.id, other.id);
    // The live records whose links move, as they are before: each gets a
    // history entry, so its timeline shows the merge.
    let moved = MovedLinks::before(&tx.db(), r, k)?;
    let conn = tx.conn();
    // Both attended one meeting: the kept attendance stays, the other goes.
    conn.prepare_cached(
        "UPDATE OR IGNORE meeting_attendees SET contact_id = ?1 WHERE contact_id = ?2",
    )?
    .execute(params![k, r])?;
    conn.prepare_cached("DELETE FROM meeting_attendees WHERE contact_id = ?1")?
        .execute([r])?;
    for sql in [
        "UPDATE follow_ups SET owner_id = ?1 WHERE owner_id = ?2",
        "UPDATE follow_ups SET contact_id = ?1 WHERE contact_id = ?2",
        "UPDATE attachments SET entity_id = ?1 WHERE entity = 'contact' AND entity_id = ?2",
    ] {
        conn.prepare_cached(sql)?.execute(params![k, r])?;
    }
    // A field of theirs changes, so their `updated_at` does: a form open on
    // one of them then knows it is stale (`model::unchanged_since`).
    conn.prepare_cached(
        "UPDATE contacts SET introduced_by_id = ?1, updated_at = ?3
          WHERE introduced_by_id = ?2 AND id <> ?1",
    )?
    .execute(params![k, r, tx.now()])?;
    moved.record(tx)?;
    note::move_all(tx, Entity::Contact, r, k)?;
    // So the Trash says where its meetings and notes went.
    tx.conn()
        .prepare_cached("UPDATE contacts SET merged_into_id = ?1 WHERE id = ?2")?
        .execute(params![k, r])?;
    trash::delete(tx, Entity::Contact, r)?;
    Ok(kept)
}

/// The live meetings, follow-ups and people a merge relinks, each as it
/// was before it.
struct MovedLinks {
    meetings: Relinked<meeting::Meeting>,
    follow_ups: Relinked<follow_up::FollowUp>,
    introduced: Relinked<Contact>,
}

/// Records of one kind as they were, and how to read one as it now is.
struct Relinked<T> {
    entity: Entity,
    get: fn(&Db<'_>, Id) -> Result<T>,
    before: Vec<(Id, T)>,
}

impl<T: Serialize> Relinked<T> {
    /// The records `sql` selects (by `p`), read as they are.
    fn read(
        db: &Db<'_>,
        entity: Entity,
        get: fn(&Db<'_>, Id) -> Result<T>,
        sql: &str,
        p: impl rusqlite::Params,
    ) -> Result<Self> {
        let ids: Vec<Id> = db
            .conn()
            .prepare_cached(sql)?
            .query_map(p, |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        let before = ids
            .into_iter()
            .map(|id| Ok((id, get(db, id)?)))
            .collect::<Result<_>>()?;
        Ok(Self {
            entity,
            get,
            before,
        })
    }

    /// Each record's update, from as it was to as it now is.
    fn record(self, tx: &mut Tx<'_>) -> Result<()> {
        for (id, before) in self.before {
            let after = (self.get)(&tx.db(), id)?;
            tx.record(
                self.entity,
                id,
                ChangeOp::Update,
                Some(&before),
                Some(&after),
            )?;
        }
        Ok(())
    }
}

impl MovedLinks {
    fn before(db: &Db<'_>, remove: Id, keep: Id) -> Result<Self> {
        Ok(Self {
            meetings: Relinked::read(
                db,
                Entity::Meeting,
                meeting::get,
                "SELECT m.id FROM meeting_attendees a JOIN meetings m ON m.id = a.meeting_id
                  WHERE a.contact_id = ?1 AND m.deleted_at IS NULL",
                [remove],
            )?,
            follow_ups: Relinked::read(
                db,
                Entity::FollowUp,
                follow_up::get,
                "SELECT id FROM follow_ups
                  WHERE (owner_id = ?1 OR contact_id = ?1) AND deleted_at IS NULL",
                [remove],
            )?,
            introduced: Relinked::read(
                db,
                Entity::Contact,
                contact::get,
                "SELECT id FROM contacts
                  WHERE introduced_by_id = ?1 AND id <> ?2 AND deleted_at IS NULL",
                [remove, keep],
            )?,
        })
    }

    fn record(self, tx: &mut Tx<'_>) -> Result<()> {
        self.meetings.record(tx)?;
        self.follow_ups.record(tx)?;
        self.introduced.record(tx)
    }
}
