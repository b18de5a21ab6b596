//! The commands through real Tauri IPC (mock runtime, no window), registered
//! by the same `handlers` the app uses and checked against the app's real
//! capabilities; plus the contract checks: bindings, command list, capability.

use std::path::{Path, PathBuf};

use mission_crm_app::state::{AppState, Pick};
use mission_crm_app::{bindings_language, handlers, specta_builder, COMMANDS};
use mission_crm_engine::Store;
use serde_json::{json, Value};
use tauri::ipc::{CallbackFn, InvokeBody};
use tauri::test::{get_ipc_response, mock_builder, MockRuntime, INVOKE_KEY};
use tauri::webview::InvokeRequest;
use tauri::{WebviewWindow, WebviewWindowBuilder};

const BINDINGS: &str = "../ui/src/lib/bindings.ts";

struct TestApp {
    _app: tauri::App<MockRuntime>,
    webview: WebviewWindow<MockRuntime>,
}

fn app_with(state: AppState) -> TestApp {
    let app = handlers(mock_builder(), state)
        .build(tauri::generate_context!())
        .expect("app builds");
    let webview = WebviewWindowBuilder::new(&app, "main", Default::default())
        .build()
        .expect("main window");
    TestApp { _app: app, webview }
}

fn app_in_memory() -> TestApp {
    let store = Store::open_in_memory().expect("store");
    app_with(AppState::from_store(store, PathBuf::from(":memory:")))
}

impl TestApp {
    /// Calls a command as the web view would; Ok is the value, Err the error body.
    fn call(&self, cmd: &str, args: Value) -> Result<Value, Value> {
        get_ipc_response(
            &self.webview,
            InvokeRequest {
                cmd: cmd.into(),
                callback: CallbackFn(0),
                error: CallbackFn(1),
                // The page's own origin, as the web view sends it.
                url: self.webview.url().expect("webview url"),
                body: InvokeBody::Json(args),
                headers: Default::default(),
                invoke_key: INVOKE_KEY.to_string(),
            },
        )
        .map(|body| body.deserialize::<Value>().expect("json response"))
    }
}

#[test]
fn a_contact_created_over_ipc_is_listed_and_read_back() {
    let app = app_in_memory();
    let created = app
        .call(
            "create_contact",
            json!({ "input": {
                "full_name": "Кайырболат Сахметов", "full_name_latin": "Kayyrbolat Sakhmetov",
                "position": "President", "organization_id": null,
                "emails": [{ "address": "k.sakhmetov@astana-club.kz", "label": "work" }],
                "phones": [{ "number": "8 701 123 45 67", "label": "mobile" }],
                "messengers": [], "languages": ["kk", "ru"], "met_on": null, "met_place": "",
                "introduced_by_id": null, "notes": "", "tags": [], "phone_region": "KZ"
            }}),
        )
        .expect("created");
    assert_eq!(created["phones"][0]["number"], "+77011234567");

    let page = app
        .call(
            "list_contacts",
            json!({ "filter": { "organization_id": null, "after": null, "limit": 10 } }),
        )
        .expect("listed");
    assert_eq!(page["items"][0]["full_name"], "Кайырболат Сахметов");
    let fetched = app
        .call("get_contact", json!({ "id": created["id"] }))
        .expect("read back");
    assert_eq!(fetched, created);
}

