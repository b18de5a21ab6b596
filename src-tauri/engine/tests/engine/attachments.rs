use std::fs::File;
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

use mission_crm_engine::attachments::{self, Attachment, MAX_BYTES};
use mission_crm_engine::backup;
use mission_crm_engine::history;
use mission_crm_engine::model::contact;
use mission_crm_engine::undo::{self, UndoOutcome};
use mission_crm_engine::{trash, ChangeOp, Entity, ErrorCode, Id, Source, Store};

use super::contact_named;

/// A JPEG's first bytes, then `body`: enough for the type to be read.
fn jpeg(dir: &Path, name: &str, body: &str) -> PathBuf {
    let path = dir.join(name);
    let mut bytes = vec![0xFF, 0xD8, 0xFF, 0xE0];
    bytes.extend_from_slice(body.as_bytes());
    std::fs::write(&path, bytes).expect("write the picture");
    path
}

fn person(store: &Store, name: &str) -> Id {
    store
        .write(Source::App, |tx| contact::create(tx, &contact_named(name)))
        .expect("contact")
        .id
}

fn attach(store: &Store, db: &Path, id: Id, file: &Path) -> mission_crm_engine::Result<Attachment> {
    let folder = attachments::folder(db);
    let stored = attachments::store_file(&folder, file)?;
    let name = file.file_name().map(|n| n.to_string_lossy().into_owned());
    store.write(Source::App, |tx| {
        attachments::add(
            tx,
            &folder,
            Entity::Contact,
            id,
            &name.unwrap_or_default(),
            &stored,
        )
    })
}

fn listed(store: &Store, db: &Path, id: Id) -> Vec<Attachment> {
    let folder = attachments::folder(db);
    store
        .read(|db| attachments::list(db, Some(&folder), Entity::Contact, id))
        .expect("list")
}

