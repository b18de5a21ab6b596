use super::*;

/// Every contact `filter` lists, page after page; more than `max` rows
/// means pages repeat, which fails rather than loops.
pub(super) fn every_page(
    store: &Store,
    mut filter: ContactFilter,
    max: usize,
) -> Vec<contact::ContactRow> {
    let mut rows = Vec::new();
    loop {
        let page = store.read(|db| contact::list(db, &filter)).expect("page");
        rows.extend(page.items);
        assert!(rows.len() <= max, "{filter:?}: pages repeat");
        match page.next {
            Some(next) => filter.after = Some(next),
            None => return rows,
        }
    }
}

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
        let rows = every_page(
            &store,
            ContactFilter {
                limit: Some(100),
                sort: Some(sort),
                ..Default::default()
            },
            250,
        );
        let ids: std::collections::HashSet<Id> = rows.iter().map(|c| c.id).collect();
        let seen: Vec<String> = rows.into_iter().map(|c| c.full_name).collect();
        assert_eq!(seen, names, "{sort:?}: all 250, in order");
        assert_eq!(ids.len(), 250, "{sort:?}: no row twice across pages");
    }
}

/// A tag's people page alike whether the tag is read through its own
/// people (few have it) or the list is walked for them (many have it): the
/// same people, in the same order, each once.
#[test]
fn a_tag_pages_its_people_in_order_whichever_way_it_is_read() {
    let dir = tempfile::tempdir().expect("dir");
    let path = dir.path().join("crm.db");
    let store = Store::open(&path).expect("store");
    let made = store
        .write(Source::App, |tx| {
            let mut made = Vec::new();
            for i in 0..120 {
                // Names twice over: pages break ties on the id.
                let mut input = contact_named(&format!("Контакт {:03}", i / 6));
                if i % 3 == 0 {
                    input.tags = vec!["vip".into()];
                }
                made.push(contact::create(tx, &input)?);
            }
            Ok(made)
        })
        .expect("people");
    let tagged: Vec<&contact::Contact> = made.iter().filter(|c| !c.tags.is_empty()).collect();
    let mut by_name: Vec<Id> = tagged.iter().map(|c| c.id).collect();
    by_name.sort_by_key(|id| {
        let c = tagged.iter().find(|c| c.id == *id).expect("made");
        (c.full_name.clone(), *id)
    });
    let newest: Vec<Id> = tagged.iter().rev().map(|c| c.id).collect();

    let walk = |sort: ListSort| -> Vec<Id> {
        let filter = ContactFilter {
            tag: Some("vip".into()),
            sort: Some(sort),
            limit: Some(7),
            ..Default::default()
        };
        every_page(&store, filter, 120)
            .iter()
            .map(|c| c.id)
            .collect()
    };
    let plan = |store: &Store| {
        store
            .read(|db| {
                contact::explain_list(
                    db,
                    &ContactFilter {
                        tag: Some("vip".into()),
                        ..Default::default()
                    },
                )
            })
            .expect("plan")
            .join("\n")
    };
    assert!(plan(&store).contains("taggings_by_tag"), "{}", plan(&store));
    assert_eq!(walk(ListSort::Name), by_name, "few: by name");
    assert_eq!(walk(ListSort::Newest), newest, "few: newest first");

    // Many have the tag now: 20,000 more taggings, of records that are not
    // contacts any more (they make the count, and no row of the list).
    rusqlite::Connection::open(&path)
        .expect("raw")
        .execute(
            "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 20000)
             INSERT INTO taggings (tag_id, entity, entity_id)
             SELECT (SELECT id FROM tags WHERE name = 'vip'), 'contact', randomblob(16) FROM n",
            [],
        )
        .expect("taggings");
    assert!(
        plan(&store).contains("contacts_by_name"),
        "{}",
        plan(&store)
    );
    assert_eq!(walk(ListSort::Name), by_name, "many: by name");
    assert_eq!(walk(ListSort::Newest), newest, "many: newest first");
}

