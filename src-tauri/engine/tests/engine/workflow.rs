use super::*;
use mission_crm_engine::model::follow_up::{self, FollowUpFilter, FollowUpStatus};

#[test]
fn a_follow_up_is_completed_rescheduled_and_reopened() {
    let store = in_memory_db();
    let id = store.write(Source::Demo, demo::load).expect("demo");
    let open = store
        .read(|db| {
            follow_up::list(
                db,
                &FollowUpFilter {
                    mission_id: Some(id),
                    status: Some(FollowUpStatus::Open),
                },
            )
        })
        .expect("open follow-ups");
    let f = &open[0];

    let done = store
        .write(Source::App, |tx| {
            follow_up::set_status(tx, f.id, FollowUpStatus::Done)
        })
        .expect("done");
    assert_eq!(done.status, FollowUpStatus::Done);
    assert_eq!(
        done.completed_at.as_deref(),
        Some("2023-10-02T09:00:00.000Z")
    );

    let moved = store
        .write(Source::App, |tx| {
            follow_up::reschedule(tx, f.id, "2023-12-01")
        })
        .expect("moved");
    assert_eq!(moved.due_on.to_string(), "2023-12-01");
    let err = store
        .write(Source::App, |tx| {
            follow_up::reschedule(tx, f.id, "1 December")
        })
        .expect_err("bad date");
    assert_eq!(err.code(), ErrorCode::InvalidDate);

    let reopened = store
        .write(Source::App, |tx| {
            follow_up::set_status(tx, f.id, FollowUpStatus::Open)
        })
        .expect("open");
    assert_eq!(
        (reopened.status, reopened.completed_at),
        (FollowUpStatus::Open, None)
    );
    assert_eq!(
        reopened.due_on.to_string(),
        "2023-12-01",
        "the failed reschedule changed nothing"
    );

    let delegates = store
        .read(|db| contact::delegates(db, id))
        .expect("delegates");
    assert!(
        delegates.len() >= 5,
        "delegation and organiser people: {}",
        delegates.len()
    );
    let owner = &delegates[0];
    let given = store
        .write(Source::App, |tx| {
            follow_up::reassign(tx, f.id, Some(owner.id))
        })
        .expect("reassigned");
    assert_eq!(given.owner_name.as_deref(), Some(owner.full_name.as_str()));
    let err = store
        .write(Source::App, |tx| {
            follow_up::reassign(tx, f.id, Some(Id::new()))
        })
        .expect_err("no such person");
    assert_eq!(err.code(), ErrorCode::NotFound);
}

#[test]
fn a_meeting_moved_an_hour_later_keeps_its_zone_and_people() {
    let store = in_memory_db();
    let id = store.write(Source::Demo, demo::load).expect("demo");
    let m = store.read(|db| meeting::list(db, id)).expect("agenda")[1].clone();
    let input = MeetingInput {
        mission_id: m.mission_id,
        kind: m.kind,
        title: m.title.clone(),
        starts_local: "2023-10-02T11:00".into(),
        ends_local: "2023-10-02T13:00".into(),
        time_zone: None,
        place: m.place.clone(),
        notes: m.notes.clone(),
        outcomes: "Tariff sheet promised by Friday.".into(),
        organization_ids: m.organization_ids.clone(),
        attendees: Some(m.attendees.clone()),
    };
    let moved = store
        .write(Source::App, |tx| meeting::update(tx, m.id, &input))
        .expect("moved");
    assert_eq!(moved.starts_at.to_rfc3339(), "2023-10-02T06:00:00+00:00");
    assert_eq!(
        (moved.attendees.len(), moved.created_at.as_str()),
        (m.attendees.len(), m.created_at.as_str())
    );
    let bad = MeetingInput {
        ends_local: "2023-10-02T10:00".into(),
        ..input
    };
    let err = store
        .write(Source::App, |tx| meeting::update(tx, m.id, &bad))
        .expect_err("ends first");
    assert_eq!(err.code(), ErrorCode::EndBeforeStart);
}

