//! Agreements, the outcome ledger: what was agreed with whom, at which stage,
//! for how much. Each amount keeps its own currency and a locked exchange
//! rate (with its date and source) into the mission's base currency; the
//! converted amount is computed once, exactly, when the rate is locked, and
//! totals only ever add converted amounts of one base currency.

use chrono::NaiveDate;
use rusqlite::{params, OptionalExtension, Row};
use serde::{Deserialize, Serialize};
use specta::Type;

use super::{ensure_exists, found, inserted, mission, text_enum, updated};
use crate::error::{Error, ErrorCode, Result};
use crate::id::Id;
use crate::money::{exponent, parse_amount, Rate};
use crate::store::{Db, Entity, Tx};
use crate::time::parse_date;
use crate::validate;

text_enum! {
    /// The ladder an agreement climbs, or `lost`.
    pub enum Stage {
        Interest => "interest",
        Memorandum => "memorandum",
        PreliminaryContract => "preliminary_contract",
        SignedContract => "signed_contract",
        Delivered => "delivered",
        Lost => "lost",
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Type)]
pub struct Agreement {
    pub id: Id,
    pub mission_id: Id,
    pub title: String,
    /// The delegation company on our side.
    pub our_organization_id: Option<Id>,
    pub counterpart_organization_id: Option<Id>,
    pub meeting_id: Option<Id>,
    pub sector: String,
    pub stage: Stage,
    /// Integer minor units of `currency` (cents, tiyn...).
    pub amount_minor: i64,
    pub currency: String,
    /// Minor-unit digits of `currency` (ISO 4217), for display.
    pub exponent: u32,
    /// Units of `base_currency` per unit of `currency`, exact decimal text.
    pub rate: String,
    pub rate_date: NaiveDate,
    pub rate_source: String,
    pub base_currency: String,
    /// `amount_minor` converted at `rate`, in minor units of `base_currency`.
    pub base_amount_minor: i64,
    pub base_exponent: u32,
    pub notes: String,
    pub created_at: String,
    pub updated_at: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, Type)]
pub struct AgreementInput {
    pub mission_id: Id,
    pub title: String,
    pub our_organization_id: Option<Id>,
    pub counterpart_organization_id: Option<Id>,
    pub meeting_id: Option<Id>,
    pub sector: String,
    pub stage: Stage,
    /// In major units as typed: "1 250 000.50".
    pub amount: String,
    pub currency: String,
    /// Required unless `currency` is the mission's base currency (rate 1).
    pub rate: Option<String>,
    /// YYYY-MM-DD; defaults to the day the rate is locked.
    pub rate_date: Option<String>,
    pub rate_source: String,
    pub notes: String,
}

/// The sum of converted amounts in one base currency.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
pub struct Total {
    pub base_currency: String,
    pub base_amount_minor: i64,
    pub base_exponent: u32,
    pub count: u32,
}

/// The converted total of one stage in one base currency.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
pub struct StageTotal {
    pub stage: Stage,
    pub base_currency: String,
    pub base_amount_minor: i64,
    pub base_exponent: u32,
    pub count: u32,
}

#[derive(Debug, Clone, Serialize, Type)]
pub struct AgreementList {
    pub agreements: Vec<Agreement>,
    /// One entry per base currency (missions may differ), never mixed.
    pub totals: Vec<Total>,
    /// Per stage and base currency, in ladder order.
    pub by_stage: Vec<StageTotal>,
}

const SELECT: &str = "SELECT id, mission_id, title, our_organization_id,
    counterpart_organization_id, meeting_id, sector, stage, amount_minor, currency, rate,
    rate_date, rate_source, base_currency, base_amount_minor, notes, created_at, updated_at
    FROM agreements";

fn from_row(r: &Row<'_>) -> rusqlite::Result<Agreement> {
    Ok(Agreement {
        id: r.get(0)?,
        mission_id: r.get(1)?,
        title: r.get(2)?,
        our_organization_id: r.get(3)?,
        counterpart_organization_id: r.get(4)?,
        meeting_id: r.get(5)?,
        sector: r.get(6)?,
        stage: r.get(7)?,
        amount_minor: r.get(8)?,
        exponent: exponent(&r.get::<_, String>(9)?),
        currency: r.get(9)?,
        rate: r.get(10)?,
        rate_date: r.get(11)?,
        rate_source: r.get(12)?,
        base_currency: r.get(13)?,
        base_exponent: exponent(&r.get::<_, String>(13)?),
        base_amount_minor: r.get(14)?,
        notes: r.get(15)?,
        created_at: r.get(16)?,
        updated_at: r.get(17)?,
    })
}

pub fn get(db: &Db<'_>, id: Id) -> Result<Agreement> {
    let sql = format!("{SELECT} WHERE id = ?1 AND deleted_at IS NULL");
    let row = db
        .conn()
        .prepare_cached(&sql)?
        .query_row([id], from_row)
        .optional()?;
    found(row, "agreement", id)
}

