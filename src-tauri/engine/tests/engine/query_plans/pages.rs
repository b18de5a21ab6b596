//! List pages, the hot path of every list screen: each order and filter
//! reads a range of an index, and costs the same deep in the list or at
//! 20 times the rows (counted in SQLite steps, not timed).

use super::*;
use mission_crm_engine::model::{Cursor, Page};

fn cursor() -> Option<Cursor> {
    Some(Cursor {
        key: "к".into(),
        id: Id::new(),
    })
}

/// Every order and filter of the contact list reads a range of its index:
/// no table scan, no sort of the whole table, at any size.
#[test]
fn every_contact_page_is_read_from_an_index_in_order() {
    let store = in_memory_db();
    let mission = Some(Id::new());
    let filters = [
        ContactFilter::default(),
        ContactFilter {
            mission_id: mission,
            side: Some(Side::Delegation),
            ..Default::default()
        },
        ContactFilter {
            tag: Some("vip".into()),
            ..Default::default()
        },
        ContactFilter {
            organization_id: Some(Id::new()),
            ..Default::default()
        },
    ];
    for sort in ListSort::ALL {
        for base in &filters {
            let filter = ContactFilter {
                sort: Some(*sort),
                after: cursor(),
                ..base.clone()
            };
            let plan = store
                .read(|db| contact::explain_list(db, &filter))
                .expect("plan");
            if filter.mission_id.is_some() || filter.organization_id.is_some() {
                // A mission's or an organization's people: read through the
                // organization index, then sorted; bounded by their size.
                assert!(
                    plan.iter()
                        .any(|l| l.contains("USING INDEX contacts_by_organization")),
                    "{sort:?} {filter:?}: {plan:#?}"
                );
                continue;
            }
            if filter.tag.is_some() {
                // A tag few have (none here): its people, read through the
                // tag's index, then sorted; bounded by how many have it. A
                // tag many have walks the list (lists.rs).
                assert!(
                    plan.iter().any(|l| l
                        .trim_start()
                        .starts_with("SEARCH g USING COVERING INDEX taggings_by_tag (tag_id=?")),
                    "{sort:?} {filter:?}: {plan:#?}"
                );
                continue;
            }
            // Newest first is id order: the primary key's range.
            let (index, range) = match sort {
                ListSort::Newest => ("sqlite_autoindex_contacts_1", "(id<?)"),
                _ => ("contacts_by_name", "((sort_name,id)"),
            };
            let range = format!("USING INDEX {index} {range}");
            assert!(
                plan.iter()
                    .any(|l| l.starts_with("SEARCH c") && l.contains(&range)),
                "{sort:?} {filter:?}: a range of {index}: {plan:#?}"
            );
            assert!(
                !plan.iter().any(|l| l.starts_with("USE TEMP B-TREE")),
                "{sort:?}: sorts the whole list: {plan:#?}"
            );
        }
    }
}

#[test]
fn every_organization_page_is_read_from_an_index_in_order() {
    let store = in_memory_db();
    for sort in ListSort::ALL {
        for base in [
            OrganizationFilter::default(),
            OrganizationFilter {
                sector: Some("logistics".into()),
                ..Default::default()
            },
            OrganizationFilter {
                tag: Some("partner".into()),
                ..Default::default()
            },
            OrganizationFilter {
                mission_id: Some(Id::new()),
                sector: Some("logistics".into()),
                tag: Some("partner".into()),
                ..Default::default()
            },
        ] {
            let filter = OrganizationFilter {
                sort: Some(*sort),
                after: cursor(),
                ..base
            };
            let plan = store
                .read(|db| organization::explain_list(db, &filter))
                .expect("plan");
            if filter.mission_id.is_some() {
                // A mission's organizations, whatever the filter: read
                // through its participations, then sorted; bounded by the
                // mission's size (tens).
                assert!(
                    plan.first()
                        .is_some_and(|l| l.starts_with("SEARCH p USING PRIMARY KEY (mission_id=?")),
                    "{sort:?} {filter:?}: {plan:#?}"
                );
                continue;
            }
            // A sector or tag few have (none here): its organizations, read
            // through its index, then sorted; bounded by how many have it.
            // One many have walks the list (lists.rs).
            let subset = match (&filter.sector, &filter.tag) {
                (Some(_), _) => {
                    Some("SEARCH s USING COVERING INDEX organization_sectors_by_sector (sector=?")
                }
                (None, Some(_)) => Some("SEARCH g USING COVERING INDEX taggings_by_tag (tag_id=?"),
                (None, None) => None,
            };
            if let Some(subset) = subset {
                assert!(
                    plan.iter().any(|l| l.trim_start().starts_with(subset)),
                    "{sort:?} {filter:?}: {plan:#?}"
                );
                continue;
            }
            // Newest first is id order: the primary key's range.
            let (index, range) = match sort {
                ListSort::Newest => ("sqlite_autoindex_organizations_1", "(id<?)"),
                _ => ("organizations_by_name", "((sort_name,id)"),
            };
            let range = format!("USING INDEX {index} {range}");
            assert!(
                plan.iter()
                    .any(|l| l.starts_with("SEARCH o") && l.contains(&range)),
                "{sort:?}: a range of {index}: {plan:#?}"
            );
            assert!(
                !plan.iter().any(|l| l.starts_with("USE TEMP B-TREE")),
                "{sort:?}: sorts the whole list: {plan:#?}"
            );
        }
    }
}

