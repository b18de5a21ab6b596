//! Exchange rates the user keeps (from the central bank's site, a bank's
//! board, the contract itself), to pick from when an agreement's rate is
//! locked. An agreement copies the rate, its date and its source: editing or
//! deleting a kept rate later never changes an agreement's converted amount.

use chrono::NaiveDate;
use rusqlite::{params, OptionalExtension, Row};
use serde::{Deserialize, Serialize};
use specta::Type;

use super::inserted;
use crate::error::{Error, ErrorCode, Result};
use crate::id::Id;
use crate::money::Rate;
use crate::store::{ChangeOp, Db, Entity, Tx};
use crate::time::parse_date;
use crate::validate;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Type)]
pub struct ExchangeRate {
    pub id: Id,
    pub currency: String,
    pub base_currency: String,
    /// Units of `base_currency` per unit of `currency`, exact decimal text.
    pub rate: String,
    pub rate_date: NaiveDate,
    pub source: String,
    pub created_at: String,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, Type)]
pub struct RateInput {
    pub currency: String,
    pub base_currency: String,
    pub rate: String,
    /// YYYY-MM-DD
    pub rate_date: String,
    pub source: String,
}

const SELECT: &str =
    "SELECT id, currency, base_currency, rate, rate_date, source, created_at FROM exchange_rates";

fn from_row(r: &Row<'_>) -> rusqlite::Result<ExchangeRate> {
    Ok(ExchangeRate {
        id: r.get(0)?,
        currency: r.get(1)?,
        base_currency: r.get(2)?,
        rate: r.get(3)?,
        rate_date: r.get(4)?,
        source: r.get(5)?,
        created_at: r.get(6)?,
    })
}

pub(crate) fn find(db: &Db<'_>, id: Id) -> Result<Option<ExchangeRate>> {
    Ok(db
        .conn()
        .prepare_cached(&format!("{SELECT} WHERE id = ?1"))?
        .query_row([id], from_row)
        .optional()?)
}

/// Kept rates into `base_currency` (all when `None`), by currency, newest
/// first: the first of a currency is the one to suggest.
pub fn list(db: &Db<'_>, base_currency: Option<&str>) -> Result<Vec<ExchangeRate>> {
    let base = base_currency.map(|b| b.trim().to_uppercase());
    Ok(db
        .conn()
        .prepare_cached(&format!(
            "{SELECT} WHERE (?1 IS NULL OR base_currency = ?1)
              ORDER BY base_currency, currency, rate_date DESC, source"
        ))?
        .query_map([base], from_row)?
        .collect::<rusqlite::Result<_>>()?)
}

pub fn add(tx: &mut Tx<'_>, input: &RateInput) -> Result<ExchangeRate> {
    let (currency, _) = validate::currency("currency", &input.currency)?;
    let (base, _) = validate::currency("base_currency", &input.base_currency)?;
    if currency == base {
        return Err(Error::invalid(
            ErrorCode::BaseRateIsOne,
            "currency",
            format!("{currency} into {base} is always 1; no rate to keep"),
        ));
    }
    let rate = Rate::parse("rate", &input.rate)?;
    let rate_date = parse_date("rate_date", &input.rate_date)?;
    let source = input.source.trim();
    let exists = tx
        .conn()
        .prepare_cached(
            "SELECT 1 FROM exchange_rates
              WHERE currency = ?1 AND base_currency = ?2 AND rate_date = ?3 AND source = ?4",
        )?
        .query_row(params![currency, base, rate_date, source], |_| Ok(()))
        .optional()?
        .is_some();
    if exists {
        return Err(Error::invalid(
            ErrorCode::Conflict,
            "rate_date",
            format!(
                "a {currency} → {base} rate for {rate_date} from {} is already kept; delete it first to replace it",
                if source.is_empty() { "no source" } else { source }
            ),
        ));
    }
    let id = Id::new();
    tx.conn()
        .prepare_cached(
            "INSERT INTO exchange_rates (id, currency, base_currency, rate, rate_date, source, created_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        )?
        .execute(params![id, currency, base, rate.to_string(), rate_date, source, tx.now()])?;
    let kept = find(&tx.db(), id)?.ok_or_else(|| Error::not_found("exchange rate", id))?;
    inserted(tx, Entity::ExchangeRate, id, kept)
}

/// Removes a kept rate for good (agreements keep their own copy); Ctrl+Z
/// brings it back.
pub fn delete(tx: &mut Tx<'_>, id: Id) -> Result<()> {
    let kept = find(&tx.db(), id)?.ok_or_else(|| Error::not_found("exchange rate", id))?;
    tx.conn()
        .prepare_cached("DELETE FROM exchange_rates WHERE id = ?1")?
        .execute([id])?;
    tx.record(
        Entity::ExchangeRate,
        id,
        ChangeOp::Delete,
        Some(&kept),
        None::<&()>,
    )
}