/// A sector's and a tag's organizations page alike whether they are read
/// through the sector's or tag's own index (few have it) or the list is
/// walked for them (many have it): the same organizations, in the same
/// order, each once, in every order of the list.
#[test]
fn a_sector_or_tag_pages_its_organizations_in_order_whichever_way_it_is_read() {
    let dir = tempfile::tempdir().expect("dir");
    let path = dir.path().join("crm.db");
    let store = Store::open(&path).expect("store");
    let made = store
        .write(Source::App, |tx| {
            let mut made = Vec::new();
            for i in 0..90 {
                // Names twice over: pages break ties on the id.
                let chosen = i % 3 == 0;
                let input = OrganizationInput {
                    name: format!("Компания {:03}", i / 6),
                    sectors: vec![if chosen { "mining" } else { "textiles" }.into()],
                    tags: if chosen {
                        vec!["partner".into()]
                    } else {
                        vec![]
                    },
                    ..OrganizationInput::default()
                };
                made.push((organization::create(tx, &input)?, chosen));
            }
            Ok(made)
        })
        .expect("organizations");
    let chosen: Vec<(String, Id)> = made
        .iter()
        .filter(|(_, chosen)| *chosen)
        .map(|(o, _)| (o.name.clone(), o.id))
        .collect();
    let mut by_name = chosen.clone();
    by_name.sort();
    let expected = |sort: ListSort| -> Vec<Id> {
        match sort {
            ListSort::Name => by_name.iter().map(|(_, id)| *id).collect(),
            ListSort::NameDesc => by_name.iter().rev().map(|(_, id)| *id).collect(),
            ListSort::Newest => chosen.iter().rev().map(|(_, id)| *id).collect(),
        }
    };
    let filters = [
        OrganizationFilter {
            sector: Some("mining".into()),
            ..Default::default()
        },
        OrganizationFilter {
            tag: Some("partner".into()),
            ..Default::default()
        },
        OrganizationFilter {
            sector: Some("mining".into()),
            tag: Some("partner".into()),
            ..Default::default()
        },
    ];
    let pages = |filter: &OrganizationFilter, sort: ListSort| -> Vec<Id> {
        let mut filter = OrganizationFilter {
            sort: Some(sort),
            limit: Some(7),
            ..filter.clone()
        };
        let mut ids = Vec::new();
        loop {
            let page = store
                .read(|db| organization::list(db, &filter))
                .expect("page");
            ids.extend(page.items.iter().map(|o| o.id));
            assert!(ids.len() <= 90, "{filter:?}: pages repeat");
            match page.next {
                Some(next) => filter.after = Some(next),
                None => return ids,
            }
        }
    };
    let plan = |filter: &OrganizationFilter| {
        store
            .read(|db| organization::explain_list(db, filter))
            .expect("plan")
            .join("\n")
    };
    for filter in &filters {
        let through = match filter.sector {
            Some(_) => "SEARCH s USING COVERING INDEX organization_sectors_by_sector",
            None => "SEARCH g USING COVERING INDEX taggings_by_tag",
        };
        let few = plan(filter);
        assert!(
            few.contains(through) && !few.contains("organizations_by_name"),
            "few: {few}"
        );
        for sort in ListSort::ALL {
            assert_eq!(
                pages(filter, *sort),
                expected(*sort),
                "few: {sort:?} {filter:?}"
            );
        }
    }

    // Many have them now: 20,000 more of each, for records that are not
    // organizations (they make the count, and no row of the list).
    rusqlite::Connection::open(&path)
        .expect("raw")
        .execute_batch(
            "PRAGMA foreign_keys = OFF;
             WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 20000)
             INSERT INTO organization_sectors (organization_id, sector)
             SELECT randomblob(16), 'mining' FROM n;
             WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 20000)
             INSERT INTO taggings (tag_id, entity, entity_id)
             SELECT (SELECT id FROM tags WHERE name = 'partner'), 'organization', randomblob(16)
               FROM n;",
        )
        .expect("many");
    for filter in &filters {
        let many = plan(filter);
        assert!(
            many.contains("o USING INDEX organizations_by_name")
                && !many.lines().any(|l| l.starts_with("USE TEMP B-TREE")),
            "many: {many}"
        );
        for sort in ListSort::ALL {
            assert_eq!(
                pages(filter, *sort),
                expected(*sort),
                "many: {sort:?} {filter:?}"
            );
        }
    }
}

/// The ids of the last three live records of `table` by name, last first.
fn last_three_by_name(raw: &rusqlite::Connection, table: &str) -> Vec<Id> {
    raw.prepare(&format!(
        "SELECT id FROM {table} WHERE deleted_at IS NULL
          ORDER BY sort_name DESC, id DESC LIMIT 3"
    ))
    .expect("last")
    .query_map([], |r| r.get(0))
    .expect("query")
    .collect::<rusqlite::Result<_>>()
    .expect("ids")
}

