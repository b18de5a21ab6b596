use super::*;

#[test]
fn keyset_pages_walk_every_contact_once_by_name_and_newest_first() {
    let store = in_memory_db();
    // Every name twice: pages must break ties on the id, not lose or repeat.
    let mut names: Vec<String> = (0..125)
        .flat_map(|i| {
            let n = format!("Контакт {i:03}");
            [n.clone(), n]
        })
        .collect();
    names.sort();
    // Created last name first, so newest first is name order too.
    store
        .write(Source::Import, |tx| {
            for n in names.iter().rev() {
                contact::create(tx, &contact_named(n))?;
            }
            Ok(())
        })
        .expect("inserted");

    for sort in [ListSort::Name, ListSort::Newest] {
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
                            sort: Some(sort),
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
        assert_eq!(seen, names, "{sort:?}: all 250, in order");
        assert_eq!(ids.len(), 250, "{sort:?}: no row twice across pages");
    }
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

#[test]
fn lists_filter_by_mission_side_sector_and_tag_and_sort_three_ways() {
    let store = in_memory_db();
    let m = store
        .write(Source::App, |tx| mission::create(tx, &mission_input()))
        .expect("mission");
    let org = |name: &str, sector: &str, tags: &[&str]| OrganizationInput {
        name: name.into(),
        sectors: vec![sector.into()],
        tags: tags.iter().map(|t| (*t).to_owned()).collect(),
        ..OrganizationInput::default()
    };
    store
        .write(Source::App, |tx| {
            let ktz = organization::create(tx, &org("KTZ Express", "logistics", &["vip"]))?;
            let cotton = organization::create(tx, &org("Türkmen Pagta", "textiles", &[]))?;
            organization::set_participation(tx, m.id, ktz.id, Side::Delegation)?;
            organization::set_participation(tx, m.id, cotton.id, Side::Host)?;
            for (name, org, tags) in [
                ("Айгерим Нурланова", Some(ktz.id), vec!["vip".to_owned()]),
                ("Ерлан Жумабаев", Some(ktz.id), vec![]),
                ("Maral Orazowa", Some(cotton.id), vec![]),
                ("Tom Smith", None, vec!["vip".to_owned()]),
            ] {
                contact::create(
                    tx,
                    &ContactInput {
                        organization_id: org,
                        tags,
                        ..contact_named(name)
                    },
                )?;
            }
            Ok(())
        })
        .expect("data");

    let contacts = |filter: ContactFilter| -> Vec<String> {
        store
            .read(|db| contact::list(db, &filter))
            .expect("list")
            .items
            .into_iter()
            .map(|c| c.full_name)
            .collect()
    };
    let in_mission = |side| ContactFilter {
        mission_id: Some(m.id),
        side,
        ..Default::default()
    };
    assert_eq!(
        contacts(in_mission(Some(Side::Delegation))),
        ["Айгерим Нурланова", "Ерлан Жумабаев"]
    );
    assert_eq!(contacts(in_mission(Some(Side::Host))), ["Maral Orazowa"]);
    assert_eq!(contacts(in_mission(None)).len(), 3);
    assert_eq!(
        contacts(ContactFilter {
            tag: Some("vip".into()),
            ..Default::default()
        }),
        ["Tom Smith", "Айгерим Нурланова"]
    );
    assert_eq!(
        contacts(ContactFilter {
            sort: Some(ListSort::NameDesc),
            ..Default::default()
        }),
        [
            "Ерлан Жумабаев",
            "Айгерим Нурланова",
            "Tom Smith",
            "Maral Orazowa"
        ]
    );
    // One clock instant for all: newest first falls back on the id, which
    // grows with creation.
    assert_eq!(
        contacts(ContactFilter {
            sort: Some(ListSort::Newest),
            ..Default::default()
        }),
        [
            "Tom Smith",
            "Maral Orazowa",
            "Ерлан Жумабаев",
            "Айгерим Нурланова"
        ]
    );

    let orgs = |filter: OrganizationFilter| -> Vec<String> {
        store
            .read(|db| organization::list(db, &filter))
            .expect("list")
            .items
            .into_iter()
            .map(|o| o.name)
            .collect()
    };
    assert_eq!(
        orgs(OrganizationFilter {
            sector: Some("textiles".into()),
            ..Default::default()
        }),
        ["Türkmen Pagta"]
    );
    assert_eq!(
        orgs(OrganizationFilter {
            tag: Some("vip".into()),
            ..Default::default()
        }),
        ["KTZ Express"]
    );
    assert_eq!(
        store.read(organization::sectors).expect("sectors"),
        ["logistics", "textiles"]
    );
    assert_eq!(
        store
            .read(|db| mission_crm_engine::model::tags_in_use(db, Entity::Contact))
            .expect("tags"),
        ["vip"]
    );
}
