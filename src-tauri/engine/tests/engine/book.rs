use mission_crm_engine::model::contact;
use mission_crm_engine::model::meeting::{self, MeetingKind};
use mission_crm_engine::model::organization::{self, OrganizationInput};
use mission_crm_engine::model::Side;
use mission_crm_engine::report::book::{self, PEOPLE_PER_ORGANIZATION};
use mission_crm_engine::report::Lang;
use mission_crm_engine::{demo, Source};

use super::{contact_named, in_memory_db, meeting_input, pdf_layout_text, pdf_text};

/// The demo mission's book: its agenda day by day at Ashgabat's times,
/// the organiser, the thirty delegation companies and the hosts with their
/// people; the same in the PDF, read back by pdftotext, in Russian.
#[test]
fn the_delegation_book_lists_the_agenda_and_each_side_with_its_people() {
    let store = in_memory_db();
    let m = store.write(Source::Demo, demo::load).expect("demo");
    let b = store.read(|db| book::build(db, m, Lang::Ru)).expect("book");
    assert_eq!(b.time_zone, "Asia/Ashgabat");
    let days: Vec<&str> = b.agenda.iter().map(|d| d.date.as_str()).collect();
    assert_eq!(days.first(), Some(&"2023-10-01"), "{days:?}");
    assert!(days.windows(2).all(|w| w[0] < w[1]), "{days:?}");
    let welcome = &b.agenda[0].entries[0];
    assert_eq!(welcome.time, "19:00–21:30", "at the mission's local time");
    assert!(welcome.own_time.is_none());
    let sides: Vec<Side> = b.sides.iter().map(|(s, _)| *s).collect();
    assert_eq!(
        sides,
        [Side::Organiser, Side::Delegation, Side::Host, Side::Partner]
    );
    assert_eq!(b.sides[1].1.len(), 30, "the delegation");
    let organiser = &b.sides[0].1[0];
    assert!(
        organiser
            .people
            .iter()
            .any(|p| p.name == "Кайырболат Сахметов" && p.position == "President"),
        "{organiser:?}"
    );

    let html = book::html(&b);
    assert!(html.contains("<h2>Программа</h2>"), "{html}");
    assert!(html.contains("Кайырболат Сахметов (Kayyrbolat Sakhmetov), President"));
    assert!(html.contains("<h2>Делегация (30)</h2>"));

    let text = pdf_text(&book::pdf(&b).expect("pdf"));
    for needle in [
        "Справочник делегации",
        "Программа",
        "19:00–21:30",
        "Делегация (30)",
        "Кайырболат Сахметов (Kayyrbolat Sakhmetov), President",
    ] {
        assert!(text.contains(needle), "{needle:?} not in the PDF:\n{text}");
    }
}

/// A host organization with more people than a book lists: the first
/// ones by name, and how many more; user text is escaped; a person in the
/// trash is not listed.
#[test]
fn a_large_organization_lists_its_first_people_and_counts_the_rest() {
    let store = in_memory_db();
    let m = store.write(Source::Demo, demo::load).expect("demo");
    let extra = PEOPLE_PER_ORGANIZATION + 5;
    store
        .write(Source::App, |tx| {
            let org = organization::create(
                tx,
                &OrganizationInput {
                    name: "Ministry <b>of</b> Trade".into(),
                    ..Default::default()
                },
            )?;
            organization::set_participation(tx, m, org.id, Side::Host)?;
            for i in 0..=extra {
                let person = contact::create(
                    tx,
                    &contact::ContactInput {
                        organization_id: Some(org.id),
                        ..contact_named(&format!("Official {i:02}"))
                    },
                )?;
                if i == 0 {
                    mission_crm_engine::trash::delete(
                        tx,
                        mission_crm_engine::Entity::Contact,
                        person.id,
                    )?;
                }
            }
            Ok(())
        })
        .expect("ministry");
    let b = store.read(|db| book::build(db, m, Lang::En)).expect("book");
    let hosts = &b
        .sides
        .iter()
        .find(|(s, _)| *s == Side::Host)
        .expect("hosts")
        .1;
    let ministry = hosts
        .iter()
        .find(|o| o.name.starts_with("Ministry"))
        .expect("listed");
    assert_eq!(ministry.people.len(), PEOPLE_PER_ORGANIZATION);
    assert_eq!(
        ministry.people[0].name, "Official 01",
        "the one in the trash left out"
    );
    assert_eq!(ministry.more, extra - PEOPLE_PER_ORGANIZATION);
    let html = book::html(&b);
    assert!(html.contains("Ministry &lt;b&gt;of&lt;/b&gt; Trade"));
    assert!(!html.contains("<b>of</b>"));
    assert!(html.contains("and 5 more in the address book"), "{html}");
}

