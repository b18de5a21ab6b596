//! Backups: copies of the database made with SQLite's online backup API (a
//! consistent snapshot, taken while the app keeps working), each verified
//! with `integrity_check` before it counts, kept in `backups/` beside the
//! database and rotated (the newest three, the newest of each of the last 7
//! days, and of each of the 4 weeks before); and restoring one, atomically,
//! after keeping a copy of the database as it was (listed and restorable
//! too, for 7 days: a restore of the wrong backup is taken back the same
//! way). A restore leaves nothing to undo: the backup's undo steps were
//! made on data since replaced.
//!
//! A backup is written under a temporary name and renamed into place only
//! once verified, so a crash or a full disk mid-backup never leaves a
//! half file that looks like a backup.

use std::path::{Path, PathBuf};
use std::time::Duration;

use chrono::{DateTime, Datelike, NaiveDateTime, Utc};
use rusqlite::{Connection, OpenFlags, MAIN_DB};
use serde::Serialize;
use specta::Type;

use crate::attachments;
use crate::error::{Error, ErrorCode, Result};
use crate::store::Store;

/// How old the newest backup may get while the app runs.
pub const EVERY: Duration = Duration::from_secs(4 * 60 * 60);
const DAILY: usize = 7;
const WEEKLY: usize = 4;
/// Kept whatever their day: "Back up now" after a bad edit at 11:00 made
/// the newest of the day, and rotation deleted that morning's good one.
const RECENT: usize = 3;
const PREFIX: &str = "mission-crm-";
/// The database as it was before a restore.
const BEFORE_RESTORE: &str = "before-restore-";
const STAMP: &str = "%Y-%m-%dT%H%M%S";

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
pub struct BackupFile {
    pub path: String,
    /// UTC, RFC 3339.
    pub at: String,
    pub size_bytes: u64,
    /// The database as it was just before a restore (kept 7 days).
    pub before_restore: bool,
}

/// The backups folder of a database file: `backups/` beside it.
pub fn folder(db_path: &Path) -> PathBuf {
    db_path
        .parent()
        .map_or_else(|| PathBuf::from("backups"), |d| d.join("backups"))
}

/// Checks a database file without changing it: it opens, passes
/// `integrity_check`, and is a Mission CRM database of this version or an
/// older one. The error says what is wrong, for a person.
pub fn verify(path: &Path) -> Result<()> {
    open_verified(path).map(drop)
}

/// [`verify`], handing back the connection that checked the file: what is
/// read through it is what was verified, even if the file is deleted or
/// replaced meanwhile (the automatic backups' rotation, or another).
fn open_verified(path: &Path) -> Result<Connection> {
    let conn = Connection::open_with_flags(path, OpenFlags::SQLITE_OPEN_READ_ONLY)
        .map_err(|e| damaged(path, &e.to_string()))?;
    let check: String = conn
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .map_err(|e| damaged(path, &e.to_string()))?;
    if check != "ok" {
        return Err(damaged(path, &check));
    }
    let version = crate::db::schema_version(&conn)?;
    let latest = crate::db::latest_version();
    let has_contacts: bool = conn
        .query_row(
            "SELECT EXISTS (SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = 'contacts')",
            [],
            |r| r.get(0),
        )
        .map_err(|e| damaged(path, &e.to_string()))?;
    if version == 0 || !has_contacts {
        return Err(Error::File(format!(
            "{} is not a Mission CRM database",
            path.display()
        )));
    }
    if version > latest {
        return Err(Error::invalid(
            ErrorCode::Conflict,
            "file",
            format!(
                "{} was written by a newer Mission CRM (schema {version}); update the app to restore it",
                path.display()
            ),
        ));
    }
    Ok(conn)
}

fn damaged(path: &Path, detail: &str) -> Error {
    Error::Damaged(format!("{}: {detail}", path.display()))
}

/// `path` with `suffix` after its whole name: `crm.db` → `crm.db-wal`,
/// `crm.db.partial`.
fn suffixed(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(suffix);
    PathBuf::from(name)
}

