//! Merging two records of one person: every link moves, lists and notes
//! are joined, undo takes it all back, and the Trash says where the record
//! merged away went.

use super::duplicates::person;
use super::*;
use mission_crm_engine::duplicates::{self, MergeField, MergeInput};
use mission_crm_engine::model::follow_up::{self, FollowUpInput};
use mission_crm_engine::model::note;

/// Merges `remove` into `keep`, taking the fields `take` from `remove`.
fn merge(store: &Store, keep: Id, remove: Id, take: Vec<MergeField>) -> contact::Contact {
    store
        .write(Source::App, |tx| {
            duplicates::merge(tx, &MergeInput { keep, remove, take })
        })
        .expect("merged")
}

/// The promise: merge two contacts, undo, and both are exactly as
/// they were (every row of every table compared).
#[test]
fn a_merge_moves_every_link_and_undo_leaves_both_exactly_as_they_were() {
    let dir = tempfile::tempdir().expect("dir");
    let (store, path) = file_store(&dir);
    let mission_id = store.write(Source::Demo, demo::load).expect("demo");
    let agenda = store
        .read(|db| meeting::list(db, mission_id))
        .expect("agenda");
    let (keep, remove) = store
        .write(Source::App, |tx| {
            let keep = contact::create(
                tx,
                &ContactInput {
                    tags: vec!["textiles".into()],
                    position: "Director".into(),
                    ..person("Кайырболат Сахметов", "+7 701 123 45 67", "")
                },
            )?;
            let remove = contact::create(
                tx,
                &ContactInput {
                    tags: vec!["vip".into()],
                    position: "Chairman".into(),
                    ..person("Kairbolat Sakhmetov", "+7 701 123 45 67", "k.s@kaztrade.kz")
                },
            )?;
            meeting::add_attendee(tx, agenda[0].id, keep.id, Side::Delegation)?;
            meeting::add_attendee(tx, agenda[0].id, remove.id, Side::Delegation)?;
            meeting::add_attendee(tx, agenda[1].id, remove.id, Side::Delegation)?;
            follow_up::create(
                tx,
                &FollowUpInput {
                    title: "Send the price list".into(),
                    due_on: "2023-10-09".into(),
                    contact_id: Some(remove.id),
                    owner_id: Some(remove.id),
                    ..Default::default()
                },
            )?;
            note::add(tx, Entity::Contact, remove.id, "Met at the cotton fair")?;
            Ok((keep, remove))
        })
        .expect("two records of one person");
    let before = dump(&path);
    let attended_before = timeline_len(&store, agenda[1].id);

    let merged = merge(&store, keep.id, remove.id, vec![MergeField::Position]);
    assert_eq!(merged.full_name, "Кайырболат Сахметов");
    assert_eq!(merged.position, "Chairman", "taken from the other");
    assert_eq!(merged.phones.len(), 1, "the shared phone once");
    assert_eq!(merged.emails.len(), 1);
    assert_eq!(merged.tags, ["textiles", "vip"]);
    let listed: Vec<Id> = super::every_contact(&store).iter().map(|c| c.id).collect();
    assert!(listed.contains(&keep.id) && !listed.contains(&remove.id));
    let attended: Vec<bool> = agenda[..2]
        .iter()
        .map(|m| {
            store
                .read(|db| meeting::get(db, m.id))
                .expect("meeting")
                .attendees
                .iter()
                .any(|a| a.contact_id == keep.id)
        })
        .collect();
    assert_eq!(attended, [true, true]);
    // The records relinked say so on their timelines.
    let last_op = |entity: Entity, id: Id| {
        store
            .read(|db| mission_crm_engine::history::for_record(db, entity, id))
            .expect("history")
            .first()
            .map(|h| (h.op, h.changed.clone()))
    };
    assert_eq!(
        timeline_len(&store, agenda[1].id),
        attended_before + 1,
        "the meeting's attendees changed"
    );
    assert_eq!(
        last_op(Entity::Meeting, agenda[1].id),
        Some((ChangeOp::Update, vec!["attendees".to_owned()]))
    );
    let task = store
        .read(|db| follow_up::list(db, &Default::default()))
        .expect("follow-ups")
        .into_iter()
        .find(|f| f.title == "Send the price list")
        .expect("the follow-up");
    assert_eq!(
        last_op(Entity::FollowUp, task.id).map(|(op, _)| op),
        Some(ChangeOp::Update)
    );
    assert!(store
        .read(|db| meeting::get(db, agenda[0].id))
        .expect("meeting")
        .attendees
        .iter()
        .all(|a| a.contact_id != remove.id));
    let notes = store
        .read(|db| note::list(db, Entity::Contact, keep.id))
        .expect("notes");
    assert_eq!(notes.len(), 1);
    // The note's search hit opens the person it is on now.
    assert_eq!(
        note_parent(&store, "cotton"),
        Some((Entity::Contact, keep.id))
    );
    assert_eq!(
        store
            .read(|db| contact::get(db, remove.id))
            .expect_err("trashed")
            .code(),
        ErrorCode::NotFound
    );
    assert!(store
        .read(|db| duplicates::find(db, 100))
        .expect("pairs")
        .iter()
        .all(|p| p.a != remove.id && p.b != remove.id));

    let outcome = store
        .write(Source::App, mission_crm_engine::undo::undo_last)
        .expect("undo");
    assert_eq!(dump(&path), before, "both exactly as they were");
    // The notice names the person merged (it named the moved note: "").
    match outcome {
        mission_crm_engine::undo::UndoOutcome::Undone { entity, label, .. } => {
            assert_eq!(
                (entity, label.as_str()),
                (Entity::Contact, "Кайырболат Сахметов")
            );
        }
        other => panic!("undone: {other:?}"),
    }
    assert_eq!(
        note_parent(&store, "cotton"),
        Some((Entity::Contact, remove.id)),
        "and the note's hit opens the person it is on again"
    );
}

