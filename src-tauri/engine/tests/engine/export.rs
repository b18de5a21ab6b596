use std::collections::HashMap;
use std::path::Path;

use mission_crm_engine::export::{
    self, json, CsvSeparator, ExportFormat, ExportKind, ExportRequest,
};
use mission_crm_engine::import::{self, ImportOptions};
use mission_crm_engine::model::contact::{self, Contact, ContactInput, Messenger, MessengerKind};
use mission_crm_engine::{demo, trash, undo, Entity, ErrorCode, Id, Source, Store};

use super::in_memory_db;

/// The demo mission, with imported people, a trashed record and history.
pub(super) fn busy_store() -> (Store, Id) {
    let store = in_memory_db();
    let mission = store.write(Source::Demo, demo::load).expect("demo");
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/import");
    for file in ["google-contacts.csv", "android-2.1.vcf", "apple-3.0.vcf"] {
        import::run(
            &store,
            &fixtures.join(file),
            &ImportOptions::default(),
            false,
            &mut |_| true,
        )
        .expect("import");
    }
    let someone = all_contacts(&store)[0].id;
    store
        .write(Source::App, |tx| {
            trash::delete(tx, Entity::Contact, someone)
        })
        .expect("trash");
    (store, mission)
}

fn all_contacts(store: &Store) -> Vec<Contact> {
    super::every_contact(store)
}

pub(super) fn export_bytes(
    store: &Store,
    format: ExportFormat,
    kind: Option<ExportKind>,
    mission_id: Option<Id>,
) -> Vec<u8> {
    let mut out = Vec::new();
    store
        .read(|db| {
            export::export(
                db,
                &ExportRequest {
                    format,
                    kind,
                    mission_id,
                    separator: None,
                },
                store.now(),
                &mut out,
            )
        })
        .expect("export");
    out
}

#[test]
fn the_json_export_restores_into_an_empty_database_identically() {
    let (store, _) = busy_store();
    let first = export_bytes(&store, ExportFormat::Json, None, None);
    let copy = in_memory_db();
    let rows = copy
        .write(Source::Import, |tx| json::restore(tx, &first[..]))
        .expect("restore");
    assert!(rows > 100, "{rows} rows");
    let second = export_bytes(&copy, ExportFormat::Json, None, None);
    assert_eq!(
        String::from_utf8_lossy(&first),
        String::from_utf8_lossy(&second)
    );
    // The restored database is searchable and its trash restorable.
    assert_eq!(all_contacts(&copy), all_contacts(&store));
    let search = |store: &Store| {
        store
            .read(|db| {
                mission_crm_engine::search::search(
                    db,
                    &mission_crm_engine::search::SearchQuery {
                        text: "Айгерим".into(),
                        ..Default::default()
                    },
                )
            })
            .expect("search")
    };
    assert_eq!(search(&copy), search(&store));
    assert!(!search(&copy).is_empty());
    assert_eq!(crate::trash_items(&copy).len(), 1);
}

#[test]
fn a_restore_refuses_a_database_in_use_and_a_broken_file() {
    let (store, _) = busy_store();
    let dump = export_bytes(&store, ExportFormat::Json, None, None);
    let err = store
        .write(Source::Import, |tx| json::restore(tx, &dump[..]))
        .expect_err("not empty");
    assert_eq!(err.code(), ErrorCode::NotEmpty);
    assert!(
        err.message().contains("empty database"),
        "{}",
        err.message()
    );

    let empty = in_memory_db();
    for broken in [
        &dump[..dump.len() / 2],
        b"{\"format\":\"other\"}",
        b"[1,2]",
        b"{\"tables\":{}}",
    ] {
        let err = empty
            .write(Source::Import, |tx| json::restore(tx, broken))
            .expect_err("broken");
        assert_eq!(err.code(), ErrorCode::InvalidFile, "{err}");
        assert!(all_contacts(&empty).is_empty(), "nothing half restored");
    }
}

/// A table missing here would be silently left out of every backup.
#[test]
fn the_json_export_covers_every_table_of_the_schema() {
    let store = in_memory_db();
    let mut tables = store.read(undo::schema_tables).expect("tables");
    // Derived (the index) or one window's session (the undo stack).
    tables.retain(|t| t != "undo_log" && !t.starts_with("search"));
    let mut listed: Vec<String> = json::TABLES.iter().map(|t| (*t).to_owned()).collect();
    listed.sort();
    assert_eq!(tables, listed);
}

/// Properties of each card, as an independent parser (the `ical` crate)
/// reads them: name -> values.
type Card = HashMap<String, Vec<(String, Vec<String>)>>;

