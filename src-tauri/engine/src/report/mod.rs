//! The mission outcome report: what the organiser publishes after the trip
//! ("30 companies · 42 meetings · 12 agreements · US $3.0 M") with the
//! numbers behind it: the delegation and host organizations, meetings,
//! contacts, follow-ups, and agreements by stage, sector and delegation
//! company, each in its own currency and converted at its locked rate.
//!
//! Totals are sums of the agreements' `base_amount_minor` (each converted
//! and rounded once, when its rate was locked): integers, so no float ever
//! touches money and the report equals the ledger to the cent. Rendered as
//! JSON (the data itself), Markdown and self-contained HTML ([`render`]) in
//! English, Russian or Kazakh ([`words`]). The delegation book, printed
//! before the trip, is made by the same means ([`book`]).

pub mod book;
mod countries;
pub mod pdf;
pub mod render;
pub mod words;

use std::collections::BTreeMap;

use rusqlite::OptionalExtension;
use serde::Serialize;
use specta::Type;

use crate::error::Result;
use crate::id::Id;
use crate::model::agreement::{self, Stage};
use crate::model::mission;
use crate::store::Db;
pub use words::Lang;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
pub struct OrgLine {
    pub name: String,
    pub sectors: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
pub struct AgreementLine {
    pub title: String,
    /// Our side: the delegation company.
    pub company: Option<String>,
    pub counterpart: Option<String>,
    pub sector: String,
    pub stage: Stage,
    pub amount_minor: i64,
    pub currency: String,
    pub exponent: u32,
    pub rate: String,
    pub rate_date: String,
    pub rate_source: String,
    pub base_amount_minor: i64,
}

/// Agreements grouped by a stage, a sector or a company.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
pub struct Group {
    pub label: String,
    pub count: u32,
    /// In the base currency's minor units.
    pub base_amount_minor: i64,
}

/// The follow-ups due on one day, by status (the workspace's chart).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
pub struct DueDay {
    /// YYYY-MM-DD
    pub due_on: String,
    pub open: u32,
    pub done: u32,
}

/// A rate the agreements were converted at.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
pub struct RateLine {
    pub currency: String,
    pub rate: String,
    pub rate_date: String,
    pub source: String,
    pub agreements: u32,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
pub struct MissionReport {
    pub lang: Lang,
    pub mission_id: Id,
    pub name: String,
    pub organiser: String,
    pub host_country: String,
    pub cities: Vec<String>,
    pub start_date: String,
    pub end_date: String,
    pub base_currency: String,
    pub base_exponent: u32,
    pub delegation: Vec<OrgLine>,
    pub hosts: Vec<OrgLine>,
    /// Partners (an embassy, an agency): their people are among the
    /// contacts made, so they are named too.
    pub partners: Vec<OrgLine>,
    pub meetings_held: u32,
    pub contacts_made: u32,
    pub follow_ups_open: u32,
    pub follow_ups_done: u32,
    /// Follow-ups per due date, in date order (cancelled ones left out).
    pub follow_ups_by_due: Vec<DueDay>,
    pub agreements: Vec<AgreementLine>,
    pub by_stage: Vec<Group>,
    pub by_sector: Vec<Group>,
    pub by_company: Vec<Group>,
    pub rates: Vec<RateLine>,
    /// Agreements not lost, and their total in base minor units.
    pub agreement_count: u32,
    pub total_base_minor: i64,
    pub headline: String,
}

/// What the mission workspace's charts show of the report: its headline
/// and groups, not its lines. The agreement lines alone were 96 KB of the
/// report's 107 KB at 1,000 meetings, sent to the window for nothing.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
pub struct ChartData {
    pub mission_id: Id,
    pub base_currency: String,
    pub base_exponent: u32,
    pub headline: String,
    pub by_stage: Vec<Group>,
    pub by_sector: Vec<Group>,
    pub follow_ups_by_due: Vec<DueDay>,
}

impl From<MissionReport> for ChartData {
    fn from(r: MissionReport) -> Self {
        Self {
            mission_id: r.mission_id,
            base_currency: r.base_currency,
            base_exponent: r.base_exponent,
            headline: r.headline,
            by_stage: r.by_stage,
            by_sector: r.by_sector,
            follow_ups_by_due: r.follow_ups_by_due,
        }
    }
}

impl MissionReport {
    /// An amount in the mission's base currency, in the report's language:
    /// "3,000,000.00 USD".
    pub fn base_money(&self, minor: i64) -> String {
        format!(
            "{} {}",
            words::money(minor, self.base_exponent, self.lang),
            self.base_currency
        )
    }
}

fn follow_ups_by_due(db: &Db<'_>, mission_id: Id) -> Result<Vec<DueDay>> {
    let days = db
        .conn()
        .prepare_cached(
            "SELECT due_on, SUM(status = 'open'), SUM(status = 'done') FROM follow_ups
              WHERE mission_id = ?1 AND deleted_at IS NULL AND status IN ('open', 'done')
              GROUP BY due_on ORDER BY due_on",
        )?
        .query_map([mission_id], |r| {
            Ok(DueDay {
                due_on: r.get(0)?,
                open: r.get(1)?,
                done: r.get(2)?,
            })
        })?
        .collect::<rusqlite::Result<_>>()?;
    Ok(days)
}

fn organizations(db: &Db<'_>, mission_id: Id, side: &str) -> Result<Vec<OrgLine>> {
    let mut stmt = db.conn().prepare_cached(
        "SELECT o.name, (SELECT json_group_array(sector) FROM
                    (SELECT sector FROM organization_sectors s WHERE s.organization_id = o.id ORDER BY sector))
           FROM participations p JOIN organizations o ON o.id = p.organization_id
          WHERE p.mission_id = ?1 AND p.side = ?2 AND o.deleted_at IS NULL
          ORDER BY o.sort_name, o.id",
    )?;
    let rows = stmt
        .query_map(rusqlite::params![mission_id, side], |r| {
            Ok(OrgLine {
                name: r.get(0)?,
                sectors: crate::model::json_col(r, 1)?,
            })
        })?
        .collect::<rusqlite::Result<_>>()?;
    Ok(rows)
}

/// An organization's name; none for one in the trash, which the report
/// leaves out as the delegation list does.
fn org_name(db: &Db<'_>, id: Option<Id>) -> Result<Option<String>> {
    let Some(id) = id else { return Ok(None) };
    Ok(db
        .conn()
        .prepare_cached("SELECT name FROM organizations WHERE id = ?1 AND deleted_at IS NULL")?
        .query_row([id], |r| r.get(0))
        .optional()?)
}

/// Adds an agreement to a group by label, keeping first-seen order (and
/// the first-seen spelling). With `any_case`, labels match regardless of
/// case: agreements' sectors are typed freely, and "Logistics" and
/// "logistics" were two rows (companies are records: told apart as named).
fn add(groups: &mut Vec<Group>, label: &str, base: i64, any_case: bool) {
    let key = any_case.then(|| label.to_lowercase());
    let same = |g: &Group| match &key {
        Some(key) => g.label.to_lowercase() == *key,
        None => g.label == label,
    };
    match groups.iter_mut().find(|g| same(g)) {
        Some(g) => {
            g.count += 1;
            g.base_amount_minor += base;
        }
        None => groups.push(Group {
            label: label.to_owned(),
            count: 1,
            base_amount_minor: base,
        }),
    }
}

/// Builds the report of a mission. `now` decides which meetings were held.
pub fn build(db: &Db<'_>, mission_id: Id, lang: Lang, now: &str) -> Result<MissionReport> {
    let w = words::words(lang);
    let m = mission::get(db, mission_id)?;
    // Overdue as of the mission's date, as captures and rates are dated.
    let today = m.date_at(now)?.to_string();
    let stats = mission::stats(db, mission_id, now, &today)?;
    let follow_ups_done: u32 = db.conn().query_row(
        "SELECT COUNT(*) FROM follow_ups WHERE mission_id = ?1 AND status = 'done' AND deleted_at IS NULL",
        [mission_id],
        |r| r.get(0),
    )?;
    let list = agreement::list(db, Some(mission_id))?;
    let mut agreements = Vec::new();
    let (mut by_stage, mut by_sector, mut by_company) = (Vec::new(), Vec::new(), Vec::new());
    let mut rates: BTreeMap<(String, String, String, String), u32> = BTreeMap::new();
    let (mut count, mut total) = (0u32, 0i64);
    for a in &list.agreements {
        let company = org_name(db, a.our_organization_id)?;
        let line = AgreementLine {
            title: a.title.clone(),
            company: company.clone(),
            counterpart: org_name(db, a.counterpart_organization_id)?,
            sector: a.sector.clone(),
            stage: a.stage,
            amount_minor: a.amount_minor,
            currency: a.currency.clone(),
            exponent: a.exponent,
            rate: a.rate.clone(),
            rate_date: a.rate_date.to_string(),
            rate_source: a.rate_source.clone(),
            base_amount_minor: a.base_amount_minor,
        };
        // An agreement in the base currency was converted at nothing: no
        // "USD → USD 1" line.
        if a.currency != m.base_currency {
            *rates
                .entry((
                    a.currency.clone(),
                    a.rate.clone(),
                    line.rate_date.clone(),
                    a.rate_source.clone(),
                ))
                .or_default() += 1;
        }
        if a.stage != Stage::Lost {
            count += 1;
            total += a.base_amount_minor;
            let sector = if a.sector.is_empty() {
                w.no_sector
            } else {
                &a.sector
            };
            add(&mut by_sector, sector, a.base_amount_minor, true);
            add(
                &mut by_company,
                company.as_deref().unwrap_or(w.no_company),
                a.base_amount_minor,
                false,
            );
        }
        agreements.push(line);
    }
    // Every stage in ladder order, also those with nothing in them.
    for stage in Stage::ALL {
        let (n, sum) = agreements
            .iter()
            .filter(|a| a.stage == *stage)
            .fold((0, 0), |(n, s), a| (n + 1, s + a.base_amount_minor));
        by_stage.push(Group {
            label: w.stage(*stage).to_owned(),
            count: n,
            base_amount_minor: sum,
        });
    }
    let by_total = |g: &Group| std::cmp::Reverse(g.base_amount_minor);
    by_sector.sort_by_key(by_total);
    by_company.sort_by_key(by_total);
    let base_exponent = crate::money::exponent(&m.base_currency);
    let delegation = organizations(db, mission_id, "delegation")?;
    let counted = |n: u32, which: usize| match w.counted {
        Some(nouns) => {
            let (one, more) = nouns[which];
            format!("{n} {}", if n == 1 { one } else { more })
        }
        None => n.to_string(),
    };
    let headline = w
        .headline
        .replace("{companies}", &counted(stats.companies, 0))
        .replace("{meetings}", &counted(stats.meetings_held, 1))
        .replace("{agreements}", &counted(count, 2))
        .replace(
            "{total}",
            &words::compact(total, base_exponent, &m.base_currency, lang),
        );
    Ok(MissionReport {
        lang,
        mission_id,
        name: m.name,
        organiser: m.organiser,
        host_country: m.host_country,
        cities: m.cities,
        start_date: m.start_date.to_string(),
        end_date: m.end_date.to_string(),
        base_currency: m.base_currency,
        base_exponent,
        delegation,
        hosts: organizations(db, mission_id, "host")?,
        partners: organizations(db, mission_id, "partner")?,
        meetings_held: stats.meetings_held,
        contacts_made: stats.contacts_met,
        follow_ups_open: stats.follow_ups_open,
        follow_ups_done,
        follow_ups_by_due: follow_ups_by_due(db, mission_id)?,
        agreements,
        by_stage,
        by_sector,
        by_company,
        rates: rates
            .into_iter()
            .map(
                |((currency, rate, rate_date, source), agreements)| RateLine {
                    currency,
                    rate,
                    rate_date,
                    source,
                    agreements,
                },
            )
            .collect(),
        agreement_count: count,
        total_base_minor: total,
        headline,
    })
}