#[test]
fn a_committed_write_is_announced_to_the_web_view() {
    use tauri::Listener;
    let app = app_in_memory();
    let (tx, rx) = std::sync::mpsc::channel::<String>();
    app.webview
        .listen_any(mission_crm_app::CHANGE_EVENT, move |event| {
            let _ = tx.send(event.payload().to_owned());
        });
    let created = app
        .call("create_organization", json!({ "input": {
            "name": "Chamber of Commerce and Industry of Turkmenistan", "name_latin": "", "kind": "chamber",
            "country": "TM", "city": "Ashgabat", "website": "", "sectors": [], "tags": [], "notes": ""
        }, "participation": null }))
        .expect("created");
    let payload = rx
        .recv_timeout(std::time::Duration::from_secs(5))
        .expect("a change event");
    let changes: Value = serde_json::from_str(&payload).expect("json payload");
    assert_eq!(
        changes,
        json!([{ "entity": "organization", "id": created["id"], "op": "insert", "source": "app" }])
    );
    assert!(app.call("create_organization", json!({ "input": {
        "name": " ", "name_latin": "", "kind": "chamber", "country": null, "city": "", "website": "",
        "sectors": [], "tags": [], "notes": ""
    }, "participation": null })).is_err());
    assert!(
        rx.recv_timeout(std::time::Duration::from_millis(300))
            .is_err(),
        "a refused write announces nothing"
    );
}

#[test]
fn domain_errors_cross_ipc_as_code_and_message() {
    let app = app_in_memory();
    let err = app
        .call(
            "create_mission",
            json!({ "input": {
                "name": "Mission", "organiser": "", "host_country": "TM", "cities": [],
                "start_date": "2023-10-05", "end_date": "2023-10-01", "time_zone": "Asia/Ashgabat",
                "base_currency": "USD", "phone_region": null, "status": null
            }}),
        )
        .expect_err("end before start");
    assert_eq!(err["code"], "end_before_start");
    assert_eq!(err["field"], "end_date");
    assert!(
        err["message"]
            .as_str()
            .is_some_and(|m| m.contains("before it starts")),
        "{err}"
    );
    let missions = app.call("list_missions", json!({})).expect("list");
    assert_eq!(missions, json!([]), "nothing was written");
}

#[test]
fn a_database_that_cannot_be_opened_is_reported_not_crashed() {
    let dir = tempfile::tempdir().expect("dir");
    let path = dir.path().join("broken.db");
    std::fs::write(&path, vec![0x42u8; 8192]).expect("garbage");
    let app = app_with(AppState::open(path.clone()));
    let info = app
        .call("app_info", json!({}))
        .expect("app_info still answers");
    assert_eq!(info["open_error"]["code"], "corrupt");
    let err = app.call("list_missions", json!({})).expect_err("no store");
    assert_eq!(err["code"], "corrupt");
}

/// A file from an older version is upgraded after the window is up (at a
/// million contacts that takes seconds): the window is told, commands wait
/// for it, also while another program holds the file, then answer, and
/// writes are announced as usual.
#[test]
fn a_file_being_upgraded_is_waited_for_and_then_used() {
    use tauri::Listener;
    let dir = tempfile::tempdir().expect("dir");
    let path = dir.path().join("crm.db");
    std::fs::copy("engine/tests/fixtures/schema-v5-demo.db", &path).expect("copy");
    // Another writer holds the file, so the upgrade cannot finish before
    // the window has asked.
    // (In WAL, as the app keeps its files: the upgrade then waits for it.)
    let holder = rusqlite::Connection::open(&path).expect("open");
    holder
        .execute_batch("PRAGMA journal_mode = WAL; BEGIN IMMEDIATE")
        .expect("lock");

    let state = AppState::open_or_upgrade(path.clone());
    assert!(state.upgrading(), "upgraded beside the window");
    assert_eq!(
        state.store().map(|_| ()).expect_err("not yet").code,
        mission_crm_engine::ErrorCode::Busy
    );
    let app = app_with(state);
    let (tx, rx) = std::sync::mpsc::channel::<String>();
    app.webview
        .listen_any(mission_crm_app::CHANGE_EVENT, move |event| {
            let _ = tx.send(event.payload().to_owned());
        });
    // Longer than a command waits for another writer: the upgrade waits on.
    let release = std::thread::spawn(move || {
        std::thread::sleep(
            mission_crm_engine::db::BUSY_TIMEOUT + std::time::Duration::from_millis(500),
        );
        holder.execute_batch("ROLLBACK").expect("unlock");
    });
    let info = app
        .call("app_info", json!({}))
        .expect("answers once upgraded");
    release.join().expect("released");
    assert_eq!(info["upgrading"], false);
    assert_eq!(info["open_error"], Value::Null);
    assert_eq!(info["empty"], false, "the demo mission is there");
    assert!(!mission_crm_engine::db::upgrade_pending(&path), "upgraded");
    let missions = app.call("list_missions", json!({})).expect("missions");
    assert_eq!(missions.as_array().map(Vec::len), Some(1));
    app.call(
        "create_organization",
        json!({ "input": {
        "name": "Türkmenhaly", "name_latin": "", "kind": "company", "country": "TM", "city": "",
        "website": "", "sectors": [], "tags": [], "notes": ""
    }, "participation": null }),
    )
    .expect("created");
    rx.recv_timeout(std::time::Duration::from_secs(5))
        .expect("the write is announced");
}