/// Copies the database to `to` (online backup API), verifies the copy and
/// only then puts it in place.
pub fn backup_to(store: &Store, to: &Path) -> Result<BackupFile> {
    match store.path() {
        // A connection of its own, so the app's stays free: in WAL mode the
        // copy reads one snapshot while the app goes on writing.
        Some(db) => write_backup(
            &Connection::open_with_flags(db, OpenFlags::SQLITE_OPEN_READ_ONLY)?,
            to,
            Some(&attachments::folder(db)),
            store.now(),
        ),
        None => store.whole_database(|conn| write_backup(conn, to, None, store.now())),
    }
}

/// Where the backup at `path` keeps its files: the store the app's backups
/// share when it is one of them (named by the app, in its folder), else
/// `<its file name>-attachments/` beside it.
fn files_store(path: &Path) -> PathBuf {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let dir = path.parent().unwrap_or(Path::new(""));
    let ours = (name.starts_with(PREFIX) || name.starts_with(BEFORE_RESTORE))
        && dir.file_name().is_some_and(|d| d == "backups");
    if ours {
        attachments::backup_folder(dir)
    } else {
        attachments::folder(path)
    }
}

/// [`backup_to`] from the connection `from`, keeping the files it names
/// from the attachments folder `files` (none for a database in memory).
fn write_backup(
    from: &Connection,
    to: &Path,
    files: Option<&Path>,
    now: DateTime<Utc>,
) -> Result<BackupFile> {
    let dir = to.parent().unwrap_or(Path::new(""));
    if !dir.as_os_str().is_empty() {
        std::fs::create_dir_all(dir)?;
    }
    let partial = suffixed(to, ".partial");
    let result = (|| {
        copy(from, &partial)?;
        let copied = open_verified(&partial)?;
        // Its files before its name, best effort: the data matters more
        // than a file a full disk keeps out (it shows as missing).
        if let Some(files) = files {
            attachments::keep_with_backup(&copied, files, &files_store(to))?;
        }
        drop(copied);
        std::fs::rename(&partial, to)?;
        Ok(())
    })();
    if let Err(e) = result {
        // Best effort: the error that matters is the one returned.
        let _ = std::fs::remove_file(&partial);
        return Err(e);
    }
    describe(to, now)
}

/// Copies a whole database into a new file ([`copy_into`]), as one file
/// with no write-ahead log: a WAL copy opened read-only (its check, a
/// restore from it) left a `-wal` and a 32 KB `-shm` beside it, one pair
/// per backup ever made, which nothing deleted.
fn copy(from: &Connection, to: &Path) -> Result<()> {
    let mut dst = Connection::open(to)?;
    copy_into(from, &mut dst)?;
    dst.pragma_update(None, "journal_mode", "DELETE")?;
    Ok(())
}

/// Copies a whole database over another in one step: one read transaction,
/// so the copy is one snapshot (stepping page by page would restart on
/// every write), and one write transaction, so readers of `to` see all of
/// the old or all of the new.
fn copy_into(from: &Connection, to: &mut Connection) -> Result<()> {
    let backup = rusqlite::backup::Backup::new(from, to)?;
    match backup.step(-1)? {
        rusqlite::backup::StepResult::Done => Ok(()),
        _ => Err(Error::invalid(
            ErrorCode::Busy,
            "backup",
            "the database was busy in another program; nothing was copied, try again",
        )),
    }
}

fn describe(path: &Path, at: DateTime<Utc>) -> Result<BackupFile> {
    Ok(BackupFile {
        path: path.display().to_string(),
        at: crate::time::format_instant(at),
        size_bytes: std::fs::metadata(path)?.len(),
        before_restore: path
            .file_name()
            .is_some_and(|n| n.to_string_lossy().starts_with(BEFORE_RESTORE)),
    })
}