/// A call kept in Moscow's time, late in the evening there, is in the
/// book on the day and at the hour it is in Ashgabat, its own time beside;
/// a visit over three days says the day it ends.
#[test]
fn meetings_are_at_the_missions_local_times_with_the_day_they_end() {
    let store = in_memory_db();
    let m = store.write(Source::Demo, demo::load).expect("demo");
    store
        .write(Source::App, |tx| {
            meeting::create(
                tx,
                &meeting::MeetingInput {
                    kind: MeetingKind::Call,
                    starts_local: "2023-10-02T23:30".into(),
                    ends_local: "2023-10-03T00:15".into(),
                    time_zone: Some("Europe/Moscow".into()),
                    ..meeting_input(m, "Call with Moscow")
                },
            )?;
            meeting::create(
                tx,
                &meeting::MeetingInput {
                    kind: MeetingKind::SiteVisit,
                    starts_local: "2023-10-03T09:00".into(),
                    ends_local: "2023-10-05T18:00".into(),
                    ..meeting_input(m, "Tour of the Caspian ports")
                },
            )?;
            Ok(())
        })
        .expect("meetings");
    let b = store.read(|db| book::build(db, m, Lang::En)).expect("book");
    let find = |title: &str| {
        b.agenda
            .iter()
            .find_map(|d| {
                d.entries
                    .iter()
                    .find(|e| e.title == title)
                    .map(|e| (d.date.clone(), e.clone()))
            })
            .expect(title)
    };
    let (day, call) = find("Call with Moscow");
    assert_eq!(day, "2023-10-03", "01:30 in Ashgabat");
    assert_eq!(call.time, "01:30–02:15");
    assert_eq!(call.own_time.as_deref(), Some("23:30–00:15 Europe/Moscow"));
    let (day, tour) = find("Tour of the Caspian ports");
    assert_eq!(day, "2023-10-03");
    assert_eq!(tour.time, "09:00–18:00 (Oct 5, 2023)");
    let days: Vec<&str> = b.agenda.iter().map(|d| d.date.as_str()).collect();
    assert!(
        days.windows(2).all(|w| w[0] < w[1]),
        "each day once: {days:?}"
    );
    let html = book::html(&b);
    assert!(html.contains("(23:30–00:15 Europe/Moscow)"), "{html}");
}

/// In the PDF a meeting's lines stay on one page, however many its title
/// and organizations wrap to: no page of the agenda starts with the rest
/// of a meeting (it was kept to two or three lines, and longer ones broke).
/// Agendas of a few lengths, so that page breaks fall at different lines.
#[test]
fn a_meetings_lines_stay_on_one_pdf_page() {
    for lead in 0..4 {
        agenda_pages_start_with_a_meeting(lead);
    }
}

/// An agenda of sixty long meetings after `lead` short ones, checked page
/// by page.
fn agenda_pages_start_with_a_meeting(lead: usize) {
    let store = in_memory_db();
    let m = store
        .write(Source::App, |tx| {
            let m = mission_crm_engine::model::mission::create(tx, &super::mission_input())?;
            let mut partners = Vec::new();
            for i in 0..6 {
                let o = organization::create(
                    tx,
                    &OrganizationInput {
                        name: format!("Partner organization with a long name number {i}"),
                        ..Default::default()
                    },
                )?;
                organization::set_participation(tx, m.id, o.id, Side::Host)?;
                partners.push(o.id);
            }
            for i in 0..lead {
                meeting::create(
                    tx,
                    &meeting::MeetingInput {
                        starts_local: format!("2023-10-01T07:0{i}"),
                        ends_local: format!("2023-10-01T07:0{i}"),
                        ..meeting_input(m.id, "Briefing")
                    },
                )?;
            }
            for i in 0..60 {
                let day = 1 + i / 15;
                let hour = 8 + (i % 15) / 2;
                let minute = 30 * (i % 2);
                meeting::create(
                    tx,
                    &meeting::MeetingInput {
                        starts_local: format!("2023-10-0{day}T{hour:02}:{minute:02}"),
                        ends_local: format!("2023-10-0{day}T{hour:02}:{:02}", minute + 20),
                        organization_ids: partners[..1 + i % 6].to_vec(),
                        ..meeting_input(
                            m.id,
                            &format!(
                                "Talks {i} on transit of grain, cotton and fertiliser through \
                                 the Caspian ports, with the rail operators and the customs"
                            ),
                        )
                    },
                )?;
            }
            Ok(m.id)
        })
        .expect("a busy agenda");
    let b = store.read(|db| book::build(db, m, Lang::En)).expect("book");
    // Each line as it stands: the time beside its meeting.
    let text = pdf_layout_text(&book::pdf(&b).expect("pdf"));
    let pages: Vec<&str> = text.split('\u{c}').collect();
    assert!(pages.len() > 3, "the agenda spans pages: {}", pages.len());
    let agenda_pages = pages
        .iter()
        .skip(1)
        .take_while(|p| !p.contains("Host organizations ("));
    let mut checked = 0;
    for page in agenda_pages {
        let first = page
            .lines()
            .map(str::trim)
            .find(|l| !l.is_empty())
            .unwrap_or("");
        let starts_an_entry = first.starts_with("Oct ")
            || first.get(..5).is_some_and(|t| {
                t.as_bytes()[2] == b':' && t.chars().filter(char::is_ascii_digit).count() == 4
            });
        assert!(
            starts_an_entry,
            "with {lead} before, a page starts inside a meeting: {first:?}"
        );
        checked += 1;
    }
    assert!(checked >= 2, "{checked} agenda pages checked");
}
