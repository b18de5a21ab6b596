use std::io::{Seek, SeekFrom, Write};
use std::path::Path;
use std::sync::Arc;

use chrono::{Duration, TimeZone, Utc};
use mission_crm_engine::backup;
use mission_crm_engine::export::{self, ExportFormat, ExportRequest};
use mission_crm_engine::import::{self, ImportOptions};
use mission_crm_engine::model::contact;
use mission_crm_engine::undo::{self, UndoOutcome};
use mission_crm_engine::{demo, ErrorCode, Source, Store};

use super::{contact_named, count};

fn json_of(store: &Store) -> String {
    let mut out = Vec::new();
    store
        .read(|db| {
            export::export(
                db,
                &ExportRequest {
                    format: ExportFormat::Json,
                    kind: None,
                    mission_id: None,
                    separator: None,
                },
                store.now(),
                &mut out,
            )
        })
        .expect("export");
    // The export's own timestamp differs by design; the data must not.
    let mut v: serde_json::Value = serde_json::from_slice(&out).expect("json");
    v["exported_at"] = serde_json::Value::Null;
    v.to_string()
}

fn demo_store(path: &Path) -> Store {
    let store = Store::open(path).expect("store");
    store.write(Source::Demo, demo::load).expect("demo");
    store
}

#[test]
fn a_backup_is_verified_and_holds_the_same_data() {
    let dir = tempfile::tempdir().expect("dir");
    let store = demo_store(&dir.path().join("crm.db"));
    let copy = dir.path().join("copy.db");
    let made = backup::backup_to(&store, &copy).expect("backup");
    assert!(made.size_bytes > 0);
    backup::verify(&copy).expect("verified");
    assert!(!dir.path().join("copy.db.partial").exists());
    assert_eq!(
        json_of(&Store::open(&copy).expect("open copy")),
        json_of(&store)
    );
}

/// A backup is one file: checking it, or restoring from it, leaves nothing
/// beside it; and what backups left before (a crash's `.partial`, the
/// `-wal` and `-shm` of a copy opened read-only) goes at the next rotation
/// once an hour old, while a backup under way keeps its files.
#[test]
fn backups_leave_no_files_beside_them_and_old_leftovers_are_swept() {
    let dir = tempfile::tempdir().expect("dir");
    let db = dir.path().join("crm.db");
    let store = demo_store(&db);
    let folder = backup::folder(&db);
    let made = backup::automatic(&store, &folder, std::time::Duration::ZERO)
        .expect("backup")
        .expect("made");
    backup::verify(Path::new(&made.path)).expect("verified");
    backup::restore(&store, Path::new(&made.path), &folder).expect("restored");
    let names = |folder: &Path| {
        let mut names: Vec<String> = std::fs::read_dir(folder)
            .expect("folder")
            .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    };
    let files = names(&folder);
    assert_eq!(
        files.len(),
        2,
        "the backup and the copy before the restore: {files:?}"
    );

    let hour_ago = std::time::SystemTime::now() - std::time::Duration::from_secs(61 * 60);
    let stale = [
        "mission-crm-2026-01-01T090000.db.partial",
        "mission-crm-2026-01-01T090000.db.partial-shm",
        "mission-crm-2026-01-01T090000.db.partial-journal",
        "before-restore-2026-01-03T090000.db.staged",
        "mission-crm-2026-01-02T090000.db-wal",
        "before-restore-2026-01-03T090000.db-shm",
    ];
    for name in stale {
        let file = std::fs::File::create(folder.join(name)).expect("leftover");
        file.set_modified(hour_ago).expect("dated");
    }
    let under_way = "mission-crm-2026-01-04T090000.db.partial";
    std::fs::File::create(folder.join(under_way)).expect("a backup under way");
    // An export the user saved here is theirs, however old.
    let export = "mission-crm-backup-2026-01-01.json";
    let file = std::fs::File::create(folder.join(export)).expect("an export");
    file.set_modified(hour_ago).expect("dated");
    backup::rotate(&folder, store.now()).expect("rotated");
    let mut expected = files.clone();
    expected.push(under_way.to_owned());
    expected.push(export.to_owned());
    expected.sort();
    assert_eq!(names(&folder), expected);
}

