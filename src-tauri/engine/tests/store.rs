//! The engine through its public API, on real SQLite databases (in memory
//! and on disk). One binary; modules mirror the engine's.

use std::sync::{Arc, Mutex};

use chrono::{TimeZone, Utc};
use mission_crm_engine::model::agreement::{self, AgreementInput, Stage};
use mission_crm_engine::model::contact::{self, ContactFilter, ContactInput, Email, Phone};
use mission_crm_engine::model::meeting::{self, MeetingInput, MeetingKind};
use mission_crm_engine::model::mission::{self, MissionInput};
use mission_crm_engine::model::organization::{self, OrganizationFilter, OrganizationInput};
use mission_crm_engine::model::Side;
use mission_crm_engine::{demo, Change, ChangeOp, Entity, ErrorCode, Id, Source, Store};

fn in_memory_db() -> Store {
    let fixed = Utc
        .with_ymd_and_hms(2023, 10, 2, 9, 0, 0)
        .single()
        .expect("valid instant");
    Store::open_in_memory()
        .expect("in-memory store")
        .with_clock(Arc::new(move || fixed))
}

fn mission_input() -> MissionInput {
    MissionInput {
        name: "Business mission of Kazakhstan to Turkmenistan".into(),
        organiser: "Diplomatic Club \"Astana\"".into(),
        host_country: "TM".into(),
        cities: vec!["Ashgabat".into()],
        start_date: "2023-10-01".into(),
        end_date: "2023-10-05".into(),
        time_zone: "Asia/Ashgabat".into(),
        base_currency: "USD".into(),
        phone_region: None,
        status: None,
    }
}

fn contact_named(name: &str) -> ContactInput {
    ContactInput {
        full_name: name.into(),
        ..ContactInput::default()
    }
}

fn org_count(store: &Store) -> usize {
    store
        .read(|db| {
            organization::list(
                db,
                &OrganizationFilter {
                    limit: Some(1000),
                    ..Default::default()
                },
            )
        })
        .expect("organizations")
        .items
        .len()
}

/// Counts rows of a table through the store's own read path.
fn count(store: &Store, entity: &str) -> usize {
    match entity {
        "contacts" => store
            .read(|db| {
                contact::list(
                    db,
                    &ContactFilter {
                        limit: Some(1000),
                        ..Default::default()
                    },
                )
            })
            .expect("list")
            .items
            .len(),
        "missions" => store.read(mission::list).expect("list").len(),
        "agreements" => store
            .read(|db| agreement::list(db, None))
            .expect("list")
            .agreements
            .len(),
        other => panic!("no counter for {other}"),
    }
}

mod store {
    use super::*;

    #[test]
    fn a_committed_write_is_recorded_and_announced_after_commit() {
        let store = in_memory_db();
        let seen: Arc<Mutex<Vec<Change>>> = Arc::default();
        let sink = seen.clone();
        store.subscribe(move |changes| sink.lock().expect("lock").extend_from_slice(changes));

        let c = store
            .write(Source::App, |tx| {
                contact::create(tx, &contact_named("Кайырболат Сахметов"))
            })
            .expect("created");

        let seen = seen.lock().expect("lock").clone();
        assert_eq!(
            seen,
            vec![Change {
                entity: Entity::Contact,
                id: c.id,
                op: ChangeOp::Insert,
                source: Source::App
            }]
        );
        assert_eq!(
            c.created_at, "2023-10-02T09:00:00.000Z",
            "time comes from the store's clock"
        );
    }

