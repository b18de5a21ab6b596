//! The import wizard's and export's commands. Files are chosen through the
//! state's picker (the native dialog), never named by the web view, so the
//! page can read and write only what the user picked.

use std::path::PathBuf;
use std::sync::atomic::Ordering;

use mission_crm_engine::attachments;
use mission_crm_engine::export::{self, ExportRequest};
use mission_crm_engine::import::{
    self, ImportOptions, ImportRecord, ImportSummary, Preview, Progress, UndoImport,
};
use mission_crm_engine::report::{self, render, Lang};
use mission_crm_engine::{time, ErrorBody, ErrorCode, Id, Source, Store};
use serde::{Deserialize, Serialize};
use specta::Type;
use tauri::State;

use crate::commands::{blocking, CmdResult};
use crate::state::{AppState, Pick};

/// Asks the user for a file. The dialog blocks until it closes, so it runs
/// on the blocking pool, like the engine's work.
pub(crate) async fn pick(state: &AppState, what: Pick) -> CmdResult<Option<PathBuf>> {
    let Some(picker) = state.picker() else {
        return Err(ErrorBody::internal("no file dialog is available"));
    };
    tauri::async_runtime::spawn_blocking(move || picker(what))
        .await
        .map_err(|e| ErrorBody::internal(format!("the file dialog failed: {e}")))
}

fn chosen(state: &AppState) -> CmdResult<PathBuf> {
    state
        .import
        .file
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .clone()
        .ok_or_else(|| ErrorBody {
            code: ErrorCode::NotFound,
            message: "choose a file to import first".into(),
            field: None,
        })
}

/// Opens the file dialog and previews the chosen file; `null` if the user
/// closed the dialog.
#[tauri::command]
#[specta::specta]
pub async fn choose_import_file(state: State<'_, AppState>) -> CmdResult<Option<Preview>> {
    let Some(path) = pick(&state, Pick::Import).await? else {
        return Ok(None);
    };
    *state.import.file.lock().unwrap_or_else(|p| p.into_inner()) = Some(path.clone());
    let preview = blocking(&state, move |_| {
        import::preview(&path, &ImportOptions::default())
    })
    .await?;
    Ok(Some(preview))
}

/// The chosen file again, under the wizard's current choices.
#[tauri::command]
#[specta::specta]
pub async fn preview_import(
    state: State<'_, AppState>,
    options: ImportOptions,
) -> CmdResult<Preview> {
    let path = chosen(&state)?;
    blocking(&state, move |_| import::preview(&path, &options)).await
}

/// Imports the chosen file (or rehearses it: `dry_run`), all or nothing.
/// Progress is polled with `import_progress`; `cancel_import` stops it.
#[tauri::command]
#[specta::specta]
pub async fn run_import(
    state: State<'_, AppState>,
    options: ImportOptions,
    dry_run: bool,
) -> CmdResult<ImportSummary> {
    let path = chosen(&state)?;
    let cancel = state.import.cancel.clone();
    let progress = state.import.progress.clone();
    cancel.store(false, Ordering::SeqCst);
    *progress.lock().unwrap_or_else(|p| p.into_inner()) = None;
    blocking(&state, move |s| {
        import::run(s, &path, &options, dry_run, &mut |p| {
            *progress.lock().unwrap_or_else(|p| p.into_inner()) = Some(p);
            !cancel.load(Ordering::SeqCst)
        })
    })
    .await
}

/// What a restore of a full export did.
#[derive(Debug, Clone, Serialize, Type)]
pub struct RestoredExport {
    pub file_name: String,
    pub records: u32,
    /// Files its data names that were not beside it (its
    /// `<file>-attachments/` folder not copied with it): they show as
    /// missing on their records.
    pub files_missing: u32,
}

/// Restores the chosen file, a full export (JSON), into this database,
/// which must be empty (a new computer's): one write, all or nothing. The
/// window then reloads everything.
#[tauri::command]
#[specta::specta]
pub async fn restore_export(state: State<'_, AppState>) -> CmdResult<RestoredExport> {
    let path = chosen(&state)?;
    blocking(&state, move |s| {
        let file_name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        // A file that cannot be read is the file's fault, not the database's.
        let file = std::fs::File::open(&path).map_err(|e| {
            mission_crm_engine::Error::File(format!("{file_name} cannot be read: {e}"))
        })?;
        let reader = std::io::BufReader::new(file);
        let records = s.write(Source::Import, |tx| export::json::restore(tx, reader))?;
        // Its files, if they came beside it: best effort, after the data
        // is in (a failure here must not report the restore failed, nor
        // keep the window from reloading); one missing shows as such.
        let files_missing = attachments::bring_back_with_export(s, &path).unwrap_or(0);
        s.announce_reload();
        Ok(RestoredExport {
            file_name,
            records: count(records),
            files_missing: count(files_missing),
        })
    })
    .await
}

/// How far the running import is; `null` before its first report.
#[tauri::command]
#[specta::specta]
pub async fn import_progress(state: State<'_, AppState>) -> CmdResult<Option<Progress>> {
    Ok(*state
        .import
        .progress
        .lock()
        .unwrap_or_else(|p| p.into_inner()))
}

/// Stops the running import; nothing of it is kept.
#[tauri::command]
#[specta::specta]
pub async fn cancel_import(state: State<'_, AppState>) -> CmdResult<()> {
    state.import.cancel.store(true, Ordering::SeqCst);
    Ok(())
}

/// The import history, newest first.
#[tauri::command]
#[specta::specta]
pub async fn list_imports(state: State<'_, AppState>) -> CmdResult<Vec<ImportRecord>> {
    blocking(&state, |s| s.read(import::list)).await
}

