//! People already known (skipped, updated, added as namesakes), and a
//! whole import taken back, keeping what was edited or used since.

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
    assert!(
        matches!(
            &again.problems[0].issue,
            Some(RowIssue::Known { name, by: Reason::Email }) if name == "Мерген Сердарович Бердымухамедов"
        ),
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

    // Two of that name now, and only the name to go by: neither is updated
    // (one of them was, whichever was read first).
    let text = "Name,Job title\nMergen Serdarovich Berdimuhamedow,Deputy Chairman\n";
    let namesakes = run_text(&store, text, Some(OnMatch::Update)).expect("update");
    assert_eq!(
        (namesakes.updated, namesakes.skipped),
        (0, 1),
        "{namesakes:?}"
    );
    assert!(
        matches!(
            &namesakes.problems[0].issue,
            Some(RowIssue::Namesakes { .. })
        ),
        "{:?}",
        namesakes.problems
    );
    assert!(people(&store).iter().all(|p| p.position == "Chairman"));
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
    assert!(taking_part(&store, mission_id).is_empty());
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

/// Officials of one ministry share its reception phone and mailbox: a
/// shared number or address makes two people one only when their names
/// agree. Anyone else is added, and the pair waits on the Duplicates
/// screen; the same list again still finds everyone.
#[test]
fn colleagues_sharing_a_phone_or_mailbox_are_not_taken_for_one_another() {
    let text = "Name,Email,Phone,Job title\n\
                Aýna Berdiýewa,ayna@nebitgaz.tm,+993 12 44 55 66,Head of sales\n\
                Serdar Myradow,serdar@nebitgaz.tm,+993 12 44 55 66,Deputy minister\n\
                Merdan Ataýew,info@nebitgaz.tm,,Adviser\n\
                Jeren Orazowa,info@nebitgaz.tm,,Interpreter\n";
    for on_match in [None, Some(OnMatch::Update)] {
        let store = in_memory_db();
        let s = run_text(&store, text, on_match).expect("import");
        assert_eq!(
            (s.created, s.skipped),
            (4, 0),
            "{on_match:?}: {:?}",
            s.problems
        );
        assert_eq!(person(&store, "Aýna Berdiýewa").position, "Head of sales");
        assert_eq!(person(&store, "Serdar Myradow").position, "Deputy minister");
    }

    // The same people again, one spelled family name first: all known.
    let store = in_memory_db();
    run_text(&store, text, None).expect("import");
    let again = "Name,Email,Phone\n\
                 Berdiýewa Aýna,,+993 12 44 55 66\n\
                 Serdar Myradow,,+993 12 44 55 66\n\
                 Merdan Ataýew,info@nebitgaz.tm,\n\
                 Jeren Orazowa,info@nebitgaz.tm,\n";
    let s = run_text(&store, again, None).expect("import");
    assert_eq!((s.created, s.skipped), (0, 4), "{:?}", s.problems);
}

/// Someone in the trash is not "already in the address book": the same
/// name imported again is a new record (by name, as by e-mail or phone).
#[test]
fn a_person_in_the_trash_does_not_stop_the_same_name_coming_in() {
    let store = in_memory_db();
    let text = "Name,Job title\nMerdan Ataýew,Adviser\n";
    run_text(&store, text, None).expect("import");
    let id = person(&store, "Merdan Ataýew").id;
    store
        .write(Source::App, |tx| {
            mission_crm_engine::trash::delete(tx, mission_crm_engine::Entity::Contact, id)
        })
        .expect("trashed");
    let s = run_text(&store, text, None).expect("import");
    assert_eq!((s.created, s.skipped), (1, 0), "{:?}", s.problems);
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

/// A store whose clock reads `minutes` after nine on a fixed day: each
/// step of a test at its own time, as the app's writes are.
fn at(store: Store, minutes: i64) -> Store {
    use chrono::TimeZone;
    let nine = chrono::Utc
        .with_ymd_and_hms(2026, 1, 5, 9, 0, 0)
        .single()
        .expect("a time");
    let now = nine + chrono::Duration::minutes(minutes);
    store.with_clock(std::sync::Arc::new(move || now))
}

fn undo(store: &Store, summary: &ImportSummary) -> import::UndoImport {
    store
        .write(Source::App, |tx| {
            import::undo(tx, summary.import_id.expect("id"))
        })
        .expect("undo")
}

/// Two imports taken back newest first leave the address book as it was
/// before both: the later one gives the person back exactly as the earlier
/// one made them, time of last change included, so the earlier one finds
/// them untouched and takes them back too.
#[test]
fn two_imports_taken_back_newest_first_leave_no_one_behind() {
    let store = at(in_memory_db(), 0);
    let first =
        run_text(&store, "Name,Phone\nAýna Berdiýewa,+993 65 111111\n", None).expect("first");
    let store = at(store, 10);
    let second = run_text(
        &store,
        "Name,Phone,Job title\nAýna Berdiýewa,+993 65 111111,Director\n",
        Some(OnMatch::Update),
    )
    .expect("second");
    assert_eq!((first.created, second.updated), (1, 1));

    let store = at(store, 20);
    let undone = undo(&store, &second);
    assert_eq!((undone.restored, undone.kept), (1, 0));
    assert_eq!(person(&store, "Aýna Berdiýewa").position, "");
    let store = at(store, 30);
    let undone = undo(&store, &first);
    assert_eq!((undone.trashed, undone.kept), (1, 0));
    assert!(people(&store).is_empty(), "{:#?}", people(&store));
}

/// Someone the import added whom the user has met since (a meeting, a
/// note, a follow-up) is the user's work: they stay when the import is
/// taken back, with the organization they work for and its link to the
/// mission; so does the link of an organization that met in the mission.
/// Someone untouched, and an organization no one kept works for, go to the
/// trash, out of the mission.
#[test]
fn undoing_an_import_keeps_people_met_since_and_their_organizations() {
    use mission_crm_engine::model::follow_up::{self, FollowUpInput};
    use mission_crm_engine::model::meeting;
    use mission_crm_engine::model::note;
    let store = at(in_memory_db(), 0);
    let mission_id = kz_mission(&store);
    let kaztrade = store
        .write(Source::App, |tx| {
            organization::create(
                tx,
                &organization::OrganizationInput {
                    name: "Kaztrade".into(),
                    ..Default::default()
                },
            )
        })
        .expect("an organization known before");
    let dir = tempfile::tempdir().expect("dir");
    let file = dir.path().join("delegation.csv");
    std::fs::write(
        &file,
        "Name,Company\nAýna Berdiýewa,Nebit Gaz\nMaral Annaýewa,Türkmen Pagta\n\
         Serdar Orazow,\nGeldi Myradow,\nNurlan Ospanow,Kaztrade\n",
    )
    .expect("write");
    let into_mission = ImportOptions {
        mission_id: Some(mission_id),
        ..Default::default()
    };
    let imported = run(&store, &file, &into_mission).expect("import");
    assert_eq!((imported.created, imported.organizations_created), (5, 2));
    let store = at(store, 10);
    let (met, noted, followed) = (
        person(&store, "Aýna Berdiýewa"),
        person(&store, "Serdar Orazow"),
        person(&store, "Geldi Myradow"),
    );
    store
        .write(Source::App, |tx| {
            let meeting = meeting::create(
                tx,
                &meeting::MeetingInput {
                    organization_ids: vec![kaztrade.id],
                    ..crate::meeting_input(mission_id, "Talks on gas")
                },
            )?;
            meeting::add_attendee(tx, meeting.id, met.id, Side::Host)?;
            note::add(
                tx,
                mission_crm_engine::Entity::Contact,
                noted.id,
                "Wants the catalogue",
            )?;
            follow_up::create(
                tx,
                &FollowUpInput {
                    title: "Send the catalogue".into(),
                    due_on: "2023-10-09".into(),
                    contact_id: Some(followed.id),
                    ..Default::default()
                },
            )?;
            Ok(())
        })
        .expect("the user's work");

    let store = at(store, 20);
    let undone = undo(&store, &imported);
    assert_eq!(
        (undone.trashed, undone.kept, undone.unlinked),
        (3, 4, 1),
        "Maral, Nurlan and Türkmen Pagta go; three people and Nebit Gaz stay"
    );
    let mut left: Vec<String> = people(&store).into_iter().map(|c| c.full_name).collect();
    left.sort();
    assert_eq!(left, ["Aýna Berdiýewa", "Geldi Myradow", "Serdar Orazow"]);
    assert_eq!(
        person(&store, "Aýna Berdiýewa")
            .organization_name
            .as_deref(),
        Some("Nebit Gaz")
    );
    assert_eq!(taking_part(&store, mission_id), ["Kaztrade", "Nebit Gaz"]);
}

/// Last year's delegation list imported into this year's mission: the
/// people are known and skipped, and their organizations still join the
/// mission (the reason for choosing one); taking the import back unlinks
/// them again.
#[test]
fn people_skipped_as_known_still_bring_their_organizations_into_the_mission() {
    let store = in_memory_db();
    let (last_year, this_year) = (kz_mission(&store), kz_mission(&store));
    let text = "Name,Company\nAýna Berdiýewa,Nebit Gaz\nSerdar Orazow,Türkmen Pagta\n";
    let dir = tempfile::tempdir().expect("dir");
    let file = dir.path().join("delegation.csv");
    std::fs::write(&file, text).expect("write");
    let into = |mission_id| ImportOptions {
        mission_id: Some(mission_id),
        ..Default::default()
    };
    run(&store, &file, &into(last_year)).expect("last year");
    let store = at(store, 10);
    let again = run(&store, &file, &into(this_year)).expect("this year");
    assert_eq!((again.created, again.skipped), (0, 2));
    assert_eq!(
        taking_part(&store, this_year),
        ["Nebit Gaz", "Türkmen Pagta"]
    );

    let store = at(store, 20);
    undo(&store, &again);
    assert!(taking_part(&store, this_year).is_empty());
    assert_eq!(
        taking_part(&store, last_year),
        ["Nebit Gaz", "Türkmen Pagta"]
    );
}

/// An organization an import created and the user has since put into a
/// mission is their work: taking the import back keeps it there.
#[test]
fn an_organization_put_into_a_mission_since_stays_when_the_import_is_undone() {
    let store = in_memory_db();
    let text = "Name,Company\nAýna Berdiýewa,Nebit Gaz\n";
    let imported = run_text(&store, text, None).expect("import");
    let store = at(store, 10);
    let mission_id = kz_mission(&store);
    let nebit_gaz = person(&store, "Aýna Berdiýewa")
        .organization_id
        .expect("an organization");
    store
        .write(Source::App, |tx| {
            organization::set_participation(tx, mission_id, nebit_gaz, Side::Host)
        })
        .expect("joined the mission");
    let store = at(store, 20);
    let undone = undo(&store, &imported);
    assert_eq!((undone.trashed, undone.kept), (1, 1), "{undone:?}");
    assert_eq!(taking_part(&store, mission_id), ["Nebit Gaz"]);
}

/// Without a mission, people skipped as known bring nothing: no
/// organization is made for them (one in the trash was made anew).
#[test]
fn people_skipped_without_a_mission_make_no_organization() {
    let store = in_memory_db();
    let text = "Name,Company\nAýna Berdiýewa,Nebit Gaz\n";
    run_text(&store, text, None).expect("first");
    let nebit_gaz = person(&store, "Aýna Berdiýewa")
        .organization_id
        .expect("an organization");
    store
        .write(Source::App, |tx| {
            mission_crm_engine::trash::delete(
                tx,
                mission_crm_engine::Entity::Organization,
                nebit_gaz,
            )
        })
        .expect("trashed");
    let again = run_text(&store, text, None).expect("again");
    assert_eq!((again.skipped, again.organizations_created), (1, 0));
}

/// Two imports of one list, into two missions, both taken back: the
/// organization the first made goes (the second's link to it was no
/// user's work, and kept it, alone in the first mission's delegation).
#[test]
fn two_imports_into_two_missions_taken_back_leave_no_organization() {
    let store = in_memory_db();
    let (first, second) = (kz_mission(&store), kz_mission(&store));
    let dir = tempfile::tempdir().expect("dir");
    let file = dir.path().join("delegation.csv");
    std::fs::write(&file, "Name,Company\nAýna Berdiýewa,Nebit Gaz\n").expect("write");
    let into = |mission_id| ImportOptions {
        mission_id: Some(mission_id),
        ..Default::default()
    };
    let a = run(&store, &file, &into(first)).expect("first");
    let store = at(store, 10);
    let b = run(&store, &file, &into(second)).expect("second");
    let store = at(store, 20);
    undo(&store, &a);
    let store = at(store, 30);
    undo(&store, &b);
    assert!(taking_part(&store, first).is_empty());
    assert!(taking_part(&store, second).is_empty());
}

/// The names of the organizations taking part in `mission_id`, sorted.
fn taking_part(store: &Store, mission_id: Id) -> Vec<String> {
    let mut names: Vec<String> = store
        .read(|db| {
            organization::list(
                db,
                &OrganizationFilter {
                    mission_id: Some(mission_id),
                    ..Default::default()
                },
            )
        })
        .expect("the mission's organizations")
        .items
        .into_iter()
        .map(|o| o.name)
        .collect();
    names.sort();
    names
}