    #[test]
    fn an_update_keeps_the_creation_time_and_history_holds_before_and_after() {
        let store = in_memory_db();
        let c = store
            .write(Source::App, |tx| {
                contact::create(tx, &contact_named("Мерген Атаев"))
            })
            .expect("created");
        let renamed = ContactInput {
            full_name_latin: "Mergen Atayev".into(),
            ..contact_named("Мерген Атаев")
        };
        let later = Utc
            .with_ymd_and_hms(2023, 10, 3, 8, 0, 0)
            .single()
            .expect("instant");
        let store = store.with_clock(Arc::new(move || later));
        let u = store
            .write(Source::Cli, |tx| contact::update(tx, c.id, &renamed))
            .expect("updated");
        assert_eq!(u.created_at, c.created_at);
        assert_eq!(u.updated_at, "2023-10-03T08:00:00.000Z");

        let history = store
            .read(|db| mission_crm_engine::history::for_record(db, Entity::Contact, c.id))
            .expect("history");
        let ops: Vec<(ChangeOp, Source)> = history.iter().map(|h| (h.op, h.source)).collect();
        assert_eq!(
            ops,
            [
                (ChangeOp::Update, Source::Cli),
                (ChangeOp::Insert, Source::App)
            ],
            "newest first"
        );
        assert_eq!(history[0].changed, ["full_name_latin"]);
        assert_eq!(
            history[0]
                .before
                .as_ref()
                .map(|b| b["full_name_latin"].clone()),
            Some("".into())
        );
        assert_eq!(
            history[0]
                .after
                .as_ref()
                .map(|a| a["full_name_latin"].clone()),
            Some("Mergen Atayev".into())
        );
    }

    #[test]
    fn a_failed_write_leaves_nothing_behind_and_announces_nothing() {
        let store = in_memory_db();
        let announced = Arc::new(Mutex::new(0));
        let sink = announced.clone();
        store.subscribe(move |_| *sink.lock().expect("lock") += 1);

        let err = store
            .write(Source::App, |tx| {
                contact::create(tx, &contact_named("First, valid"))?;
                contact::create(tx, &contact_named("   "))
            })
            .expect_err("second contact has no name");

        assert_eq!(err.code(), ErrorCode::Required);
        assert_eq!(
            count(&store, "contacts"),
            0,
            "the first insert was rolled back too"
        );
        assert_eq!(*announced.lock().expect("lock"), 0);
    }

    #[test]
    fn a_file_database_keeps_its_data_across_reopening() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("crm.db");
        let id = {
            let store = Store::open(&path).expect("open");
            store
                .write(Source::Cli, |tx| {
                    contact::create(tx, &contact_named("Aýna Berdiýewa"))
                })
                .expect("create")
                .id
        };
        let store = Store::open(&path).expect("reopen");
        let c = store.read(|db| contact::get(db, id)).expect("still there");
        assert_eq!(c.full_name, "Aýna Berdiýewa");
    }

    #[test]
    fn a_file_that_is_not_a_database_is_refused_with_a_code() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("notes.txt");
        std::fs::write(
            &path,
            "this is not SQLite, just a text file that is long enough to have a header",
        )
        .expect("write");
        let err = Store::open(&path).err().expect("refused");
        assert_eq!(err.code(), ErrorCode::Corrupt, "{err}");
    }
}

mod rules {
    use super::*;