/// How many entries a meeting's timeline has.
fn timeline_len(store: &Store, meeting: Id) -> usize {
    store
        .read(|db| mission_crm_engine::history::for_record(db, Entity::Meeting, meeting))
        .expect("history")
        .len()
}

/// The record a note found by `word` is on, as its search hit says.
fn note_parent(store: &Store, word: &str) -> Option<(Entity, Id)> {
    let hits = store
        .read(|db| {
            mission_crm_engine::search::search(
                db,
                &mission_crm_engine::search::SearchQuery {
                    text: word.into(),
                    entity: Some(Entity::Note),
                    limit: None,
                },
            )
        })
        .expect("search");
    assert_eq!(hits.len(), 1, "{hits:#?}");
    hits[0].parent
}

/// An organization or introducer taken from the other side and deleted
/// since is no reason to refuse the merge: it goes ahead without that
/// link. The kept one's own link into the trash stays (restored, the
/// person is linked again; the merge took it off).
#[test]
fn a_merge_goes_ahead_when_an_organization_or_introducer_is_in_the_trash() {
    let store = in_memory_db();
    let (keep, remove) = store
        .write(Source::App, |tx| {
            let gone = organization::create(
                tx,
                &OrganizationInput {
                    name: "Kaztrade".into(),
                    ..OrganizationInput::default()
                },
            )?;
            let introducer = contact::create(tx, &contact_named("Aýna Berdiýewa"))?;
            let keep = contact::create(
                tx,
                &ContactInput {
                    introduced_by_id: Some(introducer.id),
                    ..person("Кайырболат Сахметов", "+7 701 123 45 67", "")
                },
            )?;
            let remove = contact::create(
                tx,
                &ContactInput {
                    organization_id: Some(gone.id),
                    ..person("Kairbolat Sakhmetov", "+7 701 123 45 67", "")
                },
            )?;
            mission_crm_engine::trash::delete(tx, Entity::Organization, gone.id)?;
            mission_crm_engine::trash::delete(tx, Entity::Contact, introducer.id)?;
            Ok((keep, remove))
        })
        .expect("two records of one person");
    let merged = merge(&store, keep.id, remove.id, vec![MergeField::Organization]);
    assert_eq!(merged.organization_id, None, "the other's, in the trash");
    assert!(
        merged.introduced_by_id.is_some(),
        "the kept one's own introducer, though in the trash"
    );
    assert_eq!(merged.full_name, "Кайырболат Сахметов");
}