fn parsed_cards(bytes: &[u8]) -> Vec<Card> {
    ical::VcardParser::new(std::io::BufReader::new(bytes))
        .map(|card| {
            let mut props = Card::new();
            for p in card
                .expect("a card the independent parser reads")
                .properties
            {
                let params = p
                    .params
                    .unwrap_or_default()
                    .into_iter()
                    .flat_map(|(_, v)| v)
                    .collect();
                props
                    .entry(p.name)
                    .or_default()
                    .push((p.value.unwrap_or_default(), params));
            }
            props
        })
        .collect()
}

#[test]
fn vcards_are_read_back_by_an_independent_parser() {
    let (store, _) = busy_store();
    let people = all_contacts(&store);
    // Exported a year on: a card's REV is when the person changed.
    let later = store.now() + chrono::Duration::days(365);
    for format in [ExportFormat::Vcard, ExportFormat::Vcard4] {
        let mut bytes = Vec::new();
        let request = ExportRequest {
            format,
            kind: None,
            mission_id: None,
            separator: None,
        };
        store
            .read(|db| export::export(db, &request, later, &mut bytes))
            .expect("export");
        let cards = parsed_cards(&bytes);
        assert_eq!(cards.len(), people.len());
        for (card, person) in cards.iter().zip(&people) {
            let values = |name: &str| -> Vec<String> {
                card.get(name)
                    .map(|v| v.iter().map(|(v, _)| v.clone()).collect())
                    .unwrap_or_default()
            };
            assert_eq!(values("FN"), [person.full_name.replace(',', "\\,")]);
            let phones: Vec<String> = person
                .phones
                .iter()
                .map(|p| match format {
                    ExportFormat::Vcard4 => format!("tel:{}", p.number),
                    _ => p.number.clone(),
                })
                .collect();
            assert_eq!(values("TEL"), phones, "{}", person.full_name);
            let emails: Vec<&str> = person.emails.iter().map(|e| e.address.as_str()).collect();
            assert_eq!(values("EMAIL"), emails);
            // When the person last changed, to the second, not the export.
            let changed = chrono::DateTime::parse_from_rfc3339(&person.updated_at)
                .expect("an instant")
                .format("%Y%m%dT%H%M%SZ")
                .to_string();
            assert_eq!(values("REV"), [changed], "{}", person.full_name);
        }
        // And our importer reads our own export back to the same people.
        let copy = in_memory_db();
        let dir = tempfile::tempdir().expect("dir");
        let file = dir.path().join("export.vcf");
        std::fs::write(&file, &bytes).expect("write");
        import::run(&copy, &file, &ImportOptions::default(), false, &mut |_| {
            true
        })
        .expect("re-import");
        let again = all_contacts(&copy);
        let key = |c: &Contact| {
            (
                c.full_name.clone(),
                c.phones.clone(),
                c.emails.clone(),
                c.position.clone(),
            )
        };
        assert_eq!(
            again.iter().map(key).collect::<Vec<_>>(),
            people.iter().map(key).collect::<Vec<_>>()
        );
    }
}

#[test]
fn csv_opens_with_cyrillic_intact_and_imports_back() {
    for separator in [None, Some(CsvSeparator::Semicolon)] {
        csv_round_trip(separator);
    }
}