/// The organization list filtered by a sector or a tag that only a few
/// organizations have, and those last in the list: its page costs the
/// same at 20 times the organizations, in SQLite steps. Walking the list
/// for them read every organization first (80 ms at a million contacts).
#[test]
fn an_organization_page_for_a_sector_or_tag_few_have_costs_the_same_at_any_size() {
    let steps = |contacts| {
        let dir = tempfile::tempdir().expect("dir");
        let (store, path) = file_store(&dir);
        let store = with_address_book(store, contacts);
        rusqlite::Connection::open(path)
            .expect("raw")
            .execute_batch(
                "INSERT INTO tags (id, name) VALUES (randomblob(16), 'last');
                 CREATE TEMP TABLE last AS SELECT id FROM organizations
                  ORDER BY sort_name DESC, id DESC LIMIT 3;
                 INSERT INTO organization_sectors (organization_id, sector)
                 SELECT id, 'mining' FROM temp.last;
                 INSERT INTO taggings (tag_id, entity, entity_id)
                 SELECT (SELECT id FROM tags WHERE name = 'last'), 'organization', id
                   FROM temp.last;",
            )
            .expect("three organizations, last by name, in the sector and with the tag");
        let by_sector = OrganizationFilter {
            sector: Some("mining".into()),
            ..Default::default()
        };
        let by_tag = OrganizationFilter {
            tag: Some("last".into()),
            ..Default::default()
        };
        store
            .read(|db| {
                for filter in [&by_sector, &by_tag] {
                    let page = organization::list(db, filter)?;
                    assert_eq!(page.items.len(), 3, "{filter:?}");
                }
                Ok((
                    organization::list_steps(db, &by_sector)?,
                    organization::list_steps(db, &by_tag)?,
                ))
            })
            .expect("steps")
    };
    let ((sector_small, tag_small), (sector_large, tag_large)) = (steps(1_000), steps(20_000));
    assert!(
        sector_large <= sector_small * 2,
        "by sector: {sector_small} steps at 1,000 contacts, {sector_large} at 20,000"
    );
    assert!(
        tag_large <= tag_small * 2,
        "by tag: {tag_small} steps at 1,000 contacts, {tag_large} at 20,000"
    );
}

/// 100,000 contacts: a page 90,000 rows deep costs what the first page
/// costs, in SQLite VM steps (counted, not timed). OFFSET, or a keyset the
/// planner cannot seek to, would step over the 90,000 rows first.
#[test]
fn a_page_deep_in_100k_contacts_costs_what_the_first_page_costs() {
    let store = in_memory_db();
    let made = store
        .write(Source::Import, |tx| dataset::address_book(tx, 100_000, 7))
        .expect("generated");
    assert_eq!(made.contacts, 100_000);

    for sort in ListSort::ALL {
        let page = |after: Option<Cursor>, limit| {
            store
                .read(|db| {
                    contact::list(
                        db,
                        &ContactFilter {
                            sort: Some(*sort),
                            after,
                            limit: Some(limit),
                            ..Default::default()
                        },
                    )
                })
                .expect("page")
        };
        // Walk 90 pages of 1,000 to get a cursor 90,000 rows deep.
        let mut after = None;
        for _ in 0..90 {
            let p: Page<_> = page(after, 1000);
            after = p.next;
        }
        let deep = after.expect("more after 90,000");
        let steps = |after: Option<Cursor>| {
            store
                .read(|db| {
                    contact::list_steps(
                        db,
                        &ContactFilter {
                            sort: Some(*sort),
                            after,
                            limit: Some(100),
                            ..Default::default()
                        },
                    )
                })
                .expect("steps")
        };
        let first = steps(None);
        let at_90k = steps(Some(deep.clone()));
        assert!(
            at_90k <= first * 2,
            "{sort:?}: page 1 took {first} steps, page 901 took {at_90k}"
        );
        let next = page(Some(deep), 100);
        assert_eq!(next.items.len(), 100);
    }
}
