//! People already known (skipped, updated, added as namesakes), and a
//! whole import taken back, keeping what was edited since.

use super::*;

#[test]
fn people_already_known_are_skipped_updated_or_added_as_chosen() {
    let store = in_memory_db();
    import(&store, "utf8-bom.csv");
    // The same person again, by name in the other script's order...
    let again = import(&store, "utf8-bom.csv");
    assert_eq!((again.created, again.skipped), (0, 1));
    assert!(
        again.problems[0].reason.contains("same e-mail"),
        "{:?}",
        again.problems
    );
    assert_eq!(people(&store).len(), 1);

    let text = "Name,Job title\nMergen Serdarovich Berdimuhamedow,Chairman\n";
    let updated = run_text(&store, text, Some(OnMatch::Update)).expect("update");
    assert_eq!(
        updated.updated, 1,
        "matched by name across scripts: {updated:?}"
    );
    let m = person(&store, "Мерген Сердарович Бердымухамедов");
    assert_eq!(m.position, "Chairman");
    assert_eq!(phones(&m), ["+99312345678"]);

    let created = run_text(&store, text, Some(OnMatch::Create)).expect("create");
    assert_eq!(created.created, 1);
    assert_eq!(people(&store).len(), 2);
}

#[test]
fn a_whole_import_is_undone_later() {
    let store = in_memory_db();
    let mission_id = kz_mission(&store);
    import(&store, "utf8-bom.csv");
    let before = people(&store);
    let summary = run(
        &store,
        &fixture("excel-ru-windows-1251.csv"),
        &ImportOptions {
            mission_id: Some(mission_id),
            ..Default::default()
        },
    )
    .expect("import");
    let text = "ФИО,Должность\nБердымухамедов Мерген Сердарович,Председатель\n";
    let update = run_text(&store, text, Some(OnMatch::Update)).expect("update");
    assert_eq!(people(&store).len(), 4);

    let history = store.read(import::list).expect("history");
    assert_eq!(history.len(), 3);
    assert_eq!(history[1].mission_id, Some(mission_id));

    let undone = store
        .write(Source::App, |tx| {
            import::undo(tx, update.import_id.expect("id"))
        })
        .expect("undo update");
    assert_eq!((undone.restored, undone.kept), (1, 0));
    let undone = store
        .write(Source::App, |tx| {
            import::undo(tx, summary.import_id.expect("id"))
        })
        .expect("undo");
    assert_eq!((undone.trashed, undone.unlinked), (5, 2));
    assert_eq!(people(&store), before, "back to the first import exactly");
    let participants = store
        .read(|db| {
            organization::list(
                db,
                &OrganizationFilter {
                    mission_id: Some(mission_id),
                    ..Default::default()
                },
            )
        })
        .expect("orgs");
    assert!(participants.items.is_empty());
    let again = store
        .write(Source::App, |tx| {
            import::undo(tx, summary.import_id.expect("id"))
        })
        .expect_err("twice");
    assert_eq!(again.code(), ErrorCode::Conflict);
    assert!(store.read(import::list).expect("history")[1]
        .undone_at
        .is_some());
}

#[test]
fn an_edit_made_after_the_import_survives_its_undo() {
    let store = in_memory_db();
    import(&store, "utf8-bom.csv");
    let text = "Name,Job title\nMergen Serdarovich Berdimuhamedow,Chairman\n";
    let update = run_text(&store, text, Some(OnMatch::Update)).expect("update");
    let m = person(&store, "Мерген Сердарович Бердымухамедов");
    // The test store's clock is fixed: the edit comes later on a moved one.
    let mut input = contact::ContactInput::from(&m);
    input.notes = "Edited by hand after the import".into();
    let moved = chrono::Utc::now();
    let store = store.with_clock(std::sync::Arc::new(move || moved));
    store
        .write(Source::App, |tx| contact::update(tx, m.id, &input))
        .expect("edit");
    let undone = store
        .write(Source::App, |tx| {
            import::undo(tx, update.import_id.expect("id"))
        })
        .expect("undo");
    assert_eq!((undone.restored, undone.kept), (0, 1));
    assert_eq!(
        person(&store, "Мерген Сердарович Бердымухамедов").position,
        "Chairman"
    );
}

/// Same name, another phone: a namesake, not the same person. The pair
/// still shows on the Duplicates screen for a person to judge.
#[test]
fn a_namesake_with_other_contacts_is_added_not_matched() {
    let store = in_memory_db();
    import(&store, "utf8-bom.csv");
    let text = "Name,Phone\nMergen Serdarovich Berdimuhamedow,+993 65 000000\n";
    let s = run_text(&store, text, None).expect("import");
    assert_eq!((s.created, s.skipped), (1, 0));
    let pairs = store
        .read(|db| mission_crm_engine::duplicates::find(db, 10))
        .expect("duplicates");
    assert_eq!(pairs.len(), 1);
}

/// Someone the import added, then merged into (so the user's work since),
/// stays when the import is undone.
#[test]
fn undoing_an_import_keeps_what_was_edited_or_merged_since() {
    let store = in_memory_db();
    import(&store, "utf8-bom.csv");
    let text = "Name,Phone,Company\nMergen Serdarovich Berdimuhamedow,+993 65 000000,Nebit Gaz\n";
    let added = run_text(&store, text, None).expect("import");
    let imported = person(&store, "Mergen Serdarovich Berdimuhamedow");
    let earlier = person(&store, "Мерген Сердарович Бердымухамедов");
    let moved = chrono::Utc::now();
    let store = store.with_clock(std::sync::Arc::new(move || moved));
    store
        .write(Source::App, |tx| {
            mission_crm_engine::duplicates::merge(
                tx,
                &mission_crm_engine::duplicates::MergeInput {
                    keep: imported.id,
                    remove: earlier.id,
                    take: vec![],
                },
            )
        })
        .expect("merge");
    let undone = store
        .write(Source::App, |tx| {
            import::undo(tx, added.import_id.expect("id"))
        })
        .expect("undo");
    assert_eq!(
        (undone.trashed, undone.kept),
        (0, 2),
        "the person and their employer stay"
    );
    let kept = person(&store, "Mergen Serdarovich Berdimuhamedow");
    assert_eq!(phones(&kept), ["+99365000000", "+99312345678"]);
    assert_eq!(kept.organization_name.as_deref(), Some("Nebit Gaz"));
}
