//! Meetings and follow-ups as iCalendar (RFC 5545) events.
//!
//! A meeting is written in its own time zone, `DTSTART;TZID=Asia/Ashgabat:
//! 20231002T100000`, with a VTIMEZONE that gives the zone's offset, so a
//! calendar shows it at the wall-clock time the delegates agreed. A
//! VTIMEZONE written from chrono-tz can only state offsets, not a zone's
//! daylight-saving rules; so a zone is written that way only when every
//! exported meeting in it has the same offset (the zones of this region,
//! which keep no daylight saving), and its meetings are written in UTC
//! otherwise, which is exact everywhere.
//!
//! A follow-up is an all-day event on its due date (free time, category
//! FOLLOW-UP, "✓ " before a done one's title; a cancelled one left out). As
//! VTODOs they were in the file and in no calendar: Google Calendar,
//! Outlook and Apple's Calendar import events only, and a delegate's
//! deadlines vanished from the phone the calendar went to.

use std::collections::BTreeMap;
use std::io::Write;

use chrono::{DateTime, Offset, TimeZone, Utc};
use chrono_tz::Tz;
use rusqlite::params;

use super::lines::{escape, line};
use crate::error::Result;
use crate::id::Id;
use crate::model::follow_up::{self, FollowUpFilter, FollowUpStatus};
use crate::model::meeting::{self, Meeting};
use crate::store::Db;

fn utc(at: DateTime<Utc>) -> String {
    at.format("%Y%m%dT%H%M%SZ").to_string()
}

/// "+0500" for an offset in seconds.
fn offset_text(seconds: i32) -> String {
    let sign = if seconds < 0 { '-' } else { '+' };
    let s = seconds.abs();
    format!("{sign}{:02}{:02}", s / 3600, s % 3600 / 60)
}

