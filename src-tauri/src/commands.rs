//! The IPC commands: one per use case, each a thin binding of an engine
//! function. All logic lives in the engine; this module only moves the call
//! off the main thread and the error into its `{code, message}` shape.

use mission_crm_engine::capture::{self, CaptureInput, CaptureResult};
use mission_crm_engine::duplicates::{self, DuplicateList, MergeInput};
use mission_crm_engine::history::{self, HistoryEntry};
use mission_crm_engine::model::agreement::{self, Agreement, AgreementInput, AgreementList, Stage};
use mission_crm_engine::model::contact::{self, Contact, ContactFilter, ContactInput, ContactRow};
use mission_crm_engine::model::follow_up::{
    self, FollowUp, FollowUpFilter, FollowUpLine, FollowUpStatus,
};
use mission_crm_engine::model::meeting::{self, AgendaEntry, Meeting, MeetingInput};
use mission_crm_engine::model::mission::{self, Mission, MissionInput, MissionStats};
use mission_crm_engine::model::note::{self, Note};
use mission_crm_engine::model::organization::{
    self, Organization, OrganizationFilter, OrganizationInput, OrganizationRow, ParticipationInput,
};
use mission_crm_engine::model::{self, unchanged_since, Page};
use mission_crm_engine::report::Lang;
use mission_crm_engine::search::{self, SearchHit, SearchQuery};
use mission_crm_engine::trash::{self, TrashFilter, TrashItem};
use mission_crm_engine::undo::{self, UndoOutcome};
use mission_crm_engine::{demo, paths, Entity, ErrorBody, Id, Source, Store};
use serde::Serialize;
use specta::Type;
use tauri::State;

use crate::state::AppState;

pub(crate) type CmdResult<T> = Result<T, ErrorBody>;

/// Runs engine work on the blocking pool: SQLite calls block, and the main
/// thread must stay free to paint.
pub(crate) async fn blocking<T: Send + 'static>(
    state: &AppState,
    f: impl FnOnce(&Store) -> mission_crm_engine::Result<T> + Send + 'static,
) -> CmdResult<T> {
    let _running = state.activity.begin();
    let store = state.store_ready().await?;
    tauri::async_runtime::spawn_blocking(move || f(&store).map_err(ErrorBody::from))
        .await
        .map_err(|e| ErrorBody::internal(format!("the operation stopped unexpectedly: {e}")))?
}

#[derive(Debug, Clone, Serialize, Type)]
pub struct AppInfo {
    pub version: String,
    pub db_path: String,
    pub data_dir: Option<String>,
    /// No mission yet: the UI offers the demo.
    pub empty: bool,
    /// Why the database could not be opened, if it could not.
    pub open_error: Option<ErrorBody>,
    /// The database is being upgraded for this version (once, after an
    /// update; up to a minute with a million contacts). Commands answer
    /// when it is done.
    pub upgrading: bool,
}

#[tauri::command]
#[specta::specta]
pub async fn app_info(state: State<'_, AppState>) -> CmdResult<AppInfo> {
    // Once an upgrade under way has finished: its outcome is what to show.
    let empty = match state.store_ready().await {
        Ok(_) => blocking(&state, |s| s.read(mission::none_exist)).await?,
        Err(_) => false,
    };
    Ok(app_info_with(&state, empty))
}

pub(crate) fn app_info_with(state: &AppState, empty: bool) -> AppInfo {
    AppInfo {
        version: env!("CARGO_PKG_VERSION").to_owned(),
        db_path: state.db_path.display().to_string(),
        data_dir: paths::data_dir().map(|d| d.display().to_string()),
        empty,
        open_error: state.open_error(),
        upgrading: state.upgrading(),
    }
}

/// What the window shows first, given to the page before its scripts run
/// (see `start_script` in lib.rs): the answers of `app_info` and
/// `list_missions` at start.
#[derive(Debug, Clone, Serialize, Type)]
pub struct StartSnapshot {
    pub info: AppInfo,
    /// None when the database could not be read (`info.open_error` says why).
    pub missions: Option<Vec<Mission>>,
}

/// Reads the snapshot on the calling thread: two small reads, before the
/// window exists.
pub(crate) fn start_snapshot(state: &AppState) -> StartSnapshot {
    let missions = state.store().ok().and_then(|s| s.read(mission::list).ok());
    let empty = missions.as_ref().is_some_and(|m| m.is_empty());
    StartSnapshot {
        info: app_info_with(state, empty),
        missions,
    }
}

/// Loads the demo into an empty database; `null` if a mission already exists.
#[tauri::command]
#[specta::specta]
pub async fn load_demo(state: State<'_, AppState>) -> CmdResult<Option<Id>> {
    blocking(&state, |s| s.write(Source::Demo, demo::load_if_empty)).await
}

