//! Attachments: files on a contact, organization, meeting, agreement or
//! mission (a photo of a business card, a scanned memorandum). The bytes
//! live in the data folder, in `<database file>-attachments/` beside the
//! database (named after it, as SQLite names its `-wal`: two databases in
//! one folder keep their files apart), never in a table; the `attachments`
//! table describes them.
//!
//! The folder is content-addressed: a file is named by its SHA-256
//! (`ab/ab12…` in that folder), written once under a temporary name and renamed
//! into place, and never changed. So the same card attached to two people
//! is stored once, a crash never leaves half a file under a real name, and
//! a backup keeps a file by linking it (`keep_with_backup`): nothing is
//! copied, and nothing a backup holds can change under it.
//!
//! Paths are always made from the hash, checked to be one: never from a
//! stored path or a file name, which a full export being restored could
//! set to `../../` anything.
//!
//! A file no database names (its attachment taken back by Ctrl+Z, or a
//! write that failed after the file was in place) is deleted an hour later
//! at the next [`sweep`]: no database, that is, of the data folder's own or
//! of those in the backups folder (a damaged one set aside there may name
//! files attached after the last backup) ([`sweep`] in `sweep.rs`). One
//! taken off its record stays, as everything in the trash does, so Ctrl+Z
//! brings it back.

use std::collections::HashSet;
use std::fs::File;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::time::SystemTime;

use rusqlite::{params, Connection, OptionalExtension};
use serde::Serialize;
use sha2::{Digest, Sha256};
use specta::Type;

use crate::error::{Error, ErrorCode, Result};
use crate::id::Id;
use crate::model::{ensure_exists, inserted};
use crate::store::{ChangeOp, Db, Entity, Source, Store, Tx};

mod backups;
mod sweep;
pub(crate) use backups::{
    backup_folder, bring_back, keep_with_backup, keep_with_export, sweep_backups,
};
pub use backups::{bring_back_with_export, Linked};
pub use sweep::{clear_viewer_copies, sweep};

/// The largest file that can be attached: a phone's photo is a few MB, a
/// scanned contract of many pages some tens.
pub const MAX_BYTES: u64 = 100 * 1024 * 1024;

/// A file attached to a record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
pub struct Attachment {
    pub id: Id,
    pub entity: Entity,
    pub entity_id: Id,
    /// The name the file had when it was attached.
    pub file_name: String,
    /// Read from the file's first bytes, not its name.
    pub media_type: String,
    /// A picture the window draws ([`shows_in_window`]): the window asks
    /// for its bytes. The engine reads the file's bytes again before it
    /// sends them, whatever the row says.
    pub shown: bool,
    /// A picture or a PDF the desktop's viewer may open
    /// ([`opens_in_viewer`]); any other file is only saved.
    pub opens: bool,
    pub size_bytes: u64,
    pub created_at: String,
    /// The file is not in the data folder: the database came from a full
    /// export or a backup whose files' folder was not copied with it.
    pub missing: bool,
}

/// What [`store_file`] put in the folder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stored {
    pub sha256: String,
    pub media_type: String,
    pub size_bytes: u64,
}

/// The attachments folder of a database file: `<its name>-attachments/`
/// beside it.
pub fn folder(db_path: &Path) -> PathBuf {
    let mut name = db_path
        .file_name()
        .map(|n| n.to_os_string())
        .unwrap_or_default();
    name.push("-attachments");
    db_path.with_file_name(name)
}

/// Where files are copied to be opened with the desktop's viewer: `opened/`
/// beside the database (in the user's own data folder: the system's temp
/// folder may be readable by every user of the computer).
pub fn viewer_folder(db_path: &Path) -> PathBuf {
    db_path
        .parent()
        .map_or_else(|| PathBuf::from("opened"), |d| d.join("opened"))
}