/// The files in the attachments folder (or a backups folder's), by name.
fn files_in(folder: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(folder)
        .into_iter()
        .flatten()
        .filter_map(|e| e.ok())
        .flat_map(|e| std::fs::read_dir(e.path()).into_iter().flatten())
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

/// A database in a folder of its own with a person in it, their card's
/// photo attached, and the card's file in the data folder.
struct Carded {
    dir: tempfile::TempDir,
    db: PathBuf,
    store: Store,
    id: Id,
    card: Attachment,
    live: PathBuf,
}

fn carded() -> Carded {
    let dir = tempfile::tempdir().expect("dir");
    let db = dir.path().join("crm.db");
    let store = Store::open(&db).expect("store");
    let id = person(&store, "Aina Bek");
    let card = attach(&store, &db, id, &jpeg(dir.path(), "card.jpg", "card")).expect("attach");
    let (_, live) = store
        .read(|d| attachments::file(d, &attachments::folder(&db), card.id))
        .expect("its file");
    Carded {
        dir,
        db,
        store,
        id,
        card,
        live,
    }
}

fn later(hours: u64) -> SystemTime {
    SystemTime::now() + Duration::from_secs(hours * 60 * 60)
}

#[test]
fn a_file_is_attached_by_its_content_and_stored_once() {
    let dir = tempfile::tempdir().expect("dir");
    let db = dir.path().join("crm.db");
    let store = Store::open(&db).expect("store");
    let (a, b) = (person(&store, "Мерген Мусина"), person(&store, "Aina Bek"));
    let card = jpeg(dir.path(), "визитка.jpg", "the card");

    let first = attach(&store, &db, a, &card).expect("attach");
    assert_eq!(first.file_name, "визитка.jpg");
    assert_eq!(first.media_type, "image/jpeg");
    assert!(
        first.shown && first.opens,
        "drawn in the window, opened in the viewer"
    );
    assert_eq!(first.size_bytes, 12);
    assert!(!first.missing);
    assert_eq!(listed(&store, &db, a), vec![first.clone()]);
    // The same card on a second person: a second row, one file.
    attach(&store, &db, b, &card).expect("again");
    let stored = files_in(&attachments::folder(&db));
    assert_eq!(stored.len(), 1, "{stored:?}");
    assert_eq!(stored[0].len(), 64, "named by its SHA-256: {stored:?}");
    let (_, path) = store
        .read(|d| attachments::file(d, &attachments::folder(&db), first.id))
        .expect("its file");
    assert_eq!(
        std::fs::read(path).expect("read"),
        std::fs::read(&card).expect("read")
    );
    // A PDF is told by its bytes, whatever its name says.
    let pdf = dir.path().join("memorandum.jpg");
    std::fs::write(&pdf, b"%PDF-1.7 the memorandum").expect("write");
    let memorandum = attach(&store, &db, a, &pdf).expect("pdf");
    assert_eq!(memorandum.media_type, "application/pdf");
    assert!(!memorandum.shown && memorandum.opens, "opened, not drawn");
    let script = dir.path().join("photo.jpg.desktop");
    std::fs::write(&script, b"[Desktop Entry]\nExec=rm -rf ~").expect("write");
    let odd = attach(&store, &db, a, &script).expect("any file");
    assert_eq!(odd.media_type, "application/octet-stream");
    assert!(!attachments::opens_in_viewer(&odd.media_type));
    assert!(!odd.shown && !odd.opens);
}

#[test]
fn what_cannot_be_attached_is_refused_and_leaves_nothing() {
    let dir = tempfile::tempdir().expect("dir");
    let db = dir.path().join("crm.db");
    let store = Store::open(&db).expect("store");
    let id = person(&store, "Aina Bek");
    let folder = attachments::folder(&db);

    let big = dir.path().join("scan.pdf");
    File::create(&big)
        .and_then(|f| f.set_len(MAX_BYTES + 1))
        .expect("a large file");
    let err = attach(&store, &db, id, &big).expect_err("too large");
    assert_eq!(err.code(), ErrorCode::InvalidFile);
    assert!(err.message().contains("100 MB"), "{}", err.message());
    let err = attach(&store, &db, id, dir.path()).expect_err("a folder");
    assert_eq!(err.code(), ErrorCode::InvalidFile);
    let err = attach(&store, &db, id, &dir.path().join("gone.jpg")).expect_err("no file");
    assert_eq!(err.code(), ErrorCode::InvalidFile);
    assert!(files_in(&folder).is_empty());
    assert!(std::fs::read_dir(&folder)
        .into_iter()
        .flatten()
        .all(|e| e.map(|e| e.path().is_dir()).unwrap_or(false)));

    // On a person in the trash, or on what takes no files: no row.
    let card = jpeg(dir.path(), "card.jpg", "card");
    store
        .write(Source::App, |tx| trash::delete(tx, Entity::Contact, id))
        .expect("trash");
    let err = attach(&store, &db, id, &card).expect_err("in the trash");
    assert_eq!(err.code(), ErrorCode::NotFound);
    let stored = attachments::store_file(&folder, &card).expect("stored");
    let err = store
        .write(Source::App, |tx| {
            attachments::add(tx, &folder, Entity::Note, id, "card.jpg", &stored)
        })
        .expect_err("a note takes no files");
    assert_eq!(err.code(), ErrorCode::InvalidFile);
    let rows: i64 = rusqlite::Connection::open(&db)
        .and_then(|c| c.query_row("SELECT count(*) FROM attachments", [], |r| r.get(0)))
        .expect("count");
    assert_eq!(rows, 0);
}

#[test]
fn a_removed_file_comes_back_with_ctrl_z_and_only_unnamed_files_are_swept() {
    let dir = tempfile::tempdir().expect("dir");
    let db = dir.path().join("crm.db");
    let store = Store::open(&db).expect("store");
    let id = person(&store, "Aina Bek");
    let folder = attachments::folder(&db);
    let kept = attach(&store, &db, id, &jpeg(dir.path(), "kept.jpg", "kept")).expect("attach");
    store
        .write(Source::App, |tx| attachments::remove(tx, kept.id))
        .expect("remove");
    assert!(listed(&store, &db, id).is_empty());
    // The notice names the file ("“kept.jpg” is back"); it was blank.
    assert!(matches!(
        store.write(Source::App, undo::undo_last).expect("undo"),
        UndoOutcome::Undone {
            entity: Entity::Attachment,
            label,
            ..
        } if label == "kept.jpg"
    ));
    assert_eq!(listed(&store, &db, id), vec![kept.clone()]);
    // The person's timeline tells of the file, newest first: attached,
    // taken off, put back.
    let timeline: Vec<(Entity, ChangeOp, String)> = store
        .read(|d| history::for_record(d, Entity::Contact, id))
        .expect("timeline")
        .into_iter()
        .map(|e| {
            let name = e.after.as_ref().or(e.before.as_ref());
            let name = name
                .and_then(|v| v["file_name"].as_str())
                .unwrap_or_default();
            (e.entity, e.op, name.to_owned())
        })
        .collect();
    let file = |op| (Entity::Attachment, op, "kept.jpg".to_owned());
    assert_eq!(
        timeline[..3],
        [
            file(ChangeOp::Restore),
            file(ChangeOp::Delete),
            file(ChangeOp::Insert)
        ]
    );
    assert_eq!(timeline[3].0, Entity::Contact);
    // Removed again: in the trash, its file stays.
    store
        .write(Source::App, |tx| attachments::remove(tx, kept.id))
        .expect("remove");

    // An attachment taken back: its file is named by no row.
    attach(&store, &db, id, &jpeg(dir.path(), "undone.jpg", "undone")).expect("attach");
    store.write(Source::App, undo::undo_last).expect("undo");
    // A person's own file in the folder, which is not ours to delete.
    std::fs::write(folder.join("notes.txt"), "mine").expect("write");
    assert_eq!(files_in(&folder).len(), 2);

    let conn = rusqlite::Connection::open(&db).expect("conn");
    let backups = backup::folder(&db);
    assert_eq!(
        attachments::sweep(&conn, &folder, &backups, SystemTime::now()).expect("sweep"),
        0,
        "not an hour old"
    );
    assert_eq!(
        attachments::sweep(&conn, &folder, &backups, later(2)).expect("sweep"),
        1
    );
    let (_, path) = store
        .write(Source::App, |tx| {
            undo::undo_last(tx)?;
            Ok(())
        })
        .and_then(|()| store.read(|d| attachments::file(d, &folder, kept.id)))
        .expect("the removed file is still there");
    assert!(path.is_file());
    assert!(folder.join("notes.txt").is_file());
}

/// A backup keeps the files its database names (linked, not copied), a
/// restore brings back those the data folder lost, and the backups'
/// store keeps only what a kept backup names.
#[test]
fn backups_keep_their_files_and_a_restore_brings_them_back() {
    let Carded {
        dir: _dir,
        db,
        store,
        id,
        card,
        live,
    } = carded();
    let folder = attachments::folder(&db);
    let backups = backup::folder(&db);
    let saved = backup::automatic(&store, &backups, backup::EVERY)
        .expect("backup")
        .expect("made");
    assert_eq!(files_in(&backups.join("attachments")), files_in(&folder));

    // The file is lost from the data folder (deleted by hand), then the
    // backup is restored: its file comes back.
    let path = live;
    std::fs::remove_file(&path).expect("lose it");
    assert!(listed(&store, &db, id)[0].missing);
    let err = store
        .read(|d| attachments::file(d, &folder, card.id))
        .expect_err("missing");
    assert_eq!(err.code(), ErrorCode::NotFound);
    backup::restore(&store, Path::new(&saved.path), &backups).expect("restore");
    assert!(!listed(&store, &db, id)[0].missing);
    assert_eq!(std::fs::read(&path).expect("back"), b"\xFF\xD8\xFF\xE0card");

    // Once no backup kept names it (and it is an hour old), the backups'
    // copy goes; one a kept backup names stays.
    for b in backup::list(&backups).expect("list") {
        std::fs::remove_file(&b.path).expect("delete the backup");
    }
    let kept = files_in(&backups.join("attachments"));
    assert_eq!(kept.len(), 1);
    backup::rotate(&backups, store.now()).expect("rotate");
    assert_eq!(
        files_in(&backups.join("attachments")),
        kept,
        "not an hour old"
    );
    let linked = backups
        .join("attachments")
        .join(&kept[0][..2])
        .join(&kept[0]);
    File::options()
        .append(true)
        .open(&linked)
        .and_then(|f| f.set_modified(SystemTime::now() - Duration::from_secs(7200)))
        .expect("age it");
    backup::automatic(&store, &backups, backup::EVERY).expect("a new backup");
    assert_eq!(
        files_in(&backups.join("attachments")),
        kept,
        "the new backup names it"
    );
    for b in backup::list(&backups).expect("list") {
        std::fs::remove_file(&b.path).expect("delete the backup");
    }
    backup::rotate(&backups, store.now()).expect("rotate");
    assert!(files_in(&backups.join("attachments")).is_empty());
    assert!(path.is_file(), "the data folder's own stays");
}

/// A row naming a path out of the folder (a hand-edited database, a full
/// export restored) reads as a missing file: no path is made from it.
#[test]
fn a_stored_hash_that_is_not_one_names_no_file() {
    let dir = tempfile::tempdir().expect("dir");
    let db = dir.path().join("crm.db");
    let store = Store::open(&db).expect("store");
    let id = person(&store, "Aina Bek");
    let secret = dir.path().join("secret.txt");
    std::fs::write(&secret, "secret").expect("write");
    let conn = rusqlite::Connection::open(&db).expect("conn");
    let odd = Id::new();
    conn.execute(
        "INSERT INTO attachments (id, entity, entity_id, file_name, media_type, size_bytes,
                                  sha256, stored_path, created_at)
         VALUES (?1, 'contact', ?2, 'secret.txt', 'image/png', 6, ?3, ?3,
                 '2026-01-01T00:00:00.000Z')",
        rusqlite::params![odd, id, secret.to_string_lossy()],
    )
    .expect("insert");
    assert!(listed(&store, &db, id)[0].missing);
    let err = store
        .read(|d| attachments::file(d, &attachments::folder(&db), odd))
        .expect_err("no path");
    assert_eq!(err.code(), ErrorCode::NotFound);
}

