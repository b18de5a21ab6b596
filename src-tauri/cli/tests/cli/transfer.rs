//! Import, export and the outcome report.

use std::path::Path;

use serde_json::Value;

use crate::{add_mission, cli, fixture, json, temp_db};

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

/// The delegation book: a PDF by default, a printable page on asking.
#[test]
fn the_delegation_book_is_written_as_pdf_or_html() {
    let (dir, db) = temp_db();
    let demo = json(&cli(&db, &["--json", "demo"]));
    let mission = demo["mission_id"].as_str().expect("mission").to_owned();
    let pdf = dir.path().join("book.pdf");
    let html = dir.path().join("book.html");
    let out = json(&cli(
        &db,
        &[
            "--json",
            "book",
            "--mission",
            &mission,
            "-o",
            pdf.to_str().expect("path"),
        ],
    ));
    assert_eq!(
        out["mission"],
        "Business mission of Kazakhstan to Turkmenistan"
    );
    assert!(std::fs::read(&pdf).expect("pdf").starts_with(b"%PDF-"));
    json(&cli(
        &db,
        &[
            "--json",
            "book",
            "--mission",
            &mission,
            "--format",
            "html",
            "--lang",
            "ru",
            "-o",
            html.to_str().expect("path"),
        ],
    ));
    let page = std::fs::read_to_string(&html).expect("html");
    assert!(page.starts_with("<!doctype html><html lang=\"ru\">"));
    assert!(page.contains("<h2>Программа</h2>"));
}

/// A mission that is not there is an error with its code, not an empty
/// calendar or list and exit code 0.
#[test]
fn an_unknown_mission_is_refused_not_exported_empty() {
    let (dir, db) = temp_db();
    add_mission(&db, "Business mission");
    let unknown = "0192f0c0-0000-7000-8000-000000000000";
    let calendar = dir.path().join("cal.ics");
    for args in [
        vec![
            "export",
            "ics",
            "--mission",
            unknown,
            "-o",
            calendar.to_str().expect("path"),
        ],
        vec!["list", "meetings", "--mission", unknown],
        vec!["list", "follow-ups", "--mission", unknown],
    ] {
        let out = cli(&db, &args);
        assert!(!out.status.success(), "{args:?} succeeded");
        let said = String::from_utf8_lossy(&out.stderr);
        assert!(
            said.contains("not_found") || said.contains("not found"),
            "{args:?}: {said}"
        );
    }
    assert!(!calendar.exists(), "no empty calendar left");
}

/// A scan attached from the command line is listed, kept beside the
/// database, and a follow-up (which takes no files) is refused clearly.
#[test]
fn a_file_is_attached_and_listed() {
    let (dir, db) = temp_db();
    let mission = add_mission(&db, "Files");
    let scan = dir.path().join("memorandum.pdf");
    std::fs::write(&scan, b"%PDF-1.4 memorandum").expect("write");
    let scan = scan.to_str().expect("path");
    let added = json(&cli(&db, &["--json", "attach", "mission", &mission, scan]));
    assert_eq!(added["file_name"], "memorandum.pdf");
    assert_eq!(added["media_type"], "application/pdf");
    let listed = json(&cli(&db, &["--json", "attachments", "mission", &mission]));
    assert_eq!(listed, Value::Array(vec![added]));
    let stored = || -> Vec<std::path::PathBuf> {
        std::fs::read_dir(dir.path().join("crm.db-attachments"))
            .into_iter()
            .flatten()
            .filter_map(|e| e.ok())
            .flat_map(|e| std::fs::read_dir(e.path()).into_iter().flatten())
            .filter_map(|e| e.ok().map(|e| e.path()))
            .collect()
    };
    assert_eq!(stored().len(), 1, "kept beside the database");

    let other = dir.path().join("other.pdf");
    std::fs::write(&other, b"%PDF-1.4 another").expect("write");
    let other = other.to_str().expect("path");
    let out = cli(&db, &["--json", "attach", "follow-up", &mission, other]);
    assert_eq!(out.status.code(), Some(1));
    let err: Value = serde_json::from_slice(&out.stderr).expect("JSON error");
    assert!(
        err["error"]["message"]
            .as_str()
            .expect("message")
            .contains("cannot be attached to a follow_up"),
        "{err}"
    );
    assert_eq!(stored().len(), 1, "nothing copied for a refused attach");
}

/// A full export carries the files in `attachments/` beside it, and a new
/// computer's database restored from the two has them: the move lost every
/// business card before.
#[test]
fn a_full_export_moves_its_files_to_a_new_computer() {
    let (dir, db) = temp_db();
    let mission = add_mission(&db, "Files");
    let scan = dir.path().join("memorandum.pdf");
    std::fs::write(&scan, b"%PDF-1.4 memorandum").expect("write");
    json(&cli(
        &db,
        &[
            "--json",
            "attach",
            "mission",
            &mission,
            scan.to_str().expect("path"),
        ],
    ));
    let usb = tempfile::tempdir().expect("a stick");
    let dump = usb.path().join("everything.json");
    let dump = dump.to_str().expect("path");
    let exported = json(&cli(&db, &["--json", "export", "json", "-o", dump]));
    assert_eq!(
        (
            exported["files"].as_u64(),
            exported["files_left_out"].as_u64()
        ),
        (Some(1), Some(0))
    );
    // In a folder named after the export, not a generic one that would mix
    // with a person's own.
    assert!(usb.path().join("everything.json-attachments").is_dir());
    assert!(!usb.path().join("attachments").exists());

    let laptop = tempfile::tempdir().expect("a new computer");
    let new_db = laptop.path().join("crm.db");
    let restored = json(&cli(&new_db, &["--json", "import", dump]));
    assert_eq!(restored["files_missing"], 0);
    let files = json(&cli(
        &new_db,
        &["--json", "attachments", "mission", &mission],
    ));
    assert_eq!(files[0]["file_name"], "memorandum.pdf");
    assert_eq!(files[0]["missing"], false, "{files}");

    // The JSON alone: restored, and the files it lacks are said.
    let alone = tempfile::tempdir().expect("another computer");
    let json_only = alone.path().join("everything.json");
    std::fs::copy(dump, &json_only).expect("copy the file alone");
    let restored = json(&cli(
        &alone.path().join("crm.db"),
        &["--json", "import", json_only.to_str().expect("path")],
    ));
    assert_eq!(restored["files_missing"], 1);

    // Down a pipe the files cannot go: said.
    let piped = cli(&db, &["export", "json"]);
    assert!(piped.status.success());
    assert!(
        String::from_utf8_lossy(&piped.stderr).contains("the 1 attached files are not in"),
        "{}",
        String::from_utf8_lossy(&piped.stderr)
    );
}
