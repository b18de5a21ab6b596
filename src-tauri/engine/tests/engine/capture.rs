use super::*;
use mission_crm_engine::capture::{self, CaptureInput};
use mission_crm_engine::model::note;

/// The demo, and its second meeting (where the captures are made).
fn demo_at_its_second_meeting() -> (Store, Id, meeting::Meeting) {
    let store = in_memory_db();
    let mission_id = store.write(Source::Demo, demo::load).expect("demo");
    let meeting = store
        .read(|db| meeting::list(db, mission_id))
        .expect("agenda")[1]
        .clone();
    (store, mission_id, meeting)
}

#[test]
fn a_capture_writes_person_organization_note_and_follow_up_linked_to_the_meeting() {
    let (store, mission_id, meeting) = demo_at_its_second_meeting();
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

/// "Today" is the mission's: at 02:30 in Ashgabat (21:30 UTC the day
/// before) a capture was dated, and its follow-up fell due, a day early.
/// Out of a meeting, the person was met on the meeting's day.
#[test]
fn a_capture_is_dated_where_the_mission_is() {
    let late = Utc
        .with_ymd_and_hms(2023, 10, 2, 21, 30, 0)
        .single()
        .expect("instant");
    let store = in_memory_db().with_clock(Arc::new(move || late));
    let mission_id = store.write(Source::Demo, demo::load).expect("demo");
    let meeting = store
        .read(|db| meeting::list(db, mission_id))
        .expect("agenda")[0]
        .clone();
    let capture = |name: &str, meeting_id: Option<Id>| {
        store
            .write(Source::App, |tx| {
                capture::save(
                    tx,
                    &CaptureInput {
                        mission_id,
                        meeting_id,
                        full_name: name.into(),
                        follow_up: "Call back".into(),
                        ..CaptureInput::default()
                    },
                )
            })
            .expect("captured")
    };
    let alone = capture("Merdan Ataýew", None);
    let met_on = |c: &capture::CaptureResult| c.contact.met_on.map(|d| d.to_string());
    assert_eq!(met_on(&alone).as_deref(), Some("2023-10-03"));
    let due = alone.follow_up.expect("follow-up").due_on.to_string();
    assert_eq!(due, "2023-10-10", "a week after the mission's today");
    let met = capture("Aýna Myradowa", Some(meeting.id));
    assert_eq!(
        met_on(&met).as_deref(),
        meeting.starts_local.get(..10),
        "the meeting's day"
    );
    // A rate typed without its date is locked as of the mission's today.
    let agreement = store
        .write(Source::App, |tx| {
            agreement::create(
                tx,
                &AgreementInput {
                    mission_id,
                    title: "Yarn".into(),
                    our_organization_id: None,
                    counterpart_organization_id: None,
                    meeting_id: None,
                    sector: "textiles".into(),
                    stage: Stage::Interest,
                    amount: "1000".into(),
                    currency: "TMT".into(),
                    rate: Some("0.2857".into()),
                    rate_date: None,
                    rate_source: String::new(),
                    notes: String::new(),
                },
            )
        })
        .expect("agreement");
    assert_eq!(agreement.rate_date.to_string(), "2023-10-03");
}

/// A meeting of another mission is refused: the person would join it while
/// their note and follow-up went to the mission captured in.
#[test]
fn a_capture_into_another_missions_meeting_is_refused_whole() {
    let store = in_memory_db();
    let mission_id = store.write(Source::Demo, demo::load).expect("demo");
    let (other, elsewhere) = store
        .write(Source::App, |tx| {
            let other = mission::create(tx, &mission_input())?;
            let m = meeting::create(tx, &meeting_input(other.id, "Elsewhere"))?;
            Ok((other, m))
        })
        .expect("another mission");
    assert_ne!(other.id, mission_id);
    let people = count(&store, "contacts");
    let err = store
        .write(Source::App, |tx| {
            capture::save(
                tx,
                &CaptureInput {
                    mission_id,
                    meeting_id: Some(elsewhere.id),
                    full_name: "Döwlet Annaýew".into(),
                    follow_up: "Send the price list".into(),
                    ..CaptureInput::default()
                },
            )
        })
        .expect_err("another mission's meeting");
    assert_eq!(
        (err.code(), err.field()),
        (ErrorCode::Conflict, Some("meeting_id"))
    );
    assert_eq!(count(&store, "contacts"), people, "nothing written");
}

/// A name typed for the organization is the one the address book has of
/// that name, whatever its case or ё, in this mission or not yet (it made
/// a second one); it joins the mission on the host side unless it is on a
/// side already.
#[test]
fn a_capture_finds_the_organization_typed_instead_of_making_another() {
    let store = in_memory_db();
    let mission_id = store.write(Source::Demo, demo::load).expect("demo");
    let (elsewhere, ours, abroad) = store
        .write(Source::App, |tx| {
            let mut org = |name: &str, country: Option<&str>| {
                organization::create(
                    tx,
                    &OrganizationInput {
                        name: name.into(),
                        country: country.map(str::to_owned),
                        ..OrganizationInput::default()
                    },
                )
            };
            // Older than ours, of no country, not in the mission: ours wins.
            org("Astana Trade House", None)?;
            // Of another country: another ministry.
            let abroad = org("Ministry of Foreign Affairs", Some("KZ"))?;
            let elsewhere = org("Туркменская Хлопковая Биржа", None)?;
            // An import's, of no country, named as the mission's port is
            // in Latin letters: the mission's own wins.
            org("Turkmenbashi International Seaport", None)?;
            let ours = org("Astana Trade House", None)?;
            organization::set_participation(tx, mission_id, ours.id, Side::Delegation)?;
            Ok((elsewhere.id, ours.id, abroad.id))
        })
        .expect("organizations");
    let before = org_count(&store);
    let capture = |name: &str, organization: &str| {
        store
            .write(Source::App, |tx| {
                capture::save(
                    tx,
                    &CaptureInput {
                        mission_id,
                        full_name: name.into(),
                        organization_name: organization.into(),
                        ..CaptureInput::default()
                    },
                )
            })
            .expect("captured")
            .contact
            .organization_id
    };
    assert_eq!(
        capture("Мерген Атаев", "туркменская  хлопковая биржа"),
        Some(elsewhere)
    );
    assert_eq!(capture("Arman Seitkali", "ASTANA TRADE HOUSE"), Some(ours));
    // By its name in Latin letters too, as delegates type it: the demo's
    // "Туркменбашинский международный морской порт".
    let port = store
        .read(|db| {
            organization::list(
                db,
                &OrganizationFilter {
                    limit: Some(200),
                    ..Default::default()
                },
            )
        })
        .expect("organizations")
        .items
        .into_iter()
        .find(|o| o.name == "Туркменбашинский международный морской порт")
        .expect("the demo's port")
        .id;
    assert_eq!(
        capture("Aman Orazow", "turkmenbashi  international seaport"),
        Some(port)
    );
    assert_eq!(org_count(&store), before, "no second organization");
    let ministry = capture("Rashid Meredow", "ministry of foreign affairs");
    assert!(
        ministry.is_some() && ministry != Some(abroad),
        "the host country's ministry, not Kazakhstan's"
    );
    assert_eq!(org_count(&store), before + 1);
    let sides = store
        .read(|db| {
            organization::list(
                db,
                &OrganizationFilter {
                    mission_id: Some(mission_id),
                    limit: Some(200),
                    ..Default::default()
                },
            )
        })
        .expect("list")
        .items
        .into_iter()
        .filter(|o| o.id == elsewhere || o.id == ours || o.id == abroad)
        .map(|o| (o.name, o.side))
        .collect::<Vec<_>>();
    assert_eq!(
        sides,
        [
            ("Astana Trade House".to_owned(), Some(Side::Delegation)),
            ("Туркменская Хлопковая Биржа".to_owned(), Some(Side::Host)),
        ]
    );
}

/// The meeting form was opened, someone was captured at that meeting, and
/// the form's edit is saved: it sends no attendees, so the person captured
/// meanwhile stays (an edit that sent the list read at opening took them
/// off).
#[test]
fn an_edit_saved_after_a_capture_keeps_the_person_captured() {
    let (store, mission_id, opened) = demo_at_its_second_meeting();
    let captured = store
        .write(Source::App, |tx| {
            capture::save(
                tx,
                &CaptureInput {
                    mission_id,
                    meeting_id: Some(opened.id),
                    full_name: "Döwlet Annaýew".into(),
                    ..CaptureInput::default()
                },
            )
        })
        .expect("captured")
        .contact;
    let edit = MeetingInput {
        mission_id,
        kind: opened.kind,
        title: opened.title.clone(),
        starts_local: opened.starts_local.clone(),
        ends_local: opened.ends_local.clone(),
        time_zone: Some(opened.time_zone.clone()),
        place: opened.place.clone(),
        notes: opened.notes.clone(),
        outcomes: "A memorandum by Friday".into(),
        organization_ids: opened.organization_ids.clone(),
        attendees: None,
    };
    let saved = store
        .write(Source::App, |tx| meeting::update(tx, opened.id, &edit))
        .expect("saved");
    assert_eq!(saved.outcomes, "A memorandum by Friday");
    let mut kept: Vec<Id> = opened.attendees.iter().map(|a| a.contact_id).collect();
    kept.push(captured.id);
    let mut now: Vec<Id> = saved.attendees.iter().map(|a| a.contact_id).collect();
    kept.sort();
    now.sort();
    assert_eq!(now, kept, "everyone, the person captured included");

    // Given, the list replaces the attendees.
    let saved = store
        .write(Source::App, |tx| {
            meeting::update(
                tx,
                opened.id,
                &MeetingInput {
                    attendees: Some(Vec::new()),
                    ..edit
                },
            )
        })
        .expect("saved");
    assert!(saved.attendees.is_empty());
}

/// Someone of the delegation met at a meeting (a B2B session) attends on
/// the delegation's side, not the host's (they counted as a contact
/// made); someone attending already keeps their side.
#[test]
fn a_capture_puts_the_person_on_their_organizations_side_of_the_meeting() {
    let (store, mission_id, meeting) = demo_at_its_second_meeting();
    let ours = store
        .write(Source::App, |tx| {
            let o = organization::create(
                tx,
                &OrganizationInput {
                    name: "Astana Trade House".into(),
                    ..OrganizationInput::default()
                },
            )?;
            organization::set_participation(tx, mission_id, o.id, Side::Delegation)?;
            Ok(o.id)
        })
        .expect("organization");
    let side_of = |contact: Id| {
        store
            .read(|db| meeting::get(db, meeting.id))
            .expect("meeting")
            .attendees
            .iter()
            .find(|a| a.contact_id == contact)
            .map(|a| a.side)
    };
    let capture = |input: CaptureInput| {
        store
            .write(Source::App, |tx| capture::save(tx, &input))
            .expect("captured")
            .contact
            .id
    };
    let colleague = capture(CaptureInput {
        mission_id,
        meeting_id: Some(meeting.id),
        full_name: "Arman Seitkali".into(),
        organization_name: "astana trade house".into(),
        ..CaptureInput::default()
    });
    assert_eq!(colleague_org(&store, colleague), Some(ours));
    assert_eq!(side_of(colleague), Some(Side::Delegation));

    let host = capture(CaptureInput {
        mission_id,
        meeting_id: Some(meeting.id),
        full_name: "Döwlet Annaýew".into(),
        ..CaptureInput::default()
    });
    assert_eq!(side_of(host), Some(Side::Host), "no organization: a host");

    // Someone attending already, on a side no organization gives them (the
    // organiser's guide, of none), captured again for a note: they keep
    // their side (the capture put them on the host's).
    let guide = store
        .write(Source::App, |tx| {
            let guide = contact::create(tx, &contact_named("Aýna Berdiýewa"))?;
            meeting::add_attendee(tx, meeting.id, guide.id, Side::Organiser)?;
            Ok(guide.id)
        })
        .expect("guide");
    capture(CaptureInput {
        mission_id,
        meeting_id: Some(meeting.id),
        contact_id: Some(guide),
        note: "Will send the programme".into(),
        ..CaptureInput::default()
    });
    assert_eq!(side_of(guide), Some(Side::Organiser));
}

fn colleague_org(store: &Store, contact: Id) -> Option<Id> {
    store
        .read(|db| contact::get(db, contact))
        .expect("contact")
        .organization_id
}

/// A person captured with no meeting chosen, of an organization met there,
/// is one of the contacts the mission made (the report's "contacts made"
/// missed them); a colleague on the host's list never met, or met a year
/// before, is not.
#[test]
fn a_person_captured_without_a_meeting_counts_among_the_contacts_made() {
    let (store, mission_id, _) = demo_at_its_second_meeting();
    let made = |store: &Store| {
        store
            .read(|db| mission::stats(db, mission_id, "2023-10-02T09:00:00.000Z", "2023-10-02"))
            .expect("stats")
            .contacts_met
    };
    let before = made(&store);
    let captured = store
        .write(Source::App, |tx| {
            capture::save(
                tx,
                &CaptureInput {
                    mission_id,
                    full_name: "Döwlet Annaýew".into(),
                    organization_name: "Ashgabat Cotton Trading".into(),
                    ..CaptureInput::default()
                },
            )
        })
        .expect("captured");
    assert_eq!(made(&store), before + 1);
    let organization_id = captured.contact.organization_id;
    for (name, met_on) in [("Never Met", None), ("Met Last Year", Some("2022-10-03"))] {
        store
            .write(Source::Import, |tx| {
                contact::create(
                    tx,
                    &ContactInput {
                        organization_id,
                        met_on: met_on.map(str::to_owned),
                        ..contact_named(name)
                    },
                )
            })
            .expect("colleague");
    }
    assert_eq!(made(&store), before + 1);
    // Their organization put in the trash (a mistaken host): no longer.
    let organization_id = organization_id.expect("an organization");
    store
        .write(Source::App, |tx| {
            mission_crm_engine::trash::delete(tx, Entity::Organization, organization_id)
        })
        .expect("trash");
    assert_eq!(made(&store), before);
}