/// What the sweeps must spare: a file only a database in the backups
/// folder names (a damaged one set aside by a recovery, a backup named by
/// hand), and a file linked a moment ago, whose link is as old as the file.
#[test]
fn files_named_by_any_database_in_the_backups_folder_are_kept() {
    let Carded {
        dir: _dir,
        db,
        store,
        id: _,
        card: _,
        live,
    } = carded();
    let folder = attachments::folder(&db);
    let backups = backup::folder(&db);
    // A backup of the database as it is, renamed by the user in the
    // backups folder (no longer one the app lists); then the attachment is
    // taken back in the database.
    let made = backup::automatic(&store, &backups, backup::EVERY)
        .expect("backup")
        .expect("made");
    std::fs::rename(&made.path, backups.join("before-the-trip.db")).expect("rename");
    store.write(Source::App, undo::undo_last).expect("undo");
    let store_copy = files_in(&backups.join("attachments"));
    assert_eq!(store_copy.len(), 1);
    let aged = |path: &Path| {
        File::options()
            .append(true)
            .open(path)
            .and_then(|f| f.set_modified(SystemTime::now() - Duration::from_secs(7200)))
            .expect("age it")
    };
    aged(&live);

    // Named by nothing but the backup made by hand: both copies stay.
    let conn = rusqlite::Connection::open(&db).expect("conn");
    assert_eq!(
        attachments::sweep(&conn, &folder, &backups, SystemTime::now()).expect("sweep"),
        0
    );
    backup::rotate(&backups, store.now()).expect("rotate");
    assert_eq!(files_in(&backups.join("attachments")), store_copy);
    // A database there that cannot be read (cut short, damaged beyond
    // reading) stops the sweep: nothing it might name is deleted.
    std::fs::rename(
        backups.join("before-the-trip.db"),
        backups.join("damaged-2026-01-01T000000.db"),
    )
    .expect("rename");
    std::fs::write(backups.join("cut.db"), b"not a database").expect("write");
    assert_eq!(
        attachments::sweep(&conn, &folder, &backups, SystemTime::now()).expect("sweep"),
        0
    );
    std::fs::remove_file(backups.join("cut.db")).expect("remove");
    assert_eq!(
        attachments::sweep(&conn, &folder, &backups, SystemTime::now()).expect("sweep"),
        0,
        "named by the damaged database kept aside"
    );
    std::fs::remove_file(backups.join("damaged-2026-01-01T000000.db")).expect("remove");
    assert_eq!(
        attachments::sweep(&conn, &folder, &backups, SystemTime::now()).expect("sweep"),
        1,
        "named by none"
    );
}

