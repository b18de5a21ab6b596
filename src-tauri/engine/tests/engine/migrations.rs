use std::path::PathBuf;

use mission_crm_engine::store::{Entity, Source};

/// Row counts of every table in a database file, by name. FTS5's own
/// tables behind the search index (`search_index_*`) and what its hits
/// show (`search_docs`, which schema 8 keeps for records other than
/// contacts) are its storage, which a migration may change; the index
/// itself is counted, so every record is still indexed once.
fn row_counts(path: &std::path::Path) -> Vec<(String, i64)> {
    let conn = rusqlite::Connection::open(path).expect("open");
    let tables: Vec<String> = conn
        .prepare(
            "SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%'
                AND name NOT LIKE 'search_index_%' AND name <> 'search_docs' ORDER BY name",
        )
        .expect("tables")
        .query_map([], |r| r.get(0))
        .expect("query")
        .collect::<rusqlite::Result<_>>()
        .expect("names");
    tables
        .into_iter()
        .map(|t| {
            let n = conn
                .query_row(&format!("SELECT count(*) FROM \"{t}\""), [], |r| r.get(0))
                .expect("count");
            (t, n)
        })
        .collect()
}

fn version_of(name: &str, prefix: &str) -> Option<i64> {
    name.strip_prefix(prefix)?
        .split(|c: char| !c.is_ascii_digit())
        .next()?
        .parse()
        .ok()
}

/// `tests/fixtures/schema-vN-*.db`, each with its N, oldest first.
pub(crate) fn fixtures() -> Vec<(i64, PathBuf)> {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let mut fixtures: Vec<(i64, PathBuf)> = std::fs::read_dir(root.join("tests/fixtures"))
        .expect("fixtures")
        .filter_map(|e| {
            let path = e.ok()?.path();
            // Not a "-wal" or "-shm" left beside one by a tool that opened it.
            path.extension().filter(|x| *x == "db")?;
            let v = version_of(&path.file_name()?.to_string_lossy(), "schema-v")?;
            Some((v, path))
        })
        .collect();
    fixtures.sort();
    fixtures
}

