//! Files in and out over IPC: the import wizard and its undo, exports
//! through the picker, backups.

use super::*;

/// The wizard's path: choose (the picker stands in for the dialog),
/// preview, rehearse, import, list, undo; then export through the picker.
#[test]
fn a_file_is_chosen_previewed_imported_and_undone_over_ipc() {
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("engine/tests/fixtures/import/excel-ru-windows-1251.csv");
    let out = tempfile::tempdir().expect("dir");
    let save_to = out.path().to_owned();
    let app = app_picking(move |what| match what {
        Pick::Import | Pick::Attach => Some(fixture.clone()),
        Pick::Save(name) => Some(save_to.join(name)),
    });
    let before = app.call("run_import", json!({ "options": {}, "dryRun": false }));
    assert_eq!(before.expect_err("no file yet")["code"], "not_found");

    let preview = app.call("choose_import_file", json!({})).expect("preview");
    assert_eq!(preview["encoding"], "windows-1251");
    assert_eq!(preview["delimiter"], ";");
    assert_eq!(preview["rows"][0][0], "Иванов Иван Иванович");
    let again = app
        .call(
            "preview_import",
            json!({ "options": { "delimiter": ",", "has_header": false } }),
        )
        .expect("re-preview");
    assert_eq!(again["has_header"], false);

    let dry = app
        .call("run_import", json!({ "options": {}, "dryRun": true }))
        .expect("dry run");
    assert_eq!(
        (dry["created"].as_i64(), dry["import_id"].is_null()),
        (Some(3), true)
    );
    let done = app
        .call("run_import", json!({ "options": {}, "dryRun": false }))
        .expect("import");
    assert_eq!(done["created"], 3);
    let progress = app.call("import_progress", json!({})).expect("progress");
    assert_eq!(progress["rows"], 3);
    let imports = app.call("list_imports", json!({})).expect("history");
    assert_eq!(imports[0]["id"], done["import_id"]);

    let exported = app
        .call(
            "export_to_file",
            json!({ "request": { "format": "vcard", "kind": null, "mission_id": null } }),
        )
        .expect("export");
    assert_eq!(exported["records"], 3);
    let written = std::fs::read_to_string(exported["path"].as_str().expect("path")).expect("file");
    assert!(written.contains("FN:Иван Иванович Иванов"));

    let undone = app
        .call("undo_import", json!({ "id": done["import_id"] }))
        .expect("undo");
    assert_eq!(undone["trashed"], 5);
    let contacts = app
        .call("list_contacts", json!({ "filter": {} }))
        .expect("contacts");
    assert_eq!(contacts["items"].as_array().map(Vec::len), Some(0));
}

/// Taking back an import of more people than an event lists announces
/// "reload everything" (an empty list), not one change per person: at a
/// million people that list was ~100 MB of JSON for the window to parse.
#[test]
fn a_write_of_many_records_announces_a_reload_not_each_record() {
    use tauri::Listener;
    let dir = tempfile::tempdir().expect("dir");
    let csv = dir.path().join("many.csv");
    let rows: String = (0..=mission_crm_app::CHANGES_LISTED)
        .map(|i| format!("Person {i},person{i}@example.com\n"))
        .collect();
    std::fs::write(&csv, format!("Name,Email\n{rows}")).expect("csv");
    let app = app_picking(move |_| Some(csv.clone()));
    app.call("choose_import_file", json!({})).expect("preview");
    let done = app
        .call("run_import", json!({ "options": {}, "dryRun": false }))
        .expect("import");
    assert_eq!(
        done["created"].as_u64(),
        u64::try_from(mission_crm_app::CHANGES_LISTED + 1).ok()
    );
    let (tx, rx) = std::sync::mpsc::channel::<String>();
    app.webview
        .listen_any(mission_crm_app::CHANGE_EVENT, move |event| {
            let _ = tx.send(event.payload().to_owned());
        });
    let undone = app
        .call("undo_import", json!({ "id": done["import_id"] }))
        .expect("undo");
    assert_eq!(
        undone["trashed"].as_u64(),
        u64::try_from(mission_crm_app::CHANGES_LISTED + 1).ok()
    );
    let payload = rx
        .recv_timeout(std::time::Duration::from_secs(5))
        .expect("the undo is announced");
    assert_eq!(payload, "[]");
}

