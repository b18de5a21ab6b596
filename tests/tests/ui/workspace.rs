//! The mission workspace: the demo, follow-ups, the agreement ladder, capture after a meeting.

use mission_crm_e2e::{cli_json, App, Driver};

use crate::{open_new_contact_form, temp_db};

#[tokio::test]
async fn an_empty_database_offers_the_demo_whose_ledger_totals_three_million_dollars() {
    let (_dir, db) = temp_db();
    let driver = Driver::start(&db).await;
    let app = driver.launch().await;
    // With no mission yet, Ctrl+N says a capture needs one (it opened a
    // form that could not be saved, and said nothing).
    app.wait_for("[data-testid=load-demo]").await;
    app.press_ctrl('n').await;
    app.wait_for_text("[data-testid=toast]", "create or choose one first")
        .await;
    assert_eq!(
        app.eval("return document.querySelector('[data-testid=capture]') === null")
            .await,
        true
    );

    app.click("[data-testid=load-demo]").await;
    app.wait_for_text("[data-testid=mission-total]", "$3,000,000.00")
        .await;
    app.wait_for_text("main", "Delegation (30)").await;
    let stats = app.text("[data-testid=mission-stats]").await;
    assert!(
        stats.starts_with("30companies in the delegation"),
        "{stats}"
    );
    assert!(stats.contains("11 / 11meetings held"), "{stats}");

    app.press(&['?']).await;
    app.wait_for_text("[data-testid=shortcuts] table", "Ctrl+N")
        .await;
    app.press(&[char::from(fantoccini::key::Key::Escape)]).await;
    app.screenshot("mission").await;

    // The outcome charts: the $3,000,000 by stage and by sector, and the
    // follow-ups by due date, drawn from the store's groups.
    app.wait_for_text("[data-testid=headline]", "30 companies")
        .await;
    let by_stage = app.text("[data-chart=stage]").await;
    assert!(by_stage.contains('$'), "amounts by stage: {by_stage}");
    let drawn = app
        .eval(
            "const bars = [...document.querySelectorAll('[data-chart=stage] .bar')];
             const widths = bars.map((b) => b.getBoundingClientRect().width / b.parentElement.getBoundingClientRect().width);
             const columns = document.querySelectorAll('[data-chart=follow-ups] li').length;
             document.querySelector('[data-testid=charts]').scrollIntoView();
             return [bars.length, Math.round(Math.max(...widths) * 100), columns]",
        )
        .await;
    let count = |i: usize| drawn[i].as_u64().unwrap_or(0);
    assert!(count(0) >= 2, "a bar per stage: {drawn}");
    assert_eq!(count(1), 100, "the largest stage fills its track: {drawn}");
    assert!(count(2) >= 1, "follow-ups by due date: {drawn}");
    app.screenshot("charts").await;

    app.click("a[data-nav=agreements]").await;
    app.wait_for_text("[data-testid=ledger-total]", "$3,000,000.00")
        .await;
    app.screenshot("agreements").await;

    // A negative amount and an unknown currency are refused, and the total stays.
    app.click("[data-testid=new-agreement]").await;
    app.fill("input[name=title]", "Cotton yarn").await;
    app.fill("input[name=amount]", "-10000").await;
    app.click("[data-testid=save]").await;
    app.wait_for_text("[data-field=amount] [role=alert]", "negative")
        .await;
    app.fill("input[name=amount]", "10000").await;
    app.fill("input[name=currency]", "ABC").await;
    app.click("[data-testid=save]").await;
    app.wait_for_text("[data-field=currency] [role=alert]", "ISO 4217")
        .await;
    app.click("a[data-nav=agreements]").await;
    app.wait_for_text("[data-testid=ledger-total]", "$3,000,000.00")
        .await;

    // A valid one in tenge at a locked rate adds its converted amount.
    app.click("[data-testid=new-agreement]").await;
    app.fill("input[name=title]", "Cotton yarn").await;
    app.fill("input[name=amount]", "5000000").await;
    app.fill("input[name=currency]", "KZT").await;
    app.fill("input[name=rate]", "0.0021").await;
    app.click("[data-testid=save]").await;
    app.wait_for_text("[data-testid=ledger-total]", "$3,010,500.00")
        .await;

    app.click("a[data-nav=meetings]").await;
    app.wait_for_text("[data-testid=agenda]", "Turkmenbashi")
        .await;
    app.screenshot("agenda").await;

    app.click("a[data-nav=settings]").await;
    let path = app.text("[data-testid=db-path]").await;
    assert_eq!(path, db.display().to_string());
    app.close().await;
}

