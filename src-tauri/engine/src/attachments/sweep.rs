//! Deleting what no one needs any longer: the files of the data folder no
//! database names (the data folder's own, or any in the backups folder),
//! an hour or more after they were written, and the copies handed to the
//! desktop's viewer a day after. Only files named as ours are ever
//! deleted.

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

use rusqlite::Connection;

use super::backups::named_in_backups;
use super::{named, path_of};
use crate::error::Result;
use crate::id::Id;

/// How long a file no row names may stay: longer than an attachment takes
/// to be written and its row committed, or a backup to link it.
const UNNAMED_AFTER: Duration = Duration::from_secs(60 * 60);

/// The files of `folder` (`ab/ab12…`, and what a write cut short left),
/// with their names and ages.
fn files(folder: &Path, now: SystemTime) -> Vec<(PathBuf, String, Duration)> {
    let mut found = Vec::new();
    let Ok(dirs) = std::fs::read_dir(folder) else {
        return found;
    };
    for entry in dirs.filter_map(|e| e.ok()) {
        let path = entry.path();
        let inner = if path.is_dir() {
            std::fs::read_dir(&path)
                .map(|d| d.filter_map(|e| e.ok()).map(|e| e.path()).collect())
                .unwrap_or_default()
        } else {
            vec![path]
        };
        for file in inner {
            let age = std::fs::metadata(&file)
                .and_then(|m| m.modified())
                .map(|at| now.duration_since(at).unwrap_or_default())
                .unwrap_or_default();
            let name = file
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            found.push((file, name, age));
        }
    }
    found
}

/// Whether a file of the folder is one this module wrote: a file named by
/// its hash, or one being written (`<hash or id>.partial`). Nothing else is
/// ever deleted: a folder the command line was pointed at may hold a
/// person's own files.
fn ours(name: &str) -> bool {
    let stem = name.strip_suffix(".partial");
    let hash = |s: &str| path_of(Path::new(""), s).is_some();
    hash(name) || stem.is_some_and(|s| hash(s) || s.parse::<Id>().is_ok())
}

/// Deletes the files of `folder` that no name in `keep` is, an hour or more
/// after they were written. Best effort: one that cannot go now goes at the
/// next sweep.
pub(super) fn delete_unnamed(folder: &Path, keep: &HashSet<String>, now: SystemTime) -> usize {
    let mut deleted = 0;
    for (file, name, age) in files(folder, now) {
        let unnamed = ours(&name) && !keep.contains(&name);
        if age >= UNNAMED_AFTER && unnamed && std::fs::remove_file(&file).is_ok() {
            deleted += 1;
        }
    }
    deleted
}

/// Deletes the files of the data folder `folder` that neither the
/// database `conn` nor any database in the backups folder `backups` names
/// any longer, and what an attach cut short left, an hour or more after
/// they were written; returns how many went. A database in the backups
/// folder that cannot be read stops it: nothing it might name is deleted.
pub fn sweep(conn: &Connection, folder: &Path, backups: &Path, now: SystemTime) -> Result<usize> {
    let Some(mut keep) = named_in_backups(backups) else {
        return Ok(0);
    };
    keep.extend(named(conn)?);
    Ok(delete_unnamed(folder, &keep, now))
}

/// How long a copy handed to the desktop's viewer stays: the viewer has
/// long read it by then.
const VIEWER_COPY_FOR: Duration = Duration::from_secs(24 * 60 * 60);

/// Deletes the copies handed to the desktop's viewer ([`super::copy_for_viewer`])
/// a day or more ago: each in a folder named by its attachment's id, and
/// nothing else in `dir` is touched.
pub fn clear_viewer_copies(dir: &Path, now: SystemTime) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.filter_map(|e| e.ok()) {
        let ours = entry.file_name().to_string_lossy().parse::<Id>().is_ok();
        let old = entry
            .metadata()
            .and_then(|m| m.modified())
            .is_ok_and(|at| now.duration_since(at).unwrap_or_default() >= VIEWER_COPY_FOR);
        if ours && old && entry.path().is_dir() {
            let _ = std::fs::remove_dir_all(entry.path());
        }
    }
}