/// Where the file with this hash is kept in `folder`; `None` for anything
/// that is not a SHA-256 in lower-case hex (a hand-edited or imported row).
fn path_of(folder: &Path, sha256: &str) -> Option<PathBuf> {
    let hex = sha256.len() == 64
        && sha256
            .bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b));
    hex.then(|| folder.join(&sha256[..2]).join(sha256))
}

/// The name a file is shown and saved by: the last part of what it was
/// called (a full export being restored can hold `../` anything), at most
/// 120 characters, never empty.
fn shown_name(name: &str) -> String {
    let last = name.rsplit(['/', '\\']).next().unwrap_or_default().trim();
    let last = if matches!(last, "" | "." | "..") {
        "file"
    } else {
        last
    };
    let chars = last.chars().count();
    if chars <= 120 {
        return last.to_owned();
    }
    // The end kept, where the extension is.
    last.chars().skip(chars - 120).collect()
}

/// The kinds a file can be attached to, with their tables.
fn table(entity: Entity) -> Result<&'static str> {
    match entity {
        Entity::Contact => Ok("contacts"),
        Entity::Organization => Ok("organizations"),
        Entity::Meeting => Ok("meetings"),
        Entity::Agreement => Ok("agreements"),
        Entity::Mission => Ok("missions"),
        other => Err(Error::invalid(
            ErrorCode::InvalidFile,
            "entity",
            format!("a file cannot be attached to a {}", other.as_str()),
        )),
    }
}

/// What the file's first bytes say it is. Only these are shown in the
/// window or opened with the desktop's viewer; anything else is saved.
fn media_type(head: &[u8]) -> &'static str {
    let brand = head.get(8..12);
    match head {
        [0xFF, 0xD8, 0xFF, ..] => "image/jpeg",
        [0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A, ..] => "image/png",
        [b'G', b'I', b'F', b'8', b'7' | b'9', b'a', ..] => "image/gif",
        [b'R', b'I', b'F', b'F', _, _, _, _, b'W', b'E', b'B', b'P', ..] => "image/webp",
        [b'%', b'P', b'D', b'F', b'-', ..] => "application/pdf",
        // An iPhone's photos.
        [_, _, _, _, b'f', b't', b'y', b'p', ..]
            if matches!(brand, Some(b"heic" | b"heix" | b"mif1" | b"heif")) =>
        {
            "image/heic"
        }
        _ => "application/octet-stream",
    }
}

/// Whether the window shows the file itself (an `<img>` of its bytes).
pub fn shows_in_window(media_type: &str) -> bool {
    matches!(
        media_type,
        "image/jpeg" | "image/png" | "image/gif" | "image/webp"
    )
}

/// Whether the desktop's viewer may open the file: pictures and PDFs,
/// never a file that could run (a `.desktop` file, a script), whatever its
/// name says.
pub fn opens_in_viewer(media_type: &str) -> bool {
    shows_in_window(media_type) || matches!(media_type, "application/pdf" | "image/heic")
}

