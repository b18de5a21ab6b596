//! Missions: the trip itself (dates, host country, time zone, base currency)
//! and the phone region used to read numbers typed without a country code.

use chrono::NaiveDate;
use rusqlite::{params, OptionalExtension, Row};
use serde::{Deserialize, Serialize};
use specta::Type;

use super::{clean_list, found, inserted, json_col, text_enum, updated, Json};
use crate::error::{Error, ErrorCode, Result};
use crate::id::Id;
use crate::store::{Db, Entity, Tx};
use crate::time::{parse_date, parse_time_zone};
use crate::validate;

text_enum! {
    pub enum MissionStatus {
        Planned => "planned",
        Active => "active",
        Completed => "completed",
        Cancelled => "cancelled",
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Type)]
pub struct Mission {
    pub id: Id,
    pub name: String,
    pub organiser: String,
    /// ISO 3166-1 alpha-2.
    pub host_country: String,
    pub cities: Vec<String>,
    pub start_date: NaiveDate,
    pub end_date: NaiveDate,
    /// IANA zone the agenda is shown in.
    pub time_zone: String,
    /// ISO 4217 code every agreement is converted into.
    pub base_currency: String,
    /// Region for phone numbers typed without a country code.
    pub phone_region: String,
    pub status: MissionStatus,
    pub created_at: String,
    pub updated_at: String,
}

impl Mission {
    /// The date it is where the mission is, at the write's `now`: what a
    /// capture or a rate is dated by default. In UTC, a capture at 01:30 in
    /// Ashgabat was dated the day before.
    pub(crate) fn today(&self, tx: &Tx<'_>) -> Result<NaiveDate> {
        self.date_at(tx.now())
    }

    /// The date it is where the mission is at `now` (a stored instant).
    pub(crate) fn date_at(&self, now: &str) -> Result<NaiveDate> {
        Ok(crate::time::parse_stored_instant(now)?
            .with_timezone(&parse_time_zone("time_zone", &self.time_zone)?)
            .date_naive())
    }
}

/// A mission as typed in a form or on the command line.
#[derive(Debug, Clone, Default, Serialize, Deserialize, Type)]
pub struct MissionInput {
    pub name: String,
    pub organiser: String,
    pub host_country: String,
    pub cities: Vec<String>,
    /// YYYY-MM-DD
    pub start_date: String,
    /// YYYY-MM-DD, not before `start_date`.
    pub end_date: String,
    pub time_zone: String,
    pub base_currency: String,
    /// Defaults to `host_country`.
    pub phone_region: Option<String>,
    /// Defaults to planned.
    pub status: Option<MissionStatus>,
}

struct Valid {
    name: String,
    organiser: String,
    host_country: String,
    cities: Vec<String>,
    start: NaiveDate,
    end: NaiveDate,
    time_zone: String,
    base_currency: String,
    phone_region: String,
    status: MissionStatus,
}

fn validate(input: &MissionInput) -> Result<Valid> {
    let name = validate::required("name", &input.name)?;
    let host_country = validate::country("host_country", &input.host_country)?;
    let start = parse_date("start_date", &input.start_date)?;
    let end = parse_date("end_date", &input.end_date)?;
    if end < start {
        return Err(Error::invalid(
            ErrorCode::EndBeforeStart,
            "end_date",
            format!("the mission ends ({end}) before it starts ({start})"),
        ));
    }
    let time_zone = parse_time_zone("time_zone", &input.time_zone)?
        .name()
        .to_owned();
    let (base_currency, _) = validate::currency("base_currency", &input.base_currency)?;
    let phone_region = match input.phone_region.as_deref().map(str::trim) {
        Some(r) if !r.is_empty() => validate::country("phone_region", r)?,
        _ => host_country.clone(),
    };
    Ok(Valid {
        name,
        organiser: input.organiser.trim().to_owned(),
        host_country,
        cities: clean_list(&input.cities),
        start,
        end,
        time_zone,
        base_currency,
        phone_region,
        status: input.status.unwrap_or(MissionStatus::Planned),
    })
}

const COLUMNS: &str = "id, name, organiser, host_country, cities, start_date, end_date, time_zone,
    base_currency, phone_region, status, created_at, updated_at";