/// The backups in `dir` (made on schedule or asked for, and the copies
/// kept before restores), newest first, with when each was made.
pub fn list(dir: &Path) -> Result<Vec<BackupFile>> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Ok(Vec::new());
    };
    let mut found: Vec<(DateTime<Utc>, PathBuf)> = entries
        .filter_map(|e| e.ok())
        .filter_map(|e| {
            let name = e.file_name().to_string_lossy().into_owned();
            let rest = name
                .strip_prefix(PREFIX)
                .or_else(|| name.strip_prefix(BEFORE_RESTORE))?;
            let stamp = rest.strip_suffix(".db")?;
            let at = NaiveDateTime::parse_from_str(stamp, STAMP).ok()?.and_utc();
            Some((at, e.path()))
        })
        .collect();
    found.sort_by_key(|b| std::cmp::Reverse(b.0));
    found
        .into_iter()
        .map(|(at, path)| describe(&path, at))
        .collect()
}

/// Makes an automatic backup if the newest is older than `every` (or there
/// is none), then rotates; returns the backup made, if one was.
pub fn automatic(store: &Store, dir: &Path, every: Duration) -> Result<Option<BackupFile>> {
    let now = store.now();
    // A backup dated ahead of now (made while the clock was wrong) does not
    // count: read as made a moment ago, it held every automatic backup off
    // until its date came.
    let newest = list(dir)?
        .into_iter()
        .filter(|b| !b.before_restore)
        .find_map(|b| {
            crate::time::parse_stored_instant(&b.at)
                .ok()
                .filter(|at| *at <= now)
        });
    let due = match newest {
        None => true,
        Some(at) => (now - at).to_std().unwrap_or_default() >= every,
    };
    if !due {
        return Ok(None);
    }
    let path = dir.join(format!("{PREFIX}{}.db", now.format(STAMP)));
    let made = backup_to(store, &path)?;
    rotate(dir, now)?;
    if let Some(db) = store.path() {
        // Best effort, and on a connection of its own: a file left now is
        // deleted at the next backup.
        let clock = std::time::SystemTime::now();
        let _ = Connection::open_with_flags(db, OpenFlags::SQLITE_OPEN_READ_ONLY)
            .map_err(Error::from)
            .and_then(|conn| attachments::sweep(&conn, &attachments::folder(db), dir, clock));
        attachments::clear_viewer_copies(&attachments::viewer_folder(db), clock);
    }
    Ok(Some(made))
}

/// Keeps the newest [`RECENT`] backups, the newest of each of the last
/// [`DAILY`] days that have one, and of each of the [`WEEKLY`] weeks
/// before; deletes the rest. A copy kept before a restore stays [`DAILY`]
/// days, in no day's place. Backups dated after `now` (made while the clock
/// ran ahead) are kept and take no day's or week's place: taking them,
/// they had each new backup deleted as soon as it was made.
pub fn rotate(dir: &Path, now: DateTime<Utc>) -> Result<Vec<PathBuf>> {
    let all = list(dir)?;
    let mut days = Vec::new();
    let mut weeks = Vec::new();
    let mut removed = Vec::new();
    let mut recent = 0;
    for b in all {
        let at = crate::time::parse_stored_instant(&b.at)?;
        if at > now {
            continue;
        }
        let day = at.date_naive();
        let week = (at.iso_week().year(), at.iso_week().week());
        let keep = if b.before_restore {
            now - at < chrono::Duration::days(DAILY as i64)
        } else if recent < RECENT {
            recent += 1;
            if !days.contains(&day) {
                days.push(day);
            }
            true
        } else if days.len() < DAILY {
            if days.contains(&day) {
                false
            } else {
                days.push(day);
                true
            }
        } else if weeks.len() < WEEKLY
            && !weeks.contains(&week)
            && !days
                .iter()
                .any(|d: &chrono::NaiveDate| (d.iso_week().year(), d.iso_week().week()) == week)
        {
            weeks.push(week);
            true
        } else {
            false
        };
        // One that cannot go now (open in a restore, on Windows) goes at a
        // later rotation: the backup just made is not failed for it.
        if !keep && std::fs::remove_file(&b.path).is_ok() {
            removed.push(PathBuf::from(b.path));
        }
    }
    sweep(dir, std::time::SystemTime::now());
    attachments::sweep_backups(dir, std::time::SystemTime::now());
    Ok(removed)
}

