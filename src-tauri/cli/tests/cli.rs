//! The CLI as a user runs it: a real binary on a real database file.

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

#[test]
fn the_demo_totals_three_million_dollars_in_cents_with_thirty_delegation_companies() {
    let (_dir, db) = temp_db();
    json(&cli(&db, &["--json", "demo"]));

    let ledger = json(&cli(&db, &["list", "agreements", "--json"]));
    assert_eq!(
        ledger["totals"],
        serde_json::json!([{ "base_currency": "USD", "base_amount_minor": 300_000_000, "base_exponent": 2, "count": 9 }])
    );
    let summed: i64 = ledger["agreements"]
        .as_array()
        .expect("agreements")
        .iter()
        .map(|a| {
            a["base_amount_minor"]
                .as_i64()
                .expect("integer minor units")
        })
        .sum();
    assert_eq!(summed, 300_000_000);

    let orgs = json(&cli(&db, &["list", "organizations", "--json"]));
    let delegation = orgs
        .as_array()
        .expect("array")
        .iter()
        .filter(|o| o["side"] == "delegation")
        .count();
    assert_eq!(delegation, 30);
}

#[test]
fn demo_if_empty_does_not_load_twice() {
    let (_dir, db) = temp_db();
    json(&cli(&db, &["demo", "--if-empty", "--json"]));
    let second = json(&cli(&db, &["demo", "--if-empty", "--json"]));
    assert_eq!(second["loaded"], false);
    assert_eq!(
        json(&cli(&db, &["list", "missions", "--json"]))
            .as_array()
            .map(Vec::len),
        Some(1)
    );
}

#[test]
fn add_then_show_round_trips_through_the_database() {
    let (_dir, db) = temp_db();
    let mission_id = &add_mission(&db, "Astana to Ashgabat");
    let org = json(&cli(
        &db,
        &[
            "--json",
            "add",
            "organization",
            "--name",
            "State Commodity Exchange",
            "--kind",
            "exchange",
            "--country",
            "TM",
            "--mission",
            mission_id,
            "--side",
            "host",
        ],
    ));
    assert_eq!(org["participations"][0]["side"], "host");
    let c = json(&cli(
        &db,
        &[
            "--json",
            "add",
            "contact",
            "--name",
            "Мерген Атаев",
            "--phone",
            "12 94 00 00",
            "--mission",
            mission_id,
            "--email",
            "m.atayev@exchange.gov.tm",
            "--organization",
            org["id"].as_str().expect("id"),
        ],
    ));
    assert_eq!(
        c["phones"][0]["number"], "+99312940000",
        "read in the mission's region (TM)"
    );
    let shown = json(&cli(
        &db,
        &["--json", "show", "contact", c["id"].as_str().expect("id")],
    ));
    assert_eq!(shown, c);
    let meeting = json(&cli(
        &db,
        &[
            "--json",
            "add",
            "meeting",
            "--mission",
            mission_id,
            "--title",
            "Exchange",
            "--kind",
            "b2b",
            "--starts",
            "2023-10-04T10:00",
            "--ends",
            "2023-10-04T11:30",
        ],
    ));
    assert_eq!(meeting["starts_at"], "2023-10-04T05:00:00Z");
    json(&cli(
        &db,
        &[
            "--json",
            "add",
            "follow-up",
            "--title",
            "Send price list",
            "--due",
            "2023-10-20",
            "--mission",
            mission_id,
        ],
    ));
    let a = json(&cli(
        &db,
        &[
            "--json",
            "add",
            "agreement",
            "--mission",
            mission_id,
            "--title",
            "Flour",
            "--amount",
            "700000",
            "--currency",
            "TMT",
            "--rate",
            "0.2857",
            "--stage",
            "memorandum",
        ],
    ));
    assert_eq!(a["base_amount_minor"], 19_999_000);
}

