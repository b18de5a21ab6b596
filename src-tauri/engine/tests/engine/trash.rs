use super::*;
use mission_crm_engine::trash;

#[test]
fn a_deleted_record_leaves_the_lists_and_comes_back_with_its_links() {
    let store = in_memory_db();
    let (org, person) = store
        .write(Source::App, |tx| {
            let org = organization::create(
                tx,
                &OrganizationInput {
                    name: "Balkan Shipbuilding and Ship Repair Plant".into(),
                    ..OrganizationInput::default()
                },
            )?;
            let person = contact::create(
                tx,
                &ContactInput {
                    organization_id: Some(org.id),
                    ..contact_named("Şatlyk Öwezow")
                },
            )?;
            Ok((org, person))
        })
        .expect("created");

    store
        .write(Source::App, |tx| {
            trash::delete(tx, Entity::Contact, person.id)
        })
        .expect("deleted");
    assert_eq!(count(&store, "contacts"), 0);
    let err = store
        .read(|db| contact::get(db, person.id))
        .expect_err("gone from lookups");
    assert_eq!(err.code(), ErrorCode::NotFound);
    let again = store.write(Source::App, |tx| {
        trash::delete(tx, Entity::Contact, person.id)
    });
    assert_eq!(
        again.expect_err("already in the trash").code(),
        ErrorCode::NotFound
    );

    store
        .write(Source::App, |tx| {
            trash::delete(tx, Entity::Organization, org.id)
        })
        .expect("org deleted");
    let in_trash = trash_items(&store);
    let labels: Vec<&str> = in_trash.iter().map(|i| i.label.as_str()).collect();
    assert_eq!(labels.len(), 2);
    assert!(labels.contains(&"Şatlyk Öwezow"));

    // Ctrl+Z takes back the most recent delete first: the organization.
    let undone = store
        .write(Source::App, mission_crm_engine::undo::undo_last)
        .expect("undo");
    assert!(
        matches!(
            undone,
            mission_crm_engine::undo::UndoOutcome::Undone {
                entity: Entity::Organization,
                ..
            }
        ),
        "{undone:?}"
    );
    assert_eq!(trash_items(&store).len(), 1);
    store
        .write(Source::App, |tx| {
            trash::restore(tx, Entity::Contact, person.id)
        })
        .expect("restored");
    let back = store.read(|db| contact::get(db, person.id)).expect("back");
    assert_eq!(
        back, person,
        "exactly as before, link to the organization included"
    );

    let ops: Vec<ChangeOp> = store
        .read(|db| mission_crm_engine::history::for_record(db, Entity::Contact, person.id))
        .expect("history")
        .into_iter()
        .map(|h| h.op)
        .collect();
    assert_eq!(ops, [ChangeOp::Restore, ChangeOp::Delete, ChangeOp::Insert]);

    // With its organization in the trash, the person keeps the link but
    // shows no name for it, in the record and in the list (the name led
    // to a page not found).
    store
        .write(Source::App, |tx| {
            trash::delete(tx, Entity::Organization, org.id)
        })
        .expect("org deleted again");
    let now = store
        .read(|db| contact::get(db, person.id))
        .expect("person");
    assert_eq!(
        (now.organization_id, now.organization_name),
        (Some(org.id), None)
    );
    let row = store
        .read(|db| contact::list(db, &ContactFilter::default()))
        .expect("list")
        .items
        .remove(0);
    assert_eq!(row.organization_name, None);
}

