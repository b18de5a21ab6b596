//! The commands through real Tauri IPC (mock runtime, no window), registered
//! by the same `handlers` the app uses and checked against the app's real
//! capabilities; plus the contract checks: bindings, command list, capability.
//! Here: writes and their announcements, errors, opening, upgrading and
//! damage; files in and out in [`transfer`]; the contract in [`contract`].

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

/// An app on an in-memory store whose file dialogs answer with `pick`.
fn app_picking(pick: impl Fn(Pick) -> Option<PathBuf> + Send + Sync + 'static) -> TestApp {
    let state = AppState::from_store(
        Store::open_in_memory().expect("store"),
        PathBuf::from(":memory:"),
    );
    state.set_picker(std::sync::Arc::new(pick));
    app_with(state)
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

mod attachments;
mod contract;
mod transfer;

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

/// A form saves with the `updated_at` it loaded: a contact written since
/// (here by a second save, as the command line or an undo would) is not
/// saved over, and nothing is written.
#[test]
fn a_save_over_a_record_changed_since_it_was_loaded_is_refused() {
    // Each write a second later: two writes in one millisecond would carry
    // one `updated_at`.
    let tick = std::sync::Arc::new(std::sync::atomic::AtomicI64::new(0));
    let store = Store::open_in_memory()
        .expect("store")
        .with_clock(std::sync::Arc::new(move || {
            let n = tick.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
            chrono::DateTime::from_timestamp(1_700_000_000 + n, 0).expect("instant")
        }));
    let app = app_with(AppState::from_store(store, PathBuf::from(":memory:")));
    let input = |position: &str| {
        json!({
            "full_name": "Кайырболат Сахметов", "full_name_latin": "", "position": position,
            "organization_id": null, "emails": [], "phones": [], "messengers": [],
            "languages": [], "met_on": null, "met_place": "", "introduced_by_id": null,
            "notes": "", "tags": [], "phone_region": null
        })
    };
    let created = app
        .call("create_contact", json!({ "input": input("President") }))
        .expect("created");
    let loaded_at = created["updated_at"].clone();
    let saved = app
        .call(
            "update_contact",
            json!({ "id": created["id"], "input": input("Chairman"), "loadedAt": loaded_at }),
        )
        .expect("saved over the copy it loaded");
    assert_ne!(saved["updated_at"], loaded_at);

    let err = app
        .call(
            "update_contact",
            json!({ "id": created["id"], "input": input("Director"), "loadedAt": loaded_at }),
        )
        .expect_err("a stale copy");
    assert_eq!(err["code"], "changed_since_loaded", "{err}");
    let now = app
        .call("get_contact", json!({ "id": created["id"] }))
        .expect("read back");
    assert_eq!(now["position"], "Chairman", "the later write stays");
}

/// Each edit command checks the record of its own kind: a stale copy is
/// refused and the copy as stored is saved (a check on the wrong table
/// finds no row and lets every save through).
#[test]
fn every_edit_command_refuses_a_stale_copy_of_its_record() {
    let app = app_in_memory();
    let mission_id = app.call("load_demo", json!({})).expect("demo");
    let get = |cmd: &str, id: &Value| app.call(cmd, json!({ "id": id })).expect(cmd);
    let first = |cmd: &str, args: Value, at: &str| app.call(cmd, args).expect(cmd)[at].clone();
    let organization_id = first(
        "list_organizations",
        json!({ "filter": { "mission_id": mission_id, "side": null, "sector": null, "tag": null,
                            "sort": null, "after": null, "limit": 1 } }),
        "items",
    )[0]["id"]
        .clone();
    let meeting_id = app
        .call("list_agenda", json!({ "missionId": mission_id }))
        .expect("agenda")[0]["id"]
        .clone();
    let agreement_id = first(
        "list_agreements",
        json!({ "missionId": mission_id }),
        "agreements",
    )[0]["id"]
        .clone();
    let mut agreement = get("get_agreement", &agreement_id);
    agreement["amount"] = json!("1000");
    let records = [
        ("update_mission", get("get_mission", &mission_id)),
        (
            "update_organization",
            get("get_organization", &organization_id),
        ),
        ("update_meeting", get("get_meeting", &meeting_id)),
        ("update_agreement", agreement),
    ];
    for (cmd, record) in records {
        let err = app
            .call(
                cmd,
                json!({ "id": record["id"], "input": record,
                        "loadedAt": "2023-01-01T00:00:00.000Z" }),
            )
            .expect_err(cmd);
        assert_eq!(err["code"], "changed_since_loaded", "{cmd}: {err}");
        app.call(
            cmd,
            json!({ "id": record["id"], "input": record, "loadedAt": record["updated_at"] }),
        )
        .unwrap_or_else(|e| panic!("{cmd}: {e}"));
    }
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

/// The agreement form's preview of a conversion: the amount as a save
/// would store it, or the save's own error, with nothing written.
#[test]
fn an_amount_is_converted_for_the_form_before_it_is_saved() {
    let app = app_in_memory();
    let args = |rate: Value| json!({ "amount": "150 000 000", "currency": "KZT", "rate": rate, "baseCurrency": "USD" });
    let converted = app
        .call("convert_amount", args(json!("0,0021")))
        .expect("converted");
    assert_eq!(
        converted,
        json!({ "base_amount_minor": 31_500_000, "base_exponent": 2 })
    );
    let err = app
        .call("convert_amount", args(Value::Null))
        .expect_err("no rate");
    assert_eq!(err["code"], "rate_required");
    assert_eq!(err["field"], "rate");
}

/// The window tells the backend its language (for desktop notifications);
/// one it does not have is refused, and the one told before stays.
#[test]
fn the_interfaces_language_reaches_the_backend() {
    use tauri::Manager;
    let app = app_in_memory();
    let language = || app._app.state::<AppState>().language.get();
    assert_eq!(language(), mission_crm_engine::report::Lang::En);
    app.call("set_language", json!({ "lang": "kk" }))
        .expect("kk");
    assert_eq!(language(), mission_crm_engine::report::Lang::Kk);
    app.call("set_language", json!({ "lang": "de" }))
        .expect_err("not a language of the app");
    assert_eq!(language(), mission_crm_engine::report::Lang::Kk);
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

/// Recovering from a backup is for a damaged file only: on a sound one it
/// would put hours-old data over the latest commits.
#[test]
fn a_sound_database_is_not_replaced_by_a_backup() {
    let dir = tempfile::tempdir().expect("dir");
    let path = dir.path().join("crm.db");
    let app = app_with(AppState::open(path));
    app.call("load_demo", json!({})).expect("demo");
    let err = app
        .call("recover_from_backup", json!({}))
        .expect_err("refused");
    assert_eq!(err["code"], "conflict", "{err}");
    assert_eq!(
        app.call("list_missions", json!({}))
            .expect("still open")
            .as_array()
            .map(Vec::len),
        Some(1)
    );
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
    assert_eq!(total, 300_000_000, "the demo's $3,000,000, once");
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