/// How long a file a backup leaves beside it may stay: longer than any
/// backup or restore takes, which may be using it.
const LEFTOVER_AFTER: Duration = Duration::from_secs(60 * 60);

/// Deletes what backups left in the folder an hour or more ago: a
/// `.partial` (or a restore's `.staged` copy) a crash or a power cut left,
/// with its journal, and the `-wal` and `-shm` beside a backup opened
/// read-only (older backups were WAL files, and every check of one left a
/// pair). Best effort: a file that cannot go now goes at the next rotation.
fn sweep(dir: &Path, now: std::time::SystemTime) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.filter_map(|e| e.ok()) {
        let name = entry.file_name().to_string_lossy().into_owned();
        let ours = name.starts_with(PREFIX) || name.starts_with(BEFORE_RESTORE);
        // A `.partial` or a restore's `.staged` copy, or a journal beside
        // one of those or a backup; nothing else (an export saved here is
        // named `mission-crm-…` too).
        let (file, journal) = match ["-wal", "-shm", "-journal"]
            .iter()
            .find_map(|end| name.strip_suffix(end))
        {
            Some(file) => (file, true),
            None => (name.as_str(), false),
        };
        let copy = file.ends_with(".db.partial") || file.ends_with(".db.staged");
        let left = copy || (journal && file.ends_with(".db"));
        let old = entry
            .metadata()
            .and_then(|m| m.modified())
            .is_ok_and(|at| now.duration_since(at).unwrap_or_default() >= LEFTOVER_AFTER);
        if ours && left && old {
            let _ = std::fs::remove_file(entry.path());
        }
    }
}

/// What a restore did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
pub struct Restored {
    /// The database as it was before, kept in the backups folder.
    pub previous: BackupFile,
}

/// Replaces the database's contents with the backup at `from`: verified
/// first and made ready in a copy of its own (upgraded to this version's
/// schema, re-indexed, nothing to undo); then, with the app's writes held,
/// the current database kept as a backup and the ready copy put in by the
/// backup API as one transaction (readers see the old or the new database,
/// never a mix).
pub fn restore(store: &Store, from: &Path, dir: &Path) -> Result<Restored> {
    // Read through the connection that verified it. Opened again by name
    // after the copy below (tens of seconds at scale), a backup rotated away
    // meanwhile was created anew, empty, and "restored": an empty database.
    let source = open_verified(from)?;
    std::fs::create_dir_all(dir)?;
    let now = store.now();
    // Never over a file there (the copy being restored, from a restore in
    // the same second): a second later in name is still the same moment.
    let mut at = now;
    let mut keep = dir.join(format!("{BEFORE_RESTORE}{}.db", at.format(STAMP)));
    while keep.exists() {
        at += chrono::Duration::seconds(1);
        keep = dir.join(format!("{BEFORE_RESTORE}{}.db", at.format(STAMP)));
    }
    // Made ready beside the database, then copied in as one write. Made
    // ready in the database itself, after the copy had committed, a failure
    // (a full disk during the re-index) or a crash left the backup's data
    // with an old schema, a stale index or the backup's undo steps, and the
    // restore was reported as failed though done.
    let staged = suffixed(&keep, ".staged");
    let restored = (|| {
        // Its files first, from the folder it is in or the backups', while
        // it is read: a rotation during the staging (a minute at scale)
        // may delete it and the files only it names. Brought back, they
        // are dated now, so no sweep takes them before it goes in.
        let files = store.path().map(attachments::folder);
        if let Some(files) = &files {
            let stores = [files_store(from), attachments::backup_folder(dir)];
            attachments::bring_back(&source, files, &stores)?;
        }
        let ready = stage(&source, &staged)?;
        // The database as it is kept, then replaced, with the app's writes
        // held between: kept before the staging (a minute at a million
        // contacts), a change saved meanwhile was in neither.
        store.whole_database(|conn| {
            let previous = write_backup(conn, &keep, files.as_deref(), now)?;
            copy_into(&ready, conn)?;
            Ok(previous)
        })
    })();
    for file in ["", "-wal", "-shm", "-journal"].map(|end| suffixed(&staged, end)) {
        // Best effort: what is left is swept at a later rotation.
        let _ = std::fs::remove_file(file);
    }
    let previous = restored?;
    store.announce_reload();
    Ok(Restored { previous })
}