/// Who introduced the person is kept when only the merged-away record
/// says it (it was dropped), also when the kept record says the other one
/// introduced it.
#[test]
fn a_merge_keeps_the_introducer_only_the_other_record_had() {
    for kept_introduced_by_other in [false, true] {
        let store = in_memory_db();
        let (keep, remove, introducer) = store
            .write(Source::App, |tx| {
                let introducer = contact::create(tx, &contact_named("Aýna Berdiýewa"))?;
                let remove = contact::create(
                    tx,
                    &ContactInput {
                        introduced_by_id: Some(introducer.id),
                        ..person("Kairbolat Sakhmetov", "+7 701 123 45 67", "")
                    },
                )?;
                let keep = contact::create(
                    tx,
                    &ContactInput {
                        introduced_by_id: kept_introduced_by_other.then_some(remove.id),
                        ..person("Кайырболат Сахметов", "+7 701 123 45 67", "")
                    },
                )?;
                Ok((keep, remove, introducer))
            })
            .expect("two records of one person");
        let merged = merge(&store, keep.id, remove.id, vec![]);
        assert_eq!(
            merged.introduced_by_id,
            Some(introducer.id),
            "kept introduced by the other: {kept_introduced_by_other}"
        );
    }
}

/// Both records' notes are kept (one side's were dropped, left on a
/// record in the trash), unless the other's alone are asked for.
#[test]
fn a_merge_keeps_both_records_notes() {
    let store = in_memory_db();
    let pair = |keep_notes: &str, remove_notes: &str| {
        store
            .write(Source::App, |tx| {
                let remove = contact::create(
                    tx,
                    &ContactInput {
                        notes: remove_notes.into(),
                        ..person("Kairbolat Sakhmetov", "+7 701 123 45 67", "")
                    },
                )?;
                let keep = contact::create(
                    tx,
                    &ContactInput {
                        notes: keep_notes.into(),
                        ..person("Кайырболат Сахметов", "+7 701 123 45 67", "")
                    },
                )?;
                Ok((keep.id, remove.id))
            })
            .expect("two records of one person")
    };
    let (keep, remove) = pair("Met at the Ashgabat forum.", "Prefers WhatsApp.");
    assert_eq!(
        merge(&store, keep, remove, vec![]).notes,
        "Met at the Ashgabat forum.\nPrefers WhatsApp."
    );
    let (keep, remove) = pair("Prefers WhatsApp.", "Prefers WhatsApp.");
    assert_eq!(
        merge(&store, keep, remove, vec![]).notes,
        "Prefers WhatsApp.",
        "not twice"
    );
    let (keep, remove) = pair("Met at the Ashgabat forum.", "Prefers WhatsApp.");
    assert_eq!(
        merge(&store, keep, remove, vec![MergeField::Notes]).notes,
        "Prefers WhatsApp.",
        "the other's alone, asked for"
    );
}

#[test]
fn a_contact_is_not_merged_with_itself() {
    let store = in_memory_db();
    let c = store
        .write(Source::App, |tx| {
            contact::create(tx, &contact_named("Aýna"))
        })
        .expect("c");
    let err = store
        .write(Source::App, |tx| {
            duplicates::merge(
                tx,
                &MergeInput {
                    keep: c.id,
                    remove: c.id,
                    take: vec![],
                },
            )
        })
        .expect_err("refused");
    assert_eq!(err.code(), ErrorCode::Conflict);
}

