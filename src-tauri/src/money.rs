//! The money commands: the exchange rates the user keeps, and an amount
//! converted as an agreement would store it (shown beside the rate as it
//! is typed).

use mission_crm_engine::model::agreement::{self, Conversion};
use mission_crm_engine::model::rate::{self, ExchangeRate, RateInput};
use mission_crm_engine::{Id, Source};
use tauri::State;

use crate::commands::{blocking, CmdResult};
use crate::state::AppState;

/// The exchange rates the user keeps, into `base_currency` (all when null).
#[tauri::command]
#[specta::specta]
pub async fn list_rates(
    state: State<'_, AppState>,
    base_currency: Option<String>,
) -> CmdResult<Vec<ExchangeRate>> {
    blocking(&state, move |s| {
        s.read(|db| rate::list(db, base_currency.as_deref()))
    })
    .await
}

#[tauri::command]
#[specta::specta]
pub async fn add_rate(state: State<'_, AppState>, input: RateInput) -> CmdResult<ExchangeRate> {
    blocking(&state, move |s| {
        s.write(Source::App, |tx| rate::add(tx, &input))
    })
    .await
}

#[tauri::command]
#[specta::specta]
pub async fn delete_rate(state: State<'_, AppState>, id: Id) -> CmdResult<()> {
    blocking(&state, move |s| {
        s.write(Source::App, |tx| rate::delete(tx, id))
    })
    .await
}

/// `amount` of `currency` at `rate` in `base_currency`, by the rules and
/// errors of saving an agreement; nothing is read or written.
#[tauri::command]
#[specta::specta]
pub async fn convert_amount(
    amount: String,
    currency: String,
    rate: Option<String>,
    base_currency: String,
) -> CmdResult<Conversion> {
    Ok(agreement::convert(
        &amount,
        &currency,
        rate.as_deref(),
        &base_currency,
    )?)
}
