//! The mission workspace: the demo, follow-ups, the agreement ladder, the first screen.

use mission_crm_e2e::{cli_json, App, Driver};

use crate::temp_db;

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
    // Leaving the refused form, still holding what was typed, is asked.
    app.click("[data-testid=leave-dialog] [data-testid=leave]")
        .await;
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

    // Corrected: twice the tenge, converted again at its rate.
    app.click_link("Cotton yarn").await;
    app.click("[data-testid=edit]").await;
    assert_eq!(app.value("input[name=amount]").await, "5000000.00");
    app.fill("input[name=amount]", "10000000").await;
    app.click("[data-testid=save]").await;
    app.wait_for_text("[data-testid=agreement-view]", "$21,000.00")
        .await;
    app.click("a[data-nav=agreements]").await;
    app.wait_for_text("[data-testid=ledger-total]", "$3,021,000.00")
        .await;

    app.click("a[data-nav=meetings]").await;
    app.wait_for_text("[data-testid=agenda]", "Turkmenbashi")
        .await;
    app.screenshot("agenda").await;

    app.click("a[data-nav=settings]").await;
    let path = app.text("[data-testid=db-path]").await;
    assert_eq!(path, db.display().to_string());

    // The demo put away: to the trash, the window back to its welcome;
    // Ctrl+Z brings it back whole.
    app.click("a[data-nav=missions]").await;
    app.click_link("Business mission of Kazakhstan to Turkmenistan")
        .await;
    app.click("[data-testid=delete]").await;
    app.wait_for_text("[data-testid=toast]", "moved to the trash")
        .await;
    app.wait_for("[data-testid=load-demo]").await;
    app.press_ctrl('z').await;
    app.wait_for_text("main", "Business mission of Kazakhstan to Turkmenistan")
        .await;
    // The notice line says so, unless the mission's follow-ups, back with
    // it and due, are announced again first over it (the two come within
    // moments of each other, in either order): either says the mission and
    // its follow-ups are live again.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    loop {
        let said = app.text("[data-testid=toast]").await;
        if said.contains("back from the trash") || said.contains("follow-ups are due") {
            break;
        }
        assert!(std::time::Instant::now() < deadline, "the notice: {said}");
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
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
    // The focus went on to the next follow-up's Mark done (it fell to the
    // page): a queue is worked through from the keyboard.
    app.wait_for_focus("[data-testid=follow-up-list] [data-action=done]")
        .await;

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
    // The button clicked is gone with the card's old place: the focus
    // follows the card to the same action in its new column.
    app.wait_for_focus(&format!(
        "{} [data-action=advance]",
        card.replace("preliminary_contract", "signed_contract")
    ))
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