#[test]
fn automatic_backups_are_made_when_due_and_rotated() {
    let dir = tempfile::tempdir().expect("dir");
    let db = dir.path().join("crm.db");
    let folder = backup::folder(&db);
    let start = Utc
        .with_ymd_and_hms(2026, 1, 1, 9, 0, 0)
        .single()
        .expect("instant");
    let at = |hours: i64| {
        let t = start + Duration::hours(hours);
        Arc::new(move || t)
    };
    let store = demo_store(&db).with_clock(at(0));
    assert!(backup::automatic(&store, &folder, backup::EVERY)
        .expect("first")
        .is_some());
    let store = store.with_clock(at(1));
    assert!(backup::automatic(&store, &folder, backup::EVERY)
        .expect("not due")
        .is_none());
    // Six weeks of use, a backup every 5 hours: the newest three (the last
    // two on the last day), then 7 days and 4 weeks are kept.
    let mut store = store;
    for h in (5..6 * 7 * 24).step_by(5) {
        store = store.with_clock(at(h));
        backup::automatic(&store, &folder, backup::EVERY).expect("backup");
    }
    let kept = backup::list(&folder).expect("list");
    let ats = kept.iter().map(|b| b.at.as_str()).collect::<Vec<_>>();
    assert_eq!(kept.len(), 12, "{ats:#?}");
    assert_eq!(
        ats[..3],
        [
            "2026-02-12T06:00:00.000Z",
            "2026-02-12T01:00:00.000Z",
            "2026-02-11T20:00:00.000Z"
        ]
    );
    let days: std::collections::HashSet<_> = kept.iter().map(|b| &b.at[..10]).collect();
    assert_eq!(days.len(), 11, "beyond them, one per day or week");
}

/// A clock once set years ahead left a backup dated then; read as the
/// newest, it held every automatic backup off until that date.
#[test]
fn a_backup_dated_ahead_of_the_clock_holds_no_backup_off() {
    let dir = tempfile::tempdir().expect("dir");
    let db = dir.path().join("crm.db");
    let folder = backup::folder(&db);
    let at = |year: i32, hour: u32| {
        let t = Utc
            .with_ymd_and_hms(year, 1, 1, hour, 0, 0)
            .single()
            .expect("instant");
        Arc::new(move || t)
    };
    let store = demo_store(&db).with_clock(at(2030, 9));
    assert!(backup::automatic(&store, &folder, backup::EVERY)
        .expect("while the clock was wrong")
        .is_some());
    let store = store.with_clock(at(2026, 9));
    assert!(
        backup::automatic(&store, &folder, backup::EVERY)
            .expect("clock put right")
            .is_some(),
        "the backup dated 2030 does not count as recent"
    );
    let store = store.with_clock(at(2026, 10));
    assert!(
        backup::automatic(&store, &folder, backup::EVERY)
            .expect("an hour later")
            .is_none(),
        "and the one just made does"
    );
    // Nor does it take a day's place in the rotation: a week of daily
    // backups is kept beside it.
    let mut store = store;
    for day in 2..=9 {
        let t = Utc
            .with_ymd_and_hms(2026, 1, day, 9, 0, 0)
            .single()
            .expect("instant");
        store = store.with_clock(Arc::new(move || t));
        backup::automatic(&store, &folder, backup::EVERY).expect("daily");
    }
    let kept = backup::list(&folder).expect("list");
    assert_eq!(
        kept.iter().filter(|b| b.at.starts_with("2026")).count(),
        7,
        "{:#?}",
        kept.iter().map(|b| &b.at).collect::<Vec<_>>()
    );
    assert!(kept.iter().any(|b| b.at.starts_with("2030")), "kept aside");
}

#[test]
fn a_restore_keeps_the_current_database_first_and_replaces_it_whole() {
    let dir = tempfile::tempdir().expect("dir");
    let db = dir.path().join("crm.db");
    let store = demo_store(&db);
    // A change made before the backup, on its undo stack.
    store
        .write(Source::App, |tx| {
            contact::create(tx, &contact_named("Added before the backup"))
        })
        .expect("write");
    let saved = dir.path().join("saved.db");
    backup::backup_to(&store, &saved).expect("backup");
    let before = json_of(&store);
    store
        .write(Source::App, |tx| {
            contact::create(tx, &contact_named("Added after the backup"))
        })
        .expect("write");
    let after = json_of(&store);

    let restored = backup::restore(&store, &saved, &backup::folder(&db)).expect("restore");
    assert_eq!(json_of(&store), before);
    let previous = Store::open(Path::new(&restored.previous.path)).expect("kept copy");
    assert_eq!(json_of(&previous), after, "the database as it was is kept");
    assert!(count(&store, "contacts") > 0);
    // Ctrl+Z after a restore took back the change made before the backup.
    assert_eq!(
        store.write(Source::App, undo::undo_last).expect("undo"),
        UndoOutcome::Nothing
    );
    assert_eq!(json_of(&store), before);
    // The copy kept is listed, so a restore of the wrong backup is taken
    // back the same way.
    let listed = backup::list(&backup::folder(&db)).expect("list");
    assert!(
        listed
            .iter()
            .any(|b| b.path == restored.previous.path && b.before_restore),
        "{listed:#?}"
    );
    backup::restore(
        &store,
        Path::new(&restored.previous.path),
        &backup::folder(&db),
    )
    .expect("restore the copy");
    assert_eq!(json_of(&store), after);
}

