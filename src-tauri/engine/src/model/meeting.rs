//! Meetings: the agenda items of a mission. Start and end are stored as UTC
//! instants with the IANA zone they were typed in, so the agenda shows the
//! wall-clock time of the place even after a laptop crosses time zones.

use chrono::{DateTime, Utc};
use rusqlite::{params, OptionalExtension, Row};
use serde::{Deserialize, Serialize};
use specta::Type;

use super::{ensure_exists, found, inserted, mission, text_enum, updated, Side};
use crate::error::{Error, ErrorCode, Result};
use crate::id::Id;
use crate::store::{Db, Entity, Tx};
use crate::time::{
    format_instant, local_to_utc, parse_stored_instant, parse_time_zone, same_wall_clock,
    utc_to_local,
};
use crate::validate;

text_enum! {
    pub enum MeetingKind {
        Meeting => "meeting",
        B2b => "b2b",
        SiteVisit => "site_visit",
        Reception => "reception",
        Call => "call",
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Type)]
pub struct Attendee {
    pub contact_id: Id,
    pub side: Side,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Type)]
pub struct Meeting {
    pub id: Id,
    pub mission_id: Id,
    pub kind: MeetingKind,
    pub title: String,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    pub time_zone: String,
    /// Wall-clock start in `time_zone`, `YYYY-MM-DDTHH:MM`.
    pub starts_local: String,
    pub ends_local: String,
    pub place: String,
    pub notes: String,
    pub outcomes: String,
    pub organization_ids: Vec<Id>,
    pub attendees: Vec<Attendee>,
    pub created_at: String,
    pub updated_at: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, Type)]
pub struct MeetingInput {
    pub mission_id: Id,
    pub kind: MeetingKind,
    pub title: String,
    /// Wall-clock `YYYY-MM-DDTHH:MM` in `time_zone`.
    pub starts_local: String,
    pub ends_local: String,
    /// Defaults to the mission's zone.
    pub time_zone: Option<String>,
    pub place: String,
    pub notes: String,
    pub outcomes: String,
    pub organization_ids: Vec<Id>,
    /// The people at the meeting, replacing those it has; `None` keeps them
    /// (none for a new meeting). The meeting form does not edit them, and
    /// sends none: a capture at this meeting while the form is open adds a
    /// person, whom a list read when the form opened would take off again.
    pub attendees: Option<Vec<Attendee>>,
}

fn from_row(r: &Row<'_>) -> rusqlite::Result<(Meeting, String, String)> {
    Ok((
        Meeting {
            id: r.get(0)?,
            mission_id: r.get(1)?,
            kind: r.get(2)?,
            title: r.get(3)?,
            starts_at: DateTime::<Utc>::MIN_UTC,
            ends_at: DateTime::<Utc>::MIN_UTC,
            time_zone: r.get(6)?,
            starts_local: String::new(),
            ends_local: String::new(),
            place: r.get(7)?,
            notes: r.get(8)?,
            outcomes: r.get(9)?,
            organization_ids: Vec::new(),
            attendees: Vec::new(),
            created_at: r.get(10)?,
            updated_at: r.get(11)?,
        },
        r.get(4)?,
        r.get(5)?,
    ))
}

