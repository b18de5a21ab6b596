//! Background care of the database while the app runs: automatic backups
//! (at start, then whenever the newest is older than `backup::EVERY`), and
//! noticing writes by other processes (the CLI beside the open window)
//! through SQLite's `data_version`, so the window shows them.

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use mission_crm_engine::{backup, Store};

/// How often another process's commits are looked for: cheap (one pragma),
/// and soon enough that a CLI write shows up while one looks.
const DATA_VERSION_EVERY: Duration = Duration::from_secs(1);
/// How often the backup schedule is looked at.
const BACKUP_EVERY: Duration = Duration::from_secs(10 * 60);
const FIRST_BACKUP_AFTER: Duration = Duration::from_secs(20);

pub fn start(store: Arc<Store>, db_path: PathBuf) {
    let watched = store.clone();
    let spawned = std::thread::Builder::new()
        .name("data-version".into())
        .spawn(move || {
            let mut seen = watched.data_version().ok();
            loop {
                std::thread::sleep(DATA_VERSION_EVERY);
                let now = watched.data_version().ok();
                if now.is_some() && now != seen {
                    seen = now;
                    watched.announce_reload();
                }
            }
        });
    if let Err(e) = spawned {
        eprintln!("mission-crm: writes by other programs will show after a restart: {e}");
    }
    let folder = backup::folder(&db_path);
    let spawned = std::thread::Builder::new()
        .name("backups".into())
        .spawn(move || {
            crate::background_priority();
            // Not in the first seconds: the window's first paint comes first.
            std::thread::sleep(FIRST_BACKUP_AFTER);
            loop {
                if let Err(e) = backup::automatic(&store, &folder, backup::EVERY) {
                    eprintln!("mission-crm: automatic backup failed: {e}");
                }
                std::thread::sleep(BACKUP_EVERY);
            }
        });
    if let Err(e) = spawned {
        eprintln!("mission-crm: automatic backups are off: {e}");
    }
}