/// The converted totals per base currency, of one mission or of all. Lost
/// agreements are left out, as the report leaves them out: a lost deal is
/// no outcome, and the workspace showed $4 M above a report headline of
/// $3 M. Their own sum is the lost stage's (`AgreementList::by_stage`).
pub fn totals(db: &Db<'_>, mission_id: Option<Id>) -> Result<Vec<Total>> {
    // Two statements, not `(?1 IS NULL OR mission_id = ?1)`, which keeps
    // SQLite from the mission's index (agreements_by_mission).
    let (sql, params): (&str, &[&dyn rusqlite::ToSql]) = match &mission_id {
        Some(id) => (
            "SELECT base_currency, SUM(base_amount_minor), COUNT(*) FROM agreements
              WHERE deleted_at IS NULL AND mission_id = ?1 AND stage <> 'lost'
                AND NOT EXISTS (SELECT 1 FROM missions m
                                 WHERE m.id = agreements.mission_id AND m.deleted_at IS NOT NULL)
              GROUP BY base_currency ORDER BY base_currency",
            &[id],
        ),
        None => (
            "SELECT base_currency, SUM(base_amount_minor), COUNT(*) FROM agreements
              WHERE deleted_at IS NULL AND stage <> 'lost'
                AND NOT EXISTS (SELECT 1 FROM missions m
                                 WHERE m.id = agreements.mission_id AND m.deleted_at IS NOT NULL)
              GROUP BY base_currency ORDER BY base_currency",
            &[],
        ),
    };
    let totals = db
        .conn()
        .prepare_cached(sql)?
        .query_map(params, |r| {
            Ok(Total {
                base_currency: r.get(0)?,
                base_exponent: exponent(&r.get::<_, String>(0)?),
                base_amount_minor: r.get(1)?,
                count: r.get(2)?,
            })
        })?
        .collect::<rusqlite::Result<_>>()?;
    Ok(totals)
}

/// The ledger of one mission (or of all), with totals per base currency.
/// A mission in the trash takes its agreements out of it, as out of every
/// list: with none current, the ledger of all listed and totalled them.
pub fn list(db: &Db<'_>, mission_id: Option<Id>) -> Result<AgreementList> {
    let sql = format!(
        "{SELECT} WHERE deleted_at IS NULL AND (?1 IS NULL OR mission_id = ?1)
           AND NOT EXISTS (SELECT 1 FROM missions m
                            WHERE m.id = agreements.mission_id AND m.deleted_at IS NOT NULL)
         ORDER BY created_at, id"
    );
    let agreements = db
        .conn()
        .prepare_cached(&sql)?
        .query_map([mission_id], from_row)?
        .collect::<rusqlite::Result<_>>()?;
    let totals = totals(db, mission_id)?;
    let mut by_stage: Vec<StageTotal> = db
        .conn()
        .prepare_cached(
            "SELECT stage, base_currency, SUM(base_amount_minor), COUNT(*) FROM agreements
              WHERE deleted_at IS NULL AND (?1 IS NULL OR mission_id = ?1)
                AND NOT EXISTS (SELECT 1 FROM missions m
                                 WHERE m.id = agreements.mission_id AND m.deleted_at IS NOT NULL)
              GROUP BY stage, base_currency",
        )?
        .query_map([mission_id], |r| {
            Ok(StageTotal {
                stage: r.get(0)?,
                base_currency: r.get(1)?,
                base_exponent: exponent(&r.get::<_, String>(1)?),
                base_amount_minor: r.get(2)?,
                count: r.get(3)?,
            })
        })?
        .collect::<rusqlite::Result<_>>()?;
    by_stage.sort_by_key(|t| {
        (
            Stage::ALL.iter().position(|s| *s == t.stage),
            t.base_currency.clone(),
        )
    });
    Ok(AgreementList {
        agreements,
        totals,
        by_stage,
    })
}

/// Moves an agreement along the ladder (or to `lost`). The amount and its
/// locked rate do not change.
pub fn set_stage(tx: &mut Tx<'_>, id: Id, stage: Stage) -> Result<Agreement> {
    let before = get(&tx.db(), id)?;
    tx.conn()
        .prepare_cached("UPDATE agreements SET stage = ?2, updated_at = ?3 WHERE id = ?1")?
        .execute(params![id, stage, tx.now()])?;
    let after = get(&tx.db(), id)?;
    updated(tx, Entity::Agreement, id, &before, after)
}

pub fn create(tx: &mut Tx<'_>, input: &AgreementInput) -> Result<Agreement> {
    let id = Id::new();
    let agreement = save(tx, id, input, &[])?;
    inserted(tx, Entity::Agreement, id, agreement)
}

/// Corrects an agreement: its title, parties, stage, amount, currency and
/// rate, as [`create`] checks them. The converted amount is computed again
/// from the amount and the rate given; a typo or an inverted rate
/// (476 for 0.0021) no longer stays in the totals for good.
pub fn update(tx: &mut Tx<'_>, id: Id, input: &AgreementInput) -> Result<Agreement> {
    let before = get(&tx.db(), id)?;
    // Its links as they are may stay, also to a record now in the trash
    // (which the agreement's page shows without a name).
    let linked: Vec<Id> = [
        before.our_organization_id,
        before.counterpart_organization_id,
        before.meeting_id,
    ]
    .into_iter()
    .flatten()
    .collect();
    let after = save(tx, id, input, &linked)?;
    updated(tx, Entity::Agreement, id, &before, after)
}