/// Takes a whole import back. Not on the Ctrl+Z stack: it is its own
/// action, taken back by importing again.
#[tauri::command]
#[specta::specta]
pub async fn undo_import(state: State<'_, AppState>, id: Id) -> CmdResult<UndoImport> {
    blocking(&state, move |s| {
        s.write(Source::Import, |tx| import::undo(tx, id))
    })
    .await
}

#[derive(Debug, Clone, Serialize, Type)]
pub struct ExportDone {
    pub path: String,
    pub records: u32,
    /// A full export's files: the folder beside it that holds them (none
    /// when it names no file), how many are there, and how many it names
    /// that could not be kept (not in the data folder, a full disk).
    pub files_folder: Option<String>,
    pub files: u32,
    pub files_left_out: u32,
}

impl ExportDone {
    /// One document written (a report, a book, a file's copy).
    pub(crate) fn one(path: String) -> Self {
        Self {
            path,
            records: 1,
            files_folder: None,
            files: 0,
            files_left_out: 0,
        }
    }
}

fn count(n: impl TryInto<u32>) -> u32 {
    n.try_into().unwrap_or(u32::MAX)
}

/// Asks where to save, then writes the export there whole; `null` if the
/// user closed the dialog.
#[tauri::command]
#[specta::specta]
pub async fn export_to_file(
    state: State<'_, AppState>,
    request: ExportRequest,
) -> CmdResult<Option<ExportDone>> {
    let name = export::file_name(&request, time::today_local());
    let Some(path) = pick(&state, Pick::Save(name)).await? else {
        return Ok(None);
    };
    let shown = path.display().to_string();
    // On a connection of its own: the window stays usable meanwhile (a
    // million contacts take tens of seconds to write out).
    let folder = attachments::folder(&path).display().to_string();
    let saved = blocking(&state, move |s| export::save(s, &request, &path)).await?;
    let named = saved.files.there + saved.files.left_out;
    Ok(Some(ExportDone {
        path: shown,
        records: count(saved.records),
        files_folder: (named > 0).then_some(folder),
        files: count(saved.files.there),
        files_left_out: count(saved.files.left_out),
    }))
}

/// The outcome report's file: a self-contained web page, or a PDF to
/// print and send.
#[derive(Debug, Clone, Copy, Deserialize, Type)]
#[serde(rename_all = "lowercase")]
pub enum ReportFile {
    Html,
    Pdf,
}

/// Asks where to save, then writes the mission's outcome report there as
/// `file`, in `lang` (the window's language); `null` if the user closed
/// the dialog.
#[tauri::command]
#[specta::specta]
pub async fn save_report(
    state: State<'_, AppState>,
    mission_id: Id,
    lang: Lang,
    file: ReportFile,
) -> CmdResult<Option<ExportDone>> {
    save_document(&state, "mission-report", lang, file, move |s, file| {
        let now = time::format_instant(s.now());
        let r = s.read(|db| report::build(db, mission_id, lang, &now))?;
        match file {
            ReportFile::Html => Ok(render::html(&r).into_bytes()),
            ReportFile::Pdf => report::pdf::pdf(&r),
        }
    })
    .await
}

/// Asks where to save, then writes the mission's delegation book there
/// (to print before the trip) as `file`, in `lang`; `null` if the user
/// closed the dialog.
#[tauri::command]
#[specta::specta]
pub async fn save_delegation_book(
    state: State<'_, AppState>,
    mission_id: Id,
    lang: Lang,
    file: ReportFile,
) -> CmdResult<Option<ExportDone>> {
    save_document(&state, "delegation-book", lang, file, move |s, file| {
        let b = s.read(|db| report::book::build(db, mission_id, lang))?;
        match file {
            ReportFile::Html => Ok(report::book::html(&b).into_bytes()),
            ReportFile::Pdf => report::book::pdf(&b),
        }
    })
    .await
}

/// Asks where to save a mission's document (named `stem`, the language and
/// the day), then writes what `make` makes of it there.
async fn save_document(
    state: &AppState,
    stem: &str,
    lang: Lang,
    file: ReportFile,
    make: impl FnOnce(&Store, ReportFile) -> mission_crm_engine::Result<Vec<u8>> + Send + 'static,
) -> CmdResult<Option<ExportDone>> {
    let extension = match file {
        ReportFile::Html => "html",
        ReportFile::Pdf => "pdf",
    };
    let name = format!(
        "{stem}-{}-{}.{extension}",
        lang.as_str(),
        time::today_local()
    );
    let Some(path) = pick(state, Pick::Save(name)).await? else {
        return Ok(None);
    };
    // The name chosen in the dialog decides, when it says: "report.pdf"
    // typed after the HTML button is a PDF (it was HTML in a .pdf file).
    let extension = path
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase);
    let file = match extension.as_deref() {
        Some("pdf") => ReportFile::Pdf,
        Some("html" | "htm") => ReportFile::Html,
        _ => file,
    };
    let shown = path.display().to_string();
    blocking(state, move |s| {
        let bytes = make(s, file)?;
        export::write_whole(&path, |w| Ok(w.write_all(&bytes)?))
    })
    .await?;
    Ok(Some(ExportDone::one(shown)))
}

/// What the mission workspace's charts show of the outcome report.
#[tauri::command]
#[specta::specta]
pub async fn mission_report(
    state: State<'_, AppState>,
    mission_id: Id,
    lang: Lang,
) -> CmdResult<report::ChartData> {
    blocking(&state, move |s| {
        let now = time::format_instant(s.now());
        s.read(|db| report::build(db, mission_id, lang, &now).map(report::ChartData::from))
    })
    .await
}