/// Copies the file at `source` into `folder`, hashing it on the way, and
/// names it by its hash (kept as it is if the folder has it already).
/// A file over [`MAX_BYTES`], or one that is not a file, is refused.
pub fn store_file(folder: &Path, source: &Path) -> Result<Stored> {
    let mut input = File::open(source)
        .map_err(|e| Error::File(format!("{} cannot be read: {e}", source.display())))?;
    let meta = input.metadata()?;
    if !meta.is_file() {
        return Err(Error::File(format!("{} is not a file", source.display())));
    }
    if meta.len() > MAX_BYTES {
        return Err(too_large(meta.len()));
    }
    std::fs::create_dir_all(folder)?;
    let partial = folder.join(format!("{}.partial", Id::new()));
    let stored = (|| {
        let mut out = File::create(&partial)?;
        let mut hasher = Sha256::new();
        let mut head = Vec::new();
        let mut size = 0u64;
        let mut buf = vec![0; 64 * 1024];
        loop {
            let n = input.read(&mut buf)?;
            if n == 0 {
                break;
            }
            size += n as u64;
            // It may have grown since its size was read.
            if size > MAX_BYTES {
                return Err(too_large(size));
            }
            if head.len() < 16 {
                head.extend_from_slice(&buf[..n.min(16 - head.len())]);
            }
            hasher.update(&buf[..n]);
            out.write_all(&buf[..n])?;
        }
        // On the disk before it takes its name: a power cut must not leave
        // a named file that is not all there.
        out.sync_all()?;
        let sha256: String = hasher
            .finalize()
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect();
        let target = path_of(folder, &sha256)
            .ok_or_else(|| Error::Data("a SHA-256 that is not one".into()))?;
        if let Some(dir) = target.parent() {
            std::fs::create_dir_all(dir)?;
        }
        let parent = target.parent().map(Path::to_owned);
        if target.exists() {
            std::fs::remove_file(&partial)?;
            // Written again now: a file no row named (its attachment taken
            // back) must not be swept between now and this one's commit.
            File::options()
                .append(true)
                .open(&target)?
                .set_modified(SystemTime::now())?;
        } else {
            std::fs::rename(&partial, &target)?;
            // The name on the disk too, before a row names it (best effort:
            // not every system syncs a folder).
            if let Some(dir) = parent {
                let _ = File::open(dir).and_then(|d| d.sync_all());
            }
        }
        Ok(Stored {
            sha256,
            media_type: media_type(&head).to_owned(),
            size_bytes: size,
        })
    })();
    if stored.is_err() {
        // Best effort: the error that matters is the one returned.
        let _ = std::fs::remove_file(&partial);
    }
    stored
}

fn too_large(size: u64) -> Error {
    Error::File(format!(
        "the file is {} MB; files of up to {} MB can be attached",
        size.div_ceil(1024 * 1024),
        MAX_BYTES / 1024 / 1024
    ))
}

/// Refuses, before a file is chosen or copied, a record that takes no
/// files or is not there (or in the trash).
pub fn check_target(db: &Db<'_>, entity: Entity, entity_id: Id) -> Result<()> {
    ensure_exists(db, table(entity)?, entity.as_str(), entity_id)
}

/// The file `store` keeps its database in, beside which its files are:
/// none in memory, where nothing can be attached.
pub fn database_file(store: &Store) -> Result<&Path> {
    store.path().ok_or_else(|| {
        Error::invalid(
            ErrorCode::Storage,
            "file",
            "files can be attached only to a database kept in a file",
        )
    })
}

/// Attaches the file at `path` to a record of the database `store` keeps
/// in a file, as the app and the command line do: the record checked first
/// (nothing is copied for one that takes no file, or is gone), the file
/// stored under its hash, then its row written in one transaction.
pub fn attach_file(
    store: &Store,
    source: Source,
    entity: Entity,
    entity_id: Id,
    path: &Path,
) -> Result<Attachment> {
    let db = database_file(store)?;
    store.read(|d| check_target(d, entity, entity_id))?;
    let folder = folder(db);
    let stored = store_file(&folder, path)?;
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    store.write(source, |tx| {
        add(tx, &folder, entity, entity_id, &name, &stored)
    })
}

/// Attaches a file [`store_file`] put in `folder` to a live record.
pub fn add(
    tx: &mut Tx<'_>,
    folder: &Path,
    entity: Entity,
    entity_id: Id,
    file_name: &str,
    stored: &Stored,
) -> Result<Attachment> {
    check_target(&tx.db(), entity, entity_id)?;
    // The row's path is written for people reading the file; the app
    // makes every path from the hash.
    let stored_path = path_of(Path::new(""), &stored.sha256)
        .filter(|p| folder.join(p).exists())
        .ok_or_else(|| {
            Error::invalid(
                ErrorCode::NotFound,
                "file",
                "the file to attach is gone from the data folder; attach it again",
            )
        })?;
    let file_name = shown_name(file_name);
    let id = Id::new();
    let relative = stored_path.to_string_lossy().into_owned();
    tx.conn()
        .prepare_cached(
            "INSERT INTO attachments (id, entity, entity_id, file_name, media_type, size_bytes,
                                      sha256, stored_path, created_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
        )?
        .execute(params![
            id,
            entity,
            entity_id,
            file_name,
            stored.media_type,
            stored.size_bytes,
            stored.sha256,
            relative,
            tx.now(),
        ])?;
    let attachment = Attachment {
        id,
        entity,
        entity_id,
        file_name,
        media_type: stored.media_type.clone(),
        shown: shows_in_window(&stored.media_type),
        opens: opens_in_viewer(&stored.media_type),
        size_bytes: stored.size_bytes,
        created_at: tx.now().to_owned(),
        missing: false,
    };
    inserted(tx, Entity::Attachment, id, attachment)
}