/// A tag many seem to have (by its count) but only the last people of the
/// list hold: walking the list for them gives up after its budget, and the
/// page comes from the tag's own people.
#[test]
fn a_tag_held_only_far_down_the_list_is_found_without_reading_it_all() {
    let dir = tempfile::tempdir().expect("dir");
    let path = dir.path().join("crm.db");
    let store = Store::open(&path).expect("store");
    store
        .write(Source::Import, |tx| {
            mission_crm_engine::dataset::address_book(tx, 30_000, 3)
        })
        .expect("generated");
    let raw = rusqlite::Connection::open(&path).expect("raw");
    let last = last_three_by_name(&raw, "contacts");
    // The three, and 5,000 taggings of records that are not contacts any
    // more: enough for the tag to be walked for.
    raw.execute_batch(
        "INSERT INTO tags (id, name) VALUES (randomblob(16), 'late');
         WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 5000)
         INSERT INTO taggings (tag_id, entity, entity_id)
         SELECT (SELECT id FROM tags WHERE name = 'late'), 'contact', randomblob(16) FROM n;",
    )
    .expect("tag");
    for id in &last {
        raw.execute(
            "INSERT INTO taggings (tag_id, entity, entity_id)
             VALUES ((SELECT id FROM tags WHERE name = 'late'), 'contact', ?1)",
            [id],
        )
        .expect("tagging");
    }
    let filter = ContactFilter {
        tag: Some("late".into()),
        ..Default::default()
    };
    let walk = store
        .read(|db| contact::list_steps(db, &filter))
        .expect("steps");
    assert!(
        walk > mission_crm_engine::model::subset::WALK_STEPS,
        "the walk must be cut short for this test to mean anything: {walk} steps"
    );
    let page = store.read(|db| contact::list(db, &filter)).expect("page");
    let mut expected = last.clone();
    expected.reverse();
    assert_eq!(
        page.items.iter().map(|c| c.id).collect::<Vec<_>>(),
        expected
    );
    assert!(page.next.is_none());
}

/// The same for organizations: a sector many seem to have (by its count)
/// but only the last three of 40,000 hold. The walk gives up after its
/// budget, and the page comes from the sector's own organizations.
#[test]
fn a_sector_held_only_far_down_the_organization_list_is_found_without_reading_it_all() {
    let dir = tempfile::tempdir().expect("dir");
    let path = dir.path().join("crm.db");
    let store = Store::open(&path).expect("store");
    let raw = rusqlite::Connection::open(&path).expect("raw");
    // 5,000 of the sector's rows are for records that are not
    // organizations: enough for the sector to be walked for.
    raw.execute_batch(
        "PRAGMA foreign_keys = OFF;
         WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 40000)
         INSERT INTO organizations (id, name, sort_name, created_at, updated_at)
         SELECT randomblob(16), 'Company ' || i, printf('company %05d', i),
                '2024-01-01T00:00:00.000Z', '2024-01-01T00:00:00.000Z' FROM n;
         WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 5000)
         INSERT INTO organization_sectors (organization_id, sector)
         SELECT randomblob(16), 'mining' FROM n;
         INSERT INTO organization_sectors (organization_id, sector)
         SELECT id, 'mining' FROM organizations ORDER BY sort_name DESC, id DESC LIMIT 3;",
    )
    .expect("organizations");
    let mut last = last_three_by_name(&raw, "organizations");
    last.reverse();
    let filter = OrganizationFilter {
        sector: Some("mining".into()),
        ..Default::default()
    };
    let walk = store
        .read(|db| organization::list_steps(db, &filter))
        .expect("steps");
    assert!(
        walk > mission_crm_engine::model::subset::WALK_STEPS,
        "the walk must be cut short for this test to mean anything: {walk} steps"
    );
    let page = store
        .read(|db| organization::list(db, &filter))
        .expect("page");
    assert_eq!(page.items.iter().map(|o| o.id).collect::<Vec<_>>(), last);
    assert!(page.next.is_none());
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

    // A delegation company in the trash takes its people out of the
    // mission's list, as it leaves the mission's organizations.
    let ktz = store
        .read(|db| {
            organization::list(
                db,
                &OrganizationFilter {
                    tag: Some("vip".into()),
                    ..Default::default()
                },
            )
        })
        .expect("list")
        .items[0]
        .id;
    store
        .write(Source::App, |tx| {
            mission_crm_engine::trash::delete(tx, Entity::Organization, ktz)
        })
        .expect("trashed");
    assert!(contacts(in_mission(Some(Side::Delegation))).is_empty());
    assert_eq!(contacts(in_mission(None)), ["Maral Orazowa"]);
    assert_eq!(
        orgs(OrganizationFilter {
            mission_id: Some(m.id),
            ..Default::default()
        }),
        ["Türkmen Pagta"]
    );
}
