//! Backups, restores and damaged files.

use serde_json::Value;

use crate::{cli, everything, json, temp_db};

#[test]
fn backup_wipe_restore_gives_back_identical_data() {
    let (dir, db) = temp_db();
    json(&cli(&db, &["--json", "demo"]));
    let before = everything(&db);
    let made = json(&cli(&db, &["--json", "backup"]));
    let file = made["path"].as_str().expect("path").to_owned();
    assert!(file.contains("/backups/mission-crm-"), "{file}");
    assert_eq!(
        json(&cli(&db, &["--json", "backups"]))[0]["path"],
        made["path"]
    );

    // Wiped: the file and its WAL gone, a new empty database in its place.
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", db.display()));
    }
    json(&cli(&db, &["--json", "init"]));
    assert_ne!(everything(&db), before);
    let restored = json(&cli(&db, &["--json", "restore", &file]));
    assert!(restored["previous"]
        .as_str()
        .expect("previous")
        .contains("before-restore-"));
    assert_eq!(everything(&db), before);
    assert!(dir.path().join("backups").is_dir());
}

#[test]
fn check_reports_a_damaged_file_and_restore_replaces_it() {
    use std::io::{Seek, SeekFrom, Write};
    let (dir, db) = temp_db();
    json(&cli(&db, &["--json", "demo"]));
    assert_eq!(json(&cli(&db, &["--json", "check"]))["ok"], true);
    let good = dir.path().join("good.db");
    json(&cli(
        &db,
        &["--json", "backup", good.to_str().expect("path")],
    ));
    let before = everything(&db);

    let size = std::fs::metadata(&db).expect("size").len();
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .open(&db)
        .expect("open");
    for page in [2, size / 4096 / 2, size / 4096 - 1] {
        file.seek(SeekFrom::Start(page * 4096)).expect("seek");
        file.write_all(&[0x5A; 4096]).expect("overwrite");
    }
    drop(file);
    let out = cli(&db, &["--json", "check"]);
    assert_eq!(out.status.code(), Some(1), "damaged is not ok");
    let err: Value = serde_json::from_slice(&out.stderr).expect("JSON error");
    assert_eq!(err["error"]["code"], "corrupt");
    assert!(err["error"]["message"]
        .as_str()
        .expect("message")
        .contains("restore a backup"));
    let added = cli(&db, &["--json", "add", "organization", "--name", "Refused"]);
    assert_eq!(added.status.code(), Some(1), "no panic, a message");

    json(&cli(
        &db,
        &["--json", "restore", good.to_str().expect("path")],
    ));
    assert_eq!(json(&cli(&db, &["--json", "check"]))["ok"], true);
    assert_eq!(everything(&db), before);
}

/// A command that only reads skips the page check (seconds at a million
/// contacts); one that writes still makes it. So a damaged page fails the
/// reads that touch it, with the same advice, and every write.
#[test]
fn reads_skip_the_page_check_and_a_damaged_page_fails_those_that_touch_it() {
    use std::io::{Seek, SeekFrom, Write};
    let (_dir, db) = temp_db();
    json(&cli(&db, &["--json", "demo"]));
    let (root, page_size): (u64, u64) = {
        let conn = rusqlite::Connection::open(&db).expect("open");
        let root = conn
            .query_row(
                "SELECT rootpage FROM sqlite_schema WHERE name = 'contacts'",
                [],
                |r| r.get(0),
            )
            .expect("the contacts table's first page");
        let size = conn
            .query_row("PRAGMA page_size", [], |r| r.get(0))
            .expect("page size");
        (root, size)
    };
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .open(&db)
        .expect("open");
    file.seek(SeekFrom::Start((root - 1) * page_size))
        .expect("seek");
    file.write_all(&vec![0x5A; usize::try_from(page_size).expect("size")])
        .expect("overwrite");
    drop(file);

    let missions = json(&cli(&db, &["--json", "list", "missions"]));
    assert_eq!(missions.as_array().map(Vec::len), Some(1), "{missions}");

    let listed = cli(&db, &["--json", "list", "contacts"]);
    assert_eq!(listed.status.code(), Some(1));
    let err: Value = serde_json::from_slice(&listed.stderr).expect("JSON error");
    assert_eq!(err["error"]["code"], "corrupt");
    assert!(
        err["error"]["message"]
            .as_str()
            .expect("message")
            .contains("restore a backup"),
        "{err}"
    );

    let added = cli(
        &db,
        &[
            "--json",
            "add",
            "organization",
            "--name",
            "Nothing touches contacts",
        ],
    );
    assert_eq!(
        added.status.code(),
        Some(1),
        "a write checks every page first"
    );
    let err: Value = serde_json::from_slice(&added.stderr).expect("JSON error");
    assert_eq!(err["error"]["code"], "corrupt");
}