fn from_row(r: &Row<'_>) -> rusqlite::Result<Mission> {
    Ok(Mission {
        id: r.get(0)?,
        name: r.get(1)?,
        organiser: r.get(2)?,
        host_country: r.get(3)?,
        cities: json_col(r, 4)?,
        start_date: r.get(5)?,
        end_date: r.get(6)?,
        time_zone: r.get(7)?,
        base_currency: r.get(8)?,
        phone_region: r.get(9)?,
        status: r.get(10)?,
        created_at: r.get(11)?,
        updated_at: r.get(12)?,
    })
}

pub fn find(db: &Db<'_>, id: Id) -> Result<Option<Mission>> {
    let sql = format!("SELECT {COLUMNS} FROM missions WHERE id = ?1 AND deleted_at IS NULL");
    Ok(db
        .conn()
        .prepare_cached(&sql)?
        .query_row([id], from_row)
        .optional()?)
}

pub fn get(db: &Db<'_>, id: Id) -> Result<Mission> {
    found(find(db, id)?, "mission", id)
}

/// All missions, newest first. A user has tens, not thousands.
pub fn list(db: &Db<'_>) -> Result<Vec<Mission>> {
    let sql = format!(
        "SELECT {COLUMNS} FROM missions WHERE deleted_at IS NULL ORDER BY start_date DESC, id"
    );
    let mut stmt = db.conn().prepare_cached(&sql)?;
    let rows = stmt
        .query_map([], from_row)?
        .collect::<rusqlite::Result<_>>()?;
    Ok(rows)
}

/// True when there is no mission at all: the app then offers the demo.
pub fn none_exist(db: &Db<'_>) -> Result<bool> {
    let any: bool = db
        .conn()
        .query_row("SELECT EXISTS (SELECT 1 FROM missions)", [], |r| r.get(0))?;
    Ok(!any)
}

/// Writes the row, inserting or updating (`created_at` is kept on update),
/// and reads the result back.
fn save(tx: &mut Tx<'_>, id: Id, v: &Valid) -> Result<Mission> {
    tx.conn()
        .prepare_cached(
            "INSERT INTO missions (id, name, organiser, host_country, cities, start_date, end_date,
                time_zone, base_currency, phone_region, status, created_at, updated_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?12)
             ON CONFLICT (id) DO UPDATE SET name = excluded.name,
                organiser = excluded.organiser, host_country = excluded.host_country,
                cities = excluded.cities, start_date = excluded.start_date,
                end_date = excluded.end_date, time_zone = excluded.time_zone,
                base_currency = excluded.base_currency, phone_region = excluded.phone_region,
                status = excluded.status, updated_at = excluded.updated_at",
        )?
        .execute(params![
            id,
            v.name,
            v.organiser,
            v.host_country,
            Json(&v.cities),
            v.start,
            v.end,
            v.time_zone,
            v.base_currency,
            v.phone_region,
            v.status,
            tx.now()
        ])?;
    get(&tx.db(), id)
}

pub fn create(tx: &mut Tx<'_>, input: &MissionInput) -> Result<Mission> {
    let mission = save(tx, Id::new(), &validate(input)?)?;
    let id = mission.id;
    inserted(tx, Entity::Mission, id, mission)
}

/// Changing the base currency of a mission with agreements is refused:
/// their locked rates were to the old currency. A zone changed moves the
/// meetings kept in the old one to the new one, at the same local times.
pub fn update(tx: &mut Tx<'_>, id: Id, input: &MissionInput) -> Result<Mission> {
    let before = get(&tx.db(), id)?;
    let v = validate(input)?;
    if v.base_currency != before.base_currency {
        // Those in the trash count: restored, they would be in the old one.
        let (live, trashed): (i64, i64) = tx.conn().query_row(
            "SELECT count(*) FILTER (WHERE deleted_at IS NULL),
                    count(*) FILTER (WHERE deleted_at IS NOT NULL)
               FROM agreements WHERE mission_id = ?1",
            [id],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )?;
        if live + trashed > 0 {
            let held = match (live, trashed) {
                (_, 0) => format!("{live} agreements have"),
                (0, _) => format!("{trashed} agreements in the trash have"),
                _ => format!("{live} agreements (and {trashed} in the trash) have"),
            };
            return Err(Error::invalid(
                ErrorCode::Conflict,
                "base_currency",
                format!("the base currency cannot change: {held} rates locked to it"),
            ));
        }
    }
    let after = save(tx, id, &v)?;
    let after = updated(tx, Entity::Mission, id, &before, after)?;
    if after.time_zone != before.time_zone {
        super::meeting::rezone(tx, id, &before.time_zone, &after.time_zone)?;
    }
    Ok(after)
}