const COLUMNS: &str =
    "id, entity, entity_id, file_name, media_type, size_bytes, created_at, sha256";

fn from_row(
    folder: Option<&Path>,
    r: &rusqlite::Row<'_>,
) -> rusqlite::Result<(Attachment, String)> {
    let sha256: String = r.get(7)?;
    let size: i64 = r.get(5)?;
    let media_type: String = r.get(4)?;
    let missing = folder
        .and_then(|f| path_of(f, &sha256))
        .is_none_or(|p| !p.is_file());
    Ok((
        Attachment {
            id: r.get(0)?,
            entity: r.get(1)?,
            entity_id: r.get(2)?,
            file_name: shown_name(&r.get::<_, String>(3)?),
            shown: shows_in_window(&media_type),
            opens: opens_in_viewer(&media_type),
            media_type,
            size_bytes: u64::try_from(size).unwrap_or(0),
            created_at: r.get(6)?,
            missing,
        },
        sha256,
    ))
}

/// A record's files, newest first. `folder` is `None` for a database with
/// no folder (in memory): every file is then missing.
pub fn list(
    db: &Db<'_>,
    folder: Option<&Path>,
    entity: Entity,
    entity_id: Id,
) -> Result<Vec<Attachment>> {
    let mut stmt = db.conn().prepare_cached(&format!(
        "SELECT {COLUMNS} FROM attachments
          WHERE entity = ?1 AND entity_id = ?2 AND deleted_at IS NULL
          ORDER BY created_at DESC, id DESC"
    ))?;
    let rows = stmt
        .query_map(params![entity, entity_id], |r| {
            from_row(folder, r).map(|(a, _)| a)
        })?
        .collect::<rusqlite::Result<_>>()?;
    Ok(rows)
}

/// A live attachment and where its file is; a missing file is an error
/// that says so.
pub fn file(db: &Db<'_>, folder: &Path, id: Id) -> Result<(Attachment, PathBuf)> {
    let found = db
        .conn()
        .prepare_cached(&format!(
            "SELECT {COLUMNS} FROM attachments WHERE id = ?1 AND deleted_at IS NULL"
        ))?
        .query_row([id], |r| from_row(Some(folder), r))
        .optional()?;
    let (attachment, sha256) = found.ok_or_else(|| Error::not_found("attachment", id))?;
    match path_of(folder, &sha256).filter(|p| p.is_file()) {
        Some(path) => Ok((attachment, path)),
        None => Err(Error::invalid(
            ErrorCode::NotFound,
            "file",
            format!(
                "the file of {} is not in the data folder (its folder was not copied with \
                 the export or backup this database came from); attach it again",
                attachment.file_name
            ),
        )),
    }
}

/// What the file at `path` is, read from its first bytes: not from its
/// row, which a full export being restored can set to anything.
fn checked_type(path: &Path) -> Result<&'static str> {
    let mut head = Vec::with_capacity(16);
    File::open(path)?.take(16).read_to_end(&mut head)?;
    Ok(media_type(&head))
}

/// The largest picture shown in the window (sent to it whole, as text).
const PREVIEW_MAX: u64 = 16 * 1024 * 1024;