#[test]
fn bad_input_gets_a_clear_message_a_nonzero_exit_and_writes_nothing() {
    let (_dir, db) = temp_db();
    let mission_id = &add_mission(&db, "M");
    let cases: &[(&[&str], &str)] = &[
        (&["add", "contact", "--name", "  "], "required"),
        (
            &["add", "contact", "--name", "X", "--email", "x@"],
            "invalid_email",
        ),
        (
            &[
                "add",
                "agreement",
                "--mission",
                mission_id,
                "--title",
                "T",
                "--amount",
                "5",
                "--currency",
                "ZZZ",
            ],
            "unknown_currency",
        ),
        (
            &[
                "add",
                "agreement",
                "--mission",
                mission_id,
                "--title",
                "T",
                "--amount",
                "-5",
                "--currency",
                "USD",
            ],
            "negative_amount",
        ),
        (
            &[
                "add",
                "mission",
                "--name",
                "N",
                "--host-country",
                "TM",
                "--start",
                "2023-10-05",
                "--end",
                "2023-10-01",
                "--time-zone",
                "Asia/Ashgabat",
                "--base-currency",
                "USD",
            ],
            "end_before_start",
        ),
    ];
    for (args, code) in cases {
        let mut full = vec!["--json"];
        full.extend_from_slice(args);
        let out = cli(&db, &full);
        assert_eq!(out.status.code(), Some(1), "{args:?}");
        let err: Value = serde_json::from_slice(&out.stderr).expect("stderr is JSON");
        assert_eq!(err["error"]["code"], *code, "{args:?}");
        assert!(err["error"]["message"]
            .as_str()
            .is_some_and(|m| !m.is_empty()));
    }
    assert_eq!(
        json(&cli(&db, &["list", "contacts", "--json"])),
        serde_json::json!([])
    );
    assert_eq!(
        json(&cli(&db, &["list", "agreements", "--json"]))["agreements"],
        serde_json::json!([])
    );
    assert_eq!(
        json(&cli(&db, &["list", "missions", "--json"]))
            .as_array()
            .map(Vec::len),
        Some(1)
    );
}

#[test]
fn bad_arguments_exit_2_with_usage_not_a_panic() {
    let (_dir, db) = temp_db();
    for args in [
        &["list", "nonsense"][..],
        &["show", "contact", "not-a-uuid"],
        &["add", "contact"],
        &["frobnicate"],
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
    let out = cli(&db, &["--json", "list", "missions"]);
    assert_eq!(out.status.code(), Some(1));
    let err: Value = serde_json::from_slice(&out.stderr).expect("stderr is JSON");
    assert_eq!(err["error"]["code"], "not_found");
    assert!(!db.exists(), "no empty database was left behind");
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

#[test]
fn search_duplicates_and_merge_from_the_command_line() {
    let (_dir, db) = temp_db();
    json(&cli(&db, &["--json", "demo"]));
    let added = json(&cli(
        &db,
        &[
            "--json",
            "add",
            "contact",
            "--name",
            "Sakhmetov Kairbolat",
            "--position",
            "Chairman",
        ],
    ));
    let hits = json(&cli(
        &db,
        &["--json", "search", "сахметов", "--kind", "contact"],
    ));
    let names: Vec<&str> = hits
        .as_array()
        .expect("hits")
        .iter()
        .filter_map(|h| h["title"].as_str())
        .collect();
    assert_eq!(names, ["Кайырболат Сахметов", "Sakhmetov Kairbolat"]);

    let pairs = json(&cli(&db, &["--json", "duplicates"]));
    let pair = pairs
        .as_array()
        .and_then(|p| {
            p.iter().find(|p| {
                p["b_name"] == "Sakhmetov Kairbolat" || p["a_name"] == "Sakhmetov Kairbolat"
            })
        })
        .expect("the pair")
        .clone();
    assert_eq!(pair["reasons"], serde_json::json!(["name"]));
    let other = if pair["a"] == added["id"] {
        &pair["b"]
    } else {
        &pair["a"]
    };
    let kept = json(&cli(
        &db,
        &[
            "--json",
            "merge",
            other.as_str().expect("id"),
            added["id"].as_str().expect("id"),
            "--take",
            "position",
        ],
    ));
    assert_eq!(kept["full_name"], "Кайырболат Сахметов");
    assert_eq!(kept["position"], "Chairman");
    let bad = cli(
        &db,
        &[
            "merge",
            other.as_str().expect("id"),
            other.as_str().expect("id"),
        ],
    );
    assert_eq!(bad.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&bad.stderr).contains("itself"));
}

fn fixture(name: &str) -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../engine/tests/fixtures/import")
        .join(name)
}

#[test]
fn import_a_windows_1251_list_then_undo_it() {
    let (_dir, db) = temp_db();
    let mission = add_mission(&db, "Import test");
    let file = fixture("excel-ru-windows-1251.csv");
    let file = file.to_str().expect("path");
    let dry = json(&cli(&db, &["--json", "import", file, "--dry-run"]));
    assert_eq!(dry["created"], 3);
    assert!(dry["import_id"].is_null());
    assert_eq!(
        json(&cli(&db, &["--json", "list", "contacts"]))
            .as_array()
            .map(Vec::len),
        Some(0)
    );

    let done = json(&cli(
        &db,
        &[
            "--json",
            "import",
            file,
            "--mission",
            &mission,
            "--side",
            "host",
        ],
    ));
    assert_eq!(
        (done["encoding"].as_str(), done["created"].as_i64()),
        (Some("windows-1251"), Some(3))
    );
    let listed = json(&cli(
        &db,
        &[
            "--json",
            "list",
            "contacts",
            "--mission",
            &mission,
            "--side",
            "host",
        ],
    ));
    let names: Vec<&str> = listed
        .as_array()
        .expect("items")
        .iter()
        .filter_map(|c| c["full_name"].as_str())
        .collect();
    assert!(names.contains(&"Иван Иванович Иванов"), "{names:?}");

    let history = json(&cli(&db, &["--json", "imports"]));
    let id = history[0]["id"].as_str().expect("id").to_owned();
    let undone = json(&cli(&db, &["--json", "undo-import", &id]));
    assert_eq!(undone["trashed"], 5);
    assert_eq!(
        json(&cli(&db, &["--json", "list", "contacts"]))
            .as_array()
            .map(Vec::len),
        Some(0)
    );
    let again = cli(&db, &["--json", "undo-import", &id]);
    assert!(!again.status.success());
}