    /// Every rule from the foundation issue: a clear code, and nothing written.
    #[test]
    fn bad_input_gets_its_code_and_writes_nothing() {
        let store = in_memory_db();
        let m = store
            .write(Source::App, |tx| mission::create(tx, &mission_input()))
            .expect("mission");
        let agreement = |amount: &str, currency: &str| AgreementInput {
            mission_id: m.id,
            title: "Transit of grain".into(),
            our_organization_id: None,
            counterpart_organization_id: None,
            meeting_id: None,
            sector: "agriculture".into(),
            stage: Stage::Interest,
            amount: amount.into(),
            currency: currency.into(),
            rate: Some("1".into()),
            rate_date: None,
            rate_source: String::new(),
            notes: String::new(),
        };

        let cases: Vec<(&str, ErrorCode, mission_crm_engine::Result<()>)> = vec![
            (
                "empty contact name",
                ErrorCode::Required,
                store.write(Source::App, |tx| {
                    contact::create(tx, &contact_named(" ")).map(drop)
                }),
            ),
            (
                "bad e-mail",
                ErrorCode::InvalidEmail,
                store.write(Source::App, |tx| {
                    contact::create(
                        tx,
                        &ContactInput {
                            emails: vec![Email {
                                address: "sakhmetov@".into(),
                                label: String::new(),
                            }],
                            ..contact_named("Сахметов")
                        },
                    )
                    .map(drop)
                }),
            ),
            (
                "bad phone",
                ErrorCode::InvalidPhone,
                store.write(Source::App, |tx| {
                    contact::create(
                        tx,
                        &ContactInput {
                            phones: vec![Phone {
                                number: "12345".into(),
                                label: String::new(),
                            }],
                            phone_region: Some("KZ".into()),
                            ..contact_named("Сахметов")
                        },
                    )
                    .map(drop)
                }),
            ),
            (
                "unknown currency",
                ErrorCode::UnknownCurrency,
                store.write(Source::App, |tx| {
                    agreement::create(tx, &agreement("100", "XYZ")).map(drop)
                }),
            ),
            (
                "negative amount",
                ErrorCode::NegativeAmount,
                store.write(Source::App, |tx| {
                    agreement::create(tx, &agreement("-100", "USD")).map(drop)
                }),
            ),
            (
                "mission ending before it starts",
                ErrorCode::EndBeforeStart,
                store.write(Source::App, |tx| {
                    mission::create(
                        tx,
                        &MissionInput {
                            end_date: "2023-09-30".into(),
                            ..mission_input()
                        },
                    )
                    .map(drop)
                }),
            ),
            (
                "unknown time zone",
                ErrorCode::InvalidTimeZone,
                store.write(Source::App, |tx| {
                    mission::create(
                        tx,
                        &MissionInput {
                            time_zone: "Asia/Nowhere".into(),
                            ..mission_input()
                        },
                    )
                    .map(drop)
                }),
            ),
        ];
        for (what, code, result) in cases {
            let err = result.expect_err(what);
            assert_eq!(err.code(), code, "{what}: {err}");
        }
        assert_eq!(count(&store, "contacts"), 0);
        assert_eq!(count(&store, "missions"), 1);
        assert_eq!(count(&store, "agreements"), 0);
    }

    #[test]
    fn a_meeting_cannot_end_before_it_starts() {
        let store = in_memory_db();
        let m = store
            .write(Source::App, |tx| mission::create(tx, &mission_input()))
            .expect("mission");
        let err = store
            .write(Source::App, |tx| {
                meeting::create(
                    tx,
                    &MeetingInput {
                        mission_id: m.id,
                        kind: MeetingKind::Meeting,
                        title: "Chamber of Commerce".into(),
                        starts_local: "2023-10-02T11:00".into(),
                        ends_local: "2023-10-02T10:00".into(),
                        time_zone: None,
                        place: String::new(),
                        notes: String::new(),
                        outcomes: String::new(),
                        organization_ids: vec![],
                        attendees: vec![],
                    },
                )
            })
            .expect_err("end before start");
        assert_eq!(err.code(), ErrorCode::EndBeforeStart);
    }

    #[test]
    fn the_base_currency_is_locked_once_an_agreement_has_a_rate_to_it() {
        let store = in_memory_db();
        let m = store
            .write(Source::App, |tx| mission::create(tx, &mission_input()))
            .expect("mission");
        let in_eur = MissionInput {
            base_currency: "EUR".into(),
            ..mission_input()
        };
        store
            .write(Source::App, |tx| mission::update(tx, m.id, &in_eur))
            .expect("no agreements yet: may change");
        store
            .write(Source::App, |tx| {
                agreement::create(
                    tx,
                    &AgreementInput {
                        mission_id: m.id,
                        title: "Cement".into(),
                        our_organization_id: None,
                        counterpart_organization_id: None,
                        meeting_id: None,
                        sector: String::new(),
                        stage: Stage::Memorandum,
                        amount: "1000".into(),
                        currency: "EUR".into(),
                        rate: None,
                        rate_date: None,
                        rate_source: String::new(),
                        notes: String::new(),
                    },
                )
            })
            .expect("agreement");
        let err = store
            .write(Source::App, |tx| {
                mission::update(tx, m.id, &mission_input())
            })
            .expect_err("back to USD would orphan the locked rate");
        assert_eq!(err.code(), ErrorCode::Conflict);
        assert_eq!(
            store
                .read(|db| mission::get(db, m.id))
                .expect("mission")
                .base_currency,
            "EUR"
        );
    }

