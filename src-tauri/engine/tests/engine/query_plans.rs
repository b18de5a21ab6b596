use super::*;
use mission_crm_engine::dataset;
use mission_crm_engine::model::follow_up::{self, FollowUpFilter, FollowUpStatus};
use mission_crm_engine::model::{self, Cursor, Page};
use mission_crm_engine::{reminder, search, trash};

/// `store` with `contacts` generated people (and their organizations).
fn with_address_book(store: Store, contacts: usize) -> Store {
    store
        .write(Source::Import, |tx| {
            dataset::address_book(tx, contacts, 7).map(|_| ())
        })
        .expect("generated");
    store
}

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

/// The top-level steps of a plan (a sort inside a per-row subquery is
/// bounded by that row's few children and is not what these tests guard).
fn top(plan: &[String]) -> impl Iterator<Item = &String> {
    plan.iter().filter(|l| !l.starts_with(' '))
}

fn assert_reads_index(plan: &[String], table: &str, index: &str) {
    assert!(
        top(plan).any(|l| l.starts_with(&format!("SEARCH {table} USING INDEX {index} ("))),
        "{table} through {index}: {plan:#?}"
    );
    assert!(
        !top(plan).any(|l| l.starts_with("USE TEMP B-TREE")),
        "sorts every row it read: {plan:#?}"
    );
}

/// Search: the full-text index answers the MATCH, and each hit's shown
/// text is one lookup by key (a contact's row, or another record's
/// document); no table is scanned.
#[test]
fn search_reads_the_full_text_index() {
    let store = in_memory_db();
    let plan = store.read(search::explain).expect("plan");
    assert!(
        top(&plan).any(|l| l.starts_with("SCAN s VIRTUAL TABLE INDEX") && l.contains(":M")),
        "the MATCH goes to FTS5: {plan:#?}"
    );
    for table in ["d", "c"] {
        assert!(
            top(&plan).any(|l| l.starts_with(&format!("SEARCH {table} USING"))),
            "hits are read by key from {table}: {plan:#?}"
        );
        assert!(
            !top(&plan).any(|l| l.starts_with(&format!("SCAN {table}"))),
            "{table} scanned: {plan:#?}"
        );
    }
}

/// A mission's meetings, whole or as the agenda's entries: a range of its
/// index, already in time order.
#[test]
fn the_agenda_reads_its_index_in_time_order() {
    let store = in_memory_db();
    let plans = store
        .read(|db| meeting::explain_list(db, Id::new()))
        .expect("plans");
    for plan in &plans {
        assert_reads_index(plan, "meetings", "meetings_agenda");
    }
}

/// Follow-ups due (the reminder asked every minute, and the list by status)
/// read the due index in date order; a mission's read its own index.
#[test]
fn follow_ups_due_read_the_due_index() {
    let store = in_memory_db();
    let plan = store.read(reminder::explain_due).expect("plan");
    assert_reads_index(&plan, "follow_ups", "follow_ups_due");

    let open = FollowUpFilter {
        mission_id: None,
        status: Some(FollowUpStatus::Open),
    };
    let plans = store
        .read(|db| follow_up::explain_list(db, &open))
        .expect("plans");
    for plan in &plans {
        assert_reads_index(plan, "f", "follow_ups_due");
    }

    let mission = FollowUpFilter {
        mission_id: Some(Id::new()),
        status: None,
    };
    let plans = store
        .read(|db| follow_up::explain_list(db, &mission))
        .expect("plans");
    for plan in &plans {
        assert!(
            top(plan)
                .any(|l| l.starts_with("SEARCH f USING INDEX follow_ups_by_mission (mission_id=?")),
            "{plan:#?}"
        );
    }
}

