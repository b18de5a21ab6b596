use super::*;

#[test]
fn keyset_pages_walk_every_contact_once_in_name_order() {
    let store = in_memory_db();
    // Every name twice: pages must break ties on the id, not lose or repeat.
    let mut names: Vec<String> = (0..125)
        .flat_map(|i| {
            let n = format!("Контакт {i:03}");
            [n.clone(), n]
        })
        .collect();
    names.sort();
    store
        .write(Source::Import, |tx| {
            for n in names.iter().rev() {
                contact::create(tx, &contact_named(n))?;
            }
            Ok(())
        })
        .expect("inserted");

    let mut seen = Vec::new();
    let mut ids = std::collections::HashSet::new();
    let mut after = None;
    loop {
        let page = store
            .read(|db| {
                contact::list(
                    db,
                    &ContactFilter {
                        after: after.clone(),
                        limit: Some(100),
                        ..Default::default()
                    },
                )
            })
            .expect("page");
        ids.extend(page.items.iter().map(|c| c.id));
        seen.extend(page.items.into_iter().map(|c| c.full_name));
        match page.next {
            Some(next) => after = Some(next),
            None => break,
        }
    }
    assert_eq!(seen, names, "all 250, sorted");
    assert_eq!(ids.len(), 250, "no row twice across pages");
}

#[test]
fn organizations_of_a_mission_carry_their_side() {
    let store = in_memory_db();
    let m = store
        .write(Source::App, |tx| mission::create(tx, &mission_input()))
        .expect("mission");
    store
        .write(Source::App, |tx| {
            let port = organization::create(
                tx,
                &OrganizationInput {
                    name: "Turkmenbashi International Seaport".into(),
                    ..OrganizationInput::default()
                },
            )?;
            organization::set_participation(tx, m.id, port.id, Side::Host)?;
            organization::create(
                tx,
                &OrganizationInput {
                    name: "Not in the mission".into(),
                    ..OrganizationInput::default()
                },
            )
        })
        .expect("orgs");
    let page = store
        .read(|db| {
            organization::list(
                db,
                &OrganizationFilter {
                    mission_id: Some(m.id),
                    ..Default::default()
                },
            )
        })
        .expect("list");
    assert_eq!(page.items.len(), 1);
    assert_eq!(page.items[0].side, Some(Side::Host));
}