/// A backup made by an older release is restored at this release's schema
/// and searchable: it is made ready in a copy of its own before it goes
/// in, and nothing is left beside it.
#[test]
fn a_backup_from_every_older_schema_is_restored_upgraded_and_searchable() {
    for (version, fixture) in super::migrations::fixtures() {
        let dir = tempfile::tempdir().expect("dir");
        let db = dir.path().join("crm.db");
        let store = Store::open(&db).expect("store");
        let folder = backup::folder(&db);
        std::fs::create_dir_all(&folder).expect("folder");
        let old = folder.join("mission-crm-2023-10-01T090000.db");
        std::fs::copy(&fixture, &old).expect("an old backup");
        backup::restore(&store, &old, &folder).expect("restored");
        let hits = store
            .read(|db| {
                mission_crm_engine::search::search(
                    db,
                    &mission_crm_engine::search::SearchQuery {
                        text: "Ashgabat".into(),
                        entity: None,
                        limit: None,
                    },
                )
            })
            .expect("search");
        assert!(!hits.is_empty(), "schema {version}: the demo is found");
        assert!(
            count(&store, "missions") > 0,
            "schema {version}: the demo's mission"
        );
        let mut left: Vec<String> = std::fs::read_dir(&folder)
            .expect("folder")
            .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
            .filter(|n| !n.starts_with("mission-crm-2023"))
            .collect();
        left.retain(|n| !n.ends_with(".db"));
        assert_eq!(
            left,
            Vec::<String>::new(),
            "schema {version}: nothing beside"
        );
    }
}

/// "Back up now" after a bad edit made the newest backup of the day, and
/// rotation deleted that morning's good one at once. A copy kept before a
/// restore stays a week, in no day's place, then goes.
#[test]
fn a_backup_asked_for_keeps_the_days_earlier_ones_and_copies_before_restores_stay_a_week() {
    let dir = tempfile::tempdir().expect("dir");
    let db = dir.path().join("crm.db");
    let folder = backup::folder(&db);
    let at = |day: u32, hour: u32| {
        let t = Utc
            .with_ymd_and_hms(2026, 1, day, hour, 0, 0)
            .single()
            .expect("instant");
        Arc::new(move || t)
    };
    let store = demo_store(&db).with_clock(at(1, 8));
    let morning = backup::automatic(&store, &folder, backup::EVERY)
        .expect("08:00")
        .expect("made");
    let store = store.with_clock(at(1, 11));
    backup::automatic(&store, &folder, std::time::Duration::ZERO)
        .expect("now")
        .expect("made");
    let kept = backup::list(&folder).expect("list");
    assert_eq!(kept.len(), 2, "{kept:#?}");
    assert_eq!(kept[1].path, morning.path);

    let store = store.with_clock(at(1, 12));
    let restored = backup::restore(&store, Path::new(&morning.path), &folder).expect("restore");
    // Many backups later, within the week, the copy is still there...
    let mut store = store;
    for (day, hour) in [(1, 16), (1, 20), (2, 9), (3, 9), (4, 9), (5, 9)] {
        store = store.with_clock(at(day, hour));
        backup::automatic(&store, &folder, backup::EVERY).expect("backup");
    }
    let paths =
        |kept: Vec<backup::BackupFile>| kept.into_iter().map(|b| b.path).collect::<Vec<_>>();
    assert!(paths(backup::list(&folder).expect("list")).contains(&restored.previous.path));
    // ...and a week after the restore it goes.
    let store = store.with_clock(at(8, 13));
    backup::automatic(&store, &folder, backup::EVERY).expect("backup");
    assert!(!paths(backup::list(&folder).expect("list")).contains(&restored.previous.path));
}

