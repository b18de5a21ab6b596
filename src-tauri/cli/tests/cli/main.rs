//! The CLI as a user runs it: a real binary on a real database file. The
//! helpers here run it; each module tests one part of what it does.

mod invocation;
mod records;
mod safety;
mod transfer;

use std::path::Path;
use std::process::{Command, Output};

use serde_json::Value;

fn cli(db: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_mission-crm-cli"))
        .arg("--db")
        .arg(db)
        .args(args)
        .env_remove("MISSION_CRM_DB")
        .output()
        .expect("the CLI runs")
}

fn json(out: &Output) -> Value {
    assert!(
        out.status.success(),
        "failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("stdout is JSON")
}

/// Adds a mission (Turkmenistan, 1–5 October 2023, USD) and returns its id.
fn add_mission(db: &Path, name: &str) -> String {
    let m = json(&cli(
        db,
        &[
            "--json",
            "add",
            "mission",
            "--name",
            name,
            "--host-country",
            "TM",
            "--start",
            "2023-10-01",
            "--end",
            "2023-10-05",
            "--time-zone",
            "Asia/Ashgabat",
            "--base-currency",
            "USD",
        ],
    ));
    m["id"].as_str().expect("id").to_owned()
}

fn temp_db() -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = tempfile::tempdir().expect("temp dir");
    let db = dir.path().join("crm.db");
    (dir, db)
}

fn fixture(name: &str) -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../engine/tests/fixtures/import")
        .join(name)
}

/// The export of everything, without its own timestamp.
fn everything(db: &Path) -> Value {
    let out = cli(db, &["export", "json"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let mut v: Value = serde_json::from_slice(&out.stdout).expect("json");
    v["exported_at"] = Value::Null;
    v
}