/// Count shown on a follow-up tab, e.g. "Overdue 10" -> 10.
async fn tab_count(app: &App, view: &str) -> usize {
    let text = app
        .text(&format!("[role=tab][data-view={view}] .count"))
        .await;
    text.trim()
        .parse()
        .unwrap_or_else(|_| panic!("tab {view} count {text:?}"))
}

#[tokio::test]
async fn follow_ups_are_completed_and_rescheduled_and_an_agreement_climbs_the_ladder() {
    let (_dir, db) = temp_db();
    let driver = Driver::start(&db).await;
    let app = driver.launch().await;
    app.click("[data-testid=load-demo]").await;
    app.wait_for("[data-testid=mission-total]").await;

    // The demo's follow-ups fell due in 2023: all overdue.
    app.click("a[data-nav=follow-ups]").await;
    app.wait_for("[data-testid=follow-up-list]").await;
    let overdue = tab_count(&app, "overdue").await;
    assert!(overdue >= 2, "demo follow-ups are overdue: {overdue}");
    assert_eq!(tab_count(&app, "done").await, 0);

    app.click("[data-testid=follow-up-list] tbody tr:first-child [data-action=done]")
        .await;
    app.wait_for_text("[role=tab][data-view=done] .count", "1")
        .await;
    assert_eq!(tab_count(&app, "overdue").await, overdue - 1);

    // A row shows its date field once asked for a new date.
    assert_eq!(
        app.eval("return document.querySelectorAll('[data-testid=follow-up-list] input[type=date]').length")
            .await,
        0,
        "no date field until one is asked for"
    );
    app.click("[data-testid=follow-up-list] tbody tr:first-child [data-action=pick-due]")
        .await;
    app.set_value(
        "[data-testid=follow-up-list] tbody tr:first-child input[type=date]",
        "2099-01-15",
    )
    .await;
    app.click("[data-testid=follow-up-list] tbody tr:first-child [data-action=reschedule]")
        .await;
    app.wait_for_text("[role=tab][data-view=upcoming] .count", "1")
        .await;
    app.click("[role=tab][data-view=upcoming]").await;
    app.wait_for_text("[data-testid=follow-up-list]", "2099")
        .await;
    // Reassign it to another delegate: the CLI sees the new owner.
    let owner_select =
        "[data-testid=follow-up-list] tbody tr:first-child select[data-action=reassign]";
    // Every delegate is an option only in the select in use: the others
    // list "nobody" and their owner.
    let options = |css: &str| format!("return document.querySelectorAll('{css} option').length");
    let all_rows = "[data-testid=follow-up-list] select[data-action=reassign]";
    let rows = app
        .eval("return document.querySelectorAll('[data-testid=follow-up-list] tbody tr').length")
        .await;
    assert!(
        app.eval(&options(all_rows)).await.as_u64() <= rows.as_u64().map(|r| r * 2),
        "at most two options a row before one is used"
    );
    app.select_index(owner_select, 3).await;
    assert!(
        app.eval(&options(owner_select)).await.as_u64() > Some(3),
        "the select in use lists every delegate"
    );
    let chosen = app
        .text(&format!("{owner_select} option:nth-child(4)"))
        .await;
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    loop {
        let follow_ups = cli_json(&db, &["list", "follow-ups"]);
        let owner = follow_ups
            .as_array()
            .and_then(|all| all.iter().find(|f| f["due_on"] == "2099-01-15"))
            .map(|f| f["owner_name"].clone());
        if owner == Some(chosen.clone().into()) {
            break;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "owner {owner:?}, chose {chosen:?}"
        );
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    }
    app.screenshot("follow-ups").await;
    // Arrowing through the owners is one change, saved once the select is
    // left: each arrow was a write and an undo step, so Ctrl+Z went back
    // one name, not to the owner before.
    let owner_of_it = || {
        cli_json(&db, &["list", "follow-ups"])
            .as_array()
            .and_then(|all| all.iter().find(|f| f["due_on"] == "2099-01-15"))
            .map(|f| f["owner_name"].clone())
    };
    let down = char::from(fantoccini::key::Key::Down).to_string();
    app.type_text(owner_select, &down.repeat(3)).await;
    let arrowed = app
        .text(&format!("{owner_select} option:nth-child(7)"))
        .await;
    app.click("[role=tab][data-view=upcoming]").await;
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    while owner_of_it() != Some(arrowed.clone().into()) {
        assert!(
            std::time::Instant::now() < deadline,
            "owner {:?}, arrowed to {arrowed:?}",
            owner_of_it()
        );
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    }
    app.press_ctrl('z').await;
    app.wait_for_text("[data-testid=toast]", "Took back").await;
    assert_eq!(
        owner_of_it(),
        Some(chosen.clone().into()),
        "one Ctrl+Z goes back to the owner before the arrows"
    );

    // Tenge at 0.0021: US $315,000.00 moves from preliminary to signed.
    app.click("a[data-nav=agreements]").await;
    let card = "[data-stage=preliminary_contract] [data-agreement='Transshipment of Kazakhstani cargo via Turkmenbashi port']";
    app.click(&format!("{card} [data-action=advance]")).await;
    app.wait_for_text(
        "[data-stage=signed_contract] [data-testid=stage-total]",
        "$315,000.00",
    )
    .await;
    app.wait_for_text(
        "[data-stage=preliminary_contract] [data-testid=stage-total]",
        "$2,685,000.00",
    )
    .await;
    app.wait_for_text("[data-testid=ledger-total]", "$3,000,000.00")
        .await;
    app.screenshot("agreement-board").await;

    // The agreement's own page shows the move on its timeline.
    app.click(&format!(
        "{} a",
        card.replace("preliminary_contract", "signed_contract")
    ))
    .await;
    app.wait_for_text("[data-testid=agreement-view]", "$315,000.00")
        .await;
    app.wait_for_text("[data-testid=timeline]", "Changed: Stage")
        .await;
    app.click("a[data-nav=agreements]").await;

    // The CLI, on the same file while the app is open, sees the same totals.
    let ledger = cli_json(&db, &["list", "agreements"]);
    let stage = |name: &str| {
        ledger["by_stage"]
            .as_array()
            .and_then(|s| s.iter().find(|t| t["stage"] == name))
            .map(|t| t["base_amount_minor"].clone())
    };
    assert_eq!(stage("signed_contract"), Some(31_500_000.into()));
    assert_eq!(stage("preliminary_contract"), Some(268_500_000.into()));
    assert_eq!(ledger["totals"][0]["base_amount_minor"], 300_000_000);

    // Ctrl+Z takes the stage move back: the $315,000 returns to preliminary.
    app.wait_for(&card.replace("preliminary_contract", "signed_contract"))
        .await;
    app.press_ctrl('z').await;
    app.wait_for_text("[data-testid=toast]", "Took back the change")
        .await;
    app.wait_for_text(
        "[data-stage=preliminary_contract] [data-testid=stage-total]",
        "$3,000,000.00",
    )
    .await;
    app.close().await;
}

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

    // The person joined the meeting's attendees: the CLI shows it.
    let meetings = cli_json(&db, &["list", "meetings"]);
    let joined = meetings
        .as_array()
        .expect("meetings")
        .iter()
        .filter(|m| m["attendees"].as_array().is_some_and(|a| !a.is_empty()))
        .count();
    assert!(joined >= 1);
    let contacts = cli_json(&db, &["list", "contacts"]);
    assert!(contacts
        .as_array()
        .expect("contacts")
        .iter()
        .any(|c| c["full_name"] == "Döwlet Annaýew"));
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
    app.close().await;
}

/// The first screen's data comes with the page (the app's init script runs
/// in the real web view under the strict CSP), and the page cannot replace it.
#[tokio::test]
async fn the_first_screen_comes_with_the_page() {
    let (_dir, db) = temp_db();
    cli_json(&db, &["demo"]);
    let driver = Driver::start(&db).await;
    let app = driver.launch().await;
    app.wait_for_text("[data-testid=mission-list]", "Turkmenistan")
        .await;
    let start = app
        .eval(
            "const s = window.__MISSION_CRM_START__;
             try { window.__MISSION_CRM_START__ = null } catch (e) {}
             return s === window.__MISSION_CRM_START__
               ? [s.info.empty, s.missions.length, s.missions[0].name]
               : 'replaced'",
        )
        .await;
    assert_eq!(
        start,
        serde_json::json!([false, 1, "Business mission of Kazakhstan to Turkmenistan"]),
        "{start}"
    );
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
    // The demo's overdue follow-ups are announced 3 s after start, in the
    // toast the capture reports in: let that come first.
    app.wait_for_text("[data-testid=toast]", "follow-ups are due")
        .await;
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