/// The meetings to export: a mission's, or every mission's.
fn meetings(db: &Db<'_>, mission_id: Option<Id>) -> Result<Vec<Meeting>> {
    let missions: Vec<Id> = match mission_id {
        Some(m) => vec![m],
        None => db
            .conn()
            .prepare_cached(
                "SELECT id FROM missions WHERE deleted_at IS NULL ORDER BY start_date, id",
            )?
            .query_map(params![], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?,
    };
    let mut all = Vec::new();
    for m in missions {
        all.extend(meeting::list(db, m)?);
    }
    Ok(all)
}

pub fn calendar(
    db: &Db<'_>,
    mission_id: Option<Id>,
    now: DateTime<Utc>,
    out: &mut dyn Write,
) -> Result<u64> {
    let meetings = meetings(db, mission_id)?;
    // Zones whose meetings all share one offset, with that offset.
    let mut zones: BTreeMap<String, Option<i32>> = BTreeMap::new();
    for m in &meetings {
        let Ok(tz) = m.time_zone.parse::<Tz>() else {
            zones.insert(m.time_zone.clone(), None);
            continue;
        };
        let offsets = [m.starts_at, m.ends_at].map(|at| {
            tz.offset_from_utc_datetime(&at.naive_utc())
                .fix()
                .local_minus_utc()
        });
        let same = offsets[0] == offsets[1];
        zones
            .entry(m.time_zone.clone())
            .and_modify(|o| {
                if *o != Some(offsets[0]) || !same {
                    *o = None;
                }
            })
            .or_insert(same.then_some(offsets[0]));
    }

    line(out, "BEGIN", "VCALENDAR")?;
    line(out, "VERSION", "2.0")?;
    line(out, "PRODID", "-//Mission CRM//Mission CRM//EN")?;
    line(out, "CALSCALE", "GREGORIAN")?;
    line(out, "METHOD", "PUBLISH")?;
    for (zone, offset) in &zones {
        let Some(offset) = offset else { continue };
        line(out, "BEGIN", "VTIMEZONE")?;
        line(out, "TZID", zone)?;
        line(out, "BEGIN", "STANDARD")?;
        line(out, "DTSTART", "19700101T000000")?;
        line(out, "TZOFFSETFROM", &offset_text(*offset))?;
        line(out, "TZOFFSETTO", &offset_text(*offset))?;
        line(out, "END", "STANDARD")?;
        line(out, "END", "VTIMEZONE")?;
    }
    let stamp = utc(now);
    let mut n = 0;
    for m in &meetings {
        line(out, "BEGIN", "VEVENT")?;
        line(out, "UID", &format!("{}@mission-crm", m.id))?;
        line(out, "DTSTAMP", &stamp)?;
        match (
            zones.get(&m.time_zone).copied().flatten(),
            m.time_zone.parse::<Tz>(),
        ) {
            (Some(_), Ok(tz)) => {
                let local = |at: DateTime<Utc>| {
                    tz.from_utc_datetime(&at.naive_utc())
                        .format("%Y%m%dT%H%M%S")
                        .to_string()
                };
                line(
                    out,
                    &format!("DTSTART;TZID={}", m.time_zone),
                    &local(m.starts_at),
                )?;
                if m.ends_at > m.starts_at {
                    line(
                        out,
                        &format!("DTEND;TZID={}", m.time_zone),
                        &local(m.ends_at),
                    )?;
                }
            }
            _ => {
                line(out, "DTSTART", &utc(m.starts_at))?;
                if m.ends_at > m.starts_at {
                    line(out, "DTEND", &utc(m.ends_at))?;
                }
            }
        }
        line(out, "SUMMARY", &escape(&m.title))?;
        if !m.place.is_empty() {
            line(out, "LOCATION", &escape(&m.place))?;
        }
        let description = [m.notes.as_str(), m.outcomes.as_str()]
            .iter()
            .filter(|t| !t.is_empty())
            .copied()
            .collect::<Vec<_>>()
            .join("\n\n");
        if !description.is_empty() {
            line(out, "DESCRIPTION", &escape(&description))?;
        }
        line(out, "CATEGORIES", &m.kind.as_str().to_uppercase())?;
        line(out, "END", "VEVENT")?;
        n += 1;
    }
    // A mission in the trash takes its follow-ups out of every list (and
    // its meetings out of the calendar above): they stay out of it too.
    let trashed: Vec<Id> = db
        .conn()
        .prepare_cached("SELECT id FROM missions WHERE deleted_at IS NOT NULL")?
        .query_map(params![], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    let follow_ups = follow_up::list(
        db,
        &FollowUpFilter {
            mission_id,
            status: None,
        },
    )?;
    let live = |f: &follow_up::FollowUp| !f.mission_id.is_some_and(|m| trashed.contains(&m));
    for f in follow_ups.into_iter().filter(live) {
        let title = match f.status {
            FollowUpStatus::Open => f.title.clone(),
            FollowUpStatus::Done => format!("✓ {}", f.title),
            FollowUpStatus::Cancelled => continue,
        };
        line(out, "BEGIN", "VEVENT")?;
        // Not the UID its VTODO had: a calendar holding that task would
        // take the event for it and skip it.
        line(out, "UID", &format!("{}-due@mission-crm", f.id))?;
        line(out, "DTSTAMP", &stamp)?;
        line(
            out,
            "DTSTART;VALUE=DATE",
            &f.due_on.format("%Y%m%d").to_string(),
        )?;
        // An all-day event ends the next day (RFC 5545 3.6.1).
        if let Some(next) = f.due_on.succ_opt() {
            line(out, "DTEND;VALUE=DATE", &next.format("%Y%m%d").to_string())?;
        }
        line(out, "SUMMARY", &escape(&title))?;
        // A deadline, not time taken.
        line(out, "TRANSP", "TRANSPARENT")?;
        if !f.notes.is_empty() {
            line(out, "DESCRIPTION", &escape(&f.notes))?;
        }
        line(out, "CATEGORIES", "FOLLOW-UP")?;
        line(out, "END", "VEVENT")?;
        n += 1;
    }
    line(out, "END", "VCALENDAR")?;
    Ok(n)
}
