//! The files a copy of the database keeps beside it, so that the copy
//! restores whole: each names files of the data folder, laid out as the
//! data folder is. The app's backups share one store, `attachments/` in
//! the backups folder; a backup or a full export saved anywhere else keeps
//! its files in `<its file name>-attachments/` beside it, as the database
//! keeps its own (a generic `attachments/` in a person's folder would mix
//! with theirs, or with the store of a backups folder it was saved in).
//! Files are linked, not copied: they never change, so a second name costs
//! nothing. Brought in from a copy, a file is taken only if it is what its
//! name says (its SHA-256) and a file of its own, not a link elsewhere.

use std::collections::HashSet;
use std::fs::File;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::time::SystemTime;

use rusqlite::{Connection, OpenFlags};
use sha2::{Digest, Sha256};

use super::sweep::delete_unnamed;
use super::{folder, named, named_live, path_of};
use crate::error::{Error, Result};
use crate::store::Store;

/// The store the app's backups share: `attachments/` in the backups folder.
pub(crate) fn backup_folder(backups: &Path) -> PathBuf {
    backups.join("attachments")
}

/// Puts `from` at `to` as a second name for the same file (a hard link:
/// nothing is copied; a copy where the folders are on different disks),
/// under a temporary name until it is all there; then dated now. A link
/// shares its file's time, months old maybe, and a sweep spares only files
/// written within the hour: one linked for a backup under way, or brought
/// back for a restore that has not gone in yet, must count as new.
fn link_or_copy(from: &Path, to: &Path) -> Result<()> {
    if let Some(dir) = to.parent() {
        std::fs::create_dir_all(dir)?;
    }
    if std::fs::hard_link(from, to).is_err() {
        let partial = to.with_extension("partial");
        let copied = std::fs::copy(from, &partial)
            .and_then(|_| File::open(&partial)?.sync_all())
            .and_then(|()| std::fs::rename(&partial, to));
        if copied.is_err() {
            let _ = std::fs::remove_file(&partial);
        }
        copied?;
    }
    File::options()
        .append(true)
        .open(to)?
        .set_modified(SystemTime::now())?;
    Ok(())
}

/// Whether the file at `path` is a file of its own (not a link to one
/// elsewhere) whose SHA-256 is `sha256`.
fn is_intact(path: &Path, sha256: &str) -> bool {
    let own_file = std::fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_file());
    let hashed = || -> std::io::Result<String> {
        let mut file = File::open(path)?;
        let mut hasher = Sha256::new();
        let mut buf = vec![0; 64 * 1024];
        loop {
            let n = file.read(&mut buf)?;
            if n == 0 {
                break;
            }
            hasher.update(&buf[..n]);
        }
        Ok(hasher
            .finalize()
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect())
    };
    own_file && hashed().is_ok_and(|h| h == sha256)
}

/// What `link_all` did.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Linked {
    /// Files `to` has now, of those asked for.
    pub there: usize,
    /// Files asked for that `to` does not have: not in `from`, not what
    /// their name says, or not written (a full disk).
    pub left_out: usize,
}

/// Links each file `names` holds from the store `from` into the store
/// `to`, where `to` lacks it and `from` has it (intact, when `check`: a
/// store not the app's own); best effort, as the database matters more.
fn link_all(names: &HashSet<String>, from: &Path, to: &Path, check: bool) -> Linked {
    let mut linked = Linked::default();
    for sha256 in names {
        let (Some(source), Some(target)) = (path_of(from, sha256), path_of(to, sha256)) else {
            continue;
        };
        let there = target.is_file()
            || (source.is_file()
                && (!check || is_intact(&source, sha256))
                && link_or_copy(&source, &target).is_ok());
        if there {
            linked.there += 1;
        } else {
            linked.left_out += 1;
        }
    }
    linked
}

/// Each file the database `backup` names, from the data folder `live`
/// into `store` (the backups folder's, or one beside a backup saved
/// elsewhere), where it is not yet: a backup restores with its files, even
/// ones deleted since from the data folder. Best effort: the backup of the
/// data is made whatever happens to its files.
pub(crate) fn keep_with_backup(backup: &Connection, live: &Path, store: &Path) -> Result<Linked> {
    Ok(link_all(&named(backup)?, live, store, false))
}

/// Each file the database `restored` names that the data folder `live`
/// does not have, from the `stores` (beside the backup, the backups
/// folder's), checked: before a restored database goes in, so none of its
/// files is missing that a copy kept. Returns how many it names are missing
/// still (they show as such).
pub(crate) fn bring_back(restored: &Connection, live: &Path, stores: &[PathBuf]) -> Result<usize> {
    let names = named(restored)?;
    for store in stores {
        link_all(&names, store, live, true);
    }
    Ok(present(&named_live(restored)?, live).left_out)
}

/// How many of `names` the store `folder` has, and lacks.
fn present(names: &HashSet<String>, folder: &Path) -> Linked {
    let there = names
        .iter()
        .filter_map(|sha256| path_of(folder, sha256))
        .filter(|p| p.is_file())
        .count();
    Linked {
        there,
        left_out: names.len() - there,
    }
}

/// A full export written to `path` from `db` carries the files its data
/// names, in `<its file name>-attachments/` beside it: the export and that
/// folder, moved to a new computer, restore whole. Nothing for a database
/// in memory.
pub(crate) fn keep_with_export(
    store: &Store,
    db: &crate::store::Db<'_>,
    path: &Path,
) -> Result<Linked> {
    let Some(db_path) = store.path() else {
        return Ok(Linked::default());
    };
    let beside = folder(path);
    link_all(&named(db.conn())?, &folder(db_path), &beside, false);
    // Told of the files on records, not of those taken off (carried too).
    Ok(present(&named_live(db.conn())?, &beside))
}

/// After the full export at `path` was restored into `store`: the files
/// its data names, from `<its file name>-attachments/` beside it, checked.
/// Returns how many it names are missing still.
pub fn bring_back_with_export(store: &Store, path: &Path) -> Result<usize> {
    let Some(db) = store.path() else {
        return Ok(0);
    };
    store.read_apart(|d| bring_back(d.conn(), &folder(db), &[folder(path)]))
}

/// The files the databases in the folder `dir` name: every backup, kept
/// before a restore, set aside as damaged, named by hand, or being
/// written. `None` if one of them cannot be read: then nothing they might
/// name is deleted.
pub(crate) fn named_in_backups(dir: &Path) -> Option<HashSet<String>> {
    let mut names = HashSet::new();
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Some(names);
    };
    for entry in entries.filter_map(|e| e.ok()) {
        let name = entry.file_name().to_string_lossy().into_owned();
        if !(name.ends_with(".db") || name.ends_with(".db.partial") || name.ends_with(".db.staged"))
        {
            continue;
        }
        let conn = Connection::open_with_flags(entry.path(), OpenFlags::SQLITE_OPEN_READ_ONLY);
        names.extend(conn.map_err(Error::from).and_then(|c| named(&c)).ok()?);
    }
    Some(names)
}

/// Deletes the files of the backups folder's store that no database in
/// the folder names, an hour after they were written or linked.
pub(crate) fn sweep_backups(backups_dir: &Path, now: SystemTime) {
    if let Some(keep) = named_in_backups(backups_dir) {
        delete_unnamed(&backup_folder(backups_dir), &keep, now);
    }
}