#[test]
fn a_bad_file_is_refused_with_a_message_and_nothing_written() {
    let (dir, db) = temp_db();
    let bad = dir.path().join("cut.csv");
    std::fs::write(&bad, "Name,Email\nAnn,\"ann@x.com\nBob,bob@x.com\n").expect("write");
    let out = cli(&db, &["--json", "import", bad.to_str().expect("path")]);
    assert_eq!(out.status.code(), Some(1));
    let err: Value = serde_json::from_slice(&out.stderr).expect("JSON error");
    assert_eq!(err["error"]["code"], "invalid_file");
    assert!(err["error"]["message"]
        .as_str()
        .expect("message")
        .contains("line 2"));
    assert_eq!(
        json(&cli(&db, &["--json", "imports"]))
            .as_array()
            .map(Vec::len),
        Some(0)
    );
}

#[test]
fn export_everything_and_restore_it_into_a_new_database() {
    let (dir, db) = temp_db();
    json(&cli(&db, &["--json", "demo"]));
    let dump = dir.path().join("backup.json");
    let dump_s = dump.to_str().expect("path");
    let exported = json(&cli(&db, &["--json", "export", "json", "-o", dump_s]));
    assert!(exported["records"].as_u64().expect("records") > 100);
    assert!(!dir.path().join("backup.json.partial").exists());

    let copy = dir.path().join("restored.db");
    json(&cli(&copy, &["--json", "import", dump_s]));
    let again = dir.path().join("again.json");
    json(&cli(
        &copy,
        &[
            "--json",
            "export",
            "json",
            "-o",
            again.to_str().expect("path"),
        ],
    ));
    let strip = |p: &Path| -> Value {
        let mut v: Value = serde_json::from_slice(&std::fs::read(p).expect("read")).expect("json");
        v["exported_at"] = Value::Null;
        v
    };
    assert_eq!(strip(&dump), strip(&again));
    // Restoring over data is refused.
    let out = cli(&copy, &["--json", "import", dump_s]);
    assert_eq!(out.status.code(), Some(1));

    let vcf = cli(&db, &["export", "vcard"]);
    assert!(String::from_utf8_lossy(&vcf.stdout).contains("FN:Кайырболат Сахметов"));
    let ics = cli(&db, &["export", "ics"]);
    assert!(String::from_utf8_lossy(&ics.stdout).starts_with("BEGIN:VCALENDAR\r\n"));
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
    let listed = cli(&db, &["--json", "list", "contacts"]);
    assert_eq!(listed.status.code(), Some(1), "no panic, a message");

    json(&cli(
        &db,
        &["--json", "restore", good.to_str().expect("path")],
    ));
    assert_eq!(json(&cli(&db, &["--json", "check"]))["ok"], true);
    assert_eq!(everything(&db), before);
}

#[test]
fn the_report_gives_totals_in_minor_units_in_three_languages() {
    let (dir, db) = temp_db();
    let demo = json(&cli(&db, &["--json", "demo"]));
    let mission = demo["mission_id"].as_str().expect("mission").to_owned();
    let out = cli(
        &db,
        &[
            "report",
            "--mission",
            &mission,
            "--format",
            "json",
            "--lang",
            "ru",
        ],
    );
    let r: Value = serde_json::from_slice(&out.stdout).expect("json report");
    assert_eq!(r["total_base_minor"], 300_000_000);
    assert!(r["by_stage"]
        .as_array()
        .expect("stages")
        .iter()
        .all(|s| s["base_amount_minor"].is_i64()));
    assert_eq!(r["lang"], "ru");
    let html = dir.path().join("report.html");
    json(&cli(
        &db,
        &[
            "--json",
            "report",
            "--mission",
            &mission,
            "--lang",
            "kk",
            "-o",
            html.to_str().expect("path"),
        ],
    ));
    let page = std::fs::read_to_string(&html).expect("html");
    assert!(page.starts_with("<!doctype html><html lang=\"kk\">"));
    assert!(page.contains("Іскерлік миссияның қорытындысы"));
}