/// The CSV export with `separator` (a comma when None) opens in Excel and
/// imports back to the same people.
fn csv_round_trip(separator: Option<CsvSeparator>) {
    let (store, _) = busy_store();
    // Reached on Telegram and WhatsApp, speaking Kazakh and Russian: their
    // columns come back (Signal's has none: the JSON export keeps it).
    store
        .write(Source::App, |tx| {
            let messenger = |kind, handle: &str| Messenger {
                kind,
                handle: handle.into(),
            };
            contact::create(
                tx,
                &ContactInput {
                    full_name: "Айдар Сейтказы".into(),
                    messengers: vec![
                        messenger(MessengerKind::Telegram, "@aidar_s"),
                        messenger(MessengerKind::Whatsapp, "+77011234567"),
                        messenger(MessengerKind::Whatsapp, "+77017654321"),
                    ],
                    languages: vec!["kk".into(), "ru".into()],
                    ..ContactInput::default()
                },
            )
        })
        .expect("a person on messengers");
    let mut bytes = Vec::new();
    let request = ExportRequest {
        format: ExportFormat::Csv,
        kind: Some(ExportKind::Contacts),
        mission_id: None,
        separator,
    };
    store
        .read(|db| export::export(db, &request, store.now(), &mut bytes))
        .expect("export");
    let header = match separator {
        Some(CsvSeparator::Semicolon) => "Name;Name (Latin);Job title;Organization;",
        _ => "Name,Name (Latin),Job title,Organization,",
    };
    assert!(
        bytes[3..].starts_with(header.as_bytes()),
        "{}",
        String::from_utf8_lossy(&bytes[..80])
    );
    assert!(
        bytes.starts_with(b"\xEF\xBB\xBF"),
        "a BOM, so Excel reads UTF-8"
    );
    let text = std::str::from_utf8(&bytes[3..]).expect("utf-8");
    assert!(text.contains("Айгерим Нурланова"));
    assert!(
        text.contains("'+7705"),
        "phones neutralised against formulas"
    );
    let copy = in_memory_db();
    let dir = tempfile::tempdir().expect("dir");
    let file = dir.path().join("contacts.csv");
    std::fs::write(&file, &bytes).expect("write");
    import::run(&copy, &file, &ImportOptions::default(), false, &mut |_| {
        true
    })
    .expect("re-import");
    // CSV has one column for e-mails and one for phones: labels stay behind.
    let key = |c: &Contact| {
        (
            c.full_name.clone(),
            c.phones
                .iter()
                .map(|p| p.number.clone())
                .collect::<Vec<_>>(),
            c.emails
                .iter()
                .map(|e| e.address.clone())
                .collect::<Vec<_>>(),
            c.notes.clone(),
            c.tags.clone(),
            c.messengers
                .iter()
                .filter(|m| matches!(m.kind, MessengerKind::Telegram | MessengerKind::Whatsapp))
                .cloned()
                .collect::<Vec<_>>(),
            c.languages.clone(),
        )
    };
    assert_eq!(
        all_contacts(&copy).iter().map(key).collect::<Vec<_>>(),
        all_contacts(&store).iter().map(key).collect::<Vec<_>>()
    );
    let orgs = export_bytes(
        &store,
        ExportFormat::Csv,
        Some(ExportKind::Organizations),
        None,
    );
    assert!(String::from_utf8_lossy(&orgs).contains("Казахтелеком"));
}

#[test]
fn a_restore_refuses_a_newer_schema_version_before_writing_anything() {
    let (store, _) = busy_store();
    let dump =
        String::from_utf8(export_bytes(&store, ExportFormat::Json, None, None)).expect("utf-8");
    let latest = mission_crm_engine::db::latest_version();
    let version = format!("\"schema_version\":{latest}");
    assert!(dump.contains(&version));
    let newer = dump.replace(&version, &format!("\"schema_version\":{}", latest + 1));
    let empty = in_memory_db();
    let err = empty
        .write(Source::Import, |tx| json::restore(tx, newer.as_bytes()))
        .expect_err("newer version");
    assert!(
        err.message()
            .contains(&format!("schema version {}, by a newer", latest + 1)),
        "{}",
        err.message()
    );
    let headless = dump.replacen("\"format\":\"mission-crm\",", "", 1);
    let err = empty
        .write(Source::Import, |tx| json::restore(tx, headless.as_bytes()))
        .expect_err("no header");
    assert!(
        err.message().contains("must come before"),
        "{}",
        err.message()
    );
    assert!(all_contacts(&empty).is_empty());
}

