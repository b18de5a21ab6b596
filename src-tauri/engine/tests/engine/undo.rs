use super::*;
use mission_crm_engine::capture::{self, CaptureInput};
use mission_crm_engine::history;
use mission_crm_engine::trash;
use mission_crm_engine::undo::{self, UndoOutcome};

fn undo_last(store: &Store) -> UndoOutcome {
    store
        .write(Source::App, undo::undo_last)
        .expect("undo runs")
}

#[test]
fn undoing_an_edit_brings_back_every_field_and_child_row() {
    let dir = tempfile::tempdir().expect("dir");
    let (store, path) = file_store(&dir);
    let original = store
        .write(Source::App, |tx| {
            contact::create(
                tx,
                &ContactInput {
                    emails: vec![Email {
                        address: "k.sakhmetov@example.kz".into(),
                        label: "work".into(),
                    }],
                    phones: vec![Phone {
                        number: "+7 701 123 45 67".into(),
                        label: "mobile".into(),
                    }],
                    tags: vec!["textiles".into()],
                    ..contact_named("Кайырболат Сахметов")
                },
            )
        })
        .expect("created");
    let before = dump(&path);

    store
        .write(Source::App, |tx| {
            contact::update(
                tx,
                original.id,
                &ContactInput {
                    position: "Director".into(),
                    phones: vec![],
                    tags: vec!["logistics".into(), "vip".into()],
                    ..contact_named("Sakhmetov")
                },
            )
        })
        .expect("edited");
    assert_ne!(dump(&path), before);
    assert_eq!(
        every_contact(&store)[0].phones,
        vec![],
        "the list row follows the edit"
    );

    let outcome = undo_last(&store);
    assert_eq!(
        outcome,
        UndoOutcome::Undone {
            entity: Entity::Contact,
            op: ChangeOp::Update,
            label: "Sakhmetov".into(),
            records: 1
        }
    );
    let back = store
        .read(|db| contact::get(db, original.id))
        .expect("back");
    assert_eq!(back.full_name, original.full_name);
    assert_eq!(back.phones, original.phones);
    assert_eq!(back.tags, original.tags);
    assert_eq!(every_contact(&store)[0].phones, original.phones);
    // Rows, not only the record as read: the tags created by the edit are
    // gone too. History alone grew: it records the undo.
    assert_eq!(dump(&path), before);
    let timeline = store
        .read(|db| history::for_record(db, Entity::Contact, original.id))
        .expect("history");
    assert_eq!(timeline.len(), 3, "insert, edit, and the undo of the edit");
    assert_eq!(timeline[0].op, ChangeOp::Update);
    assert!(timeline[0].changed.contains(&"full_name".to_owned()));
}

#[test]
fn undoing_a_capture_takes_back_all_four_records_and_the_attendance() {
    let dir = tempfile::tempdir().expect("dir");
    let (store, path) = file_store(&dir);
    let mission_id = store.write(Source::Demo, demo::load).expect("demo");
    let meeting = store
        .read(|db| meeting::list(db, mission_id))
        .expect("agenda")[0]
        .clone();
    let before = dump(&path);

    let captured = store
        .write(Source::App, |tx| {
            capture::save(
                tx,
                &CaptureInput {
                    mission_id,
                    meeting_id: Some(meeting.id),
                    full_name: "Döwlet Annaýew".into(),
                    phone: "+993 65 12 34 56".into(),
                    organization_name: "Ashgabat Cotton Trading".into(),
                    note: "Wants 20 containers of yarn a month.".into(),
                    follow_up: "Send the price list".into(),
                    ..CaptureInput::default()
                },
            )
        })
        .expect("captured");

    match undo_last(&store) {
        UndoOutcome::Undone { records, .. } => assert!(records >= 4, "{records}"),
        other => panic!("{other:?}"),
    }
    assert_eq!(dump(&path), before, "the database is as before the capture");
    let err = store
        .read(|db| contact::get(db, captured.contact.id))
        .expect_err("contact gone");
    assert_eq!(err.code(), ErrorCode::NotFound);
}

