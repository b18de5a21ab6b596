//! The delegation book: what the organiser prints and hands out before the
//! trip. The mission's facts, its agenda day by day at the mission's local
//! times, and every organization taking part (organiser, delegation, hosts,
//! partners) with its people and how to reach them. Built from the store
//! ([`build`]) and written as one self-contained HTML page ([`html`]) or a
//! PDF ([`pdf`]), in English, Russian or Kazakh.

use std::collections::HashMap;
use std::fmt::Write as _;

use chrono::{DateTime, Utc};
use serde::Serialize;

use super::pdf::Pages;
use super::render::{esc, STYLE};
use super::words::{country, date, date_range, words, Lang};
use crate::error::Result;
use crate::id::Id;
use crate::model::meeting::{self, MeetingKind};
use crate::model::{mission, Side};
use crate::store::Db;
use crate::time::parse_time_zone;

/// People listed under one organization at most: a host ministry can have
/// hundreds in a large address book; the book says how many more there are.
pub const PEOPLE_PER_ORGANIZATION: usize = 30;

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Person {
    pub name: String,
    pub name_latin: String,
    pub position: String,
    pub phone: Option<String>,
    pub email: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Organization {
    pub name: String,
    pub name_latin: String,
    pub city: String,
    pub sectors: Vec<String>,
    pub people: Vec<Person>,
    /// People of it left out past [`PEOPLE_PER_ORGANIZATION`].
    pub more: usize,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Entry {
    /// "10:00–11:00" at the mission's local times, with the day it ends
    /// when that is another.
    pub time: String,
    /// For a meeting kept in another zone: its own local times and zone
    /// ("08:00–09:00 Europe/Moscow").
    pub own_time: Option<String>,
    pub kind: MeetingKind,
    pub title: String,
    pub place: String,
    pub organizations: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Day {
    /// YYYY-MM-DD
    pub date: String,
    pub entries: Vec<Entry>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DelegationBook {
    pub lang: Lang,
    pub name: String,
    pub organiser: String,
    pub host_country: String,
    pub cities: Vec<String>,
    pub start_date: String,
    pub end_date: String,
    pub time_zone: String,
    pub agenda: Vec<Day>,
    /// Organiser, delegation, hosts, partners; a side with no one is left out.
    pub sides: Vec<(Side, Vec<Organization>)>,
}

/// The book's own words; the facts' labels are the report's.
struct BookWords {
    title: &'static str,
    agenda: &'static str,
    times: &'static str,
    no_meetings: &'static str,
    organiser: &'static str,
    /// "{n}": how many more people the address book has.
    more: &'static str,
    kinds: [(MeetingKind, &'static str); 5],
}

const EN: BookWords = BookWords {
    title: "Delegation book",
    agenda: "Agenda",
    times: "Local times ({zone})",
    no_meetings: "No meetings yet.",
    organiser: "Organiser",
    more: "and {n} more in the address book",
    kinds: [
        (MeetingKind::Meeting, "Meeting"),
        (MeetingKind::B2b, "B2B"),
        (MeetingKind::SiteVisit, "Site visit"),
        (MeetingKind::Reception, "Reception"),
        (MeetingKind::Call, "Call"),
    ],
};

const RU: BookWords = BookWords {
    title: "Справочник делегации",
    agenda: "Программа",
    times: "Время местное ({zone})",
    no_meetings: "Встреч пока нет.",
    organiser: "Организатор",
    more: "и ещё {n} в адресной книге",
    kinds: [
        (MeetingKind::Meeting, "Встреча"),
        (MeetingKind::B2b, "B2B"),
        (MeetingKind::SiteVisit, "Посещение объекта"),
        (MeetingKind::Reception, "Приём"),
        (MeetingKind::Call, "Звонок"),
    ],
};

const KK: BookWords = BookWords {
    title: "Делегация анықтамалығы",
    agenda: "Бағдарлама",
    times: "Жергілікті уақыт ({zone})",
    no_meetings: "Кездесулер әлі жоқ.",
    organiser: "Ұйымдастырушы",
    more: "мекенжай кітабында тағы {n} адам",
    kinds: [
        (MeetingKind::Meeting, "Кездесу"),
        (MeetingKind::B2b, "B2B"),
        (MeetingKind::SiteVisit, "Нысанға бару"),
        (MeetingKind::Reception, "Қабылдау"),
        (MeetingKind::Call, "Қоңырау"),
    ],
};

fn book_words(lang: Lang) -> &'static BookWords {
    match lang {
        Lang::En => &EN,
        Lang::Ru => &RU,
        Lang::Kk => &KK,
    }
}

impl BookWords {
    fn kind(&self, kind: MeetingKind) -> &'static str {
        self.kinds
            .iter()
            .find(|(k, _)| *k == kind)
            .map_or("", |(_, w)| w)
    }
}

/// A side's title in the book.
fn side_title(side: Side, lang: Lang) -> &'static str {
    let w = words(lang);
    match side {
        Side::Organiser => book_words(lang).organiser,
        Side::Delegation => w.delegation,
        Side::Host => w.hosts,
        Side::Partner => w.partners,
    }
}

/// Builds the book of a mission from the store.
pub fn build(db: &Db<'_>, mission_id: Id, lang: Lang) -> Result<DelegationBook> {
    let m = mission::get(db, mission_id)?;
    let mut sides = Vec::new();
    for side in [Side::Organiser, Side::Delegation, Side::Host, Side::Partner] {
        let list = organizations(db, mission_id, side)?;
        if !list.is_empty() {
            sides.push((side, list));
        }
    }
    Ok(DelegationBook {
        lang,
        agenda: agenda(db, mission_id, &m.time_zone, lang)?,
        name: m.name,
        organiser: m.organiser,
        host_country: m.host_country,
        cities: m.cities,
        start_date: m.start_date.to_string(),
        end_date: m.end_date.to_string(),
        time_zone: m.time_zone,
        sides,
    })
}

fn organizations(db: &Db<'_>, mission_id: Id, side: Side) -> Result<Vec<Organization>> {
    let mut orgs = db.conn().prepare_cached(
        "SELECT o.id, o.name, o.name_latin, o.city,
                (SELECT json_group_array(sector) FROM
                    (SELECT sector FROM organization_sectors s WHERE s.organization_id = o.id
                      ORDER BY sector))
           FROM participations p JOIN organizations o ON o.id = p.organization_id
          WHERE p.mission_id = ?1 AND p.side = ?2 AND o.deleted_at IS NULL
          ORDER BY o.sort_name, o.id",
    )?;
    let rows: Vec<(Id, Organization)> = orgs
        .query_map(rusqlite::params![mission_id, side], |r| {
            Ok((
                r.get(0)?,
                Organization {
                    name: r.get(1)?,
                    name_latin: r.get(2)?,
                    city: r.get(3)?,
                    sectors: crate::model::json_col(r, 4)?,
                    people: Vec::new(),
                    more: 0,
                },
            ))
        })?
        .collect::<rusqlite::Result<_>>()?;
    // One more than is shown, to know whether there are more; the count of
    // the rest only then.
    let mut people = db.conn().prepare_cached(
        "SELECT full_name, full_name_latin, position, primary_phone, primary_email
           FROM contacts WHERE organization_id = ?1 AND deleted_at IS NULL
          ORDER BY sort_name, id LIMIT ?2",
    )?;
    let mut out = Vec::with_capacity(rows.len());
    for (id, mut org) in rows {
        org.people = people
            .query_map(
                rusqlite::params![id, PEOPLE_PER_ORGANIZATION as i64 + 1],
                |r| {
                    Ok(Person {
                        name: r.get(0)?,
                        name_latin: r.get(1)?,
                        position: r.get(2)?,
                        phone: r.get(3)?,
                        email: r.get(4)?,
                    })
                },
            )?
            .collect::<rusqlite::Result<_>>()?;
        if org.people.len() > PEOPLE_PER_ORGANIZATION {
            org.people.truncate(PEOPLE_PER_ORGANIZATION);
            let all: i64 = db.conn().query_row(
                "SELECT COUNT(*) FROM contacts WHERE organization_id = ?1 AND deleted_at IS NULL",
                [id],
                |r| r.get(0),
            )?;
            org.more = usize::try_from(all)
                .unwrap_or(0)
                .saturating_sub(PEOPLE_PER_ORGANIZATION);
        }
        out.push(org);
    }
    Ok(out)
}

/// The mission's meetings day by day, at the mission's local times (a
/// meeting kept in another zone, a call to Moscow, is where the delegation
/// lives it, its own times beside).
fn agenda(db: &Db<'_>, mission_id: Id, zone: &str, lang: Lang) -> Result<Vec<Day>> {
    let tz = parse_time_zone("time_zone", zone)?;
    // Each meeting's organizations, in one read.
    let mut named: HashMap<Id, Vec<String>> = HashMap::new();
    let mut stmt = db.conn().prepare_cached(
        "SELECT mo.meeting_id, o.name FROM meeting_organizations mo
           JOIN meetings m ON m.id = mo.meeting_id
           JOIN organizations o ON o.id = mo.organization_id
          WHERE m.mission_id = ?1 AND m.deleted_at IS NULL AND o.deleted_at IS NULL
          ORDER BY o.sort_name",
    )?;
    let mut rows = stmt.query([mission_id])?;
    while let Some(r) = rows.next()? {
        named.entry(r.get(0)?).or_default().push(r.get(1)?);
    }
    let mut days: Vec<Day> = Vec::new();
    for m in meeting::list(db, mission_id)? {
        let local = |at: DateTime<Utc>| at.with_timezone(&tz).naive_local();
        let (starts, ends) = (local(m.starts_at), local(m.ends_at));
        let day = starts.date().to_string();
        let mut time = starts.format("%H:%M").to_string();
        // By the instants: when clocks go back, a meeting can end at an
        // earlier wall-clock time than it starts.
        if m.ends_at > m.starts_at {
            let _ = write!(time, "–{}", ends.format("%H:%M"));
            if ends.date() != starts.date() {
                let _ = write!(time, " ({})", date(&ends.date().to_string(), lang));
            }
        }
        let own_time = (m.time_zone != zone).then(|| {
            let own = |t: &str| t.split_once('T').map_or(t, |(_, hm)| hm).to_owned();
            if m.ends_at > m.starts_at {
                format!(
                    "{}–{} {}",
                    own(&m.starts_local),
                    own(&m.ends_local),
                    m.time_zone
                )
            } else {
                format!("{} {}", own(&m.starts_local), m.time_zone)
            }
        });
        let entry = Entry {
            time,
            own_time,
            kind: m.kind,
            title: m.title,
            place: m.place,
            organizations: named.remove(&m.id).unwrap_or_default(),
        };
        match days.last_mut() {
            Some(d) if d.date == day => d.entries.push(entry),
            _ => days.push(Day {
                date: day,
                entries: vec![entry],
            }),
        }
    }
    Ok(days)
}

/// The facts under the title, labelled.
fn facts(b: &DelegationBook) -> Vec<(&'static str, String)> {
    let w = words(b.lang);
    [
        (w.organiser, b.organiser.clone()),
        (w.host_country, country(&b.host_country, b.lang)),
        (w.dates, date_range(&b.start_date, &b.end_date, b.lang)),
        (w.cities, b.cities.join(", ")),
    ]
    .into_iter()
    .filter(|(_, v)| !v.is_empty())
    .collect()
}

/// An organization's line: its name, its Latin name, city and sectors.
fn org_line(o: &Organization) -> String {
    let mut line = o.name.clone();
    if !o.name_latin.is_empty() && o.name_latin != o.name {
        let _ = write!(line, " / {}", o.name_latin);
    }
    let rest: Vec<&str> = [o.city.as_str()]
        .into_iter()
        .chain(o.sectors.iter().map(String::as_str))
        .filter(|s| !s.is_empty())
        .collect();
    if !rest.is_empty() {
        let _ = write!(line, " · {}", rest.join(", "));
    }
    line
}

/// A person's name (and Latin name) and position; their phone and e-mail.
fn person_lines(p: &Person) -> (String, String) {
    let mut who = p.name.clone();
    if !p.name_latin.is_empty() && p.name_latin != p.name {
        let _ = write!(who, " ({})", p.name_latin);
    }
    if !p.position.is_empty() {
        let _ = write!(who, ", {}", p.position);
    }
    let reach: Vec<&str> = [p.phone.as_deref(), p.email.as_deref()]
        .into_iter()
        .flatten()
        .collect();
    (who, reach.join(" · "))
}

/// What a meeting is: its kind, title and place, and its own local times
/// when it is kept in another zone.
fn entry_line(e: &Entry, bw: &BookWords) -> String {
    let mut what = format!("{} · {}", bw.kind(e.kind), e.title);
    if !e.place.is_empty() {
        let _ = write!(what, " · {}", e.place);
    }
    if let Some(own) = &e.own_time {
        let _ = write!(what, " ({own})");
    }
    what
}

pub fn html(b: &DelegationBook) -> String {
    let bw = book_words(b.lang);
    let mut out = String::new();
    let _ = write!(
        out,
        "<!doctype html><html lang=\"{}\"><head><meta charset=\"utf-8\"><title>{} — {}</title>\
         <style>{STYLE}.who{{margin:.2rem 0 0}}.reach{{color:#5a6270;margin:0 0 .4rem 1rem}}\
         .org{{break-inside:avoid}}</style></head><body><h1>{}</h1><p class=muted>{}</p><dl>",
        b.lang.as_str(),
        esc(bw.title),
        esc(&b.name),
        esc(&b.name),
        esc(bw.title)
    );
    for (k, v) in facts(b) {
        let _ = write!(out, "<dt>{}</dt><dd>{}</dd>", esc(k), esc(&v));
    }
    let _ = write!(
        out,
        "</dl><h2>{}</h2><p class=muted>{}</p>",
        esc(bw.agenda),
        esc(&bw.times.replace("{zone}", &b.time_zone))
    );
    if b.agenda.is_empty() {
        let _ = write!(out, "<p>{}</p>", esc(bw.no_meetings));
    }
    for day in &b.agenda {
        let _ = write!(
            out,
            "<h3>{}</h3><table><tbody>",
            esc(&date(&day.date, b.lang))
        );
        for e in &day.entries {
            let _ = write!(
                out,
                "<tr><td>{}</td><td>{}",
                esc(&e.time).replace(' ', "&nbsp;"),
                esc(&entry_line(e, bw))
            );
            if !e.organizations.is_empty() {
                let _ = write!(
                    out,
                    "<div class=muted>{}</div>",
                    esc(&e.organizations.join(", "))
                );
            }
            out.push_str("</td></tr>");
        }
        out.push_str("</tbody></table>");
    }
    for (side, orgs) in &b.sides {
        let _ = write!(
            out,
            "<h2>{} ({})</h2>",
            esc(side_title(*side, b.lang)),
            orgs.len()
        );
        for o in orgs {
            let _ = write!(out, "<div class=org><h3>{}</h3>", esc(&org_line(o)));
            for p in &o.people {
                let (who, reach) = person_lines(p);
                let _ = write!(out, "<p class=who>{}</p>", esc(&who));
                if !reach.is_empty() {
                    let _ = write!(out, "<p class=reach>{}</p>", esc(&reach));
                }
            }
            if o.more > 0 {
                let _ = write!(
                    out,
                    "<p class=muted>{}</p>",
                    esc(&bw.more.replace("{n}", &o.more.to_string()))
                );
            }
            out.push_str("</div>");
        }
    }
    let _ = writeln!(
        out,
        "<footer>{}</footer></body></html>",
        esc(words(b.lang).generated)
    );
    out
}

pub fn pdf(b: &DelegationBook) -> Result<Vec<u8>> {
    let bw = book_words(b.lang);
    let mut p = Pages::new(EN.title, &b.name, bw.title)?;
    for (k, v) in facts(b) {
        p.para(&format!("{k}: {v}"), 10.0, false);
    }
    p.heading(bw.agenda);
    p.para(&bw.times.replace("{zone}", &b.time_zone), 9.0, false);
    if b.agenda.is_empty() {
        p.para(bw.no_meetings, 10.0, false);
    }
    for day in &b.agenda {
        p.keep_together(3, 10.0);
        p.next_line(4.0);
        p.para(&date(&day.date, b.lang), 10.0, true);
        for e in &day.entries {
            let what = entry_line(e, bw);
            // Its time on a line of its own when it ends another day: cut
            // to the column, the day was lost.
            let (label, first) = if e.time.chars().count() > 11 {
                (String::new(), format!("{} · {what}", e.time))
            } else {
                (e.time.clone(), what)
            };
            // A meeting's lines on one page, however many it wraps to.
            let organizations = e.organizations.join(", ");
            let mut lines = p.hanging_lines(&first, 30.0, 9.0);
            if !organizations.is_empty() {
                lines += p.hanging_lines(&organizations, 30.0, 9.0);
            }
            p.keep_together(u8::try_from(lines).unwrap_or(u8::MAX), 9.0);
            p.hanging(&label, &first, 30.0, 9.0);
            if !organizations.is_empty() {
                p.hanging("", &organizations, 30.0, 9.0);
            }
        }
    }
    for (side, orgs) in &b.sides {
        p.heading(&format!("{} ({})", side_title(*side, b.lang), orgs.len()));
        for o in orgs {
            p.keep_together(3, 10.0);
            p.next_line(3.0);
            p.para(&org_line(o), 10.0, true);
            for person in &o.people {
                let (who, reach) = person_lines(person);
                p.keep_together(2, 9.0);
                p.row(&[who], &[0.0], false);
                if !reach.is_empty() {
                    p.row(&[reach], &[6.0], false);
                }
            }
            if o.more > 0 {
                p.para(&bw.more.replace("{n}", &o.more.to_string()), 9.0, false);
            }
        }
    }
    p.next_line(8.0);
    p.para(words(b.lang).generated, 8.0, false);
    p.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kind_of_meeting_is_named_in_every_language() {
        for lang in [Lang::En, Lang::Ru, Lang::Kk] {
            for kind in [
                MeetingKind::Meeting,
                MeetingKind::B2b,
                MeetingKind::SiteVisit,
                MeetingKind::Reception,
                MeetingKind::Call,
            ] {
                assert!(!book_words(lang).kind(kind).is_empty(), "{kind:?}");
            }
        }
    }
}