/// A file damaged past its schema opens at once (the window is not held
/// back by reading every page); the page check after start finds it, tells
/// the window, and from then on every command says so.
#[test]
fn a_damaged_page_found_after_start_stops_every_command() {
    use std::io::{Seek, SeekFrom, Write};
    use tauri::Listener;
    let dir = tempfile::tempdir().expect("dir");
    let path = dir.path().join("crm.db");
    let store = Store::open(&path).expect("store");
    store
        .write(
            mission_crm_engine::Source::Demo,
            mission_crm_engine::demo::load_if_empty,
        )
        .expect("demo");
    drop(store);
    let size = std::fs::metadata(&path).expect("size").len();
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .open(&path)
        .expect("open");
    // The last page: data or index, not the schema the open reads.
    file.seek(SeekFrom::Start(size - 4096)).expect("seek");
    file.write_all(&[0xA5; 4096]).expect("overwrite");
    drop(file);

    let app = app_with(AppState::open(path));
    let info = app.call("app_info", json!({})).expect("info");
    assert_eq!(info["open_error"], Value::Null, "opened without the check");

    let (told, heard) = std::sync::mpsc::channel();
    app._app
        .listen_any(mission_crm_app::DAMAGED_EVENT, move |event| {
            let _ = told.send(event.payload().to_owned());
        });
    mission_crm_app::check_pages_later(app._app.handle().clone(), std::time::Duration::ZERO);
    let payload = heard
        .recv_timeout(std::time::Duration::from_secs(20))
        .expect("the window is told");
    assert!(payload.contains("\"corrupt\""), "{payload}");
    let info = app.call("app_info", json!({})).expect("info");
    assert_eq!(info["open_error"]["code"], "corrupt");
    let err = app.call("list_missions", json!({})).expect_err("refused");
    assert_eq!(err["code"], "corrupt");
}

#[test]
fn the_demo_loads_over_ipc_and_the_app_is_no_longer_empty() {
    let app = app_in_memory();
    assert_eq!(
        app.call("app_info", json!({})).expect("info")["empty"],
        true
    );
    let id = app.call("load_demo", json!({})).expect("demo");
    let ledger = app
        .call("list_agreements", json!({ "missionId": id }))
        .expect("ledger");
    assert_eq!(ledger["totals"][0]["base_amount_minor"], 300_000_000);
    assert_eq!(
        app.call("app_info", json!({})).expect("info")["empty"],
        false
    );
}

/// The workspace's charts get the report's headline and groups, not its
/// lines (the agreement lines were most of the report's bytes).
#[test]
fn the_workspace_charts_get_the_reports_groups_without_its_lines() {
    let app = app_in_memory();
    let id = app.call("load_demo", json!({})).expect("demo");
    let charts = app
        .call("mission_report", json!({ "missionId": id, "lang": "en" }))
        .expect("charts");
    assert_eq!(charts["mission_id"], id);
    assert!(charts["headline"].as_str().is_some_and(|h| !h.is_empty()));
    let stages = charts["by_stage"].as_array().expect("groups by stage");
    let total: i64 = stages
        .iter()
        .filter_map(|g| g["base_amount_minor"].as_i64())
        .sum();
    assert!(
        total >= 300_000_000,
        "the demo's $3,000,000 and more: {total}"
    );
    assert!(charts.get("agreements").is_none(), "no lines: {charts}");
}