/// A backup written outside the backups folder keeps its files beside it
/// (`<its name>-attachments/`), and a restore from it brings them back, dated
/// now: linked, they would carry the file's old time, and a sweep before
/// the restore went in would take them.
#[test]
fn a_backup_elsewhere_keeps_its_files_beside_it_and_a_restore_dates_them_now() {
    let Carded {
        dir: _dir,
        db,
        store,
        id,
        card: _,
        live,
    } = carded();
    let folder = attachments::folder(&db);
    let usb = tempfile::tempdir().expect("another disk");
    let copy = usb.path().join("crm.db");
    backup::backup_to(&store, &copy).expect("backup");
    let beside = attachments::folder(&copy);
    assert_eq!(files_in(&beside), files_in(&folder));
    assert!(
        !usb.path().join("attachments").exists(),
        "not a folder of a generic name"
    );
    let name = live.file_name().expect("a name").to_owned();
    std::fs::remove_file(&live).expect("lose it");
    // The copy beside the backup, made two hours ago.
    let kept = beside.join(&name.to_string_lossy()[..2]).join(&name);
    File::options()
        .append(true)
        .open(&kept)
        .and_then(|f| f.set_modified(SystemTime::now() - Duration::from_secs(7200)))
        .expect("age it");
    backup::restore(&store, &copy, &backup::folder(&db)).expect("restore");
    assert!(live.is_file(), "brought back from beside the backup");
    let age = std::fs::metadata(&live)
        .and_then(|m| m.modified())
        .map(|at| SystemTime::now().duration_since(at).unwrap_or_default())
        .expect("its time");
    assert!(age < Duration::from_secs(600), "dated now: {age:?}");

    // A file beside a copy that is not what its name says (changed since,
    // or put there by hand) is not taken in: the file stays missing.
    std::fs::remove_file(&live).expect("lose it again");
    // (The copy kept before the first restore keeps a good one too.)
    std::fs::remove_dir_all(backup::folder(&db).join("attachments")).expect("no other copy");
    std::fs::remove_file(&kept).expect("unlink");
    std::fs::write(&kept, b"something else").expect("tamper");
    backup::restore(&store, &copy, &backup::folder(&db)).expect("restore");
    assert!(!live.exists(), "a changed file is not taken for the card");
    assert!(listed(&store, &db, id)[0].missing);
}

/// Two databases in one folder keep their files apart: one's sweep never
/// sees the other's.
#[test]
fn two_databases_in_one_folder_keep_their_files_apart() {
    let dir = tempfile::tempdir().expect("dir");
    let (work, test) = (dir.path().join("work.db"), dir.path().join("test.db"));
    let work_store = Store::open(&work).expect("work");
    let id = person(&work_store, "Aina Bek");
    attach(
        &work_store,
        &work,
        id,
        &jpeg(dir.path(), "card.jpg", "card"),
    )
    .expect("attach");
    Store::open(&test).expect("test");
    assert_ne!(attachments::folder(&work), attachments::folder(&test));
    let conn = rusqlite::Connection::open(&test).expect("conn");
    attachments::sweep(
        &conn,
        &attachments::folder(&test),
        &backup::folder(&test),
        later(2),
    )
    .expect("sweep");
    assert_eq!(files_in(&attachments::folder(&work)).len(), 1);
}