/// The mission's numbers for its workspace.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
pub struct MissionStats {
    /// Delegation-side organizations.
    pub companies: u32,
    pub host_organizations: u32,
    pub meetings: u32,
    /// Meetings that ended before `now`.
    pub meetings_held: u32,
    /// People of the other side (host or partner) met on the mission: who
    /// attended its meetings, and who works for a host or partner of it and
    /// was met during its dates (a quick capture with no meeting chosen).
    /// The delegation's own people and the organiser's sit in the same
    /// meetings and are not counted; a host's staff imported from a list,
    /// never met, is not either.
    pub contacts_met: u32,
    pub follow_ups_open: u32,
    /// Open follow-ups due before `today`.
    pub follow_ups_overdue: u32,
    /// The agreements' converted totals (what the workspace shows, without
    /// sending it every agreement).
    pub agreement_totals: Vec<crate::model::agreement::Total>,
}

/// Counts for the workspace. `now` (UTC instant) and `today` (the user's
/// calendar date) come from the caller, so "held" and "overdue" mean what
/// the person looking at the screen means.
pub fn stats(db: &Db<'_>, id: Id, now: &str, today: &str) -> Result<MissionStats> {
    get(db, id)?;
    let today = crate::time::parse_date("today", today)?;
    let now = crate::time::parse_stored_instant(now)
        .map_err(|_| Error::invalid(ErrorCode::InvalidDate, "now", "now is not an instant"))?;
    let mut stats = db.conn().prepare_cached(
        "SELECT
            (SELECT COUNT(*) FROM participations p JOIN organizations o ON o.id = p.organization_id
              WHERE p.mission_id = ?1 AND p.side = 'delegation' AND o.deleted_at IS NULL),
            (SELECT COUNT(*) FROM participations p JOIN organizations o ON o.id = p.organization_id
              WHERE p.mission_id = ?1 AND p.side = 'host' AND o.deleted_at IS NULL),
            (SELECT COUNT(*) FROM meetings WHERE mission_id = ?1 AND deleted_at IS NULL),
            (SELECT COUNT(*) FROM meetings WHERE mission_id = ?1 AND deleted_at IS NULL AND ends_at < ?2),
            (SELECT COUNT(*) FROM (
               SELECT a.contact_id FROM meeting_attendees a
                 JOIN meetings m ON m.id = a.meeting_id JOIN contacts c ON c.id = a.contact_id
                WHERE m.mission_id = ?1 AND m.deleted_at IS NULL AND c.deleted_at IS NULL
                  AND a.side IN ('host', 'partner')
               UNION
               SELECT c.id FROM participations p
                 JOIN missions ms ON ms.id = p.mission_id
                 JOIN organizations o ON o.id = p.organization_id AND o.deleted_at IS NULL
                 JOIN contacts c ON c.organization_id = p.organization_id
                WHERE p.mission_id = ?1 AND p.side IN ('host', 'partner')
                  AND c.deleted_at IS NULL
                  AND c.met_on BETWEEN ms.start_date AND ms.end_date)),
            (SELECT COUNT(*) FROM follow_ups WHERE mission_id = ?1 AND deleted_at IS NULL AND status = 'open'),
            (SELECT COUNT(*) FROM follow_ups WHERE mission_id = ?1 AND deleted_at IS NULL AND status = 'open'
                AND due_on < ?3)",
    )?
    .query_row(params![id, crate::time::format_instant(now), today], |r| {
        Ok(MissionStats {
            companies: r.get(0)?,
            host_organizations: r.get(1)?,
            meetings: r.get(2)?,
            meetings_held: r.get(3)?,
            contacts_met: r.get(4)?,
            follow_ups_open: r.get(5)?,
            follow_ups_overdue: r.get(6)?,
            agreement_totals: Vec::new(),
        })
    })?;
    stats.agreement_totals = crate::model::agreement::totals(db, Some(id))?;
    Ok(stats)
}