/// `tests/fixtures/schema-vN-*.db` is a database made by the release that
/// shipped schema N (the demo mission, loaded by that release's CLI). Each
/// must open in this build, reach the latest schema, and keep every row.
#[test]
fn every_shipped_schema_upgrades_without_losing_a_row() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let latest = std::fs::read_dir(root.join("migrations"))
        .expect("migrations")
        .filter_map(|e| version_of(&e.ok()?.file_name().to_string_lossy(), ""))
        .max()
        .expect("at least one migration");
    let fixtures = fixtures();
    let covered: Vec<i64> = fixtures.iter().map(|(v, _)| *v).collect();
    let shipped: Vec<i64> = (1..latest).collect();
    assert!(
        shipped.iter().all(|v| covered.contains(v)),
        "every shipped schema before the newest has a fixture: have {covered:?}, need {shipped:?}"
    );
    for (shipped_as, fixture) in fixtures {
        let dir = tempfile::tempdir().expect("dir");
        let copy = dir.path().join("old.db");
        std::fs::copy(&fixture, &copy).expect("copy");
        let before = row_counts(&copy);
        // Schema 8 moved each contact's first e-mail and phone onto its row.
        let firsts_before = if shipped_as < 8 {
            first_addresses(&copy, "contact_emails", "address")
                .into_iter()
                .chain(first_addresses(&copy, "contact_phones", "e164"))
                .collect::<Vec<_>>()
        } else {
            Vec::new()
        };
        // The app opens such a file with its window up, saying so.
        assert!(
            mission_crm_engine::db::upgrade_pending(&copy),
            "{fixture:?}: an upgrade is pending"
        );

        let store = mission_crm_engine::Store::open(&copy).expect("opens and upgrades");
        assert!(
            !mission_crm_engine::db::upgrade_pending(&copy),
            "{fixture:?}: upgraded"
        );
        // An upgraded file's index still finds its records, and shows them.
        let (id, name): (mission_crm_engine::Id, String) = rusqlite::Connection::open(&copy)
            .expect("open")
            .query_row(
                "SELECT id, full_name FROM contacts WHERE deleted_at IS NULL LIMIT 1",
                [],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .expect("a contact");
        let hits = store
            .read(|db| {
                mission_crm_engine::search::search(
                    db,
                    &mission_crm_engine::search::SearchQuery {
                        text: name.clone(),
                        ..Default::default()
                    },
                )
            })
            .expect("search");
        assert!(
            hits.iter().any(|h| h.id == id && h.title == name),
            "{fixture:?}: {name} not found: {hits:?}"
        );
        // What was in the trash still is, on the first page.
        let conn = rusqlite::Connection::open(&copy).expect("open");
        let trashed: i64 = mission_crm_engine::trash::tables()
            .map(|table| {
                conn.query_row(
                    &format!("SELECT count(*) FROM {table} WHERE deleted_at IS NOT NULL"),
                    [],
                    |r| r.get::<_, i64>(0),
                )
                .expect("trashed")
            })
            .sum();
        assert_eq!(
            crate::trash_items(&store).len() as i64,
            trashed,
            "{fixture:?}"
        );
        // A person an import created still shows that import on their
        // timeline (schema 10 reads it by import, not by record).
        let imported: Vec<mission_crm_engine::Id> = conn
            .prepare(
                "SELECT entity_id FROM import_items
                  WHERE entity = 'contact' AND action = 'created' ORDER BY entity_id",
            )
            .expect("items")
            .query_map([], |r| r.get(0))
            .expect("query")
            .collect::<rusqlite::Result<_>>()
            .expect("ids");
        assert!(
            shipped_as < 7 || !imported.is_empty(),
            "{fixture:?} has imported people"
        );
        for person in imported {
            let timeline = store
                .read(|db| mission_crm_engine::history::for_record(db, Entity::Contact, person))
                .expect("timeline");
            assert!(
                timeline.iter().any(|e| e.source == Source::Import
                    && e.after.as_ref().and_then(|a| a.get("file_name")).is_some()),
                "{fixture:?}: {person}'s import: {timeline:#?}"
            );
        }
        drop(store);

        let version: i64 = conn
            .pragma_query_value(None, "user_version", |r| r.get(0))
            .expect("version");
        assert_eq!(version, latest, "{fixture:?}");
        let after = row_counts(&copy);
        for (table, n) in &before {
            let now = after.iter().find(|(t, _)| t == table).map(|(_, n)| *n);
            // Schema 8 moved each contact's first e-mail and phone onto its
            // row (checked below).
            let moved = firsts_before.iter().filter(|(t, ..)| t == table).count() as i64;
            assert_eq!(now, Some(*n - moved), "{fixture:?}: rows of {table}");
        }
        assert!(
            before.iter().any(|(t, n)| t == "contacts" && *n > 0),
            "the fixture has data"
        );
        // Each contact's first e-mail and phone, with its label, is on its
        // row, and only there.
        assert!(
            shipped_as >= 8 || !firsts_before.is_empty(),
            "{fixture:?} has addresses"
        );
        for (table, contact, value, label) in &firsts_before {
            let (value_column, label_column) = if table == "contact_emails" {
                ("primary_email", "primary_email_label")
            } else {
                ("primary_phone", "primary_phone_label")
            };
            let on_row: (String, String) = conn
                .query_row(
                    &format!("SELECT {value_column}, {label_column} FROM contacts WHERE id = ?1"),
                    [contact],
                    |r| Ok((r.get(0)?, r.get(1)?)),
                )
                .expect("the contact");
            assert_eq!(&on_row, &(value.clone(), label.clone()), "{fixture:?}");
        }
        let without: i64 = conn
            .query_row(
                "SELECT count(*) FROM contacts
                  WHERE (primary_email IS NULL AND EXISTS
                           (SELECT 1 FROM contact_emails e WHERE e.contact_id = contacts.id))
                     OR (primary_phone IS NULL AND EXISTS
                           (SELECT 1 FROM contact_phones p WHERE p.contact_id = contacts.id))",
                [],
                |r| r.get(0),
            )
            .expect("count");
        assert_eq!(without, 0, "{fixture:?}: a further address without a first");
        // Schema 8 keeps each live contact's name key on its row, and only
        // a live one's.
        let (live_without, trashed_with): (i64, i64) = conn
            .query_row(
                "SELECT count(*) FILTER (WHERE deleted_at IS NULL AND name_key IS NULL),
                        count(*) FILTER (WHERE deleted_at IS NOT NULL AND name_key IS NOT NULL)
                   FROM contacts",
                [],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .expect("count");
        assert_eq!(
            (live_without, trashed_with),
            (0, 0),
            "{fixture:?}: name keys"
        );
        // Schema 13 brings every sort key to the engine's rules.
        for (table, column) in [("contacts", "full_name"), ("organizations", "name")] {
            let stale: Vec<(String, String)> = conn
                .prepare(&format!("SELECT {column}, sort_name FROM {table}"))
                .expect("names")
                .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
                .expect("query")
                .collect::<rusqlite::Result<Vec<(String, String)>>>()
                .expect("rows")
                .into_iter()
                .filter(|(name, key)| *key != mission_crm_engine::model::sort_key(name))
                .collect();
            assert!(stale.is_empty(), "{fixture:?}: {table}: {stale:?}");
        }
    }
}

/// Each contact's first address in `table` (lowest position) in a file
/// from before schema 8: (table, contact, address, label).
fn first_addresses(
    path: &std::path::Path,
    table: &str,
    column: &str,
) -> Vec<(String, Vec<u8>, String, String)> {
    let conn = rusqlite::Connection::open(path).expect("open");
    let mut stmt = conn
        .prepare(&format!(
            "SELECT contact_id, {column}, label FROM {table} x
              WHERE position = (SELECT min(position) FROM {table} y
                                 WHERE y.contact_id = x.contact_id)"
        ))
        .expect("firsts");
    let rows = stmt
        .query_map([], |r| {
            Ok((table.to_owned(), r.get(0)?, r.get(1)?, r.get(2)?))
        })
        .expect("query")
        .collect::<rusqlite::Result<_>>()
        .expect("rows");
    rows
}

/// What the app asks before it opens a file: only a file that will take
/// long to open (an older schema, a search index from other folding rules)
/// is opened after the window.
#[test]
fn an_upgrade_is_pending_only_for_an_older_schema_or_search_index() {
    use mission_crm_engine::db::upgrade_pending;
    let dir = tempfile::tempdir().expect("dir");
    let path = dir.path().join("crm.db");
    assert!(!upgrade_pending(&path), "no file yet: a new one is quick");
    assert!(!path.exists(), "asking creates nothing");
    drop(mission_crm_engine::Store::open(&path).expect("new"));
    assert!(!upgrade_pending(&path), "current");
    rusqlite::Connection::open(&path)
        .expect("open")
        .execute("UPDATE search_meta SET version = version - 1", [])
        .expect("an index from older rules");
    assert!(upgrade_pending(&path), "the index is rebuilt at open");
    drop(mission_crm_engine::Store::open(&path).expect("rebuilds"));
    assert!(!upgrade_pending(&path), "rebuilt");
    let junk = dir.path().join("junk.db");
    std::fs::write(&junk, b"not a database").expect("write");
    assert!(!upgrade_pending(&junk), "its open fails at once");
}

/// The app defers the page check, but not for a file it must migrate: a
/// migration writes, and must not write into a damaged file.
#[test]
fn a_damaged_file_is_refused_before_its_migration_even_when_the_check_is_deferred() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let dir = tempfile::tempdir().expect("dir");
    let copy = dir.path().join("old.db");
    std::fs::copy(root.join("tests/fixtures/schema-v3-demo.db"), &copy).expect("copy");
    // The last page: data or index, not the schema the open reads.
    let len = std::fs::metadata(&copy).expect("size").len();
    refused_before_writing(&copy, len - 4096, 4096, "the migration");
}

