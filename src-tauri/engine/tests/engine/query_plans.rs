//! The hot queries' plans and costs: list pages (`pages`), search, the
//! agenda, follow-ups due, filter choices, duplicates, the trash and a
//! record's timeline read their indexes, so a regression fails here rather
//! than in a benchmark nobody reran.

use super::*;
use mission_crm_engine::dataset;
use mission_crm_engine::model;
use mission_crm_engine::model::follow_up::{self, FollowUpFilter, FollowUpStatus};
use mission_crm_engine::{reminder, search, trash};

mod pages;

/// `store` with `contacts` generated people (and their organizations).
fn with_address_book(store: Store, contacts: usize) -> Store {
    store
        .write(Source::Import, |tx| {
            dataset::address_book(tx, contacts, 7).map(|_| ())
        })
        .expect("generated");
    store
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
    for entity in [None, Some(Entity::Contact), Some(Entity::Organization)] {
        search_plan_reads_the_index(&store, entity);
    }
}

fn search_plan_reads_the_index(store: &Store, entity: Option<Entity>) {
    let plan = store.read(|db| search::explain(db, entity)).expect("plan");
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
    // Newest first is the index's own order, walked backwards: not a sort
    // of every match.
    assert!(
        !plan.iter().any(|l| l.contains("TEMP B-TREE")),
        "the matches are sorted: {plan:#?}"
    );
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
    // Its files, and each one's history by its own id.
    assert!(
        has("SEARCH a USING INDEX attachments_by_entity (entity=? AND entity_id=?)"),
        "{plan:#?}"
    );
    assert!(
        has("SEARCH h USING INDEX history_by_entity (entity=? AND entity_id=?)"),
        "{plan:#?}"
    );
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
        let people = store
            .read(|db| {
                search::search(
                    db,
                    &search::SearchQuery {
                        entity: Some(Entity::Contact),
                        ..query.clone()
                    },
                )
            })
            .expect("search");
        assert!(
            !people.is_empty(),
            "the letter matches contacts too: {people:#?}"
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