#[tauri::command]
#[specta::specta]
pub async fn list_missions(state: State<'_, AppState>) -> CmdResult<Vec<Mission>> {
    blocking(&state, |s| s.read(mission::list)).await
}

#[tauri::command]
#[specta::specta]
pub async fn get_mission(state: State<'_, AppState>, id: Id) -> CmdResult<Mission> {
    blocking(&state, move |s| s.read(|db| mission::get(db, id))).await
}

#[tauri::command]
#[specta::specta]
pub async fn create_mission(state: State<'_, AppState>, input: MissionInput) -> CmdResult<Mission> {
    blocking(&state, move |s| {
        s.write(Source::App, |tx| mission::create(tx, &input))
    })
    .await
}

/// `loaded_at`: the record's `updated_at` as the form loaded it; a record
/// written since is not saved over (`changed_since_loaded`).
#[tauri::command]
#[specta::specta]
pub async fn update_mission(
    state: State<'_, AppState>,
    id: Id,
    input: MissionInput,
    loaded_at: String,
) -> CmdResult<Mission> {
    blocking(&state, move |s| {
        s.write(Source::App, |tx| {
            unchanged_since(&tx.db(), Entity::Mission, id, &loaded_at)?;
            mission::update(tx, id, &input)
        })
    })
    .await
}

#[tauri::command]
#[specta::specta]
pub async fn list_organizations(
    state: State<'_, AppState>,
    filter: OrganizationFilter,
) -> CmdResult<Page<OrganizationRow>> {
    blocking(&state, move |s| {
        s.read(|db| organization::list(db, &filter))
    })
    .await
}

#[tauri::command]
#[specta::specta]
pub async fn get_organization(state: State<'_, AppState>, id: Id) -> CmdResult<Organization> {
    blocking(&state, move |s| s.read(|db| organization::get(db, id))).await
}

/// Creates an organization and, when given, puts it on a side of a mission,
/// in one transaction.
#[tauri::command]
#[specta::specta]
pub async fn create_organization(
    state: State<'_, AppState>,
    input: OrganizationInput,
    participation: Option<ParticipationInput>,
) -> CmdResult<Organization> {
    blocking(&state, move |s| {
        s.write(Source::App, |tx| {
            let org = organization::create(tx, &input)?;
            match participation {
                Some(p) => {
                    organization::set_participation(tx, p.mission_id, org.id, p.side)?;
                    organization::get(&tx.db(), org.id)
                }
                None => Ok(org),
            }
        })
    })
    .await
}

/// `loaded_at`: the record's `updated_at` as the form loaded it; a record
/// written since is not saved over (`changed_since_loaded`).
#[tauri::command]
#[specta::specta]
pub async fn update_organization(
    state: State<'_, AppState>,
    id: Id,
    input: OrganizationInput,
    loaded_at: String,
) -> CmdResult<Organization> {
    blocking(&state, move |s| {
        s.write(Source::App, |tx| {
            unchanged_since(&tx.db(), Entity::Organization, id, &loaded_at)?;
            organization::update(tx, id, &input)
        })
    })
    .await
}

#[tauri::command]
#[specta::specta]
pub async fn list_contacts(
    state: State<'_, AppState>,
    filter: ContactFilter,
) -> CmdResult<Page<ContactRow>> {
    blocking(&state, move |s| s.read(|db| contact::list(db, &filter))).await
}

#[tauri::command]
#[specta::specta]
pub async fn get_contact(state: State<'_, AppState>, id: Id) -> CmdResult<Contact> {
    blocking(&state, move |s| s.read(|db| contact::get(db, id))).await
}

#[tauri::command]
#[specta::specta]
pub async fn create_contact(state: State<'_, AppState>, input: ContactInput) -> CmdResult<Contact> {
    blocking(&state, move |s| {
        s.write(Source::App, |tx| contact::create(tx, &input))
    })
    .await
}

/// `loaded_at`: the record's `updated_at` as the form loaded it; a record
/// written since is not saved over (`changed_since_loaded`).
#[tauri::command]
#[specta::specta]
pub async fn update_contact(
    state: State<'_, AppState>,
    id: Id,
    input: ContactInput,
    loaded_at: String,
) -> CmdResult<Contact> {
    blocking(&state, move |s| {
        s.write(Source::App, |tx| {
            unchanged_since(&tx.db(), Entity::Contact, id, &loaded_at)?;
            contact::update(tx, id, &input)
        })
    })
    .await
}

/// The agenda's lines (also the capture dialog's meetings); a meeting's
/// attendees and notes come with `get_meeting`.
#[tauri::command]
#[specta::specta]
pub async fn list_agenda(
    state: State<'_, AppState>,
    mission_id: Id,
) -> CmdResult<Vec<AgendaEntry>> {
    blocking(&state, move |s| {
        s.read(|db| meeting::agenda(db, mission_id))
    })
    .await
}

