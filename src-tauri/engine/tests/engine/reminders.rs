use chrono::NaiveDate;

use super::*;
use mission_crm_engine::model::follow_up::{self, FollowUpInput, FollowUpStatus};
use mission_crm_engine::reminder::Reminders;

fn day(d: &str) -> NaiveDate {
    d.parse().expect("date")
}

#[test]
fn a_follow_up_is_announced_once_when_it_falls_due_and_again_after_a_reschedule() {
    let store = in_memory_db();
    let (price_list, visit) = store
        .write(Source::App, |tx| {
            let a = follow_up::create(
                tx,
                &FollowUpInput {
                    title: "Send the price list".into(),
                    due_on: "2023-10-09".into(),
                    ..Default::default()
                },
            )?;
            let b = follow_up::create(
                tx,
                &FollowUpInput {
                    title: "Plan the return visit".into(),
                    due_on: "2023-10-20".into(),
                    ..Default::default()
                },
            )?;
            Ok((a, b))
        })
        .expect("created");
    let mut reminders = Reminders::new();
    let mut poll = |today: &str| -> Vec<String> {
        store
            .read(|db| reminders.poll(db, day(today)))
            .expect("poll")
            .into_iter()
            .map(|r| format!("{}{}", r.title, if r.overdue { " (overdue)" } else { "" }))
            .collect()
    };

    assert!(poll("2023-10-08").is_empty(), "nothing due yet");
    assert_eq!(poll("2023-10-09"), ["Send the price list"]);
    assert!(poll("2023-10-09").is_empty(), "announced once");
    assert!(poll("2023-10-10").is_empty(), "not again the day after");

    // Rescheduled to a later day: announced again when that day comes.
    store
        .write(Source::App, |tx| {
            follow_up::reschedule(tx, price_list.id, "2023-10-12")
        })
        .expect("rescheduled");
    assert!(poll("2023-10-11").is_empty());
    assert_eq!(poll("2023-10-12"), ["Send the price list"]);

    // Done ones are never announced; a first look finds the overdue ones.
    store
        .write(Source::App, |tx| {
            follow_up::set_status(tx, price_list.id, FollowUpStatus::Done)
        })
        .expect("done");
    let mut fresh = Reminders::new();
    let first_look = store
        .read(|db| fresh.poll(db, day("2023-10-25")))
        .expect("poll");
    assert_eq!(first_look.len(), 1);
    assert_eq!(first_look[0].follow_up_id, visit.id);
    assert!(first_look[0].overdue);
}

/// The demo put in the trash: its overdue follow-ups are no longer
/// announced (they were, at every start, though no list shows them), and
/// come back with it. A follow-up of no mission is still announced.
#[test]
fn follow_ups_of_a_mission_in_the_trash_are_not_announced() {
    let store = in_memory_db();
    let demo = store.write(Source::Demo, demo::load).expect("demo");
    store
        .write(Source::App, |tx| {
            follow_up::create(
                tx,
                &FollowUpInput {
                    title: "Call the embassy".into(),
                    due_on: "2023-10-09".into(),
                    ..Default::default()
                },
            )
        })
        .expect("one of no mission");
    let announced = |store: &Store| {
        store
            .read(|db| Reminders::new().poll(db, day("2024-01-01")))
            .expect("poll")
            .len()
    };
    let with_demo = announced(&store);
    assert!(with_demo > 1, "the demo's follow-ups are due");
    store
        .write(Source::App, |tx| {
            mission_crm_engine::trash::delete(tx, Entity::Mission, demo)
        })
        .expect("trashed");
    assert_eq!(announced(&store), 1, "only the one of no mission");
    store
        .write(Source::App, |tx| {
            mission_crm_engine::trash::restore(tx, Entity::Mission, demo)
        })
        .expect("restored");
    assert_eq!(announced(&store), with_demo);
}

/// A follow-up made with a meeting and no mission (the command line's
/// `--mission` is optional) is its meeting's mission's: it was announced
/// every day and listed on no Follow-ups page. One given another mission
/// than its meeting's is refused, and nothing is written.
#[test]
fn a_follow_up_of_a_meeting_is_in_the_meetings_mission() {
    let store = in_memory_db();
    let demo = store.write(Source::Demo, demo::load).expect("demo");
    let meeting = store.read(|db| meeting::list(db, demo)).expect("agenda")[0].id;
    let made = store
        .write(Source::App, |tx| {
            follow_up::create(
                tx,
                &FollowUpInput {
                    title: "Send the minutes".into(),
                    due_on: "2023-10-09".into(),
                    meeting_id: Some(meeting),
                    ..Default::default()
                },
            )
        })
        .expect("made");
    assert_eq!(made.mission_id, Some(demo));

    let other = store
        .write(Source::App, |tx| mission::create(tx, &mission_input()))
        .expect("another mission");
    let before = count(&store, "follow_ups");
    let err = store
        .write(Source::App, |tx| {
            follow_up::create(
                tx,
                &FollowUpInput {
                    title: "Send the minutes".into(),
                    due_on: "2023-10-09".into(),
                    mission_id: Some(other.id),
                    meeting_id: Some(meeting),
                    ..Default::default()
                },
            )
        })
        .expect_err("another mission's meeting");
    assert_eq!(err.code(), ErrorCode::Conflict);
    assert_eq!(count(&store, "follow_ups"), before);
}
