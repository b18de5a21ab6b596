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
    let in_trash = store.read(trash::list).expect("trash");
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
    assert_eq!(store.read(trash::list).expect("trash").len(), 1);
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
}
