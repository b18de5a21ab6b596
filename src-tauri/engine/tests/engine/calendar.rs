//! The calendar (iCalendar): read back by an independent parser, each
//! meeting in its own time zone; what is in the trash left out.

use mission_crm_engine::export::ExportFormat;
use mission_crm_engine::model::follow_up;
use mission_crm_engine::{demo, trash, Entity, Source};

use super::export::{busy_store, export_bytes};
use super::in_memory_db;

#[test]
fn the_calendar_is_read_back_by_an_independent_parser() {
    let (store, mission) = busy_store();
    // One follow-up done, one cancelled.
    let filter = follow_up::FollowUpFilter {
        mission_id: Some(mission),
        status: None,
    };
    let all = store
        .read(|db| follow_up::list(db, &filter))
        .expect("follow-ups");
    assert!(all.len() >= 3, "{}", all.len());
    store
        .write(Source::App, |tx| {
            follow_up::set_status(tx, all[0].id, follow_up::FollowUpStatus::Done)?;
            follow_up::set_status(tx, all[1].id, follow_up::FollowUpStatus::Cancelled)
        })
        .expect("statuses");
    let bytes = export_bytes(&store, ExportFormat::Ics, None, Some(mission));
    let text = String::from_utf8(bytes.clone()).expect("utf-8");
    assert!(
        text.lines().all(|l| l.len() <= 76),
        "folded at 75 octets + CR"
    );
    let calendar = ical::IcalParser::new(std::io::BufReader::new(&bytes[..]))
        .next()
        .expect("a calendar")
        .expect("parsed");
    let meetings = store
        .read(|db| mission_crm_engine::model::meeting::list(db, mission))
        .expect("meetings");
    let property = |e: &ical::parser::ical::component::IcalEvent, name: &str| {
        e.properties
            .iter()
            .find(|p| p.name == name)
            .cloned()
            .unwrap_or_else(|| panic!("no {name}"))
    };
    let value = |e: &ical::parser::ical::component::IcalEvent, name: &str| {
        e.properties
            .iter()
            .find(|p| p.name == name)
            .and_then(|p| p.value.clone())
    };
    let (follow_ups, events): (Vec<_>, Vec<_>) = calendar
        .events
        .iter()
        .partition(|e| value(e, "CATEGORIES").as_deref() == Some("FOLLOW-UP"));
    assert_eq!(events.len(), meetings.len());
    assert!(!meetings.is_empty());
    let zone = &calendar.timezones[0];
    let tzid = zone
        .properties
        .iter()
        .find(|p| p.name == "TZID")
        .and_then(|p| p.value.clone());
    assert_eq!(tzid.as_deref(), Some("Asia/Ashgabat"));
    let offset = zone.transitions[0]
        .properties
        .iter()
        .find(|p| p.name == "TZOFFSETTO")
        .and_then(|p| p.value.clone());
    assert_eq!(offset.as_deref(), Some("+0500"));
    for (event, m) in events.iter().zip(&meetings) {
        let start = property(event, "DTSTART");
        let params = start.params.clone().unwrap_or_default();
        assert!(params.contains(&("TZID".to_owned(), vec!["Asia/Ashgabat".to_owned()])));
        // The wall-clock time in Ashgabat, which is the stored UTC + 5 h.
        let local = (m.starts_at + chrono::Duration::hours(5))
            .format("%Y%m%dT%H%M%S")
            .to_string();
        assert_eq!(start.value.as_deref(), Some(local.as_str()), "{}", m.title);
        let summary = value(event, "SUMMARY").expect("summary");
        assert_eq!(summary.replace("\\,", ","), m.title);
    }
    // Follow-ups are all-day events on their due dates, in every calendar
    // (as VTODOs they were in none of Google's, Outlook's or Apple's).
    assert!(calendar.todos.is_empty());
    let due = store
        .read(|db| follow_up::list(db, &filter))
        .expect("follow-ups");
    let listed: Vec<_> = due
        .iter()
        .filter(|f| f.status != follow_up::FollowUpStatus::Cancelled)
        .collect();
    assert_eq!(listed.len(), due.len() - 1, "the cancelled one left out");
    assert_eq!(follow_ups.len(), listed.len());
    for f in listed {
        let event = follow_ups
            .iter()
            .find(|e| value(e, "UID") == Some(format!("{}-due@mission-crm", f.id)))
            .expect("its event");
        let start = property(event, "DTSTART");
        let params = start.params.clone().unwrap_or_default();
        assert!(params.contains(&("VALUE".to_owned(), vec!["DATE".to_owned()])));
        assert_eq!(
            start.value.as_deref(),
            Some(f.due_on.format("%Y%m%d").to_string().as_str())
        );
        let done = f.status == follow_up::FollowUpStatus::Done;
        let summary = value(event, "SUMMARY").expect("summary");
        assert_eq!(summary.starts_with("✓ "), done, "{summary}");
    }
    assert!(follow_ups
        .iter()
        .any(|e| value(e, "SUMMARY").is_some_and(|s| s.starts_with("✓ "))));
}

/// The calendar of everything leaves out a mission in the trash, its
/// follow-ups as well as its meetings (they are out of every list); and a
/// meeting of no length has no end (RFC 5545: DTEND after DTSTART, or none).
#[test]
fn the_calendar_leaves_out_a_trashed_mission_and_a_meeting_of_no_length_has_no_end() {
    let store = in_memory_db();
    let demo = store.write(Source::Demo, demo::load).expect("demo");
    store
        .write(Source::App, |tx| {
            let input = mission_crm_engine::model::mission::MissionInput {
                name: "Return visit".into(),
                host_country: "KZ".into(),
                start_date: "2024-05-10".into(),
                end_date: "2024-05-17".into(),
                time_zone: "Asia/Almaty".into(),
                base_currency: "USD".into(),
                ..Default::default()
            };
            let m = mission_crm_engine::model::mission::create(tx, &input)?;
            let call = super::MeetingInput {
                starts_local: "2024-05-10T10:00".into(),
                ends_local: "2024-05-10T10:00".into(),
                ..super::meeting_input(m.id, "Call with the ministry")
            };
            mission_crm_engine::model::meeting::create(tx, &call)?;
            Ok(())
        })
        .expect("a second mission");
    store
        .write(Source::App, |tx| trash::delete(tx, Entity::Mission, demo))
        .expect("the demo in the trash");
    let text =
        String::from_utf8(export_bytes(&store, ExportFormat::Ics, None, None)).expect("utf-8");
    assert_eq!(text.matches("BEGIN:VEVENT").count(), 1, "{text}");
    assert!(!text.contains("FOLLOW-UP"), "the demo's follow-ups: {text}");
    assert!(
        text.contains("DTSTART;TZID=Asia/Almaty:20240510T100000"),
        "{text}"
    );
    assert!(!text.contains("DTEND"), "no length, no end: {text}");
}
