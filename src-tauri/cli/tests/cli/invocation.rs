//! How the CLI is invoked: arguments, the database path, and what it
//! links.

use std::process::Command;

use serde_json::Value;

use crate::{cli, json, temp_db};

#[test]
fn bad_arguments_exit_2_with_usage_not_a_panic() {
    let (_dir, db) = temp_db();
    for args in [
        &["list", "nonsense"][..],
        &["show", "contact", "not-a-uuid"],
        &["add", "contact"],
        &["frobnicate"],
        // More than the generator takes (it aborted on the allocation).
        &["generate", "--contacts", "10000001"],
    ] {
        let out = cli(&db, args);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(
            stderr.contains("error:") && !stderr.contains("panicked"),
            "{stderr}"
        );
    }
    json(&cli(&db, &["init", "--json"]));
    let out = cli(
        &db,
        &["show", "contact", "01890a5d-ac96-774b-bcce-b302099a8057"],
    );
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("not found"));
}

#[test]
fn reading_a_database_that_does_not_exist_creates_nothing() {
    let (_dir, db) = temp_db();
    let someone = "01890a5d-ac96-774b-bcce-b302099a8057";
    for args in [
        &["--json", "list", "missions"][..],
        // A merge never succeeds on a new database (it made an empty one).
        &[
            "--json",
            "merge",
            someone,
            "01890a5d-ac96-774b-bcce-b302099a8058",
        ],
    ] {
        let out = cli(&db, args);
        assert_eq!(out.status.code(), Some(1), "{args:?}");
        let err: Value = serde_json::from_slice(&out.stderr).expect("stderr is JSON");
        assert_eq!(err["error"]["code"], "not_found", "{args:?}");
        assert!(!db.exists(), "no empty database was left behind: {args:?}");
    }
}

/// A mistyped organization is an error, not an empty list and exit 0; an
/// export to standard output with `--json` is refused (it printed the
/// file itself, not JSON).
#[test]
fn a_mistyped_filter_or_an_export_that_cannot_be_json_exits_1() {
    let (_dir, db) = temp_db();
    json(&cli(&db, &["init", "--json"]));
    let out = cli(
        &db,
        &[
            "--json",
            "list",
            "contacts",
            "--organization",
            "01890a5d-ac96-774b-bcce-b302099a8057",
        ],
    );
    assert_eq!(out.status.code(), Some(1));
    let err: Value = serde_json::from_slice(&out.stderr).expect("stderr is JSON");
    assert_eq!(err["error"]["code"], "not_found");
    // A filter the kind has not is refused (it listed everyone).
    let out = cli(&db, &["--json", "list", "contacts", "--sector", "textiles"]);
    assert_eq!(out.status.code(), Some(1));
    let err: Value = serde_json::from_slice(&out.stderr).expect("stderr is JSON");
    assert_eq!(err["error"]["field"], "sector", "{err}");
    let out = cli(&db, &["--json", "export", "csv"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(out.stdout.is_empty(), "nothing printed as if it were JSON");
    let err: Value = serde_json::from_slice(&out.stderr).expect("stderr is JSON");
    assert!(
        err["error"]["message"]
            .as_str()
            .is_some_and(|m| m.contains("--output")),
        "{err}"
    );
}

#[test]
fn the_database_path_comes_from_the_environment_when_not_given() {
    let (_dir, db) = temp_db();
    let out = Command::new(env!("CARGO_BIN_EXE_mission-crm-cli"))
        .args(["init", "--json"])
        .env("MISSION_CRM_DB", &db)
        .output()
        .expect("runs");
    assert_eq!(json(&out)["db"], db.display().to_string());
    assert!(db.exists());
}

#[test]
fn a_file_that_is_not_a_database_is_refused_with_exit_1() {
    let (_dir, db) = temp_db();
    std::fs::write(&db, vec![7u8; 4096]).expect("garbage");
    let out = cli(&db, &["list", "missions"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("corrupt"));
}

/// The engine and the CLI must build on a server with no GUI libraries.

#[test]
fn neither_the_engine_nor_the_cli_depends_on_tauri_wry_or_gtk() {
    for package in ["mission-crm-engine", "mission-crm-cli"] {
        let out = Command::new(env!("CARGO"))
            .args([
                "tree",
                "--offline",
                "-p",
                package,
                "-e",
                "normal,build",
                "--prefix",
                "none",
                "--format",
                "{p}",
            ])
            .current_dir(env!("CARGO_MANIFEST_DIR"))
            .output()
            .expect("cargo tree runs");
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let tree = String::from_utf8_lossy(&out.stdout);
        assert!(tree.contains("rusqlite"), "the tree was read: {tree}");
        for line in tree.lines() {
            let name = line.split_whitespace().next().unwrap_or("");
            assert!(
                !["tauri", "wry", "tao", "gtk", "webkit2gtk"]
                    .iter()
                    .any(|gui| name == *gui || name.starts_with(&format!("{gui}-"))),
                "{package} depends on {name}"
            );
        }
    }
}