/// The record a merge put in the trash says whom it was merged into there;
/// restored, it is a person of its own again, and deleted later it is a
/// plain deleted contact.
#[test]
fn the_trash_says_whom_a_merged_record_went_into_until_it_is_restored() {
    use mission_crm_engine::trash::{self, MergedInto, TrashFilter};
    let store = in_memory_db();
    let (keep, remove) = store
        .write(Source::App, |tx| {
            Ok((
                contact::create(tx, &person("Кайырболат Сахметов", "+7 701 123 45 67", ""))?,
                contact::create(tx, &person("Kairbolat Sakhmetov", "+7 701 123 45 67", ""))?,
            ))
        })
        .expect("two records of one person");
    merge(&store, keep.id, remove.id, vec![]);
    let trashed = || {
        store
            .read(|db| trash::list(db, &TrashFilter::default()))
            .expect("trash")
            .items
    };
    let items = trashed();
    assert_eq!(items.len(), 1);
    assert_eq!(items[0].id, remove.id);
    assert_eq!(
        items[0].merged_into,
        Some(MergedInto {
            id: keep.id,
            name: "Кайырболат Сахметов".into()
        })
    );

    store
        .write(Source::App, |tx| {
            trash::restore(tx, Entity::Contact, remove.id)
        })
        .expect("restored");
    store
        .write(Source::App, |tx| {
            trash::delete(tx, Entity::Contact, remove.id)
        })
        .expect("deleted again");
    let items = trashed();
    assert_eq!(items[0].id, remove.id);
    assert_eq!(items[0].merged_into, None, "a plain delete this time");

    // Merged again, then the one kept goes to the trash too: no link to a
    // page that would say "not found".
    store
        .write(Source::App, |tx| {
            trash::restore(tx, Entity::Contact, remove.id)
        })
        .expect("restored");
    merge(&store, keep.id, remove.id, vec![]);
    store
        .write(Source::App, |tx| {
            trash::delete(tx, Entity::Contact, keep.id)
        })
        .expect("kept one deleted");
    let merged = trashed()
        .into_iter()
        .find(|i| i.id == remove.id)
        .expect("in the trash");
    assert_eq!(merged.merged_into, None);
}

/// The people the merged-away record introduced are introduced by the kept
/// one, and their `updated_at` says so: a form open on one of them is then
/// refused as stale (it would write the old introducer back, or fail on a
/// record in the trash).
#[test]
fn people_introduced_by_the_merged_away_record_move_and_are_marked_changed() {
    use std::sync::atomic::{AtomicI64, Ordering};
    let seconds = Arc::new(AtomicI64::new(0));
    let store = Store::open_in_memory()
        .expect("store")
        .with_clock(Arc::new(move || {
            Utc.with_ymd_and_hms(2023, 10, 2, 9, 0, 0)
                .single()
                .expect("instant")
                + chrono::Duration::seconds(seconds.fetch_add(1, Ordering::SeqCst))
        }));
    let (keep, remove, introduced) = store
        .write(Source::App, |tx| {
            let keep = contact::create(tx, &person("Кайырболат Сахметов", "+7 701 123 45 67", ""))?;
            let remove =
                contact::create(tx, &person("Kairbolat Sakhmetov", "+7 701 123 45 67", ""))?;
            let introduced = contact::create(
                tx,
                &ContactInput {
                    introduced_by_id: Some(remove.id),
                    ..contact_named("Aýna Berdiýewa")
                },
            )?;
            Ok((keep, remove, introduced))
        })
        .expect("three people");
    merge(&store, keep.id, remove.id, vec![]);
    let now = store
        .read(|db| contact::get(db, introduced.id))
        .expect("read back");
    assert_eq!(now.introduced_by_id, Some(keep.id));
    let stale = store
        .read(|db| {
            mission_crm_engine::model::unchanged_since(
                db,
                Entity::Contact,
                introduced.id,
                &introduced.updated_at,
            )
        })
        .expect_err("changed since it was loaded");
    assert_eq!(stale.code(), ErrorCode::ChangedSinceLoaded);
}
