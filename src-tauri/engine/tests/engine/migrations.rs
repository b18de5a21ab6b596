use std::path::PathBuf;

/// Row counts of every table in a database file, by name.
fn row_counts(path: &std::path::Path) -> Vec<(String, i64)> {
    let conn = rusqlite::Connection::open(path).expect("open");
    let tables: Vec<String> = conn
        .prepare("SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")
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

/// `tests/fixtures/schema-vN-*.db` is a database made by the release that
/// shipped schema N (the demo mission, loaded by that release's CLI). Each
/// must open in this build, reach the latest schema, and keep every row.
#[test]
fn every_shipped_schema_upgrades_without_losing_a_row() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let latest = std::fs::read_dir(root.join("migrations"))
        .expect("migrations")
        .count() as i64;
    let mut fixtures: Vec<PathBuf> = std::fs::read_dir(root.join("tests/fixtures"))
        .expect("fixtures")
        .map(|e| e.expect("entry").path())
        .filter(|p| {
            p.file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.starts_with("schema-v"))
        })
        .collect();
    fixtures.sort();
    assert!(
        fixtures.len() as i64 >= latest - 1,
        "every shipped schema but the newest has a fixture: {fixtures:?}"
    );
    for fixture in fixtures {
        let dir = tempfile::tempdir().expect("dir");
        let copy = dir.path().join("old.db");
        std::fs::copy(&fixture, &copy).expect("copy");
        let before = row_counts(&copy);

        let store = mission_crm_engine::Store::open(&copy).expect("opens and upgrades");
        drop(store);

        let conn = rusqlite::Connection::open(&copy).expect("reopen");
        let version: i64 = conn
            .pragma_query_value(None, "user_version", |r| r.get(0))
            .expect("version");
        assert_eq!(version, latest, "{fixture:?}");
        let after = row_counts(&copy);
        for (table, n) in &before {
            let now = after.iter().find(|(t, _)| t == table).map(|(_, n)| *n);
            assert_eq!(now, Some(*n), "{fixture:?}: rows of {table}");
        }
        assert!(
            before.iter().any(|(t, n)| t == "contacts" && *n > 0),
            "the fixture has data"
        );
    }
}
