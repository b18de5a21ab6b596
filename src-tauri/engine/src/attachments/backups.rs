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

/// Where backups keep the files their databases name: `attachments/` in
/// the backups folder.
fn backup_folder(backups: &Path) -> PathBuf {
    backups.join("attachments")
}

/// Puts `from` at `to` as a second name for the same file (a hard link:
/// nothing is copied; a copy where the folders are on different disks),
/// under a temporary name until it is all there.
fn link_or_copy(from: &Path, to: &Path) -> Result<()> {
    if let Some(dir) = to.parent() {
        std::fs::create_dir_all(dir)?;
    }
    if std::fs::hard_link(from, to).is_ok() {
        return Ok(());
    }
    let partial = to.with_extension("partial");
    let copied = std::fs::copy(from, &partial)
        .and_then(|_| File::open(&partial)?.sync_all())
        .and_then(|()| std::fs::rename(&partial, to));
    if copied.is_err() {
        let _ = std::fs::remove_file(&partial);
    }
    Ok(copied?)
}

/// Each file the database `backup` names, from the data folder `live`
/// into the backups folder's store, where it is not yet: a backup restores
/// with its files, even ones deleted since from the data folder. A file
/// the data folder does not have either is left out (it was missing when
/// the backup was made).
pub(crate) fn keep_with_backup(backup: &Connection, live: &Path, backups: &Path) -> Result<()> {
    let store = backup_folder(backups);
    for sha256 in named(backup)? {
        let (Some(from), Some(to)) = (path_of(live, &sha256), path_of(&store, &sha256)) else {
            continue;
        };
        if from.is_file() && !to.exists() {
            link_or_copy(&from, &to)?;
        }
    }
    Ok(())
}

/// Each file the database `restored` names that the data folder `live`
/// does not have, from the backups folder's store: before a restored
/// database goes in, so none of its files is missing that a backup kept.
pub(crate) fn bring_back(restored: &Connection, live: &Path, backups: &Path) -> Result<()> {
    let store = backup_folder(backups);
    for sha256 in named(restored)? {
        let (Some(from), Some(to)) = (path_of(&store, &sha256), path_of(live, &sha256)) else {
            continue;
        };
        if from.is_file() && !to.exists() {
            link_or_copy(&from, &to)?;
        }
    }
    Ok(())
}

/// Deletes the files of the backups folder's store that none of the
/// `backups` (database files) names. A backup that cannot be read keeps
/// every file: better kept than lost.
pub(crate) fn sweep_backups(backups_dir: &Path, backups: &[PathBuf], now: SystemTime) {
    let mut keep = HashSet::new();
    for backup in backups {
        let names = Connection::open_with_flags(backup, OpenFlags::SQLITE_OPEN_READ_ONLY)
            .map_err(Error::from)
            .and_then(|conn| named(&conn));
        match names {
            Ok(names) => keep.extend(names),
            Err(_) => return,
        }
    }
    delete_unnamed(&backup_folder(backups_dir), &keep, now);
}
