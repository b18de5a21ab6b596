//! What the app benchmark reads of running programs and their files from
//! /proc and the file system: their processes, memory and mapped files.

use std::collections::{BTreeSet, HashMap};
use std::path::{Path, PathBuf};

/// The processes of the running `program`: it and its descendants (the
/// WebKit web and network processes).
pub fn processes(program: &Path) -> Vec<u32> {
    let target = program.canonicalize().unwrap_or_else(|_| program.into());
    let mut parents: HashMap<u32, u32> = HashMap::new();
    let mut roots = Vec::new();
    for entry in std::fs::read_dir("/proc").into_iter().flatten().flatten() {
        let Ok(pid) = entry.file_name().to_string_lossy().parse::<u32>() else {
            continue;
        };
        if std::fs::read_link(entry.path().join("exe")).ok().as_deref() == Some(&target) {
            roots.push(pid);
        }
        // The parent is the field after the ")" closing the command name.
        if let Ok(stat) = std::fs::read_to_string(entry.path().join("stat")) {
            if let Some(ppid) = stat
                .rsplit_once(')')
                .and_then(|(_, rest)| rest.split_whitespace().nth(1))
                .and_then(|p| p.parse().ok())
            {
                parents.insert(pid, ppid);
            }
        }
    }
    let mut all: BTreeSet<u32> = roots.into_iter().collect();
    loop {
        let more: Vec<u32> = parents
            .iter()
            .filter(|(pid, ppid)| all.contains(ppid) && !all.contains(pid))
            .map(|(pid, _)| *pid)
            .collect();
        if more.is_empty() {
            break;
        }
        all.extend(more);
    }
    all.into_iter().collect()
}

/// The proportional set size of `pids` together, in MB: shared pages are
/// split between the processes sharing them, so libraries count once.
pub fn pss_mb(pids: &[u32]) -> f64 {
    let kb: u64 = pids
        .iter()
        .filter_map(|pid| std::fs::read_to_string(format!("/proc/{pid}/smaps_rollup")).ok())
        .filter_map(|rollup| {
            rollup
                .lines()
                .find(|l| l.starts_with("Pss:"))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|kb| kb.parse::<u64>().ok())
        })
        .sum();
    kb as f64 / 1024.0
}

/// Every file the processes have mapped (program, libraries, data).
pub fn mapped_files(pids: &[u32]) -> BTreeSet<PathBuf> {
    pids.iter()
        .filter_map(|pid| std::fs::read_to_string(format!("/proc/{pid}/maps")).ok())
        .flat_map(|maps| {
            maps.lines()
                .filter_map(|l| l.split_whitespace().nth(5).map(PathBuf::from))
                .filter(|p| p.is_absolute() && p.is_file())
                .collect::<Vec<_>>()
        })
        .collect()
}

/// Every file below `dir` (the profile: WebKit's caches and storage).
pub fn files_under(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut dirs = vec![dir.to_owned()];
    while let Some(d) = dirs.pop() {
        for entry in std::fs::read_dir(&d).into_iter().flatten().flatten() {
            let path = entry.path();
            if path.is_dir() {
                dirs.push(path);
            } else {
                out.push(path);
            }
        }
    }
    out
}
