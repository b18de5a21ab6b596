//! The commands for files attached to records (engine: `attachments`).
//! A file is chosen in the desktop's dialog, never named by the web view;
//! the window gets a picture's bytes to show, and other files are saved as
//! a copy where the user says or opened with the desktop's viewer.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::Arc;

use mission_crm_engine::attachments::{self, Attachment};
use mission_crm_engine::{export, Entity, Error, ErrorCode, Id, Source, Store};
use tauri::State;

use crate::commands::{blocking, CmdResult};
use crate::state::{AppState, Opener, Pick};
use crate::transfer::{pick, ExportDone};

/// The attachments folder of the store's database.
fn folder(store: &Store) -> mission_crm_engine::Result<PathBuf> {
    attachments::database_file(store).map(attachments::folder)
}

/// A live attachment and its file.
fn file_of(store: &Store, id: Id) -> mission_crm_engine::Result<(Attachment, PathBuf)> {
    let folder = folder(store)?;
    store.read(|db| attachments::file(db, &folder, id))
}

/// A record's files, newest first.
#[tauri::command]
#[specta::specta]
pub async fn list_attachments(
    state: State<'_, AppState>,
    entity: Entity,
    id: Id,
) -> CmdResult<Vec<Attachment>> {
    blocking(&state, move |s| {
        let folder = s.path().map(attachments::folder);
        s.read(|db| attachments::list(db, folder.as_deref(), entity, id))
    })
    .await
}

/// Opens the file dialog and attaches the chosen file to the record;
/// `null` if the user closed the dialog.
#[tauri::command]
#[specta::specta]
pub async fn add_attachment(
    state: State<'_, AppState>,
    entity: Entity,
    id: Id,
) -> CmdResult<Option<Attachment>> {
    // No dialog for a record that takes no file or is gone.
    blocking(&state, move |s| {
        s.read(|db| attachments::check_target(db, entity, id))
    })
    .await?;
    let Some(path) = pick(&state, Pick::Attach).await? else {
        return Ok(None);
    };
    blocking(&state, move |s| {
        attachments::attach_file(s, Source::App, entity, id, &path)
    })
    .await
    .map(Some)
}

/// Takes a file off its record (Ctrl+Z brings it back).
#[tauri::command]
#[specta::specta]
pub async fn remove_attachment(state: State<'_, AppState>, id: Id) -> CmdResult<()> {
    blocking(&state, move |s| {
        s.write(Source::App, |tx| attachments::remove(tx, id))
    })
    .await
}

/// A picture as a `data:` URL for an `<img>`; `null` for a file the window
/// does not show (a PDF, a document, a picture too large to send).
#[tauri::command]
#[specta::specta]
pub async fn attachment_preview(state: State<'_, AppState>, id: Id) -> CmdResult<Option<String>> {
    blocking(&state, move |s| {
        let (_, path) = file_of(s, id)?;
        attachments::preview(&path)
    })
    .await
}

/// Asks where to save a copy of the file, then writes it there whole;
/// `null` if the user closed the dialog.
#[tauri::command]
#[specta::specta]
pub async fn save_attachment(state: State<'_, AppState>, id: Id) -> CmdResult<Option<ExportDone>> {
    let (attachment, _) = blocking(&state, move |s| file_of(s, id)).await?;
    let Some(to) = pick(&state, Pick::Save(attachment.file_name)).await? else {
        return Ok(None);
    };
    let shown = to.display().to_string();
    blocking(&state, move |s| {
        // Read again: the file may have been taken off meanwhile.
        let (_, from) = file_of(s, id)?;
        export::write_whole(&to, |w| {
            std::io::copy(&mut std::fs::File::open(&from)?, w)?;
            Ok(())
        })
    })
    .await?;
    Ok(Some(ExportDone::one(shown)))
}

/// Opens a copy of a picture or a PDF with the desktop's viewer. Other
/// files are only saved: opened, a script or a launcher would run.
#[tauri::command]
#[specta::specta]
pub async fn open_attachment(state: State<'_, AppState>, id: Id) -> CmdResult<()> {
    let Some(opener) = state.opener() else {
        return Err(mission_crm_engine::ErrorBody::internal(
            "no viewer is available",
        ));
    };
    blocking(&state, move |s| {
        let (attachment, path) = file_of(s, id)?;
        let viewer = attachments::viewer_folder(attachments::database_file(s)?);
        let copy = attachments::copy_for_viewer(&path, &attachment, &viewer)?.ok_or_else(|| {
            Error::invalid(
                ErrorCode::InvalidFile,
                "file",
                format!(
                    "{} is not a picture or a PDF, so it is not opened here; save a copy instead",
                    attachment.file_name
                ),
            )
        })?;
        opener(&copy).map_err(Error::from)
    })
    .await
}

/// The desktop's viewer: `xdg-open` on Linux, `open` on macOS, Explorer on
/// Windows. The viewer is left running; a thread waits for the launcher
/// so it leaves no zombie process.
pub fn system_opener() -> Opener {
    Arc::new(|path: &Path| {
        let program = if cfg!(target_os = "macos") {
            "open"
        } else if cfg!(target_os = "windows") {
            "explorer"
        } else {
            "xdg-open"
        };
        let mut child = Command::new(program)
            .arg(path)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()?;
        std::thread::spawn(move || child.wait());
        Ok(())
    })
}
