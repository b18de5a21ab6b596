//! The engine through its public API, on real SQLite databases (in memory
//! and on disk). One test binary; its modules mirror the engine's, and the
//! helpers here are shared by all of them.

use std::path::Path;
use std::sync::{Arc, Mutex};

use chrono::{TimeZone, Utc};
use mission_crm_engine::model::agreement::{self, AgreementInput, Stage};
use mission_crm_engine::model::contact::{self, ContactFilter, ContactInput, Email, Phone};
use mission_crm_engine::model::meeting::{self, MeetingInput, MeetingKind};
use mission_crm_engine::model::mission::{self, MissionInput};
use mission_crm_engine::model::organization::{self, OrganizationFilter, OrganizationInput};
use mission_crm_engine::model::{ListSort, Side};
use mission_crm_engine::{demo, Change, ChangeOp, Entity, ErrorCode, Id, Source, Store};

fn in_memory_db() -> Store {
    let fixed = Utc
        .with_ymd_and_hms(2023, 10, 2, 9, 0, 0)
        .single()
        .expect("valid instant");
    Store::open_in_memory()
        .expect("in-memory store")
        .with_clock(Arc::new(move || fixed))
}

fn mission_input() -> MissionInput {
    MissionInput {
        name: "Business mission of Kazakhstan to Turkmenistan".into(),
        organiser: "Diplomatic Club \"Astana\"".into(),
        host_country: "TM".into(),
        cities: vec!["Ashgabat".into()],
        start_date: "2023-10-01".into(),
        end_date: "2023-10-05".into(),
        time_zone: "Asia/Ashgabat".into(),
        base_currency: "USD".into(),
        phone_region: None,
        status: None,
    }
}

/// A meeting of `mission_id` called `title`, 10:00–11:00 on the mission's
/// second day, with no one linked yet.
fn meeting_input(mission_id: Id, title: &str) -> MeetingInput {
    MeetingInput {
        mission_id,
        kind: MeetingKind::Meeting,
        title: title.into(),
        starts_local: "2023-10-02T10:00".into(),
        ends_local: "2023-10-02T11:00".into(),
        time_zone: None,
        place: String::new(),
        notes: String::new(),
        outcomes: String::new(),
        organization_ids: vec![],
        attendees: None,
    }
}

fn contact_named(name: &str) -> ContactInput {
    ContactInput {
        full_name: name.into(),
        ..ContactInput::default()
    }
}

fn org_count(store: &Store) -> usize {
    store
        .read(|db| {
            organization::list(
                db,
                &OrganizationFilter {
                    limit: Some(1000),
                    ..Default::default()
                },
            )
        })
        .expect("organizations")
        .items
        .len()
}

/// Counts rows of a table through the store's own read path.
fn count(store: &Store, entity: &str) -> usize {
    match entity {
        "contacts" => store
            .read(|db| {
                contact::list(
                    db,
                    &ContactFilter {
                        limit: Some(1000),
                        ..Default::default()
                    },
                )
            })
            .expect("list")
            .items
            .len(),
        "missions" => store.read(mission::list).expect("list").len(),
        "agreements" => store
            .read(|db| agreement::list(db, None))
            .expect("list")
            .agreements
            .len(),
        "follow_ups" => store
            .read(|db| mission_crm_engine::model::follow_up::list(db, &Default::default()))
            .expect("list")
            .len(),
        other => panic!("no counter for {other}"),
    }
}

/// A PDF's text as pdftotext reads it back (each page ends with a form
/// feed): what a reader's viewer finds and copies.
fn pdf_text(bytes: &[u8]) -> String {
    pdftotext(bytes, &[])
}

/// A PDF's text with each page's lines as they stand (a table's columns
/// side by side).
fn pdf_layout_text(bytes: &[u8]) -> String {
    pdftotext(bytes, &["-layout"])
}

fn pdftotext(bytes: &[u8], options: &[&str]) -> String {
    let dir = tempfile::tempdir().expect("dir");
    let file = dir.path().join("document.pdf");
    std::fs::write(&file, bytes).expect("write");
    let out = std::process::Command::new("pdftotext")
        .args(options)
        .arg(&file)
        .arg("-")
        .output()
        .expect("pdftotext (poppler-utils) is installed by scripts/setup.sh");
    String::from_utf8(out.stdout).expect("utf-8 text")
}

/// Every row of every table a write can touch, sorted: two equal dumps mean
/// the database holds exactly the same records and links.
fn dump(path: &Path) -> Vec<String> {
    let conn = rusqlite::Connection::open(path).expect("second connection");
    let mut rows = Vec::new();
    for table in mission_crm_engine::undo::TABLES {
        let mut stmt = conn
            .prepare(&format!("SELECT * FROM {table}"))
            .expect("select");
        let n = stmt.column_count();
        let mut q = stmt.query([]).expect("query");
        while let Some(r) = q.next().expect("row") {
            let values: Vec<rusqlite::types::Value> =
                (0..n).map(|i| r.get(i).expect("value")).collect();
            rows.push(format!("{table} {values:?}"));
        }
    }
    rows.sort();
    rows
}

/// Every live contact (up to a page of 1,000), read whole, by name. Each
/// list row's e-mail and phone (kept on the contact's row for the list)
/// must be the record's first ones: every test that reads contacts through
/// here holds every writer (edits, imports, merges, undo) to that.
fn every_contact(store: &Store) -> Vec<contact::Contact> {
    store
        .read(|db| {
            let page = contact::list(
                db,
                &ContactFilter {
                    limit: Some(1000),
                    ..Default::default()
                },
            )?;
            page.items
                .iter()
                .map(|row| {
                    let whole = contact::get(db, row.id)?;
                    assert_eq!(
                        (row.email.as_deref(), row.phone.as_deref()),
                        (
                            whole.emails.first().map(|e| &*e.address),
                            whole.phones.first().map(|p| &*p.number)
                        ),
                        "the list row of {} is out of step with its record",
                        whole.full_name
                    );
                    Ok(whole)
                })
                .collect()
        })
        .expect("every contact")
}

/// The trash's first page (up to 1,000 records), most recently deleted first.
fn trash_items(store: &Store) -> Vec<mission_crm_engine::trash::TrashItem> {
    let filter = mission_crm_engine::trash::TrashFilter {
        limit: Some(1000),
        ..Default::default()
    };
    store
        .read(|db| mission_crm_engine::trash::list(db, &filter))
        .expect("trash")
        .items
}

fn file_store(dir: &tempfile::TempDir) -> (Store, std::path::PathBuf) {
    let path = dir.path().join("crm.db");
    (Store::open(&path).expect("store"), path)
}

mod store;

/// Probable duplicates, and merging them.
mod duplicates;
mod merge;

mod rules;

mod lists;

/// Alphabet order across scripts.
mod sort_order;

mod workflow;

mod trash;

mod query_plans;

mod capture;

mod demo_mission;

/// The exchange rates the user keeps.
mod rates;

/// Follow-ups announced as they fall due.
mod reminders;

/// Search: tiers, order, kinds, the index kept in step.
mod search;

/// Search in every script and spelling.
mod search_spellings;

/// Ctrl+Z: the undo stack.
mod undo;

/// Importing CSV and vCard files, and taking an import back.
mod import;

/// CSV, vCard and the full JSON export.
mod export;

/// The calendar export (iCalendar).
mod calendar;

/// Backups, restore, damaged files and a full disk.
mod backup;

/// Files attached to records, kept in the data folder and by backups.
mod attachments;

/// The mission outcome report.
mod report;

/// The delegation book.
mod book;

/// Databases made by earlier versions open and upgrade.
mod migrations;