/// Random pages of a real database overwritten: opening says so (no
/// panic), and the newest good backup takes its place.
#[test]
fn a_damaged_database_is_reported_and_replaced_by_a_backup() {
    let dir = tempfile::tempdir().expect("dir");
    let db = dir.path().join("crm.db");
    let store = demo_store(&db);
    store
        .write(Source::App, |tx| {
            contact::create(tx, &contact_named("Added before the backup"))
        })
        .expect("write");
    let good = backup::automatic(&store, &backup::folder(&db), backup::EVERY)
        .expect("backup")
        .expect("made");
    let expected = json_of(&store);
    drop(store);
    let size = std::fs::metadata(&db).expect("size").len();
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .open(&db)
        .expect("open");
    let mut state = 7_u64;
    for _ in 0..6 {
        state = state
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1);
        let page = 1 + (state >> 33) % (size / 4096 - 1);
        file.seek(SeekFrom::Start(page * 4096)).expect("seek");
        file.write_all(&[0xA5; 4096]).expect("overwrite");
    }
    drop(file);

    let err = Store::open(&db).map(|_| ()).expect_err("damaged");
    assert_eq!(err.code(), ErrorCode::Corrupt, "{err}");
    // The app's way (opened at once, the pages read beside it) refuses it
    // too, at the open or at the check.
    let err = Store::open_deferring_check(&db)
        .and_then(|s| s.check_pages())
        .expect_err("damaged, found by the deferred check");
    assert_eq!(err.code(), ErrorCode::Corrupt, "{err}");
    assert!(
        err.message().contains("restore a backup"),
        "{}",
        err.message()
    );
    assert_eq!(
        backup::verify(&db).expect_err("damaged").code(),
        ErrorCode::Corrupt
    );

    let newest = &backup::list(&backup::folder(&db)).expect("list")[0];
    assert_eq!(newest.path, good.path);
    let aside = backup::replace_damaged(&db, Path::new(&newest.path)).expect("replace");
    assert!(aside.exists(), "the damaged file is kept aside");
    let store = Store::open(&db).expect("opens again");
    assert_eq!(json_of(&store), expected);
    assert_eq!(
        store.write(Source::App, undo::undo_last).expect("undo"),
        UndoOutcome::Nothing,
        "nothing from inside the backup to undo"
    );
}

#[test]
fn a_file_that_is_not_a_database_is_refused_clearly() {
    let dir = tempfile::tempdir().expect("dir");
    let path = dir.path().join("notes.db");
    std::fs::write(&path, "These are my notes, not a database.\n".repeat(200)).expect("write");
    let err = Store::open(&path).map(|_| ()).expect_err("not a database");
    assert_eq!(err.code(), ErrorCode::Corrupt);
    let err = backup::verify(&path).expect_err("not a database");
    assert_eq!(err.code(), ErrorCode::Corrupt);
}

/// A full disk (the file capped with max_page_count): the import fails
/// with a clear message, nothing of it is written, and the store works on.
#[test]
fn a_full_disk_fails_the_write_whole_and_the_store_keeps_working() {
    let dir = tempfile::tempdir().expect("dir");
    let store = demo_store(&dir.path().join("crm.db"));
    let before = json_of(&store);
    let pages: u32 = store.read(|db| db.page_count()).expect("pages");
    store.set_max_pages(pages + 20).expect("cap");
    let file = dir.path().join("big.csv");
    let mut text = String::from("Name,Email,Notes\n");
    for i in 0..5000 {
        text.push_str(&format!(
            "Person {i},p{i}@example.com,{}\n",
            "long note ".repeat(20)
        ));
    }
    std::fs::write(&file, text).expect("csv");
    let err = import::run(&store, &file, &ImportOptions::default(), false, &mut |_| {
        true
    })
    .expect_err("disk full");
    assert_eq!(err.code(), ErrorCode::Storage, "{err}");
    assert!(
        err.message().contains("nothing of it was written")
            && err.message().contains("free some disk space"),
        "{}",
        err.message()
    );
    assert_eq!(json_of(&store), before, "nothing half written");
    store
        .write(Source::App, |tx| {
            contact::create(tx, &contact_named("Still works"))
        })
        .expect("a small write fits");
}

/// A file that cannot be opened (its folder gone, as when a drive is taken
/// out) is not a full disk: the advice is to look at the file.
#[test]
fn a_file_that_cannot_be_opened_is_not_called_a_full_disk() {
    let dir = tempfile::tempdir().expect("dir");
    let path = dir.path().join("gone").join("crm.db");
    let err =
        rusqlite::Connection::open_with_flags(&path, rusqlite::OpenFlags::SQLITE_OPEN_READ_WRITE)
            .expect_err("no such file");
    let err = mission_crm_engine::Error::from(err);
    assert_eq!(err.code(), ErrorCode::Storage, "{err}");
    assert!(
        err.message().contains("may be written to") && !err.message().contains("disk space"),
        "{}",
        err.message()
    );
}