#[test]
fn ctrl_z_after_a_delete_restores_the_record_with_its_links() {
    let store = in_memory_db();
    let (org, person) = store
        .write(Source::App, |tx| {
            let org = organization::create(
                tx,
                &OrganizationInput {
                    name: "Türkmennebit".into(),
                    ..OrganizationInput::default()
                },
            )?;
            let person = contact::create(
                tx,
                &ContactInput {
                    organization_id: Some(org.id),
                    ..contact_named("Merdan Gurbanow")
                },
            )?;
            Ok((org, person))
        })
        .expect("created");
    store
        .write(Source::App, |tx| {
            trash::delete(tx, Entity::Organization, org.id)
        })
        .expect("deleted");

    assert_eq!(
        undo_last(&store),
        UndoOutcome::Undone {
            entity: Entity::Organization,
            op: ChangeOp::Delete,
            label: "Türkmennebit".into(),
            records: 1
        }
    );
    assert!(trash_items(&store).is_empty());
    let back = store
        .read(|db| contact::get(db, person.id))
        .expect("person");
    assert_eq!(back.organization_name.as_deref(), Some("Türkmennebit"));
    let ops: Vec<ChangeOp> = store
        .read(|db| history::for_record(db, Entity::Organization, org.id))
        .expect("history")
        .into_iter()
        .map(|h| h.op)
        .collect();
    assert_eq!(ops, [ChangeOp::Restore, ChangeOp::Delete, ChangeOp::Insert]);
}

#[test]
fn the_stack_undoes_newest_first_then_reports_nothing_left() {
    let store = in_memory_db();
    let c = store
        .write(Source::App, |tx| {
            contact::create(tx, &contact_named("Aýna"))
        })
        .expect("created");
    for name in ["Aýna Hojaýewa", "Aýna Hojaýewa-Orazowa"] {
        store
            .write(Source::App, |tx| {
                contact::update(tx, c.id, &contact_named(name))
            })
            .expect("edited");
    }
    let name = |s: &Store| s.read(|db| contact::get(db, c.id)).expect("c").full_name;
    undo_last(&store);
    assert_eq!(name(&store), "Aýna Hojaýewa");
    undo_last(&store);
    assert_eq!(name(&store), "Aýna");
    assert!(matches!(
        undo_last(&store),
        UndoOutcome::Undone {
            op: ChangeOp::Insert,
            ..
        }
    ));
    assert_eq!(
        count(&store, "contacts"),
        0,
        "undoing the insert removes it"
    );
    assert_eq!(undo_last(&store), UndoOutcome::Nothing);
}

#[test]
fn an_undo_never_overwrites_a_change_made_since_outside_the_app() {
    let store = in_memory_db();
    let c = store
        .write(Source::App, |tx| {
            contact::create(tx, &contact_named("Berdi"))
        })
        .expect("created");
    store
        .write(Source::App, |tx| {
            contact::update(tx, c.id, &contact_named("Berdi Myradow"))
        })
        .expect("app edit");
    // The command line edits the same person; it is not on the app's stack.
    store
        .write(Source::Cli, |tx| {
            contact::update(tx, c.id, &contact_named("Berdimyrat Myradow"))
        })
        .expect("cli edit");

    match undo_last(&store) {
        UndoOutcome::Stale { entity, table, .. } => {
            assert_eq!((entity, table.as_str()), (Entity::Contact, "contacts"))
        }
        other => panic!("expected stale, got {other:?}"),
    }
    let now = store.read(|db| contact::get(db, c.id)).expect("c");
    assert_eq!(now.full_name, "Berdimyrat Myradow", "the CLI's edit stays");
    // The older step (creating the person) was made under the stale one:
    // the stack is cleared rather than applying it out of order.
    assert_eq!(undo_last(&store), UndoOutcome::Nothing);
    assert_eq!(count(&store, "contacts"), 1);
}