/// The list screens' filter choices (tags in use, sectors) cost the same
/// with 20 times the records: one seek per tag or sector, not a pass over
/// every tagged record, which the screen would pay each time it opens.
#[test]
fn filter_choices_cost_the_same_at_any_size() {
    let steps = |contacts| {
        let store = with_address_book(in_memory_db(), contacts);
        store
            .read(|db| {
                Ok((
                    model::tags_in_use_steps(db, Entity::Contact)?,
                    organization::sectors_steps(db)?,
                    model::tags_in_use(db, Entity::Contact)?.len(),
                    organization::sectors(db)?.len(),
                ))
            })
            .expect("steps")
    };
    let (tags_small, sectors_small, tag_count, sector_count) = steps(1_000);
    let (tags_large, sectors_large, tag_count_large, sector_count_large) = steps(20_000);
    assert!(tag_count > 1 && sector_count > 1, "the data has choices");
    assert_eq!(
        (tag_count, sector_count),
        (tag_count_large, sector_count_large)
    );
    assert!(
        tags_large <= tags_small * 2,
        "tags in use: {tags_small} steps at 1,000 contacts, {tags_large} at 20,000"
    );
    assert!(
        sectors_large <= sectors_small * 2,
        "sectors: {sectors_small} steps at 1,000 contacts, {sectors_large} at 20,000"
    );
}

/// Duplicates: the phones, e-mails and name keys held more than once are
/// found in one pass over each one's index, never by reading a table row
/// by row; the further phones and e-mails (the child tables) are the outer
/// loop of their own pass; people are then read by key, a few per name.
#[test]
fn duplicates_read_their_indexes_not_their_tables() {
    let store = in_memory_db();
    let plan = store
        .read(mission_crm_engine::duplicates::explain)
        .expect("plan");
    for pass in [
        "SEARCH contacts USING COVERING INDEX contacts_by_phone (primary_phone>?)",
        "SCAN contacts USING COVERING INDEX contacts_by_email",
        "SCAN x USING COVERING INDEX contact_phones_by_number",
        "SEARCH y USING INDEX contacts_by_phone (primary_phone=?)",
        "SCAN x USING COVERING INDEX contact_emails_by_address",
        "SEARCH y USING INDEX contacts_by_email (primary_email=?)",
        "SEARCH contacts USING COVERING INDEX contacts_by_name_key (name_key>?)",
        "SEARCH contacts USING INDEX contacts_by_name_key (name_key=?)",
    ] {
        assert!(
            plan.iter().any(|l| l.trim_start() == pass),
            "{pass}: {plan:#?}"
        );
    }
    // Only those passes, and their results, are scanned; nothing is sorted.
    let extra: Vec<&str> = plan
        .iter()
        .map(|l| l.trim_start())
        .filter(|l| {
            (l.starts_with("SCAN ") && !l.contains("COVERING INDEX") && *l != "SCAN dup")
                || l.contains("TEMP B-TREE")
        })
        .collect();
    assert!(extra.is_empty(), "{extra:#?} in {plan:#?}");
}

/// The trash is read a page at a time from each kind's index of its
/// trashed rows, in the index's order: never every row of a table, never
/// sorted (an import taken back puts thousands in at one time).
#[test]
fn the_trash_reads_its_indexes() {
    let store = in_memory_db();
    let plan = store.read(trash::explain).expect("plan");
    assert!(!plan.iter().any(|l| l.contains("TEMP B-TREE")), "{plan:#?}");
    let tables: Vec<&str> = trash::tables().collect();
    assert_eq!(tables.len(), 6, "{tables:?}");
    for table in tables {
        let reads = plan
            .iter()
            .filter(|l| l.contains(&format!(" {table} USING INDEX {table}_in_trash")))
            .count();
        let any = plan
            .iter()
            .filter(|l| l.contains(&format!(" {table} ")))
            .count();
        assert_eq!((reads, any), (2, 2), "{table}: {plan:#?}");
    }
}

/// A record's timeline reads its history by the record's index, and asks
/// each import (tens of rows) for the record by the items' primary key:
/// never every imported person's item (schema 10 dropped their index by
/// record).
#[test]
fn a_timeline_reads_history_by_record_and_import_items_by_key() {
    let store = in_memory_db();
    let plan = store
        .read(mission_crm_engine::history::explain_for_record)
        .expect("plan");
    let has = |prefix: &str| plan.iter().any(|l| l.trim_start().starts_with(prefix));
    assert!(
        has("SEARCH history USING INDEX history_by_entity (entity=? AND entity_id=?)"),
        "{plan:#?}"
    );
    assert!(
        has("SEARCH t USING PRIMARY KEY (import_id=? AND entity=? AND entity_id=?)"),
        "{plan:#?}"
    );
    assert!(!has("SCAN t"), "every item read: {plan:#?}");
}