/// An export is a user's copy of everything: one made before an upgrade
/// must restore after it. Each older export is this build's export with
/// the columns added since its schema taken out of every row
/// (`json::ADDED_COLUMNS`) and, before schema 8, each contact's first
/// e-mail and phone in the child tables too, as position 0: what that
/// release wrote.
#[test]
fn an_export_made_by_an_older_schema_restores_with_what_was_added_since_filled() {
    let (store, _) = busy_store();
    let dump: serde_json::Value =
        serde_json::from_slice(&export_bytes(&store, ExportFormat::Json, None, None))
            .expect("json");
    let latest = mission_crm_engine::db::latest_version();
    let mut versions: Vec<i64> = json::ADDED_COLUMNS.iter().map(|(v, _, _)| v - 1).collect();
    versions.push(latest - 1);
    versions.sort_unstable();
    versions.dedup();
    for version in versions {
        let mut older = dump.clone();
        older["schema_version"] = version.into();
        if version < 8 {
            let contacts = older["tables"]["contacts"]
                .as_array()
                .expect("rows")
                .clone();
            for (table, value, label, column) in [
                (
                    "contact_emails",
                    "primary_email",
                    "primary_email_label",
                    "address",
                ),
                (
                    "contact_phones",
                    "primary_phone",
                    "primary_phone_label",
                    "e164",
                ),
            ] {
                let rows = older["tables"][table].as_array_mut().expect("rows");
                let firsts = contacts.iter().filter(|c| !c[value].is_null()).map(|c| {
                    serde_json::json!({
                        "contact_id": c["id"], "position": 0,
                        column: c[value], "label": c[label],
                    })
                });
                let mut all: Vec<serde_json::Value> = firsts.collect();
                assert!(!all.is_empty(), "the test moves addresses");
                all.append(rows);
                *rows = all;
            }
        }
        // Before schema 13 a sort key was the name in lower case.
        if version < 13 {
            for (table, name) in [("contacts", "full_name"), ("organizations", "name")] {
                for row in older["tables"][table].as_array_mut().expect("rows") {
                    let lower = row[name].as_str().expect("name").to_lowercase();
                    row["sort_name"] = lower.into();
                }
            }
        }
        let mut dropped = 0;
        for (added, table, column) in json::ADDED_COLUMNS {
            if *added <= version {
                continue;
            }
            let rows = older["tables"][*table].as_array_mut().expect("rows");
            for row in rows {
                dropped += usize::from(row.as_object_mut().expect("row").remove(*column).is_some());
            }
        }
        if json::ADDED_COLUMNS.iter().any(|(a, _, _)| *a > version) {
            assert!(dropped > 0, "the test takes columns out");
        }
        let copy = in_memory_db();
        copy.write(Source::Import, |tx| {
            json::restore(tx, older.to_string().as_bytes())
        })
        .unwrap_or_else(|e| panic!("schema {version}: {e}"));
        // every_contact holds each list row (the filled columns) to its
        // record, and the records to the original's.
        assert_eq!(
            all_contacts(&copy),
            all_contacts(&store),
            "schema {version}"
        );
        assert_eq!(
            export_bytes(&copy, ExportFormat::Json, None, None),
            export_bytes(&store, ExportFormat::Json, None, None),
            "schema {version}: restored as exported"
        );
    }
}

/// `json::ADDED_COLUMNS` names every column an older export lacks: each
/// shipped schema's tables (its fixture) have this build's columns but the
/// ones listed as added since. A column added without its entry here would
/// make the restore refuse every export made before it.
#[test]
fn the_columns_added_since_each_shipped_schema_are_all_listed() {
    let dir = tempfile::tempdir().expect("dir");
    let columns = |path: &std::path::Path, table: &str| -> Vec<String> {
        let conn = rusqlite::Connection::open(path).expect("open");
        let mut stmt = conn
            .prepare("SELECT name FROM pragma_table_info(?1) ORDER BY cid")
            .expect("columns");
        let names = stmt
            .query_map([table], |r| r.get::<_, String>(0))
            .expect("columns")
            .collect::<rusqlite::Result<Vec<_>>>()
            .expect("columns");
        names
            .into_iter()
            .filter(|c| !json::DERIVED_COLUMNS.contains(&(table, c.as_str())))
            .collect()
    };
    let current = dir.path().join("current.db");
    drop(Store::open(&current).expect("current schema"));
    for (version, fixture) in super::migrations::fixtures() {
        // A copy: opening a WAL file leaves files beside it.
        let old = dir.path().join(format!("v{version}.db"));
        std::fs::copy(&fixture, &old).expect("copy");
        for table in json::TABLES {
            let had = columns(&old, table);
            if had.is_empty() {
                continue; // a table added since
            }
            let expected: Vec<String> = columns(&current, table)
                .into_iter()
                .filter(|c| {
                    !json::ADDED_COLUMNS
                        .iter()
                        .any(|(added, t, col)| *added > version && t == table && col == c)
                })
                .collect();
            assert_eq!(had, expected, "schema {version}: {table}");
        }
    }
}

/// An export asked for what its format cannot do is refused with the
/// reason, and writes no file: a full export limited to one mission (it
/// wrote every mission's data), organizations as vCard.
#[test]
fn an_export_a_format_cannot_make_is_refused_not_widened() {
    let (store, mission) = busy_store();
    let dir = tempfile::tempdir().expect("dir");
    for (format, kind, mission_id, field) in [
        (ExportFormat::Json, None, Some(mission), "mission_id"),
        (
            ExportFormat::Vcard,
            Some(ExportKind::Organizations),
            None,
            "kind",
        ),
    ] {
        let file = dir.path().join("out");
        let request = ExportRequest {
            format,
            kind,
            mission_id,
            separator: None,
        };
        let err = store
            .read(|db| export::to_file(db, &request, chrono::Utc::now(), &file))
            .expect_err("refused");
        assert_eq!(
            (err.code(), err.field()),
            (ErrorCode::Conflict, Some(field))
        );
        assert!(!file.exists(), "no file written");
    }
}
