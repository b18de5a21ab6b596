//! The files backups keep: each backup's database names files of the data
//! folder, and the backups folder keeps them in a store of its own
//! (`backups/attachments/`, laid out as the data folder's), so a restore
//! brings back a file deleted since from the data folder. Files are linked
//! there, not copied: they never change, so a second name costs nothing.

use std::collections::HashSet;
use std::fs::File;
use std::path::{Path, PathBuf};
use std::time::SystemTime;

use rusqlite::{Connection, OpenFlags};

use super::{delete_unnamed, named, path_of};
use crate::error::{Error, Result};
use crate::store::Store;

/// Where backups keep the files their databases name: `attachments/` in
/// the backups folder.
fn backup_folder(backups: &Path) -> PathBuf {
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

/// Links each file `names` holds from the store `from` into the store
/// `to`, where `to` lacks it and `from` has it; returns how many could not
/// be (a full disk): best effort, as the database matters more.
fn link_all(names: &HashSet<String>, from: &Path, to: &Path) -> usize {
    let mut failed = 0;
    for sha256 in names {
        let (Some(source), Some(target)) = (path_of(from, sha256), path_of(to, sha256)) else {
            continue;
        };
        if source.is_file() && !target.exists() && link_or_copy(&source, &target).is_err() {
            failed += 1;
        }
    }
    failed
}

/// Each file the database `backup` names, from the data folder `live`
/// into the store of the folder the backup is written to (`attachments/`
/// there), where it is not yet: a backup restores with its files, even
/// ones deleted since from the data folder. A file the data folder does
/// not have either is left out (it was missing when the backup was made).
/// Returns how many could not be kept: the backup of the data is made
/// whatever happens to its files.
pub(crate) fn keep_with_backup(
    backup: &Connection,
    live: &Path,
    backup_dir: &Path,
) -> Result<usize> {
    Ok(link_all(&named(backup)?, live, &backup_folder(backup_dir)))
}

/// Each file the database `restored` names that the data folder `live`
/// does not have, from the stores of the folders `sources` (the one the
/// backup is in, the backups folder): before a restored database goes in,
/// so none of its files is missing that a backup kept. Returns how many it
/// names are missing still (they show as such).
pub(crate) fn bring_back(restored: &Connection, live: &Path, sources: &[&Path]) -> Result<usize> {
    let names = named(restored)?;
    for source in sources {
        link_all(&names, &backup_folder(source), live);
    }
    Ok(names
        .iter()
        .filter_map(|sha256| path_of(live, sha256))
        .filter(|p| !p.is_file())
        .count())
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

/// A full export written to `path` carries the files its data names, in
/// `attachments/` beside it (linked, as a backup written there keeps its
/// own): the export and that folder, moved to a new computer, restore
/// whole. Best effort: returns how many could not be kept.
pub fn keep_with_export(store: &Store, path: &Path) -> Result<usize> {
    let (Some(db), Some(dir)) = (store.path(), path.parent()) else {
        return Ok(0);
    };
    let names = store.read_apart(|d| named(d.conn()))?;
    Ok(link_all(&names, &super::folder(db), &backup_folder(dir)))
}

/// After the full export at `path` was restored into `store`: the files
/// its data names, from `attachments/` beside it. Returns how many it
/// names are missing still.
pub fn bring_back_with_export(store: &Store, path: &Path) -> Result<usize> {
    let (Some(db), Some(dir)) = (store.path(), path.parent()) else {
        return Ok(0);
    };
    store.read_apart(|d| bring_back(d.conn(), &super::folder(db), &[dir]))
}

/// Deletes the files of the backups folder's store that no database in
/// the folder names, an hour after they were written or linked.
pub(crate) fn sweep_backups(backups_dir: &Path, now: SystemTime) {
    if let Some(keep) = named_in_backups(backups_dir) {
        delete_unnamed(&backup_folder(backups_dir), &keep, now);
    }
}