#[test]
fn commands_the_capability_does_not_grant_are_refused() {
    let app = app_in_memory();
    // Registered in every Tauri app, but not granted to our window.
    for cmd in [
        "plugin:app|version",
        "plugin:window|close",
        "plugin:webview|print",
    ] {
        let err = app.call(cmd, json!({})).expect_err(cmd);
        assert!(err.to_string().contains("not allowed"), "{cmd}: {err}");
    }
    // And the app's own commands answer (so the refusal above is the ACL).
    assert!(app.call("list_missions", json!({})).is_ok());
}

#[test]
fn loading_the_demo_twice_loads_it_once() {
    let app = app_in_memory();
    let first = app.call("load_demo", json!({})).expect("first");
    assert!(first.is_string(), "the new mission's id: {first}");
    assert_eq!(
        app.call("load_demo", json!({})).expect("second"),
        Value::Null
    );
    let missions = app.call("list_missions", json!({})).expect("list");
    assert_eq!(missions.as_array().map(Vec::len), Some(1));
}

/// The committed TypeScript bindings must be what the Rust types generate.
/// Run `UPDATE_BINDINGS=1 cargo test -p mission-crm --test ipc` after
/// changing a command or a type.
/// The wizard's path: choose (the picker stands in for the dialog),
/// preview, rehearse, import, list, undo; then export through the picker.
#[test]
fn a_file_is_chosen_previewed_imported_and_undone_over_ipc() {
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("engine/tests/fixtures/import/excel-ru-windows-1251.csv");
    let out = tempfile::tempdir().expect("dir");
    let save_to = out.path().to_owned();
    let state = AppState::from_store(
        Store::open_in_memory().expect("store"),
        PathBuf::from(":memory:"),
    );
    state.set_picker(std::sync::Arc::new(move |what| match what {
        Pick::Import => Some(fixture.clone()),
        Pick::Save(name) => Some(save_to.join(name)),
    }));
    let app = app_with(state);
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
    let state = AppState::from_store(
        Store::open_in_memory().expect("store"),
        PathBuf::from(":memory:"),
    );
    state.set_picker(std::sync::Arc::new(move |_| Some(csv.clone())));
    let app = app_with(state);
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
    let restored = app
        .call("restore_backup", json!({ "path": made["path"] }))
        .expect("restore");
    assert!(restored["previous"]["path"]
        .as_str()
        .expect("path")
        .contains("before-restore-"));
}

#[test]
fn typescript_bindings_are_up_to_date() {
    let dir = tempfile::tempdir().expect("dir");
    let fresh = dir.path().join("bindings.ts");
    specta_builder::<tauri::Wry>()
        .export(bindings_language(), &fresh)
        .expect("bindings export");
    let fresh = std::fs::read_to_string(&fresh).expect("read fresh bindings");
    let committed_path = Path::new(env!("CARGO_MANIFEST_DIR")).join(BINDINGS);
    if std::env::var_os("UPDATE_BINDINGS").is_some() {
        std::fs::write(&committed_path, &fresh).expect("write bindings");
    }
    let committed = std::fs::read_to_string(&committed_path).unwrap_or_default();
    assert!(
        committed == fresh,
        "ui/src/lib/bindings.ts is stale: run `UPDATE_BINDINGS=1 cargo test -p mission-crm --test ipc`"
    );
}