/// The backup read through `source`, copied to `staged` (a new file) and
/// made ready there on the connection that wrote it: this version's schema,
/// its search index, nothing to undo. Opened again by name, a file gone
/// meanwhile was made anew, empty, and restored.
fn stage(source: &Connection, staged: &Path) -> Result<Connection> {
    let mut ready = Connection::open_with_flags(
        staged,
        OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_CREATE,
    )?;
    copy_into(source, &mut ready)?;
    crate::db::make_current(&mut ready, staged)?;
    crate::search::ensure_current(&mut ready)?;
    // The backup's undo steps were made on data since replaced: Ctrl+Z
    // after a restore took back a change from inside the backup.
    forget_undo(&ready)?;
    Ok(ready)
}

/// Empties the undo stack of a database (one that has one): after a
/// restore it would take back changes inside the backup.
fn forget_undo(conn: &Connection) -> Result<()> {
    let has_undo: bool = conn.query_row(
        "SELECT EXISTS (SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = 'undo_log')",
        [],
        |r| r.get(0),
    )?;
    if has_undo {
        conn.execute("DELETE FROM undo_log", [])?;
    }
    Ok(())
}

/// Puts a backup in place of a database the store cannot open (damaged):
/// the damaged file (with its WAL) is kept in the backups folder, not
/// deleted, and the backup copied in whole before it takes the name.
pub fn replace_damaged(db_path: &Path, from: &Path) -> Result<PathBuf> {
    verify(from)?;
    let now = Utc::now();
    let dir = folder(db_path);
    std::fs::create_dir_all(&dir)?;
    let aside = dir.join(format!("damaged-{}.db", now.format(STAMP)));
    let partial = suffixed(db_path, ".partial");
    // One left by a recovery cut short is not a database to copy into.
    if partial.exists() {
        std::fs::remove_file(&partial)?;
    }
    Connection::open_with_flags(from, OpenFlags::SQLITE_OPEN_READ_ONLY)?
        .backup(MAIN_DB, &partial, None)?;
    let recovered = Connection::open(&partial)?;
    forget_undo(&recovered)?;
    let stores = [files_store(from), attachments::backup_folder(&dir)];
    attachments::bring_back(&recovered, &attachments::folder(db_path), &stores)?;
    drop(recovered);
    // Kept aside under a second name (a hard link: nothing is read or
    // copied, so a full disk or an unreadable sector does not stop it; a
    // copy where the backups folder is on another disk), not moved: until
    // the backup takes its name in one rename, a crash leaves the damaged
    // file where it was, and the app offers the recovery again. Moved, a
    // crash in between left no database, and the next start made an empty
    // one.
    for side in ["", "-wal", "-shm"] {
        let file = suffixed(db_path, side);
        if file.exists() {
            let kept = suffixed(&aside, side);
            std::fs::hard_link(&file, &kept).or_else(|_| std::fs::copy(&file, &kept).map(drop))?;
        }
    }
    // The damaged file's log must not be played into the backup. (A crash
    // right after this leaves the damaged file without its log; the log is
    // kept aside with it.)
    for side in ["-wal", "-shm"] {
        let file = suffixed(db_path, side);
        if file.exists() {
            std::fs::remove_file(&file)?;
        }
    }
    std::fs::rename(&partial, db_path)?;
    Ok(aside)
}
