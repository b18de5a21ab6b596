use super::*;
use mission_crm_engine::capture::{self, CaptureInput};
use mission_crm_engine::model::note;

#[test]
fn a_capture_writes_person_organization_note_and_follow_up_linked_to_the_meeting() {
    let store = in_memory_db();
    let mission_id = store.write(Source::Demo, demo::load).expect("demo");
    let meeting = store
        .read(|db| meeting::list(db, mission_id))
        .expect("agenda")[1]
        .clone();
    let result = store
        .write(Source::App, |tx| {
            capture::save(
                tx,
                &CaptureInput {
                    mission_id,
                    meeting_id: Some(meeting.id),
                    full_name: "Döwlet Annaýew".into(),
                    phone: "+993 65 12 34 56".into(),
                    organization_name: "Ashgabat Cotton Trading".into(),
                    note: "Wants 20 containers of yarn a month via Turkmenbashi.".into(),
                    follow_up: "Send the price list".into(),
                    ..CaptureInput::default()
                },
            )
        })
        .expect("captured");

    assert_eq!(
        result.contact.organization_name.as_deref(),
        Some("Ashgabat Cotton Trading")
    );
    assert_eq!(result.contact.phones[0].number, "+99365123456");
    let f = result.follow_up.expect("follow-up");
    assert_eq!(
        f.due_on.to_string(),
        "2023-10-09",
        "a week after the store's today"
    );
    assert_eq!(
        (f.contact_id, f.meeting_id),
        (Some(result.contact.id), Some(meeting.id))
    );
    let notes = store
        .read(|db| note::list(db, Entity::Contact, result.contact.id))
        .expect("notes");
    assert_eq!(notes.len(), 1);
    let attended = store
        .read(|db| meeting::get(db, meeting.id))
        .expect("meeting");
    assert!(attended
        .attendees
        .iter()
        .any(|a| a.contact_id == result.contact.id));
}

#[test]
fn a_capture_with_one_bad_field_writes_nothing_at_all() {
    let store = in_memory_db();
    let mission_id = store.write(Source::Demo, demo::load).expect("demo");
    let orgs_before = org_count(&store);
    let err = store
        .write(Source::App, |tx| {
            capture::save(
                tx,
                &CaptureInput {
                    mission_id,
                    full_name: "Döwlet Annaýew".into(),
                    email: "dowlet@".into(),
                    organization_name: "Ashgabat Cotton Trading".into(),
                    follow_up: "Send the price list".into(),
                    ..CaptureInput::default()
                },
            )
        })
        .expect_err("bad e-mail");
    assert_eq!(err.code(), ErrorCode::InvalidEmail);
    let orgs_after = org_count(&store);
    assert_eq!(
        orgs_after, orgs_before,
        "the new organization was rolled back with the rest"
    );
    let err = store
        .write(Source::App, |tx| {
            capture::save(
                tx,
                &CaptureInput {
                    mission_id,
                    ..CaptureInput::default()
                },
            )
        })
        .expect_err("no one");
    assert_eq!(
        (err.code(), err.field()),
        (ErrorCode::Required, Some("full_name"))
    );
}