/// Validates and writes the agreement (`created_at` kept on update), and
/// reads it back. Links to `linked` are kept without asking whether their
/// records are live.
fn save(tx: &mut Tx<'_>, id: Id, input: &AgreementInput, linked: &[Id]) -> Result<Agreement> {
    let mission = mission::get(&tx.db(), input.mission_id)?;
    let title = validate::required("title", &input.title)?;
    let c = converted(
        &input.amount,
        &input.currency,
        input.rate.as_deref(),
        &mission.base_currency,
    )?;
    let rate_date = match input.rate_date.as_deref().map(str::trim) {
        Some(d) if !d.is_empty() => parse_date("rate_date", d)?,
        _ => mission.today(tx)?,
    };
    let db = tx.db();
    for (id, table, entity) in [
        (input.our_organization_id, "organizations", "organization"),
        (
            input.counterpart_organization_id,
            "organizations",
            "organization",
        ),
        (input.meeting_id, "meetings", "meeting"),
    ] {
        if let Some(id) = id.filter(|id| !linked.contains(id)) {
            ensure_exists(&db, table, entity, id)?;
        }
    }
    tx.conn()
        .prepare_cached(
            "INSERT INTO agreements (id, mission_id, title, our_organization_id,
                counterpart_organization_id, meeting_id, sector, stage, amount_minor, currency,
                rate, rate_date, rate_source, base_currency, base_amount_minor, notes,
                created_at, updated_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?17)
             ON CONFLICT (id) DO UPDATE SET mission_id = excluded.mission_id,
                title = excluded.title, our_organization_id = excluded.our_organization_id,
                counterpart_organization_id = excluded.counterpart_organization_id,
                meeting_id = excluded.meeting_id, sector = excluded.sector,
                stage = excluded.stage, amount_minor = excluded.amount_minor,
                currency = excluded.currency, rate = excluded.rate,
                rate_date = excluded.rate_date, rate_source = excluded.rate_source,
                base_currency = excluded.base_currency,
                base_amount_minor = excluded.base_amount_minor, notes = excluded.notes,
                updated_at = excluded.updated_at",
        )?
        .execute(params![
            id,
            input.mission_id,
            title,
            input.our_organization_id,
            input.counterpart_organization_id,
            input.meeting_id,
            input.sector.trim(),
            input.stage,
            c.amount_minor,
            c.currency,
            c.rate.to_string(),
            rate_date,
            input.rate_source.trim(),
            c.base,
            c.base_amount_minor,
            input.notes.trim(),
            tx.now()
        ])?;
    get(&tx.db(), id)
}

/// An amount as an agreement would hold it in a base currency: what the
/// form shows beside the rate before it is saved, so a rate typed the
/// wrong way round (470 for 0.0021) is seen as the 70 billion it makes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Type)]
pub struct Conversion {
    pub base_amount_minor: i64,
    pub base_exponent: u32,
}

/// Converts `amount` of `currency` at `rate` into `base_currency` by the
/// rules (and with the errors) of saving an agreement.
pub fn convert(
    amount: &str,
    currency: &str,
    rate: Option<&str>,
    base_currency: &str,
) -> Result<Conversion> {
    let c = converted(amount, currency, rate, base_currency)?;
    Ok(Conversion {
        base_amount_minor: c.base_amount_minor,
        base_exponent: c.base_exponent,
    })
}

/// An agreement's amount, currency and rate, checked, and the amount
/// converted.
struct Converted {
    currency: String,
    amount_minor: i64,
    rate: Rate,
    base: String,
    base_exponent: u32,
    base_amount_minor: i64,
}

fn converted(
    amount: &str,
    currency: &str,
    rate: Option<&str>,
    base_currency: &str,
) -> Result<Converted> {
    let (currency, exp) = validate::currency("currency", currency)?;
    let (base, base_exp) = validate::currency("base_currency", base_currency)?;
    let amount_minor = parse_amount("amount", amount, exp)?;
    let rate = match rate.map(str::trim).filter(|r| !r.is_empty()) {
        Some(text) => Rate::parse("rate", text)?,
        None if currency == base => Rate::ONE,
        None => {
            return Err(Error::invalid(
                ErrorCode::RateRequired,
                "rate",
                format!("an exchange rate from {currency} to {base} is required"),
            ))
        }
    };
    if currency == base && rate != Rate::ONE {
        return Err(Error::invalid(
            ErrorCode::BaseRateIsOne,
            "rate",
            format!("{currency} is the base currency: its rate is 1"),
        ));
    }
    let base_amount_minor = rate.convert(amount_minor, exp, base_exp).ok_or_else(|| {
        Error::invalid(
            ErrorCode::InvalidAmount,
            "amount",
            "the converted amount is too large",
        )
    })?;
    Ok(Converted {
        currency,
        amount_minor,
        rate,
        base,
        base_exponent: base_exp,
        base_amount_minor,
    })
}
