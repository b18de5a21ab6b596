//! Quick capture after a meeting (Ctrl+N and "Capture here"), and the
//! agenda it captures from.

use mission_crm_e2e::{cli_json, Driver};

use crate::{after_demo_reminders, open_new_contact_form, temp_db};

#[tokio::test]
async fn ctrl_n_captures_a_person_a_note_and_a_follow_up_from_a_meeting() {
    let (_dir, db) = temp_db();
    let driver = Driver::start(&db).await;
    let app = driver.launch().await;
    app.click("[data-testid=load-demo]").await;
    app.wait_for("[data-testid=mission-total]").await;

    app.press_ctrl('n').await;
    app.wait_for("[data-testid=capture] input[name=full_name]")
        .await;
    // The mission's meetings are options only once the select is used:
    // when the dialog has them (its mark), the select still lists one.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    while app
        .eval("return performance.getEntriesByName('capture-painted').length")
        .await
        != 1
    {
        assert!(std::time::Instant::now() < deadline, "the meetings load");
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    let options = "return document.querySelectorAll('[data-testid=capture] select[name=meeting_id] option').length";
    assert_eq!(app.eval(options).await, 1, "no meeting chosen: one option");
    app.select_index("[data-testid=capture] select[name=meeting_id]", 2)
        .await;
    assert!(
        app.eval(options).await.as_u64() > Some(5),
        "the select in use lists the demo's meetings"
    );
    app.fill(
        "[data-testid=capture] input[name=full_name]",
        "Döwlet Annaýew",
    )
    .await;
    app.fill(
        "[data-testid=capture] input[name=organization]",
        "Ashgabat Cotton Trading",
    )
    .await;
    app.fill(
        "[data-testid=capture] input[name=phone]",
        "+993 65 12 34 56",
    )
    .await;
    app.fill(
        "[data-testid=capture] textarea[name=note]",
        "Wants 20 containers of yarn a month via Turkmenbashi.",
    )
    .await;
    let follow_up = "[data-testid=capture] input[name=follow_up]";
    app.fill(follow_up, "Send the price list").await;
    app.screenshot("capture").await;
    let meeting = app
        .value("[data-testid=capture] select[name=meeting_id]")
        .await;
    assert!(!meeting.is_empty(), "a meeting chosen");
    let enter = char::from(fantoccini::key::Key::Enter).to_string();
    let input = app.wait_for(follow_up).await;
    input.send_keys(&enter).await.expect("Enter saves");

    let view = app
        .wait_for_text("[data-testid=contact-view]", "+99365123456")
        .await;
    assert!(view.contains("Ashgabat Cotton Trading"), "{view}");
    app.wait_for_text("[data-testid=contact-notes]", "20 containers of yarn")
        .await;
    app.wait_for_text("[data-testid=toast]", "Saved").await;

    app.click("a[data-nav=follow-ups]").await;
    app.wait_for_text("[role=tab][data-view=upcoming] .count", "1")
        .await;
    app.click("[role=tab][data-view=upcoming]").await;
    app.wait_for_text("[data-testid=follow-up-list]", "Send the price list")
        .await;

    // The person joined the chosen meeting's attendees: the CLI shows it.
    let contacts = cli_json(&db, &["list", "contacts"]);
    let person = contacts
        .as_array()
        .expect("contacts")
        .iter()
        .find(|c| c["full_name"] == "Döwlet Annaýew")
        .expect("the person captured")["id"]
        .clone();
    let meetings = cli_json(&db, &["list", "meetings"]);
    let chosen = meetings
        .as_array()
        .expect("meetings")
        .iter()
        .find(|m| m["id"] == meeting.as_str())
        .expect("the meeting chosen");
    assert!(
        chosen["attendees"]
            .as_array()
            .expect("attendees")
            .iter()
            .any(|a| a["contact_id"] == person),
        "{chosen}"
    );
    app.close().await;
}

#[tokio::test]
async fn a_meeting_is_planned_in_the_form_and_people_are_captured_from_it() {
    let (_dir, db) = temp_db();
    let driver = Driver::start(&db).await;
    let app = driver.launch().await;
    app.click("[data-testid=load-demo]").await;
    app.wait_for("[data-testid=mission-total]").await;

    app.click("a[data-nav=meetings]").await;
    app.click("[data-testid=new-meeting]").await;
    app.fill("input[name=title]", "Dinner with the Ahal textile mills")
        .await;
    app.set_value("input[name=starts_local]", "2023-10-04T19:00")
        .await;
    app.set_value("input[name=ends_local]", "2023-10-04T18:00")
        .await;
    app.click("[data-testid=save]").await;
    app.wait_for_text("[data-field=ends_local] [role=alert]", "before")
        .await;
    app.set_value("input[name=ends_local]", "2023-10-04T21:00")
        .await;
    app.click("fieldset input[type=checkbox]").await;
    app.click("[data-testid=save]").await;
    let view = app
        .wait_for_text("main", "19:00–21:00 (Asia/Ashgabat)")
        .await;
    assert!(
        view.contains("Dinner with the Ahal textile mills"),
        "{view}"
    );

    app.click("[data-testid=capture-here]").await;
    app.fill(
        "[data-testid=capture] input[name=full_name]",
        "Jeren Orazowa",
    )
    .await;
    app.click("[data-testid=capture-save]").await;
    app.wait_for_text("main h1", "Jeren Orazowa").await;

    app.click("a[data-nav=meetings]").await;
    app.wait_for_text("[data-testid=agenda]", "Dinner with the Ahal textile mills")
        .await;
    app.client
        .find(fantoccini::Locator::LinkText(
            "Dinner with the Ahal textile mills",
        ))
        .await
        .expect("the meeting in the agenda")
        .click()
        .await
        .expect("open it");
    app.wait_for_text("[data-testid=meeting-view]", "Jeren Orazowa")
        .await;
    app.screenshot("meeting").await;

    // Someone captured at the meeting while its form is open stays on it
    // when the form is saved (the form sent the attendees it had loaded,
    // and the save took the new one off).
    app.click("[data-testid=edit]").await;
    app.wait_for("[data-testid=meeting-form]").await;
    assert_eq!(
        app.value("input[name=title]").await,
        "Dinner with the Ahal textile mills"
    );
    app.press_ctrl('n').await;
    let meeting_select = "[data-testid=capture] select[name=meeting_id]";
    app.wait_for(meeting_select).await;
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    let index = loop {
        let found = app
            .eval(&format!(
                "const s = document.querySelector('{meeting_select}');
                 s.focus();
                 return [...s.options].findIndex((o) => o.text.includes('Dinner with the Ahal'))"
            ))
            .await
            .as_i64()
            .unwrap_or(-1);
        if found >= 0 {
            break u32::try_from(found).expect("index");
        }
        assert!(
            std::time::Instant::now() < deadline,
            "the meeting among the capture's"
        );
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    };
    app.select_index(meeting_select, index).await;
    app.fill(
        "[data-testid=capture] input[name=full_name]",
        "Aman Berdiyew",
    )
    .await;
    app.click("[data-testid=capture-save]").await;
    app.wait_for_text("[data-testid=toast]", "Aman Berdiyew")
        .await;
    app.click("[data-testid=save]").await;
    let attendees = app
        .wait_for_text("[data-testid=meeting-view]", "Aman Berdiyew")
        .await;
    assert!(attendees.contains("Jeren Orazowa"), "{attendees}");
    app.close().await;
}

/// A capture saved over a half-filled form leaves the form as it was (it
/// went to the person captured, and the form's text was lost), and "Capture
/// here" on a meeting of a mission other than the current one files the
/// person, note and follow-up under that meeting's mission.
#[tokio::test]
async fn a_capture_keeps_the_form_under_it_and_files_under_the_meetings_mission() {
    let (_dir, db) = temp_db();
    cli_json(&db, &["demo"]);
    let other = cli_json(
        &db,
        &[
            "add",
            "mission",
            "--name",
            "Trade mission to China",
            "--host-country",
            "CN",
            "--start",
            "2024-04-15",
            "--end",
            "2024-04-19",
            "--time-zone",
            "Asia/Shanghai",
            "--base-currency",
            "USD",
        ],
    );
    let other_id = other["id"].as_str().expect("mission id").to_owned();
    let meeting = cli_json(
        &db,
        &[
            "add",
            "meeting",
            "--mission",
            &other_id,
            "--title",
            "Canton fair talks",
            "--starts",
            "2024-04-16T10:00",
            "--ends",
            "2024-04-16T11:00",
        ],
    );
    let meeting_id = meeting["id"].as_str().expect("meeting id").to_owned();
    let driver = Driver::start(&db).await;
    let app = driver.launch().await;
    after_demo_reminders(&app).await;
    let demo = app
        .eval(
            "const s = document.querySelector('[data-testid=current-mission]');
             return [...s.options].findIndex((o) => o.text.startsWith('Business mission'))",
        )
        .await;
    app.select_index(
        "[data-testid=current-mission]",
        u32::try_from(demo.as_u64().expect("the demo mission")).expect("index"),
    )
    .await;

    open_new_contact_form(&app).await;
    app.fill("input[name=full_name]", "Half-typed person").await;
    app.press_ctrl('n').await;
    app.fill(
        "[data-testid=capture] input[name=full_name]",
        "Jeren Orazowa",
    )
    .await;
    app.click("[data-testid=capture-save]").await;
    app.wait_for_text("[data-testid=toast]", "Jeren Orazowa")
        .await;
    assert_eq!(
        app.value("[data-testid=contact-form] input[name=full_name]")
            .await,
        "Half-typed person",
        "the form under the dialog is as it was"
    );
    // And the typing goes on where it was (the focus fell to the page).
    app.wait_for_focus("[data-testid=contact-form] input[name=full_name]")
        .await;

    app.eval(&format!(
        "location.hash = '#/meetings/{meeting_id}'; return null"
    ))
    .await;
    app.wait_for_text("main h1", "Canton fair talks").await;
    app.click("[data-testid=capture-here]").await;
    app.wait_for_text("[data-testid=capture-mission]", "Trade mission to China")
        .await;
    app.fill("[data-testid=capture] input[name=full_name]", "Li Wei")
        .await;
    app.fill(
        "[data-testid=capture] input[name=follow_up]",
        "Send the catalogue",
    )
    .await;
    app.click("[data-testid=capture-save]").await;
    app.wait_for_text("main h1", "Li Wei").await;
    let follow_ups = cli_json(&db, &["list", "follow-ups", "--mission", &other_id]);
    assert!(
        follow_ups
            .as_array()
            .expect("follow-ups")
            .iter()
            .any(|f| f["title"] == "Send the catalogue"),
        "the follow-up is the meeting's mission's: {follow_ups}"
    );
    app.close().await;
}

/// The agenda says its times are in the mission's zone; a meeting kept in
/// another zone, whose times are its own, names its zone.
#[tokio::test]
async fn a_meeting_in_another_zone_names_it_in_the_agenda() {
    let (_dir, db) = temp_db();
    cli_json(&db, &["demo"]);
    let missions = cli_json(&db, &["list", "missions"]);
    let mission = missions[0]["id"].as_str().expect("mission").to_owned();
    cli_json(
        &db,
        &[
            "add",
            "meeting",
            "--mission",
            &mission,
            "--title",
            "Call with Almaty",
            "--starts",
            "2023-10-02T16:00",
            "--ends",
            "2023-10-02T16:30",
            "--time-zone",
            "Asia/Almaty",
        ],
    );
    let driver = Driver::start(&db).await;
    let app = driver.launch().await;
    app.click("a[data-nav=meetings]").await;
    app.wait_for_text("[data-testid=agenda]", "Call with Almaty")
        .await;
    let zones = app
        .eval("return [...document.querySelectorAll('[data-testid=meeting-zone]')].map((z) => z.textContent)")
        .await;
    assert_eq!(
        zones,
        serde_json::json!(["· Asia/Almaty"]),
        "only it names a zone"
    );
    app.close().await;
}

/// Half a capture typed, then a reflex Esc: the next Ctrl+N has it back,
/// saying so, with a Clear (it was gone for good). A capture closed with
/// nothing typed leaves nothing behind.
#[tokio::test]
async fn a_capture_closed_unsaved_comes_back_with_the_next_ctrl_n() {
    let (_dir, db) = temp_db();
    cli_json(&db, &["demo"]);
    let driver = Driver::start(&db).await;
    let app = driver.launch().await;
    after_demo_reminders(&app).await;
    let name = "[data-testid=capture] input[name=full_name]";
    let escape = char::from(fantoccini::key::Key::Escape);

    app.press_ctrl('n').await;
    app.fill(name, "Döwlet Annaýew").await;
    app.fill(
        "[data-testid=capture] textarea[name=note]",
        "Wants 20 containers a month",
    )
    .await;
    app.press(&[escape]).await;
    app.wait_gone("[data-testid=capture]").await;

    app.press_ctrl('n').await;
    app.wait_for("[data-testid=capture-restored]").await;
    assert_eq!(app.value(name).await, "Döwlet Annaýew");
    app.click("[data-testid=capture-clear]").await;
    assert_eq!(app.value(name).await, "");
    app.press(&[escape]).await;
    app.wait_gone("[data-testid=capture]").await;

    app.press_ctrl('n').await;
    app.wait_for(name).await;
    assert_eq!(
        app.eval("return document.querySelector('[data-testid=capture-restored]') === null")
            .await,
        true,
        "nothing to bring back"
    );

    // An organization typed by its name in Latin letters, as delegates
    // type it, is the one the book has (a second was made).
    app.fill(name, "Aman Orazow").await;
    app.fill(
        "[data-testid=capture] input[name=organization]",
        "turkmenbashi international seaport",
    )
    .await;
    app.click("[data-testid=capture-save]").await;
    app.wait_for_text(
        "[data-testid=contact-view]",
        "Туркменбашинский международный морской порт",
    )
    .await;
    let ports = cli_json(&db, &["list", "organizations"])
        .as_array()
        .expect("organizations")
        .iter()
        .filter(|o| {
            o["name_latin"] == "Turkmenbashi International Seaport"
                || o["name"]
                    .as_str()
                    .is_some_and(|n| n.to_lowercase().contains("turkmenbashi"))
        })
        .count();
    assert_eq!(ports, 1, "no second port");
    app.close().await;
}

/// A meeting linked (from the command line) to an organization not in the
/// mission: its page and form show it, and an edit that ticks another
/// organization keeps it (a box not shown was not sent, and went).
#[tokio::test]
async fn a_meeting_keeps_an_organization_from_outside_the_mission_through_an_edit() {
    let (_dir, db) = temp_db();
    cli_json(&db, &["demo"]);
    let mission = cli_json(&db, &["list", "missions"])[0]["id"]
        .as_str()
        .expect("demo mission")
        .to_owned();
    let outside = cli_json(
        &db,
        &["add", "organization", "--name", "Caspian Shipping Agency"],
    )["id"]
        .as_str()
        .expect("organization")
        .to_owned();
    let meeting = cli_json(
        &db,
        &[
            "add",
            "meeting",
            "--mission",
            &mission,
            "--title",
            "Freight rates with the agency",
            "--starts",
            "2023-10-04T15:00",
            "--ends",
            "2023-10-04T16:00",
            "--organization",
            &outside,
        ],
    )["id"]
        .as_str()
        .expect("meeting")
        .to_owned();
    let driver = Driver::start(&db).await;
    let app = driver.launch().await;
    after_demo_reminders(&app).await;
    app.click("a[data-nav=meetings]").await;
    app.click_link("Freight rates with the agency").await;
    app.wait_for_text("[data-testid=meeting-view]", "Caspian Shipping Agency")
        .await;

    app.click("[data-testid=edit]").await;
    app.wait_for_text(
        "[data-testid=meeting-form] fieldset",
        "Caspian Shipping Agency",
    )
    .await;
    // Another box ticked: one of the mission's, not yet linked.
    app.eval(
        "const box = [...document.querySelectorAll('fieldset input[type=checkbox]')].find((b) => !b.checked);
         box.click();
         return true",
    )
    .await;
    app.click("[data-testid=save]").await;
    app.wait_for("[data-testid=meeting-view]").await;
    let saved = cli_json(&db, &["show", "meeting", &meeting]);
    let linked = saved["organization_ids"].as_array().expect("links");
    assert_eq!(linked.len(), 2, "{saved}");
    assert!(linked.iter().any(|o| o == outside.as_str()), "{saved}");
    app.close().await;
}