/// Fills the parsed instants and local times of a row read by [`from_row`].
fn finish(db: &Db<'_>, (mut m, starts, ends): (Meeting, String, String)) -> Result<Meeting> {
    m.starts_at = parse_stored_instant(&starts)?;
    m.ends_at = parse_stored_instant(&ends)?;
    let tz = stored_zone(m.id, &m.time_zone)?;
    m.starts_local = utc_to_local(m.starts_at, tz);
    m.ends_local = utc_to_local(m.ends_at, tz);
    // Only the links to live records: one to a record in the trash stays in
    // its table (restored, the record is in the meeting again), but a
    // meeting listing it could not be opened or saved.
    let conn = db.conn();
    m.organization_ids = conn
        .prepare_cached(
            "SELECT l.organization_id FROM meeting_organizations l
               JOIN organizations o ON o.id = l.organization_id
              WHERE l.meeting_id = ?1 AND o.deleted_at IS NULL",
        )?
        .query_map([m.id], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    m.attendees = conn
        .prepare_cached(
            "SELECT a.contact_id, a.side FROM meeting_attendees a
               JOIN contacts c ON c.id = a.contact_id
              WHERE a.meeting_id = ?1 AND c.deleted_at IS NULL",
        )?
        .query_map([m.id], |r| {
            Ok(Attendee {
                contact_id: r.get(0)?,
                side: r.get(1)?,
            })
        })?
        .collect::<rusqlite::Result<_>>()?;
    Ok(m)
}

const SELECT: &str = "SELECT id, mission_id, kind, title, starts_at, ends_at, time_zone, place,
    notes, outcomes, created_at, updated_at FROM meetings";

pub fn get(db: &Db<'_>, id: Id) -> Result<Meeting> {
    let sql = format!("{SELECT} WHERE id = ?1 AND deleted_at IS NULL");
    let row = db
        .conn()
        .prepare_cached(&sql)?
        .query_row([id], from_row)
        .optional()?;
    finish(db, found(row, "meeting", id)?)
}

/// A stored meeting's zone: written only after it parsed, so one that no
/// longer does is damaged data.
fn stored_zone(id: Id, name: &str) -> Result<chrono_tz::Tz> {
    parse_time_zone("time_zone", name)
        .map_err(|_| Error::Data(format!("meeting {id} has unknown zone {name}")))
}

/// A mission's meetings in time order, read through `meetings_agenda`.
const IN_AGENDA_ORDER: &str = "WHERE mission_id = ?1 AND deleted_at IS NULL ORDER BY starts_at, id";

fn agenda_sql() -> String {
    format!("{SELECT} {IN_AGENDA_ORDER}")
}

/// The query plans of [`list`] and of [`agenda`], for the test that keeps
/// them on their index.
pub fn explain_list(db: &Db<'_>, mission_id: Id) -> Result<[Vec<String>; 2]> {
    Ok([
        crate::db::query_plan(db.conn(), &agenda_sql(), [mission_id])?,
        crate::db::query_plan(db.conn(), &entries_sql(), [mission_id])?,
    ])
}

/// A meeting as the agenda and the capture dialog list it: what a line
/// shows, without the attendees and organizations ([`list`] reads them
/// with two more statements a meeting) or the notes. At 1,000 meetings the
/// whole meetings were ~680 KB to send and ~50 ms in the web view.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
pub struct AgendaEntry {
    pub id: Id,
    pub kind: MeetingKind,
    pub title: String,
    /// Wall-clock start in the meeting's zone, `YYYY-MM-DDTHH:MM`.
    pub starts_local: String,
    pub ends_local: String,
    /// The meeting's zone (IANA): the agenda names it where it is not the
    /// mission's, whose zone the agenda says its times are in.
    pub time_zone: String,
    pub place: String,
    pub outcomes: String,
}

fn entries_sql() -> String {
    format!(
        "SELECT id, kind, title, starts_at, ends_at, time_zone, place, outcomes FROM meetings
         {IN_AGENDA_ORDER}"
    )
}

/// A mission's agenda in time order, one statement for all of it.
pub fn agenda(db: &Db<'_>, mission_id: Id) -> Result<Vec<AgendaEntry>> {
    let mut statement = db.conn().prepare_cached(&entries_sql())?;
    let mut rows = statement.query([mission_id])?;
    let mut entries = Vec::new();
    // A mission's meetings share a zone or two: parsed once per change.
    let mut zone: Option<(String, chrono_tz::Tz)> = None;
    while let Some(r) = rows.next()? {
        let id: Id = r.get(0)?;
        let name: String = r.get(5)?;
        let tz = match &zone {
            Some((known, tz)) if *known == name => *tz,
            _ => {
                let tz = stored_zone(id, &name)?;
                zone = Some((name, tz));
                tz
            }
        };
        let starts = parse_stored_instant(&r.get::<_, String>(3)?)?;
        let ends = parse_stored_instant(&r.get::<_, String>(4)?)?;
        entries.push(AgendaEntry {
            id,
            kind: r.get(1)?,
            title: r.get(2)?,
            starts_local: utc_to_local(starts, tz),
            ends_local: utc_to_local(ends, tz),
            time_zone: tz.name().to_owned(),
            place: r.get(6)?,
            outcomes: r.get(7)?,
        });
    }
    Ok(entries)
}

/// A mission's agenda in time order (tens to a few thousand rows).
pub fn list(db: &Db<'_>, mission_id: Id) -> Result<Vec<Meeting>> {
    let sql = agenda_sql();
    let rows = db
        .conn()
        .prepare_cached(&sql)?
        .query_map([mission_id], from_row)?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    rows.into_iter().map(|r| finish(db, r)).collect()
}

/// Validates and writes the meeting with its organizations and attendees
/// (replacing them on update, the attendees only when given; `created_at`
/// is kept), and reads it back.
fn save(tx: &mut Tx<'_>, id: Id, input: &MeetingInput) -> Result<Meeting> {
    let mission = mission::get(&tx.db(), input.mission_id)?;
    let title = validate::required("title", &input.title)?;
    let zone_name = input
        .time_zone
        .as_deref()
        .map(str::trim)
        .filter(|z| !z.is_empty())
        .unwrap_or(&mission.time_zone);
    let tz = parse_time_zone("time_zone", zone_name)?;
    let starts = local_to_utc("starts_local", &input.starts_local, tz)?;
    let ends = local_to_utc("ends_local", &input.ends_local, tz)?;
    if ends < starts {
        return Err(Error::invalid(
            ErrorCode::EndBeforeStart,
            "ends_local",
            format!(
                "the meeting ends ({}) before it starts ({})",
                input.ends_local.trim(),
                input.starts_local.trim()
            ),
        ));
    }
    for org in &input.organization_ids {
        ensure_exists(&tx.db(), "organizations", "organization", *org)?;
    }
    let attendees = input.attendees.as_deref();
    for a in attendees.unwrap_or_default() {
        ensure_exists(&tx.db(), "contacts", "contact", a.contact_id)?;
    }
    let conn = tx.conn();
    conn.prepare_cached(
        "INSERT INTO meetings (id, mission_id, kind, title, starts_at, ends_at, time_zone, place,
            notes, outcomes, created_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?11)
         ON CONFLICT (id) DO UPDATE SET mission_id = excluded.mission_id, kind = excluded.kind,
            title = excluded.title, starts_at = excluded.starts_at, ends_at = excluded.ends_at,
            time_zone = excluded.time_zone, place = excluded.place, notes = excluded.notes,
            outcomes = excluded.outcomes, updated_at = excluded.updated_at",
    )?
    .execute(params![
        id,
        input.mission_id,
        input.kind,
        title,
        format_instant(starts),
        format_instant(ends),
        tz.name(),
        input.place.trim(),
        input.notes.trim(),
        input.outcomes.trim(),
        tx.now()
    ])?;
    // The links to live records are replaced by the input's; those to
    // records in the trash, which the meeting does not show, are kept.
    let mut replaced = vec![("meeting_organizations", "organization_id", "organizations")];
    if attendees.is_some() {
        replaced.push(("meeting_attendees", "contact_id", "contacts"));
    }
    for (table, column, records) in replaced {
        // EXISTS, a lookup by key per link: `IN (SELECT id ...)` would read
        // every live record.
        conn.prepare_cached(&format!(
            "DELETE FROM {table} WHERE meeting_id = ?1
                AND EXISTS (SELECT 1 FROM {records} r
                             WHERE r.id = {table}.{column} AND r.deleted_at IS NULL)"
        ))?
        .execute([id])?;
    }
    for org in &input.organization_ids {
        conn.prepare_cached(
            "INSERT OR IGNORE INTO meeting_organizations (meeting_id, organization_id) VALUES (?1, ?2)",
        )?
        .execute([id, *org])?;
    }
    for a in attendees.unwrap_or_default() {
        conn.prepare_cached(
            "INSERT OR REPLACE INTO meeting_attendees (meeting_id, contact_id, side) VALUES (?1, ?2, ?3)",
        )?
        .execute(params![id, a.contact_id, a.side])?;
    }
    get(&tx.db(), id)
}

