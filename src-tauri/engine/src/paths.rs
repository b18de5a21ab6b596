//! Where the database lives by default: the platform's app-data folder for
//! the app's identifier, computed here (not by Tauri) so that the desktop app
//! and the CLI open the same file. `MISSION_CRM_DB` overrides it for both.

use std::path::PathBuf;

use crate::error::{ErrorBody, ErrorCode};

/// Must equal `identifier` in `src-tauri/tauri.conf.json`.
pub const APP_IDENTIFIER: &str = "org.missioncrm.desktop";
pub const DB_FILE_NAME: &str = "mission-crm.db";
pub const DB_ENV: &str = "MISSION_CRM_DB";

/// The app-data folder: `$XDG_DATA_HOME/<id>` (or `~/.local/share/<id>`) on
/// Linux, `~/Library/Application Support/<id>` on macOS, `%APPDATA%\<id>` on
/// Windows — the folders Tauri's `app_data_dir` uses.
pub fn data_dir() -> Option<PathBuf> {
    let non_empty = |k: &str| {
        std::env::var_os(k)
            .filter(|v| !v.is_empty())
            .map(PathBuf::from)
    };
    let base = if cfg!(target_os = "windows") {
        non_empty("APPDATA")?
    } else if cfg!(target_os = "macos") {
        non_empty("HOME")?.join("Library/Application Support")
    } else {
        non_empty("XDG_DATA_HOME").or_else(|| non_empty("HOME").map(|h| h.join(".local/share")))?
    };
    Some(base.join(APP_IDENTIFIER))
}

/// `MISSION_CRM_DB` if set, else `<data_dir>/mission-crm.db`.
pub fn default_db_path() -> Option<PathBuf> {
    std::env::var_os(DB_ENV)
        .filter(|v| !v.is_empty())
        .map(PathBuf::from)
        .or_else(|| data_dir().map(|d| d.join(DB_FILE_NAME)))
}

/// [`default_db_path`], or the error to show when there is no home folder
/// to put the database in.
pub fn require_db_path() -> Result<PathBuf, ErrorBody> {
    default_db_path().ok_or_else(|| ErrorBody {
        code: ErrorCode::Storage,
        message: format!("no app-data folder: set HOME, or {DB_ENV} to a database file"),
        field: None,
    })
}
