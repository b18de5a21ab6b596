//! Files attached to records over IPC: chosen in the dialog, listed,
//! shown, saved as a copy, opened with the viewer, taken off and back.

use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use mission_crm_app::state::{AppState, Pick};
use serde_json::{json, Value};

use super::{app_with, TestApp};

/// A PNG's signature and some bytes after it.
const PNG: &[u8] = b"\x89PNG\r\n\x1a\n the card";

/// An app on a database file whose dialog "chooses" `chosen` (to attach)
/// and saves into the folder beside it, and whose viewer records what it
/// was asked to open.
fn app(dir: &std::path::Path, chosen: PathBuf) -> (TestApp, Arc<Mutex<Vec<PathBuf>>>) {
    let state = AppState::open(dir.join("crm.db"));
    let saves = dir.join("saved");
    state.set_picker(Arc::new(move |what| match what {
        Pick::Attach => Some(chosen.clone()),
        Pick::Save(name) => Some(saves.join(name)),
        Pick::Import => None,
    }));
    let opened = Arc::new(Mutex::new(Vec::new()));
    let seen = opened.clone();
    state.set_opener(Arc::new(move |path| {
        seen.lock().expect("lock").push(path.to_owned());
        Ok(())
    }));
    (app_with(state), opened)
}

fn person(app: &TestApp) -> Value {
    app.call(
        "create_contact",
        json!({ "input": {
            "full_name": "Мерген Мусина", "full_name_latin": "", "position": "",
            "organization_id": null, "emails": [], "phones": [], "messengers": [],
            "languages": [], "met_on": null, "met_place": "", "introduced_by_id": null,
            "notes": "", "tags": [], "phone_region": null
        }}),
    )
    .expect("contact")
}

#[test]
fn a_picture_is_attached_shown_saved_opened_and_taken_off() {
    let dir = tempfile::tempdir().expect("dir");
    let card = dir.path().join("визитка.png");
    std::fs::write(&card, PNG).expect("write");
    std::fs::create_dir(dir.path().join("saved")).expect("dir");
    let (app, opened) = app(dir.path(), card);
    let contact = person(&app);
    let on = json!({ "entity": "contact", "id": contact["id"] });

    let added = app.call("add_attachment", on.clone()).expect("attached");
    assert_eq!(added["file_name"], "визитка.png");
    assert_eq!(added["media_type"], "image/png");
    assert_eq!(added["missing"], false);
    let listed = app.call("list_attachments", on.clone()).expect("list");
    assert_eq!(listed, json!([added]));

    let id = json!({ "id": added["id"] });
    let preview = app.call("attachment_preview", id.clone()).expect("preview");
    assert_eq!(
        preview.as_str().expect("a data URL"),
        "data:image/png;base64,iVBORw0KGgogdGhlIGNhcmQ="
    );
    let saved = app.call("save_attachment", id.clone()).expect("saved");
    let path = PathBuf::from(saved["path"].as_str().expect("path"));
    assert_eq!(path, dir.path().join("saved").join("визитка.png"));
    assert_eq!(std::fs::read(&path).expect("read"), PNG);

    app.call("open_attachment", id.clone()).expect("opened");
    let opened = opened.lock().expect("lock").clone();
    assert_eq!(opened.len(), 1);
    assert!(
        opened[0].starts_with(dir.path().join("opened")),
        "a copy in the data folder: {opened:?}"
    );
    assert_eq!(std::fs::read(&opened[0]).expect("the copy"), PNG);

    app.call("remove_attachment", id.clone()).expect("removed");
    assert_eq!(
        app.call("list_attachments", on.clone()).expect("list"),
        json!([])
    );
    let gone = app
        .call("attachment_preview", id.clone())
        .expect_err("taken off");
    assert_eq!(gone["code"], "not_found");
    app.call("undo", json!({})).expect("undo");
    assert_eq!(
        app.call("list_attachments", on).expect("list"),
        json!([added])
    );
}

/// A file that is not a picture or a PDF is attached and saved, but not
/// opened (a launcher or a script would run) and not shown.
#[test]
fn a_file_that_could_run_is_never_opened() {
    let dir = tempfile::tempdir().expect("dir");
    let launcher = dir.path().join("card.png.desktop");
    std::fs::write(&launcher, "[Desktop Entry]\nExec=sh -c 'rm -rf ~'\n").expect("write");
    let (app, opened) = app(dir.path(), launcher);
    let contact = person(&app);
    let added = app
        .call(
            "add_attachment",
            json!({ "entity": "contact", "id": contact["id"] }),
        )
        .expect("attached");
    assert_eq!(added["media_type"], "application/octet-stream");
    let id = json!({ "id": added["id"] });
    assert_eq!(
        app.call("attachment_preview", id.clone()).expect("preview"),
        Value::Null
    );
    let refused = app.call("open_attachment", id).expect_err("not opened");
    assert_eq!(refused["code"], "invalid_file");
    assert!(opened.lock().expect("lock").is_empty());
}
