use super::*;

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
    assert!(stats.contacts_met > 10, "{stats:?}");
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