/// COMMANDS (which build.rs turns into permissions), the registered
/// handlers (visible in the bindings) and the capability must agree, so the
/// web view can call exactly the app's commands.
#[test]
fn the_capability_grants_exactly_the_registered_commands() {
    let bindings = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join(BINDINGS))
        .expect("bindings");
    let mut invoked: Vec<&str> = bindings
        .split("TAURI_INVOKE(\"")
        .skip(1)
        .filter_map(|rest| rest.split('"').next())
        .collect();
    invoked.sort_unstable();
    let mut declared = COMMANDS.to_vec();
    declared.sort_unstable();
    assert_eq!(invoked, declared, "handlers and COMMANDS differ");

    let capability: Value = serde_json::from_str(
        &std::fs::read_to_string(
            Path::new(env!("CARGO_MANIFEST_DIR")).join("capabilities/default.json"),
        )
        .expect("capability"),
    )
    .expect("json");
    let mut granted: Vec<String> = capability["permissions"]
        .as_array()
        .expect("permissions")
        .iter()
        .filter_map(Value::as_str)
        .map(str::to_owned)
        .collect();
    granted.sort_unstable();
    let mut expected: Vec<String> = COMMANDS
        .iter()
        .map(|c| format!("allow-{}", c.replace('_', "-")))
        .chain([
            "core:event:allow-listen".to_owned(),
            "core:event:allow-unlisten".to_owned(),
        ])
        .collect();
    expected.sort_unstable();
    assert_eq!(granted, expected);
}

/// The web view is granted only commands it uses: each one is called as
/// `api.<name>` somewhere in the UI's sources.
#[test]
fn every_granted_command_is_used_by_the_ui() {
    fn sources(dir: &Path, out: &mut String) {
        for entry in std::fs::read_dir(dir).expect("ui sources").flatten() {
            let path = entry.path();
            if path.is_dir() {
                sources(&path, out);
            } else if path.extension().is_some_and(|e| e == "svelte" || e == "ts")
                && path.file_name().is_some_and(|n| n != "bindings.ts")
            {
                out.push_str(&std::fs::read_to_string(&path).unwrap_or_default());
            }
        }
    }
    let mut ui = String::new();
    sources(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("../ui/src"),
        &mut ui,
    );
    let unused: Vec<&str> = COMMANDS
        .iter()
        .copied()
        .filter(|command| {
            let mut parts = command.split('_');
            let first = parts.next().unwrap_or_default().to_owned();
            let camel = parts.fold(first, |mut acc, p| {
                let mut chars = p.chars();
                if let Some(c) = chars.next() {
                    acc.extend(c.to_uppercase());
                    acc.push_str(chars.as_str());
                }
                acc
            });
            !ui.contains(&format!("api.{camel}("))
        })
        .collect();
    assert!(
        unused.is_empty(),
        "granted but unused by the UI: {unused:?}"
    );
}

/// Tauri runs a synchronous command on the main thread, where it would hold
/// every frame of the window until it returns; an `async` command runs on
/// the async runtime (and ours hand SQLite to the blocking pool). So every
/// command must be declared `async fn`, which this reads from the sources.
#[test]
fn every_command_runs_off_the_main_thread() {
    let mut found = Vec::new();
    for entry in std::fs::read_dir("src").expect("src") {
        let path = entry.expect("entry").path();
        let text = std::fs::read_to_string(&path).expect("source");
        let mut lines = text.lines();
        while let Some(line) = lines.next() {
            if line.trim() != "#[tauri::command]" {
                continue;
            }
            let signature = lines
                .by_ref()
                .find(|l| l.trim_start().starts_with("pub"))
                .unwrap_or_default()
                .trim();
            let name = signature
                .split("fn ")
                .nth(1)
                .and_then(|rest| rest.split(['(', '<']).next())
                .unwrap_or(signature)
                .to_owned();
            assert!(
                signature.starts_with("pub async fn"),
                "{}: `{signature}` would run on the main thread",
                path.display()
            );
            found.push(name);
        }
    }
    found.sort();
    let mut declared = COMMANDS.to_vec();
    declared.sort();
    assert_eq!(found, declared, "every registered command was read");
}

/// The page finds the start snapshot under the name the app gives it.
#[test]
fn the_page_reads_the_start_snapshot_the_app_writes() {
    let session = std::fs::read_to_string("../ui/src/lib/session.svelte.ts").expect("session");
    assert!(
        session.contains(&format!("'{}'", mission_crm_app::START_GLOBAL)),
        "ui/src/lib/session.svelte.ts names {}",
        mission_crm_app::START_GLOBAL
    );
}
