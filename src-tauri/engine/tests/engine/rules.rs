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
            "1,500: one and a half, or fifteen hundred?",
            ErrorCode::AmbiguousNumber,
            store.write(Source::App, |tx| {
                agreement::create(tx, &agreement("1,500", "USD")).map(drop)
            }),
        ),
        (
            "a foreign currency with no rate",
            ErrorCode::RateRequired,
            store.write(Source::App, |tx| {
                agreement::create(
                    tx,
                    &AgreementInput {
                        rate: None,
                        ..agreement("100", "KZT")
                    },
                )
                .map(drop)
            }),
        ),
        (
            "the base currency at another rate than 1",
            ErrorCode::BaseRateIsOne,
            store.write(Source::App, |tx| {
                agreement::create(
                    tx,
                    &AgreementInput {
                        rate: Some("2".into()),
                        ..agreement("100", "USD")
                    },
                )
                .map(drop)
            }),
        ),
        (
            "a local number with no country to read it",
            ErrorCode::PhoneNeedsCountry,
            store.write(Source::App, |tx| {
                contact::create(
                    tx,
                    &ContactInput {
                        phones: vec![Phone {
                            number: "8 701 123 45 67".into(),
                            label: String::new(),
                        }],
                        ..contact_named("Сахметов")
                    },
                )
                .map(drop)
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
                    starts_local: "2023-10-02T11:00".into(),
                    ends_local: "2023-10-02T10:00".into(),
                    ..meeting_input(m.id, "Chamber of Commerce")
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
    // In the trash it still holds the currency (restored, it would be in
    // the old one), and the refusal says where it is: the ledger is empty.
    let agreement = store
        .read(|db| agreement::list(db, Some(m.id)))
        .expect("ledger")
        .agreements[0]
        .id;
    store
        .write(Source::App, |tx| {
            mission_crm_engine::trash::delete(tx, Entity::Agreement, agreement)
        })
        .expect("trashed");
    let err = store
        .write(Source::App, |tx| {
            mission::update(tx, m.id, &mission_input())
        })
        .expect_err("the trash holds one");
    assert!(err.message().contains("in the trash"), "{err}");
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

/// Messengers typed in the form are kept as an import keeps them: a
/// WhatsApp number in E.164 (it was kept as typed, so the same number
/// from a list was a second WhatsApp), a Telegram link as its @name;
/// what reads as neither stays as typed.
#[test]
fn messengers_typed_in_the_form_are_kept_as_an_import_keeps_them() {
    use mission_crm_engine::model::contact::{Messenger, MessengerKind};
    let store = in_memory_db();
    let m = |kind, handle: &str| Messenger {
        kind,
        handle: handle.into(),
    };
    let c = store
        .write(Source::App, |tx| {
            contact::create(
                tx,
                &ContactInput {
                    messengers: vec![
                        m(MessengerKind::Whatsapp, " 8 701 123 45 67 "),
                        m(MessengerKind::Telegram, "https://t.me/aidar_k"),
                        m(MessengerKind::Telegram, "erlan"),
                        m(MessengerKind::Whatsapp, "ask at the office"),
                        m(MessengerKind::Signal, " +77011234567 "),
                    ],
                    phone_region: Some("KZ".into()),
                    ..contact_named("Ерлан Жақсылықов")
                },
            )
        })
        .expect("created");
    let handles: Vec<(&str, &str)> = c
        .messengers
        .iter()
        .map(|m| (m.kind.as_str(), m.handle.as_str()))
        .collect();
    assert_eq!(
        handles,
        [
            ("signal", "+77011234567"),
            ("telegram", "@aidar_k"),
            ("telegram", "@erlan"),
            ("whatsapp", "+77011234567"),
            ("whatsapp", "ask at the office"),
        ]
    );
}

/// A mission's zone corrected after its meetings were typed: they keep
/// their local times in the new zone (they stayed in the old one, an hour
/// off in phones' calendars, and no form could move them); a meeting kept
/// in another zone stays; Ctrl+Z takes the whole correction back.
#[test]
fn a_missions_zone_corrected_keeps_its_meetings_local_times() {
    let dir = tempfile::tempdir().expect("dir");
    let path = dir.path().join("crm.db");
    let store = Store::open(&path).expect("store");
    let m = store
        .write(Source::App, |tx| {
            mission::create(
                tx,
                &MissionInput {
                    time_zone: "Asia/Almaty".into(),
                    ..mission_input()
                },
            )
        })
        .expect("mission set up at home");
    let (typed, call) = store
        .write(Source::App, |tx| {
            let typed = meeting::create(tx, &meeting_input(m.id, "Chamber of Commerce"))?;
            let call = meeting::create(
                tx,
                &MeetingInput {
                    time_zone: Some("Europe/Moscow".into()),
                    ..meeting_input(m.id, "Call with Moscow")
                },
            )?;
            Ok((typed, call))
        })
        .expect("meetings");
    assert_eq!(typed.starts_at.to_rfc3339(), "2023-10-02T04:00:00+00:00");
    let before = dump(&path);

    store
        .write(Source::App, |tx| {
            mission::update(
                tx,
                m.id,
                &MissionInput {
                    time_zone: "Asia/Ashgabat".into(),
                    ..mission_input()
                },
            )
        })
        .expect("zone corrected");
    let now = store
        .read(|db| meeting::get(db, typed.id))
        .expect("meeting");
    assert_eq!(
        (
            now.time_zone.as_str(),
            now.starts_local.as_str(),
            now.ends_local.as_str()
        ),
        ("Asia/Ashgabat", "2023-10-02T10:00", "2023-10-02T11:00")
    );
    assert_eq!(now.starts_at.to_rfc3339(), "2023-10-02T05:00:00+00:00");
    assert_eq!(
        store.read(|db| meeting::get(db, call.id)).expect("call"),
        call,
        "kept in its own zone"
    );

    store
        .write(Source::App, mission_crm_engine::undo::undo_last)
        .expect("undo");
    assert_eq!(dump(&path), before);
}

/// A list's items hold no comma or semicolon: the forms write a list as one
/// comma-separated text and a CSV cell holds it so, and an item with a
/// comma ("Oil, gas") was split in two by the next save from a form.
#[test]
fn list_items_are_split_at_commas_so_a_form_saves_them_unchanged() {
    let store = in_memory_db();
    let typed = OrganizationInput {
        name: "Kaspiy Tranzit".into(),
        sectors: vec!["Oil, gas".into(), "Textiles; cotton".into(), "gas".into()],
        tags: vec!["vip,partner".into()],
        ..OrganizationInput::default()
    };
    let saved = store
        .write(Source::App, |tx| organization::create(tx, &typed))
        .expect("saved");
    assert_eq!(saved.sectors, ["Oil", "Textiles", "cotton", "gas"]);
    assert_eq!(saved.tags, ["vip", "partner"]);

    // As the form sends it back: each list joined with commas, then split.
    let split = |list: &[String]| list.join(", ").split(',').map(str::to_owned).collect();
    let again = OrganizationInput {
        sectors: split(&saved.sectors),
        tags: split(&saved.tags),
        ..typed
    };
    let resaved = store
        .write(Source::App, |tx| organization::update(tx, saved.id, &again))
        .expect("saved again");
    assert_eq!(resaved.sectors, saved.sectors);
    assert_eq!(resaved.tags, saved.tags);
}
