//! The backup commands: list, back up now, restore one of the listed
//! backups, and recover a damaged database from the newest good backup.
//! The web view names a backup only from the list the app gave it, never a
//! path of its own choosing.

use std::path::{Path, PathBuf};

use mission_crm_engine::backup::{self, BackupFile, Restored};
use mission_crm_engine::{ErrorBody, ErrorCode};
use tauri::State;

use crate::commands::{blocking, CmdResult};
use crate::state::AppState;

fn folder(state: &AppState) -> PathBuf {
    backup::folder(&state.db_path)
}

/// The backups beside the database, newest first.
#[tauri::command]
#[specta::specta]
pub async fn list_backups(state: State<'_, AppState>) -> CmdResult<Vec<BackupFile>> {
    Ok(backup::list(&folder(&state))?)
}

/// Makes a backup now (verified), and rotates the old ones.
#[tauri::command]
#[specta::specta]
pub async fn backup_now(state: State<'_, AppState>) -> CmdResult<BackupFile> {
    let dir = folder(&state);
    blocking(&state, move |s| {
        backup::automatic(s, &dir, std::time::Duration::ZERO)?
            .ok_or_else(|| mission_crm_engine::Error::Data("no backup was made".into()))
    })
    .await
}

/// A path the web view sent, accepted only if it is one of the listed backups.
fn listed(state: &AppState, path: &str) -> CmdResult<PathBuf> {
    let all = backup::list(&folder(state))?;
    all.iter()
        .find(|b| b.path == path)
        .map(|b| PathBuf::from(&b.path))
        .ok_or_else(|| ErrorBody {
            code: ErrorCode::NotFound,
            message: "that is not one of the backups".into(),
            field: Some("path".into()),
        })
}

/// Replaces the database with one of the listed backups (the current one
/// is kept as a backup first); the window reloads through the change event.
#[tauri::command]
#[specta::specta]
pub async fn restore_backup(state: State<'_, AppState>, path: String) -> CmdResult<Restored> {
    let from = listed(&state, &path)?;
    let dir = folder(&state);
    blocking(&state, move |s| backup::restore(s, &from, &dir)).await
}

/// When the database could not be opened (damaged): puts the newest backup
/// that passes its check in its place, keeping the damaged file aside, and
/// restarts the app on it.
#[tauri::command]
#[specta::specta]
pub async fn recover_from_backup(state: State<'_, AppState>) -> CmdResult<()> {
    // Only for a damaged file: a sound one's WAL holds the latest commits,
    // which a backup up to hours old would replace while the store, its
    // threads and perhaps the CLI have the file open. Damage is known from
    // the open or the page check after start, or else checked now (the
    // window offers this whenever a command failed on damage). A check that
    // could not read the file (busy, an I/O error) found no damage: the
    // file is not put aside for a backup hours old on that.
    let flagged = state
        .open_error()
        .is_some_and(|e| e.code == ErrorCode::Corrupt);
    let damaged = flagged || {
        let db = state.db_path.clone();
        tauri::async_runtime::spawn_blocking(move || {
            mission_crm_engine::db::check_file(&db).is_err_and(|e| e.code() == ErrorCode::Corrupt)
        })
        .await
        .unwrap_or(false)
    };
    if !damaged {
        return Err(ErrorBody {
            code: ErrorCode::Conflict,
            message: "the database is not damaged: restore a backup from Settings instead".into(),
            field: None,
        });
    }
    let db = state.db_path.clone();
    // Not a copy kept before a restore: that holds the data the user
    // restored away from.
    let newest = backup::list(&folder(&state))?
        .into_iter()
        .filter(|b| !b.before_restore)
        .find(|b| backup::verify(Path::new(&b.path)).is_ok())
        .ok_or_else(|| ErrorBody {
            code: ErrorCode::NotFound,
            message: "there is no good backup to restore".into(),
            field: None,
        })?;
    tauri::async_runtime::spawn_blocking(move || {
        backup::replace_damaged(&db, Path::new(&newest.path))
    })
    .await
    .map_err(|e| ErrorBody::internal(format!("the restore stopped unexpectedly: {e}")))??;
    // Every part of the app that needs the store (change events, reminders,
    // backups) starts with it: a fresh start is the honest way back.
    tauri::process::restart(&tauri::Env::default())
}
