use super::*;
use mission_crm_engine::model::follow_up;

#[test]
fn the_demo_totals_exactly_three_million_dollars_with_thirty_companies() {
    let store = in_memory_db();
    let id = store
        .write(Source::Demo, demo::load)
        .expect("demo loads under the ordinary rules");
    let ledger = store
        .read(|db| agreement::list(db, Some(id)))
        .expect("ledger");
    assert_eq!(ledger.totals.len(), 1);
    assert_eq!(ledger.totals[0].base_currency, "USD");
    assert_eq!(ledger.totals[0].base_amount_minor, 300_000_000);
    let currencies: std::collections::BTreeSet<&str> = ledger
        .agreements
        .iter()
        .map(|a| a.currency.as_str())
        .collect();
    assert!(currencies.len() >= 4, "several currencies: {currencies:?}");

    let delegation = store
        .read(|db| {
            organization::list(
                db,
                &OrganizationFilter {
                    mission_id: Some(id),
                    side: Some(Side::Delegation),
                    ..Default::default()
                },
            )
        })
        .expect("orgs");
    assert_eq!(delegation.items.len(), 30);

    let stats = store
        .read(|db| mission::stats(db, id, "2023-10-03T12:00:00.000Z", "2023-10-20"))
        .expect("stats");
    assert_eq!((stats.companies, stats.host_organizations), (30, 8));
    assert!(
        stats.meetings_held > 0 && stats.meetings_held < stats.meetings,
        "{stats:?}"
    );
    // The host side's 13 people; the delegation's 10 and the organiser,
    // in the same meetings, are ours (they were counted: 24).
    assert_eq!(stats.contacts_met, 13, "{stats:?}");
    assert!(
        stats.follow_ups_overdue > 0 && stats.follow_ups_overdue < stats.follow_ups_open,
        "{stats:?}"
    );

    let agenda = store.read(|db| meeting::list(db, id)).expect("agenda");
    assert!(agenda
        .iter()
        .all(|m| m.starts_local.as_str() >= "2023-10-01" && m.ends_local.as_str() < "2023-10-06"));
    assert!(agenda.iter().all(|m| m.time_zone == "Asia/Ashgabat"));
}

#[test]
fn the_agenda_lists_each_meeting_as_the_whole_meeting_reads_in_any_zone() {
    let store = in_memory_db();
    let id = store.write(Source::Demo, demo::load).expect("demo");
    // One meeting typed in another zone, between the others in time: the
    // zone changes twice along the agenda.
    let almaty = store
        .write(Source::App, |tx| {
            meeting::create(
                tx,
                &MeetingInput {
                    mission_id: id,
                    kind: MeetingKind::Call,
                    title: "Call with Almaty".into(),
                    starts_local: "2023-10-02T16:00".into(),
                    ends_local: "2023-10-02T16:30".into(),
                    time_zone: Some("Asia/Almaty".into()),
                    place: String::new(),
                    notes: "Not on the agenda's line.".into(),
                    outcomes: "Agreed to call again.".into(),
                    organization_ids: Vec::new(),
                    attendees: None,
                },
            )
        })
        .expect("meeting in Almaty's zone");
    let whole = store.read(|db| meeting::list(db, id)).expect("meetings");
    let entries = store.read(|db| meeting::agenda(db, id)).expect("agenda");
    let expected: Vec<meeting::AgendaEntry> = whole
        .iter()
        .map(|m| meeting::AgendaEntry {
            id: m.id,
            kind: m.kind,
            title: m.title.clone(),
            starts_local: m.starts_local.clone(),
            ends_local: m.ends_local.clone(),
            time_zone: m.time_zone.clone(),
            place: m.place.clone(),
            outcomes: m.outcomes.clone(),
        })
        .collect();
    assert_eq!(entries, expected);
    let zones: Vec<&str> = whole.iter().map(|m| m.time_zone.as_str()).collect();
    let at = zones
        .iter()
        .position(|z| *z == "Asia/Almaty")
        .expect("the call is listed");
    assert!(at > 0 && at + 1 < zones.len(), "between others: {zones:?}");
    assert_eq!(entries[at].id, almaty.id);
    assert_eq!(entries[at].starts_local, "2023-10-02T16:00");
}

#[test]
fn the_follow_ups_screen_lists_each_as_the_whole_follow_up_reads() {
    let store = in_memory_db();
    let id = store.write(Source::Demo, demo::load).expect("demo");
    for filter in [
        follow_up::FollowUpFilter {
            mission_id: Some(id),
            status: None,
        },
        follow_up::FollowUpFilter {
            mission_id: None,
            status: Some(follow_up::FollowUpStatus::Open),
        },
    ] {
        let whole = store
            .read(|db| follow_up::list(db, &filter))
            .expect("follow-ups");
        let lines = store
            .read(|db| follow_up::lines(db, &filter))
            .expect("lines");
        assert!(whole.iter().any(|f| f.owner_name.is_some()), "owners named");
        let expected: Vec<follow_up::FollowUpLine> = whole
            .into_iter()
            .map(|f| follow_up::FollowUpLine {
                id: f.id,
                title: f.title,
                due_on: f.due_on,
                status: f.status,
                owner_id: f.owner_id,
                owner_name: f.owner_name,
                notes: f.notes,
            })
            .collect();
        assert_eq!(lines, expected);
    }
}