#[test]
fn moving_an_agreement_up_the_ladder_moves_its_amount_between_stage_totals() {
    let store = in_memory_db();
    let id = store.write(Source::Demo, demo::load).expect("demo");
    let before = store
        .read(|db| agreement::list(db, Some(id)))
        .expect("ledger");
    let a = before
        .agreements
        .iter()
        .find(|a| a.currency == "KZT")
        .expect("a tenge agreement");
    store
        .write(Source::App, |tx| {
            agreement::set_stage(tx, a.id, Stage::SignedContract)
        })
        .expect("signed");

    let after = store
        .read(|db| agreement::list(db, Some(id)))
        .expect("ledger");
    let stage_total = |list: &agreement::AgreementList, stage: Stage| {
        list.by_stage
            .iter()
            .find(|t| t.stage == stage)
            .map(|t| t.base_amount_minor)
            .unwrap_or(0)
    };
    assert_eq!(stage_total(&after, Stage::SignedContract), 31_500_000);
    assert_eq!(
        stage_total(&after, Stage::PreliminaryContract),
        300_000_000 - 31_500_000
    );
    assert_eq!(
        after.totals, before.totals,
        "the mission total does not change"
    );
    let stages: Vec<Stage> = after.by_stage.iter().map(|t| t.stage).collect();
    assert_eq!(
        stages,
        [Stage::PreliminaryContract, Stage::SignedContract],
        "ladder order"
    );
}

/// An agreement saved with an inverted rate (476 tenge a dollar typed where
/// the rate is dollars a tenge) and marked lost by a slip is corrected:
/// its converted amount is computed again, it is back in the totals, and
/// it keeps when it was made; Ctrl+Z takes the correction back.
#[test]
fn an_agreement_saved_wrong_is_corrected_and_its_amount_converted_again() {
    let store = in_memory_db();
    let id = store.write(Source::Demo, demo::load).expect("demo");
    let input = |rate: &str, stage: Stage| agreement::AgreementInput {
        mission_id: id,
        title: "Cotton yarn".into(),
        our_organization_id: None,
        counterpart_organization_id: None,
        meeting_id: None,
        sector: "textiles".into(),
        stage,
        amount: "5000000".into(),
        currency: "KZT".into(),
        rate: Some(rate.into()),
        rate_date: Some("2023-10-03".into()),
        rate_source: "National Bank".into(),
        notes: String::new(),
    };
    let total = || {
        store
            .read(|db| agreement::list(db, Some(id)))
            .expect("ledger")
            .totals[0]
            .base_amount_minor
    };
    let before = total();
    let wrong = store
        .write(Source::App, |tx| {
            agreement::create(tx, &input("476", Stage::Lost))
        })
        .expect("saved wrong");
    assert_eq!(total(), before, "lost: not in the total");

    let fixed = store
        .write(Source::App, |tx| {
            agreement::update(tx, wrong.id, &input("0.0021", Stage::Memorandum))
        })
        .expect("corrected");
    assert_eq!(
        fixed.base_amount_minor, 1_050_000,
        "5,000,000 ₸ × 0.0021 = $10,500.00"
    );
    assert_eq!(fixed.stage, Stage::Memorandum);
    assert_eq!(fixed.created_at, wrong.created_at);
    assert_eq!(total(), before + 1_050_000);

    let bad = store.write(Source::App, |tx| {
        agreement::update(tx, wrong.id, &input("-1", Stage::Memorandum))
    });
    assert_eq!(bad.expect_err("refused").code(), ErrorCode::InvalidRate);
    assert_eq!(
        total(),
        before + 1_050_000,
        "a refused correction changes nothing"
    );

    store
        .write(Source::App, mission_crm_engine::undo::undo_last)
        .expect("undo");
    let back = store
        .read(|db| agreement::get(db, wrong.id))
        .expect("agreement");
    assert_eq!((back.stage, back.rate.as_str()), (Stage::Lost, "476"));
}