/// The Follow-ups screen's lines.
#[tauri::command]
#[specta::specta]
pub async fn list_follow_ups(
    state: State<'_, AppState>,
    filter: FollowUpFilter,
) -> CmdResult<Vec<FollowUpLine>> {
    blocking(&state, move |s| s.read(|db| follow_up::lines(db, &filter))).await
}

#[tauri::command]
#[specta::specta]
pub async fn list_agreements(
    state: State<'_, AppState>,
    mission_id: Option<Id>,
) -> CmdResult<AgreementList> {
    blocking(&state, move |s| {
        s.read(|db| agreement::list(db, mission_id))
    })
    .await
}

#[tauri::command]
#[specta::specta]
pub async fn create_agreement(
    state: State<'_, AppState>,
    input: AgreementInput,
) -> CmdResult<Agreement> {
    blocking(&state, move |s| {
        s.write(Source::App, |tx| agreement::create(tx, &input))
    })
    .await
}

/// `loaded_at`: the record's `updated_at` as the form loaded it; a record
/// written since is not saved over (`changed_since_loaded`).
#[tauri::command]
#[specta::specta]
pub async fn update_agreement(
    state: State<'_, AppState>,
    id: Id,
    input: AgreementInput,
    loaded_at: String,
) -> CmdResult<Agreement> {
    blocking(&state, move |s| {
        s.write(Source::App, |tx| {
            unchanged_since(&tx.db(), Entity::Agreement, id, &loaded_at)?;
            agreement::update(tx, id, &input)
        })
    })
    .await
}

#[tauri::command]
#[specta::specta]
pub async fn set_follow_up_status(
    state: State<'_, AppState>,
    id: Id,
    status: FollowUpStatus,
) -> CmdResult<FollowUp> {
    blocking(&state, move |s| {
        s.write(Source::App, |tx| follow_up::set_status(tx, id, status))
    })
    .await
}

#[tauri::command]
#[specta::specta]
pub async fn reschedule_follow_up(
    state: State<'_, AppState>,
    id: Id,
    due_on: String,
) -> CmdResult<FollowUp> {
    blocking(&state, move |s| {
        s.write(Source::App, |tx| follow_up::reschedule(tx, id, &due_on))
    })
    .await
}

#[tauri::command]
#[specta::specta]
pub async fn set_agreement_stage(
    state: State<'_, AppState>,
    id: Id,
    stage: Stage,
) -> CmdResult<Agreement> {
    blocking(&state, move |s| {
        s.write(Source::App, |tx| agreement::set_stage(tx, id, stage))
    })
    .await
}

/// Ctrl+K: records matching typed text in any script, best first.
#[tauri::command]
#[specta::specta]
pub async fn search(state: State<'_, AppState>, query: SearchQuery) -> CmdResult<Vec<SearchHit>> {
    blocking(&state, move |s| s.read(|db| search::search(db, &query))).await
}

/// The interface's language, which the window says at start and on each
/// change: what the app says outside the window (desktop notifications)
/// follows it.
#[tauri::command]
#[specta::specta]
pub async fn set_language(state: State<'_, AppState>, lang: Lang) -> CmdResult<()> {
    state.language.set(lang);
    Ok(())
}

/// Probable duplicate contacts, strongest first. On a connection of its
/// own: proving there are none reads every phone, e-mail and name key
/// (~0.3 s at a million contacts), and the window goes on meanwhile.
#[tauri::command]
#[specta::specta]
pub async fn find_duplicates(state: State<'_, AppState>) -> CmdResult<DuplicateList> {
    blocking(&state, |s| {
        s.read_apart(|db| duplicates::first(db, duplicates::SHOWN))
    })
    .await
}

/// Merges two contacts into one (undone as one step with Ctrl+Z).
#[tauri::command]
#[specta::specta]
pub async fn merge_contacts(state: State<'_, AppState>, input: MergeInput) -> CmdResult<Contact> {
    blocking(&state, move |s| {
        s.write(Source::App, |tx| duplicates::merge(tx, &input))
    })
    .await
}

/// The tags in use on one kind of record, for list filters.
#[tauri::command]
#[specta::specta]
pub async fn list_tags(state: State<'_, AppState>, entity: Entity) -> CmdResult<Vec<String>> {
    blocking(&state, move |s| s.read(|db| model::tags_in_use(db, entity))).await
}

/// The sectors in use, for the organization list's filter.
#[tauri::command]
#[specta::specta]
pub async fn list_sectors(state: State<'_, AppState>) -> CmdResult<Vec<String>> {
    blocking(&state, |s| s.read(organization::sectors)).await
}