    #[test]
    fn a_link_to_a_missing_record_is_not_found() {
        let store = in_memory_db();
        let err = store
            .write(Source::App, |tx| {
                contact::create(
                    tx,
                    &ContactInput {
                        organization_id: Some(Id::new()),
                        ..contact_named("X")
                    },
                )
            })
            .expect_err("no such organization");
        assert_eq!(err.code(), ErrorCode::NotFound);
    }

    #[test]
    fn phones_are_stored_in_e164_using_the_missions_region() {
        let store = in_memory_db();
        let c = store
            .write(Source::App, |tx| {
                contact::create(
                    tx,
                    &ContactInput {
                        phones: vec![
                            Phone {
                                number: "8 701 123 45 67".into(),
                                label: "mobile".into(),
                            },
                            Phone {
                                number: "+993 12 94 00 00".into(),
                                label: "office".into(),
                            },
                        ],
                        phone_region: Some("KZ".into()),
                        ..contact_named("Ерлан Жақсылықов")
                    },
                )
            })
            .expect("created");
        let numbers: Vec<&str> = c.phones.iter().map(|p| p.number.as_str()).collect();
        assert_eq!(numbers, ["+77011234567", "+99312940000"]);
    }
}

mod lists {
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
}

mod workflow {
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
            attendees: m.attendees.clone(),
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
}

mod trash {
    use super::*;
    use mission_crm_engine::trash;

    #[test]
    fn a_deleted_record_leaves_the_lists_and_comes_back_with_its_links() {
        let store = in_memory_db();
        let (org, person) = store
            .write(Source::App, |tx| {
                let org = organization::create(
                    tx,
                    &OrganizationInput {
                        name: "Balkan Shipbuilding and Ship Repair Plant".into(),
                        ..OrganizationInput::default()
                    },
                )?;
                let person = contact::create(
                    tx,
                    &ContactInput {
                        organization_id: Some(org.id),
                        ..contact_named("Şatlyk Öwezow")
                    },
                )?;
                Ok((org, person))
            })
            .expect("created");

        store
            .write(Source::App, |tx| {
                trash::delete(tx, Entity::Contact, person.id)
            })
            .expect("deleted");
        assert_eq!(count(&store, "contacts"), 0);
        let err = store
            .read(|db| contact::get(db, person.id))
            .expect_err("gone from lookups");
        assert_eq!(err.code(), ErrorCode::NotFound);
        let again = store.write(Source::App, |tx| {
            trash::delete(tx, Entity::Contact, person.id)
        });
        assert_eq!(
            again.expect_err("already in the trash").code(),
            ErrorCode::NotFound
        );

        store
            .write(Source::App, |tx| {
                trash::delete(tx, Entity::Organization, org.id)
            })
            .expect("org deleted");
        let in_trash = store.read(trash::list).expect("trash");
        let labels: Vec<&str> = in_trash.iter().map(|i| i.label.as_str()).collect();
        assert_eq!(labels.len(), 2);
        assert!(labels.contains(&"Şatlyk Öwezow"));

        // Undo restores the most recent delete first: the organization.
        let undone = store
            .write(Source::App, trash::undo_last_delete)
            .expect("undo")
            .expect("something");
        assert_eq!((undone.entity, undone.id), (Entity::Organization, org.id));
        store
            .write(Source::App, |tx| {
                trash::restore(tx, Entity::Contact, person.id)
            })
            .expect("restored");
        let back = store.read(|db| contact::get(db, person.id)).expect("back");
        assert_eq!(
            back, person,
            "exactly as before, link to the organization included"
        );
        assert!(store
            .write(Source::App, trash::undo_last_delete)
            .expect("undo")
            .is_none());

        let ops: Vec<ChangeOp> = store
            .read(|db| mission_crm_engine::history::for_record(db, Entity::Contact, person.id))
            .expect("history")
            .into_iter()
            .map(|h| h.op)
            .collect();
        assert_eq!(ops, [ChangeOp::Restore, ChangeOp::Delete, ChangeOp::Insert]);
    }
}

mod query_plans {
    use super::*;