/// Overwrites `len` bytes at `at` of the file at `path`, then checks that
/// opening it the app's way (page check deferred) refuses it as damaged
/// and writes no page after the first: opening may switch the journal to
/// WAL (two bytes of the header), `what` must not write.
fn refused_before_writing(path: &std::path::Path, at: u64, len: usize, what: &str) {
    use std::io::{Seek, SeekFrom, Write};
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .open(path)
        .expect("open");
    file.seek(SeekFrom::Start(at)).expect("seek");
    file.write_all(&vec![0xA5; len]).expect("overwrite");
    drop(file);
    let damaged = std::fs::read(path).expect("bytes");

    let err = mission_crm_engine::Store::open_deferring_check(path)
        .map(|_| ())
        .expect_err("checked first");
    assert_eq!(err.code(), mission_crm_engine::ErrorCode::Corrupt, "{err}");
    let after = std::fs::read(path).expect("bytes");
    assert!(
        after.len() == damaged.len() && after[4096..] == damaged[4096..],
        "{what} wrote into the damaged file"
    );
}

/// Schema 11 starts the undo stack afresh: an entry recorded before schema
/// 8 moved first addresses onto the row would, taken back, put an address
/// in both places.
#[test]
fn an_upgrade_to_schema_11_empties_the_undo_stack() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let dir = tempfile::tempdir().expect("dir");
    let copy = dir.path().join("old.db");
    std::fs::copy(root.join("tests/fixtures/schema-v10-demo.db"), &copy).expect("copy");
    let stack = |path: &std::path::Path| -> i64 {
        rusqlite::Connection::open(path)
            .expect("open")
            .query_row("SELECT count(*) FROM undo_log", [], |r| r.get(0))
            .expect("count")
    };
    rusqlite::Connection::open(&copy)
        .expect("open")
        .execute(
            "INSERT INTO undo_log (at, changes, inverse)
             VALUES ('2024-01-01T00:00:00.000Z', '[]', x'00')",
            [],
        )
        .expect("an entry from before");
    assert_eq!(stack(&copy), 1);
    drop(mission_crm_engine::Store::open(&copy).expect("upgraded"));
    assert_eq!(stack(&copy), 0);
}

/// Likewise a file whose search index is built anew at open (new folding
/// rules): the rebuild rewrites the index and every contact's name key.
#[test]
fn a_damaged_file_is_refused_before_its_search_index_is_rebuilt() {
    let dir = tempfile::tempdir().expect("dir");
    let path = dir.path().join("crm.db");
    let store = mission_crm_engine::Store::open(&path).expect("store");
    store
        .write(Source::Demo, mission_crm_engine::demo::load)
        .expect("demo");
    drop(store);
    let conn = rusqlite::Connection::open(&path).expect("open");
    conn.execute_batch("DELETE FROM search_meta; PRAGMA journal_mode = DELETE;")
        .expect("index from other rules");
    // A page the rebuild never reads (the history's), so only the page
    // check can find it damaged.
    let (page, size): (u64, u64) = conn
        .query_row(
            "SELECT rootpage, (SELECT page_size FROM pragma_page_size())
               FROM sqlite_schema WHERE name = 'history'",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .expect("the history's page");
    drop(conn);
    refused_before_writing(&path, (page - 1) * size, size as usize, "the rebuild");
}