/// Backups over IPC: made, listed, restored; a path that is not one of
/// the listed backups is refused (the page cannot name files).
#[test]
fn backups_are_made_listed_and_restored_and_only_listed_files_are_restored() {
    let dir = tempfile::tempdir().expect("dir");
    let app = app_with(AppState::open(dir.path().join("crm.db")));
    assert_eq!(
        app.call("list_backups", json!({})).expect("list"),
        json!([])
    );
    app.call("load_demo", json!({})).expect("demo");
    let made = app.call("backup_now", json!({})).expect("backup");
    let listed = app.call("list_backups", json!({})).expect("list");
    assert_eq!(listed[0]["path"], made["path"]);

    let refused = app
        .call("restore_backup", json!({ "path": "/etc/passwd" }))
        .expect_err("not a listed backup");
    assert_eq!(refused["code"], "not_found");
    let names = |app: &TestApp| -> Vec<String> {
        app.call("list_contacts", json!({ "filter": { "limit": 500 } }))
            .expect("contacts")["items"]
            .as_array()
            .expect("items")
            .iter()
            .filter_map(|c| c["full_name"].as_str().map(str::to_owned))
            .collect()
    };
    app.call(
        "create_contact",
        json!({ "input": {
            "full_name": "Added after the backup", "full_name_latin": "", "position": "",
            "organization_id": null, "emails": [], "phones": [], "messengers": [],
            "languages": [], "met_on": null, "met_place": "", "introduced_by_id": null,
            "notes": "", "tags": [], "phone_region": null
        }}),
    )
    .expect("created");
    assert!(names(&app).contains(&"Added after the backup".to_owned()));
    let restored = app
        .call("restore_backup", json!({ "path": made["path"] }))
        .expect("restore");
    assert!(restored["previous"]["path"]
        .as_str()
        .expect("path")
        .contains("before-restore-"));
    assert!(
        !names(&app).contains(&"Added after the backup".to_owned()),
        "the data is the backup's"
    );
    // The copy kept before it is listed, and restoring it takes the
    // restore back.
    let listed = app.call("list_backups", json!({})).expect("list");
    let copy = listed
        .as_array()
        .expect("backups")
        .iter()
        .find(|b| b["before_restore"] == true)
        .expect("the copy kept before the restore");
    assert_eq!(copy["path"], restored["previous"]["path"]);
    app.call("restore_backup", json!({ "path": copy["path"] }))
        .expect("restore the copy");
    assert!(names(&app).contains(&"Added after the backup".to_owned()));
}

/// The outcome report is saved where the user chose, as a web page or a
/// PDF, named for the language and the file it is.
#[test]
fn the_outcome_report_is_saved_as_html_or_pdf() {
    let out = tempfile::tempdir().expect("dir");
    let save_to = out.path().to_owned();
    let app = app_picking(move |what| match what {
        Pick::Import | Pick::Attach => None,
        Pick::Save(name) => Some(save_to.join(name)),
    });
    let mission = app.call("load_demo", json!({})).expect("demo");
    for (file, starts) in [("html", &b"<!doctype html>"[..]), ("pdf", &b"%PDF-"[..])] {
        let saved = app
            .call(
                "save_report",
                json!({ "missionId": mission, "lang": "ru", "file": file }),
            )
            .expect("saved");
        let path = saved["path"].as_str().expect("path");
        assert!(
            path.contains("mission-report-ru-") && path.ends_with(&format!(".{file}")),
            "{path}"
        );
        let bytes = std::fs::read(path).expect("file");
        assert!(
            bytes.starts_with(starts),
            "{file}: {:?}",
            &bytes[..16.min(bytes.len())]
        );
    }
}

/// The name typed in the save dialog decides the report's file: ".pdf"
/// after the HTML button is a PDF (it was HTML in a .pdf file).
#[test]
fn a_report_named_pdf_in_the_dialog_is_a_pdf() {
    let out = tempfile::tempdir().expect("dir");
    let chosen = out.path().join("report.pdf");
    let answer = chosen.clone();
    let app = app_picking(move |_| Some(answer.clone()));
    let mission = app.call("load_demo", json!({})).expect("demo");
    app.call(
        "save_report",
        json!({ "missionId": mission, "lang": "en", "file": "html" }),
    )
    .expect("saved");
    let bytes = std::fs::read(&chosen).expect("file");
    assert!(bytes.starts_with(b"%PDF-"));
}