/// Deleting a contact for good (Ctrl+Z of a new one) clears every link to
/// it (the foreign keys' ON DELETE), and a merge moves the people the
/// removed contact introduced: both find those rows through indexes, so
/// they cost the same at any size (counted in SQLite's steps, which
/// include the foreign keys' work).
#[test]
fn deleting_a_contact_or_moving_whom_it_introduced_costs_the_same_at_any_size() {
    let steps = |contacts: usize| -> (i32, i32) {
        let dir = tempfile::tempdir().expect("dir");
        let path = dir.path().join("crm.db");
        drop(with_address_book(
            Store::open(&path).expect("store"),
            contacts,
        ));
        let mut conn = rusqlite::Connection::open(&path).expect("open");
        conn.pragma_update(None, "foreign_keys", true)
            .expect("foreign keys");
        let tx = conn.transaction().expect("transaction");
        let ids: Vec<Id> = tx
            .prepare("SELECT id FROM contacts ORDER BY rowid LIMIT 3")
            .expect("ids")
            .query_map([], |r| r.get(0))
            .expect("query")
            .collect::<rusqlite::Result<_>>()
            .expect("rows");
        let [introducer, introduced, keeper] = ids[..] else {
            panic!("three contacts: {ids:?}");
        };
        tx.execute(
            "UPDATE contacts SET introduced_by_id = ?1 WHERE id = ?2",
            [introducer, introduced],
        )
        .expect("introduced");
        let mut moving = tx
            .prepare("UPDATE contacts SET introduced_by_id = ?1 WHERE introduced_by_id = ?2")
            .expect("move");
        assert_eq!(moving.execute([keeper, introducer]).expect("moved"), 1);
        let mut deleting = tx
            .prepare("DELETE FROM contacts WHERE id = ?1")
            .expect("delete");
        assert_eq!(deleting.execute([keeper]).expect("deleted"), 1);
        let cleared: Option<Id> = tx
            .query_row(
                "SELECT introduced_by_id FROM contacts WHERE id = ?1",
                [introduced],
                |r| r.get(0),
            )
            .expect("introduced");
        assert_eq!(cleared, None, "the link to the deleted contact is cleared");
        (
            moving.get_status(rusqlite::StatementStatus::VmStep),
            deleting.get_status(rusqlite::StatementStatus::VmStep),
        )
    };
    let (move_small, delete_small) = steps(1_000);
    let (move_large, delete_large) = steps(20_000);
    assert!(
        move_large <= move_small * 2,
        "moving the introduced: {move_small} steps at 1,000 contacts, {move_large} at 20,000"
    );
    assert!(
        delete_large <= delete_small * 2,
        "deleting a contact: {delete_small} steps at 1,000 contacts, {delete_large} at 20,000"
    );
}

/// A search for one kind (the contact form's organization field) reads
/// only the index rows that kind can have: for organizations it starts past
/// every contact's, so one letter costs the same at 1,000 contacts as at
/// 20,000 (counted in SQLite's steps). It used to read each matching
/// contact and drop it.
#[test]
fn a_search_for_organizations_costs_the_same_however_many_contacts_match() {
    let steps = |contacts| {
        let store = with_address_book(in_memory_db(), contacts);
        let query = search::SearchQuery {
            text: "t".into(),
            entity: Some(Entity::Organization),
            limit: Some(20),
        };
        let hits = store.read(|db| search::search(db, &query)).expect("search");
        assert!(
            !hits.is_empty() && hits.iter().all(|h| h.entity == Entity::Organization),
            "{hits:#?}"
        );
        let everyone = store
            .read(|db| {
                search::search(
                    db,
                    &search::SearchQuery {
                        entity: None,
                        ..query.clone()
                    },
                )
            })
            .expect("search");
        assert!(
            everyone.iter().any(|h| h.entity == Entity::Contact),
            "the letter matches contacts too: {everyone:#?}"
        );
        store
            .read(|db| search::search_steps(db, &query))
            .expect("steps")
    };
    let (small, large) = (steps(1_000), steps(20_000));
    assert!(
        large <= small * 2,
        "organizations by one letter: {small} steps at 1,000 contacts, {large} at 20,000"
    );
}