#[test]
fn writes_from_the_cli_and_the_demo_are_not_on_the_apps_undo_stack() {
    let store = in_memory_db();
    store.write(Source::Demo, demo::load).expect("demo");
    store
        .write(Source::Cli, |tx| contact::create(tx, &contact_named("Cli")))
        .expect("cli");
    assert_eq!(undo_last(&store), UndoOutcome::Nothing);
}

#[test]
fn the_stack_keeps_only_the_newest_writes() {
    let store = in_memory_db();
    let c = store
        .write(Source::App, |tx| contact::create(tx, &contact_named("v0")))
        .expect("created");
    let edits = undo::DEPTH + 5;
    for i in 1..=edits {
        store
            .write(Source::App, |tx| {
                contact::update(tx, c.id, &contact_named(&format!("v{i}")))
            })
            .expect("edit");
    }
    let mut undone = 0;
    while undo_last(&store) != UndoOutcome::Nothing {
        undone += 1;
    }
    assert_eq!(undone, undo::DEPTH);
    let name = store
        .read(|db| contact::get(db, c.id))
        .expect("c")
        .full_name;
    assert_eq!(name, "v5");
}

/// A table missing from the undo list would make Ctrl+Z silently skip it.
#[test]
fn the_undo_list_covers_every_table_of_the_schema() {
    let store = in_memory_db();
    let mut tables = store.read(undo::schema_tables).expect("tables");
    // History, the undo log and the import history are their own books
    // (imports are taken back as a whole, see `import::undo`); the search
    // index is derived, re-indexed from the records an undo changes.
    tables.retain(|t| {
        !["history", "undo_log", "imports", "import_items"].contains(&t.as_str())
            && !t.starts_with("search")
    });
    let mut listed: Vec<String> = undo::TABLES.iter().map(|t| (*t).to_owned()).collect();
    listed.sort();
    assert_eq!(tables, listed);
}

/// Taking back "add organization" after the CLI linked a person to it would
/// unlink them through ON DELETE SET NULL, a row the undo never wrote: it is
/// refused, and nothing changes.
#[test]
fn an_undo_that_would_cascade_into_rows_it_never_wrote_is_refused() {
    let dir = tempfile::tempdir().expect("dir");
    let (store, path) = file_store(&dir);
    let org = store
        .write(Source::App, |tx| {
            organization::create(
                tx,
                &OrganizationInput {
                    name: "KTZ Express".into(),
                    ..OrganizationInput::default()
                },
            )
        })
        .expect("org");
    let person = store
        .write(Source::Cli, |tx| {
            contact::create(
                tx,
                &ContactInput {
                    organization_id: Some(org.id),
                    ..contact_named("Айгерим Нурланова")
                },
            )
        })
        .expect("linked from the CLI");
    let before = dump(&path);

    match undo_last(&store) {
        UndoOutcome::Stale { table, .. } => assert_eq!(table, "contacts"),
        other => panic!("expected stale, got {other:?}"),
    }
    assert_eq!(dump(&path), before, "nothing changed");
    let still = store
        .read(|db| contact::get(db, person.id))
        .expect("person");
    assert_eq!(still.organization_name.as_deref(), Some("KTZ Express"));
}

/// The inverse deletes children before parents only if every table comes
/// before the tables it references.
#[test]
fn the_undo_list_puts_every_table_before_the_tables_it_references() {
    let dir = tempfile::tempdir().expect("dir");
    let (_store, path) = file_store(&dir);
    let conn = rusqlite::Connection::open(&path).expect("open");
    let position = |t: &str| undo::TABLES.iter().position(|x| *x == t);
    for (i, table) in undo::TABLES.iter().enumerate() {
        let parents: Vec<String> = conn
            .prepare(&format!(
                "SELECT \"table\" FROM pragma_foreign_key_list('{table}')"
            ))
            .expect("pragma")
            .query_map([], |r| r.get(0))
            .expect("query")
            .collect::<rusqlite::Result<_>>()
            .expect("parents");
        for parent in parents.iter().filter(|p| p.as_str() != *table) {
            let p = position(parent).unwrap_or_else(|| panic!("{parent} is not listed"));
            assert!(
                p > i,
                "{table} references {parent}, which must come after it"
            );
        }
    }
}