    /// The contact list's page query walks the name index: no table scan,
    /// no sort of the whole table, at any size.
    #[test]
    fn a_contact_page_is_read_from_the_name_index() {
        let store = in_memory_db();
        let plan = store.read(contact::explain_list).expect("plan");
        assert!(
            plan.iter().any(|l| l.contains("contacts_by_name")),
            "{plan:#?}"
        );
        assert!(
            !plan.iter().any(|l| l.contains("TEMP B-TREE")),
            "sorts the table: {plan:#?}"
        );
        assert!(
            !plan
                .iter()
                .any(|l| l.starts_with("SCAN c ") && !l.contains("INDEX")),
            "{plan:#?}"
        );
    }
}

mod capture {
    use super::*;
    use mission_crm_engine::capture::{self, CaptureInput};
    use mission_crm_engine::model::note;

    #[test]
    fn a_capture_writes_person_organization_note_and_follow_up_linked_to_the_meeting() {
        let store = in_memory_db();
        let mission_id = store.write(Source::Demo, demo::load).expect("demo");
        let meeting = store
            .read(|db| meeting::list(db, mission_id))
            .expect("agenda")[1]
            .clone();
        let result = store
            .write(Source::App, |tx| {
                capture::save(
                    tx,
                    &CaptureInput {
                        mission_id,
                        meeting_id: Some(meeting.id),
                        full_name: "Döwlet Annaýew".into(),
                        phone: "+993 65 12 34 56".into(),
                        organization_name: "Ashgabat Cotton Trading".into(),
                        note: "Wants 20 containers of yarn a month via Turkmenbashi.".into(),
                        follow_up: "Send the price list".into(),
                        ..CaptureInput::default()
                    },
                )
            })
            .expect("captured");

        assert_eq!(
            result.contact.organization_name.as_deref(),
            Some("Ashgabat Cotton Trading")
        );
        assert_eq!(result.contact.phones[0].number, "+99365123456");
        let f = result.follow_up.expect("follow-up");
        assert_eq!(
            f.due_on.to_string(),
            "2023-10-09",
            "a week after the store's today"
        );
        assert_eq!(
            (f.contact_id, f.meeting_id),
            (Some(result.contact.id), Some(meeting.id))
        );
        let notes = store
            .read(|db| note::list(db, Entity::Contact, result.contact.id))
            .expect("notes");
        assert_eq!(notes.len(), 1);
        let attended = store
            .read(|db| meeting::get(db, meeting.id))
            .expect("meeting");
        assert!(attended
            .attendees
            .iter()
            .any(|a| a.contact_id == result.contact.id));
    }

    #[test]
    fn a_capture_with_one_bad_field_writes_nothing_at_all() {
        let store = in_memory_db();
        let mission_id = store.write(Source::Demo, demo::load).expect("demo");
        let orgs_before = org_count(&store);
        let err = store
            .write(Source::App, |tx| {
                capture::save(
                    tx,
                    &CaptureInput {
                        mission_id,
                        full_name: "Döwlet Annaýew".into(),
                        email: "dowlet@".into(),
                        organization_name: "Ashgabat Cotton Trading".into(),
                        follow_up: "Send the price list".into(),
                        ..CaptureInput::default()
                    },
                )
            })
            .expect_err("bad e-mail");
        assert_eq!(err.code(), ErrorCode::InvalidEmail);
        let orgs_after = org_count(&store);
        assert_eq!(
            orgs_after, orgs_before,
            "the new organization was rolled back with the rest"
        );
        let err = store
            .write(Source::App, |tx| {
                capture::save(
                    tx,
                    &CaptureInput {
                        mission_id,
                        ..CaptureInput::default()
                    },
                )
            })
            .expect_err("no one");
        assert_eq!(
            (err.code(), err.field()),
            (ErrorCode::Required, Some("full_name"))
        );
    }
}

mod demo_mission {
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
        assert!(agenda.iter().all(
            |m| m.starts_local.as_str() >= "2023-10-01" && m.ends_local.as_str() < "2023-10-06"
        ));
        assert!(agenda.iter().all(|m| m.time_zone == "Asia/Ashgabat"));
    }
}