/// The trash is read a page at a time, most recently deleted first. Records
/// trashed at one time (an import taken back puts thousands in at once)
/// come in id order, across kinds too, and no page repeats another.
#[test]
fn the_trash_pages_newest_first_and_records_trashed_together_in_id_order() {
    use std::sync::atomic::{AtomicI64, Ordering};
    let minutes = Arc::new(AtomicI64::new(0));
    let now = Arc::clone(&minutes);
    let store = Store::open_in_memory()
        .expect("store")
        .with_clock(Arc::new(move || {
            Utc.with_ymd_and_hms(2023, 10, 2, 9, 0, 0)
                .single()
                .expect("instant")
                + chrono::Duration::minutes(now.load(Ordering::SeqCst))
        }));
    let (people, orgs) = store
        .write(Source::App, |tx| {
            let people = (0..24)
                .map(|i| Ok(contact::create(tx, &contact_named(&format!("Person {i}")))?.id))
                .collect::<mission_crm_engine::Result<Vec<Id>>>()?;
            let orgs = (0..5)
                .map(|i| {
                    let input = OrganizationInput {
                        name: format!("Company {i}"),
                        ..OrganizationInput::default()
                    };
                    Ok(organization::create(tx, &input)?.id)
                })
                .collect::<mission_crm_engine::Result<Vec<Id>>>()?;
            Ok((people, orgs))
        })
        .expect("created");
    let trash_all = |entity: Entity, ids: &[Id]| {
        store
            .write(Source::App, |tx| {
                for &id in ids {
                    trash::delete(tx, entity, id)?;
                }
                Ok(())
            })
            .expect("trashed");
    };
    trash_all(Entity::Contact, &people[..20]);
    trash_all(Entity::Organization, &orgs);
    minutes.store(1, Ordering::SeqCst);
    trash_all(Entity::Contact, &people[20..]);

    let mut seen: Vec<trash::TrashItem> = Vec::new();
    let mut after = None;
    loop {
        let filter = trash::TrashFilter {
            after: after.take(),
            limit: Some(7),
        };
        let page = store.read(|db| trash::list(db, &filter)).expect("page");
        assert!(page.items.len() <= 7);
        seen.extend(page.items);
        assert!(seen.len() <= 29, "pages repeat");
        match page.next {
            Some(next) => after = Some(next),
            None => break,
        }
    }
    assert_eq!(seen.len(), 29, "every trashed record once");
    let mut ordered = seen.clone();
    ordered.sort_by(|a, b| (&b.deleted_at, b.id).cmp(&(&a.deleted_at, a.id)));
    assert_eq!(seen, ordered, "newest first, then by id");
    let latest: std::collections::HashSet<Id> = seen[..4].iter().map(|i| i.id).collect();
    assert_eq!(latest, people[20..].iter().copied().collect());
    assert_eq!(
        seen.iter()
            .filter(|i| i.entity == Entity::Organization)
            .count(),
        5
    );
    assert_eq!(trash_items(&store), seen, "one page of 1,000 is the same");
}

/// A meeting one of whose people or organizations is in the trash still
/// opens and saves (it listed them, and the window could do neither), and
/// keeps them: restored, they are in it again. A contact whose organization
/// or introducer is in the trash saves too, keeping the links.
#[test]
fn records_linked_to_one_in_the_trash_still_open_and_save() {
    let store = in_memory_db();
    let (m, meeting, stays, goes, org, introducer, person) = store
        .write(Source::App, |tx| {
            let m = mission::create(tx, &mission_input())?;
            let org = organization::create(
                tx,
                &OrganizationInput {
                    name: "Kaspiy Tranzit".into(),
                    ..OrganizationInput::default()
                },
            )?;
            let stays = contact::create(tx, &contact_named("Aýna Myradowa"))?;
            let goes = contact::create(tx, &contact_named("Merdan Ataýew"))?;
            let introducer = contact::create(tx, &contact_named("Döwlet Annaýew"))?;
            let person = contact::create(
                tx,
                &ContactInput {
                    organization_id: Some(org.id),
                    introduced_by_id: Some(introducer.id),
                    ..contact_named("Jeren Orazowa")
                },
            )?;
            let meeting = meeting::create(
                tx,
                &MeetingInput {
                    organization_ids: vec![org.id],
                    attendees: Some(
                        [stays.id, goes.id]
                            .map(|contact_id| meeting::Attendee {
                                contact_id,
                                side: Side::Host,
                            })
                            .to_vec(),
                    ),
                    ..meeting_input(m.id, "Talks")
                },
            )?;
            Ok((m, meeting, stays, goes, org, introducer, person))
        })
        .expect("setup");
    store
        .write(Source::App, |tx| {
            trash::delete(tx, Entity::Contact, goes.id)?;
            trash::delete(tx, Entity::Organization, org.id)?;
            trash::delete(tx, Entity::Contact, introducer.id)
        })
        .expect("three in the trash");

    let shown = store
        .read(|db| meeting::get(db, meeting.id))
        .expect("opens");
    let attendees: Vec<Id> = shown.attendees.iter().map(|a| a.contact_id).collect();
    assert_eq!(attendees, [stays.id], "only the live are shown");
    assert!(shown.organization_ids.is_empty());
    store
        .write(Source::App, |tx| {
            meeting::update(
                tx,
                meeting.id,
                &MeetingInput {
                    organization_ids: shown.organization_ids.clone(),
                    attendees: Some(shown.attendees.clone()),
                    outcomes: "A memorandum by Friday".into(),
                    ..meeting_input(m.id, "Talks")
                },
            )
        })
        .expect("saves as shown");
    let loaded = store
        .read(|db| contact::get(db, person.id))
        .expect("contact");
    store
        .write(Source::App, |tx| {
            contact::update(
                tx,
                person.id,
                &ContactInput {
                    position: "Director".into(),
                    organization_id: loaded.organization_id,
                    introduced_by_id: loaded.introduced_by_id,
                    ..contact_named("Jeren Orazowa")
                },
            )
        })
        .expect("a contact keeps links to the trash");

    store
        .write(Source::App, |tx| {
            trash::restore(tx, Entity::Contact, goes.id)?;
            trash::restore(tx, Entity::Organization, org.id)
        })
        .expect("restored");
    let back = store
        .read(|db| meeting::get(db, meeting.id))
        .expect("meeting");
    assert_eq!(back.attendees.len(), 2, "the attendance was kept");
    assert_eq!(back.organization_ids, [org.id]);
    let person = store
        .read(|db| contact::get(db, person.id))
        .expect("contact");
    assert_eq!(person.organization_id, Some(org.id));
    assert_eq!(person.position, "Director");
}