/// The file as a `data:` URL for an `<img>`, if it is a picture the window
/// shows and not too large to send it; `None` otherwise.
pub fn preview(path: &Path) -> Result<Option<String>> {
    use base64::Engine as _;
    let kind = checked_type(path)?;
    if !shows_in_window(kind) || std::fs::metadata(path)?.len() > PREVIEW_MAX {
        return Ok(None);
    }
    let bytes = std::fs::read(path)?;
    let data = base64::engine::general_purpose::STANDARD.encode(bytes);
    Ok(Some(format!("data:{kind};base64,{data}")))
}

/// A copy of the file for the desktop's viewer, in a folder of its own
/// under `dir`: named as attached, with the extension of what it is (the
/// viewer is chosen by the name: "card.jpg.desktop" must not open as a
/// launcher), and never the kept file itself, which must not change.
/// `None` for a file the viewer may not open.
pub fn copy_for_viewer(
    path: &Path,
    attachment: &Attachment,
    dir: &Path,
) -> Result<Option<PathBuf>> {
    let extension = match checked_type(path)? {
        "image/jpeg" => "jpg",
        "image/png" => "png",
        "image/gif" => "gif",
        "image/webp" => "webp",
        "image/heic" => "heic",
        "application/pdf" => "pdf",
        _ => return Ok(None),
    };
    let stem = Path::new(&attachment.file_name)
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .filter(|s| !s.trim().is_empty())
        .map(|s| s.chars().take(100).collect::<String>())
        .unwrap_or_else(|| "file".to_owned());
    // Made anew, so it is dated now: copies are cleared a day after.
    let folder = dir.join(attachment.id.to_string());
    let _ = std::fs::remove_dir_all(&folder);
    std::fs::create_dir_all(&folder)?;
    let copy = folder.join(format!("{stem}.{extension}"));
    std::fs::copy(path, &copy)?;
    Ok(Some(copy))
}

/// A live attachment, as history records it; `None` if there is none.
pub(crate) fn find(db: &Db<'_>, id: Id) -> Result<Option<Attachment>> {
    Ok(db
        .conn()
        .prepare_cached(&format!(
            "SELECT {COLUMNS} FROM attachments WHERE id = ?1 AND deleted_at IS NULL"
        ))?
        .query_row([id], |r| from_row(None, r))
        .optional()?
        .map(|(a, _)| Attachment {
            missing: false,
            ..a
        }))
}

/// Takes a file off its record. The row stays, marked, so Ctrl+Z brings
/// it back with its file.
pub fn remove(tx: &mut Tx<'_>, id: Id) -> Result<()> {
    let before = find(&tx.db(), id)?.ok_or_else(|| Error::not_found("attachment", id))?;
    tx.conn()
        .prepare_cached("UPDATE attachments SET deleted_at = ?2 WHERE id = ?1")?
        .execute(params![id, tx.now()])?;
    tx.record(
        Entity::Attachment,
        id,
        ChangeOp::Delete,
        Some(&before),
        None::<&()>,
    )
}

/// The hashes of the files a database names (in the trash too: Ctrl+Z or
/// a restore brings those back).
fn named(conn: &Connection) -> Result<HashSet<String>> {
    hashes(conn, "SELECT DISTINCT sha256 FROM attachments")
}

/// How many distinct files are on the records of a database (not those
/// taken off).
pub fn count_on_records(db: &Db<'_>) -> Result<usize> {
    Ok(named_live(db.conn())?.len())
}

/// The hashes of the files on a database's records (not those taken off):
/// what a person is told about.
fn named_live(conn: &Connection) -> Result<HashSet<String>> {
    hashes(
        conn,
        "SELECT DISTINCT sha256 FROM attachments WHERE deleted_at IS NULL",
    )
}

fn hashes(conn: &Connection, sql: &str) -> Result<HashSet<String>> {
    let mut stmt = conn.prepare(sql)?;
    let hashes = stmt
        .query_map([], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    Ok(hashes)
}
