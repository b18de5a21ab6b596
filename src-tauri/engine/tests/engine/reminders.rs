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