/// A tag held only by people in the trash is not offered as a filter (it
/// filtered the list to nothing); restored, it is again.
#[test]
fn a_tag_only_the_trash_holds_is_not_offered() {
    let store = in_memory_db();
    let (kept, trashed) = store
        .write(Source::App, |tx| {
            let kept = contact::create(
                tx,
                &ContactInput {
                    tags: vec!["vip".into()],
                    ..contact_named("Айгерим Нурланова")
                },
            )?;
            let trashed = contact::create(
                tx,
                &ContactInput {
                    tags: vec!["left-the-ministry".into(), "vip".into()],
                    ..contact_named("Ерлан Жумабаев")
                },
            )?;
            Ok((kept.id, trashed.id))
        })
        .expect("people");
    let tags = || {
        store
            .read(|db| mission_crm_engine::model::tags_in_use(db, Entity::Contact))
            .expect("tags")
    };
    assert_eq!(tags(), ["left-the-ministry", "vip"]);
    store
        .write(Source::App, |tx| {
            trash::delete(tx, Entity::Contact, trashed)
        })
        .expect("trashed");
    assert_eq!(tags(), ["vip"], "the trash's tag is not offered");
    store
        .write(Source::App, |tx| trash::delete(tx, Entity::Contact, kept))
        .expect("trashed");
    assert!(tags().is_empty());
    store
        .write(Source::App, |tx| {
            trash::restore(tx, Entity::Contact, trashed)
        })
        .expect("restored");
    assert_eq!(tags(), ["left-the-ministry", "vip"]);
}

/// A mission in the trash takes its agreements out of the ledger of all
/// missions and its totals (shown when no mission is current), as its
/// follow-ups and meetings are out of every list; restored, they are back.
#[test]
fn a_missions_agreements_leave_the_ledger_with_it() {
    let store = in_memory_db();
    let mission = store.write(Source::Demo, demo::load).expect("demo");
    let ledger = || {
        store
            .read(|db| agreement::list(db, None))
            .expect("the ledger of all")
    };
    let before = ledger();
    assert!(!before.agreements.is_empty() && !before.totals.is_empty());
    store
        .write(Source::App, |tx| {
            trash::delete(tx, Entity::Mission, mission)
        })
        .expect("the mission in the trash");
    let gone = ledger();
    assert!(gone.agreements.is_empty(), "{:?}", gone.agreements);
    assert!(gone.totals.is_empty() && gone.by_stage.is_empty());
    store
        .write(Source::App, |tx| {
            trash::restore(tx, Entity::Mission, mission)
        })
        .expect("restored");
    assert_eq!(ledger().agreements.len(), before.agreements.len());
}