/// Moves a record to the trash (its links stay, so a restore is whole).
#[tauri::command]
#[specta::specta]
pub async fn delete_record(
    state: State<'_, AppState>,
    entity: Entity,
    id: Id,
) -> CmdResult<TrashItem> {
    blocking(&state, move |s| {
        s.write(Source::App, |tx| trash::delete(tx, entity, id))
    })
    .await
}

#[tauri::command]
#[specta::specta]
pub async fn restore_record(state: State<'_, AppState>, entity: Entity, id: Id) -> CmdResult<()> {
    blocking(&state, move |s| {
        s.write(Source::App, |tx| trash::restore(tx, entity, id))
    })
    .await
}

#[tauri::command]
#[specta::specta]
pub async fn list_trash(
    state: State<'_, AppState>,
    filter: TrashFilter,
) -> CmdResult<Page<TrashItem>> {
    blocking(&state, move |s| s.read(|db| trash::list(db, &filter))).await
}

/// Ctrl+Z: takes back the last write made in the app (an edit, a capture,
/// a delete...), or says why it cannot.
#[tauri::command]
#[specta::specta]
pub async fn undo(state: State<'_, AppState>) -> CmdResult<UndoOutcome> {
    blocking(&state, |s| s.write(Source::App, undo::undo_last)).await
}

/// Quick capture after a meeting, in one transaction.
#[tauri::command]
#[specta::specta]
pub async fn capture(state: State<'_, AppState>, input: CaptureInput) -> CmdResult<CaptureResult> {
    blocking(&state, move |s| {
        s.write(Source::App, |tx| capture::save(tx, &input))
    })
    .await
}

#[tauri::command]
#[specta::specta]
pub async fn list_notes(
    state: State<'_, AppState>,
    entity: Entity,
    id: Id,
) -> CmdResult<Vec<Note>> {
    blocking(&state, move |s| s.read(|db| note::list(db, entity, id))).await
}

/// A record's timeline: every change to it, newest first.
#[tauri::command]
#[specta::specta]
pub async fn record_history(
    state: State<'_, AppState>,
    entity: Entity,
    id: Id,
) -> CmdResult<Vec<HistoryEntry>> {
    blocking(&state, move |s| {
        s.read(|db| history::for_record(db, entity, id))
    })
    .await
}

#[tauri::command]
#[specta::specta]
pub async fn get_meeting(state: State<'_, AppState>, id: Id) -> CmdResult<Meeting> {
    blocking(&state, move |s| s.read(|db| meeting::get(db, id))).await
}

#[tauri::command]
#[specta::specta]
pub async fn create_meeting(state: State<'_, AppState>, input: MeetingInput) -> CmdResult<Meeting> {
    blocking(&state, move |s| {
        s.write(Source::App, |tx| meeting::create(tx, &input))
    })
    .await
}

/// `loaded_at`: the record's `updated_at` as the form loaded it; a record
/// written since is not saved over (`changed_since_loaded`).
#[tauri::command]
#[specta::specta]
pub async fn update_meeting(
    state: State<'_, AppState>,
    id: Id,
    input: MeetingInput,
    loaded_at: String,
) -> CmdResult<Meeting> {
    blocking(&state, move |s| {
        s.write(Source::App, |tx| {
            unchanged_since(&tx.db(), Entity::Meeting, id, &loaded_at)?;
            meeting::update(tx, id, &input)
        })
    })
    .await
}

/// The workspace's counts; `now` and `today` are the user's clock and calendar.
#[tauri::command]
#[specta::specta]
pub async fn mission_stats(
    state: State<'_, AppState>,
    id: Id,
    now: String,
    today: String,
) -> CmdResult<MissionStats> {
    blocking(&state, move |s| {
        s.read(|db| mission::stats(db, id, &now, &today))
    })
    .await
}

#[tauri::command]
#[specta::specta]
pub async fn get_agreement(state: State<'_, AppState>, id: Id) -> CmdResult<Agreement> {
    blocking(&state, move |s| s.read(|db| agreement::get(db, id))).await
}

#[tauri::command]
#[specta::specta]
pub async fn reassign_follow_up(
    state: State<'_, AppState>,
    id: Id,
    owner_id: Option<Id>,
) -> CmdResult<FollowUp> {
    blocking(&state, move |s| {
        s.write(Source::App, |tx| follow_up::reassign(tx, id, owner_id))
    })
    .await
}

/// The people on our side of a mission, who can own follow-ups.
#[tauri::command]
#[specta::specta]
pub async fn list_delegates(
    state: State<'_, AppState>,
    mission_id: Id,
) -> CmdResult<Vec<ContactRow>> {
    blocking(&state, move |s| {
        s.read(|db| contact::delegates(db, mission_id))
    })
    .await
}