pub fn create(tx: &mut Tx<'_>, input: &MeetingInput) -> Result<Meeting> {
    let meeting = save(tx, Id::new(), input)?;
    let id = meeting.id;
    inserted(tx, Entity::Meeting, id, meeting)
}

pub fn update(tx: &mut Tx<'_>, id: Id, input: &MeetingInput) -> Result<Meeting> {
    let before = get(&tx.db(), id)?;
    let after = save(tx, id, input)?;
    updated(tx, Entity::Meeting, id, &before, after)
}

/// A mission's zone corrected from `from` to `to`: its meetings kept in
/// `from` keep their wall-clock times in `to` (40 meetings typed at 10:00
/// while the mission said Almaty are at 10:00 in Ashgabat once it says
/// Ashgabat; they stayed at 10:00 Almaty, 09:00 in phones' calendars, and
/// the meeting form cannot change a meeting's zone). A meeting kept in
/// another zone (a call home) stays as it is.
pub(crate) fn rezone(tx: &mut Tx<'_>, mission_id: Id, from: &str, to: &str) -> Result<()> {
    let (old, new) = (
        parse_time_zone("time_zone", from)?,
        parse_time_zone("time_zone", to)?,
    );
    let rows: Vec<(Id, String, String, bool)> = tx
        .conn()
        .prepare_cached(
            "SELECT id, starts_at, ends_at, deleted_at IS NULL FROM meetings
              WHERE mission_id = ?1 AND time_zone = ?2",
        )?
        .query_map(params![mission_id, from], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?))
        })?
        .collect::<rusqlite::Result<_>>()?;
    for (id, starts, ends, live) in rows {
        let before = if live { Some(get(&tx.db(), id)?) } else { None };
        // Never refused (a meeting in the trash at a time the new zone
        // skips would block the correction, naming no field of its form).
        let moved = |at: &str| -> Result<String> {
            Ok(format_instant(same_wall_clock(
                parse_stored_instant(at)?,
                old,
                new,
            )))
        };
        let (starts, ends) = (moved(&starts)?, moved(&ends)?);
        // A start moved past a skipped hour may pass its end: it then ends
        // as it starts (the table refuses an end before the start).
        let ends = ends.max(starts.clone());
        tx.conn()
            .prepare_cached(
                "UPDATE meetings SET starts_at = ?2, ends_at = ?3, time_zone = ?4, updated_at = ?5
                  WHERE id = ?1",
            )?
            .execute(params![id, starts, ends, new.name(), tx.now()])?;
        if let Some(before) = before {
            let after = get(&tx.db(), id)?;
            updated(tx, Entity::Meeting, id, &before, after)?;
        }
    }
    Ok(())
}

/// Adds a person to a meeting's attendees on `side`; one there already
/// keeps the side they have (a capture must not move a delegate to the
/// host side).
pub fn add_attendee(tx: &mut Tx<'_>, meeting_id: Id, contact_id: Id, side: Side) -> Result<()> {
    let before = get(&tx.db(), meeting_id)?;
    ensure_exists(&tx.db(), "contacts", "contact", contact_id)?;
    tx.conn()
        .prepare_cached(
            "INSERT INTO meeting_attendees (meeting_id, contact_id, side) VALUES (?1, ?2, ?3)
             ON CONFLICT (meeting_id, contact_id) DO NOTHING",
        )?
        .execute(params![meeting_id, contact_id, side])?;
    let after = get(&tx.db(), meeting_id)?;
    updated(tx, Entity::Meeting, meeting_id, &before, after).map(drop)
}
