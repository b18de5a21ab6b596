//! User flows in the real window: what a person clicks and types, and what
//! they then see.

use mission_crm_e2e::{cli_json, App, Driver};

fn temp_db() -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = tempfile::tempdir().expect("temp dir");
    let db = dir.path().join("e2e.db");
    (dir, db)
}

async fn open_new_contact_form(app: &App) {
    app.click("a[data-nav=contacts]").await;
    app.click("[data-testid=new-contact]").await;
    app.wait_for("[data-testid=contact-form]").await;
}

#[tokio::test]
async fn a_contact_created_in_the_form_is_there_after_a_restart() {
    let (_dir, db) = temp_db();
    let driver = Driver::start(&db).await;

    let app = driver.launch().await;
    open_new_contact_form(&app).await;
    app.fill("input[name=full_name]", "Айгерім Сұлтанова").await;
    app.fill("input[name=full_name_latin]", "Aigerim Sultanova")
        .await;
    app.fill("input[name=email]", "a.sultanova@kaspiy-tranzit.kz")
        .await;
    app.fill("input[name=phone]", "+7 701 555 12 34").await;
    app.click("[data-testid=save]").await;
    let view = app
        .wait_for_text("[data-testid=contact-view]", "+77015551234")
        .await;
    assert!(view.contains("a.sultanova@kaspiy-tranzit.kz"), "{view}");
    app.screenshot("contact").await;
    app.close().await;

    let app = driver.launch().await;
    app.click("a[data-nav=contacts]").await;
    app.wait_for_text("[data-testid=contact-list]", "Айгерім Сұлтанова")
        .await;
    app.click("[data-testid=contact-list] a").await;
    app.wait_for_text("[data-testid=contact-view]", "+77015551234")
        .await;

    // An edit shows on the contact's timeline, above its creation.
    app.click("[data-testid=edit]").await;
    app.fill("input[name=position]", "Head of Logistics").await;
    app.click("[data-testid=save]").await;
    app.wait_for_text("[data-testid=contact-view]", "Head of Logistics")
        .await;
    let timeline = app
        .wait_for_text("[data-testid=timeline]", "Changed: Position")
        .await;
    assert!(
        timeline.find("Changed: Position") < timeline.find("Created"),
        "newest first: {timeline}"
    );
    app.screenshot("timeline").await;
    app.close().await;
}

#[tokio::test]
async fn bad_input_in_forms_shows_the_reason_and_saves_nothing() {
    let (_dir, db) = temp_db();
    let driver = Driver::start(&db).await;
    let app = driver.launch().await;

    open_new_contact_form(&app).await;
    app.click("[data-testid=save]").await;
    let error = app.text("[data-field=full_name] [role=alert]").await;
    assert!(error.contains("required"), "empty name: {error}");

    app.fill("input[name=full_name]", "Мерген Атаев").await;
    app.fill("input[name=email]", "atayev@").await;
    app.click("[data-testid=save]").await;
    let error = app
        .wait_for_text("[data-field=email] [role=alert]", "e-mail")
        .await;
    assert!(error.contains("atayev@"), "names the bad value: {error}");
    app.screenshot("contact-form-error").await;

    app.click("a[data-nav=missions]").await;
    app.click("[data-testid=create-mission]").await; // an empty database welcomes first
    app.fill("input[name=name]", "Return visit").await;
    app.fill("input[name=host_country]", "KZ").await;
    app.set_value("input[name=start_date]", "2024-05-10").await;
    app.set_value("input[name=end_date]", "2024-05-01").await;
    app.fill("input[name=time_zone]", "Asia/Almaty").await;
    app.fill("input[name=base_currency]", "ZZZ").await;
    app.click("[data-testid=save]").await;
    app.wait_for_text("[data-field=end_date] [role=alert]", "before")
        .await;
    app.set_value("input[name=end_date]", "2024-05-17").await;
    app.click("[data-testid=save]").await;
    app.wait_for_text("[data-field=base_currency] [role=alert]", "ISO 4217")
        .await;

    // Nothing was written: the contact list is still empty, no mission exists.
    app.click("a[data-nav=contacts]").await;
    app.wait_for_text("main", "No contacts yet").await;
    app.click("a[data-nav=missions]").await;
    app.wait_for("[data-testid=load-demo]").await;
    app.close().await;
}

#[tokio::test]
async fn an_empty_database_offers_the_demo_whose_ledger_totals_three_million_dollars() {
    let (_dir, db) = temp_db();
    let driver = Driver::start(&db).await;
    let app = driver.launch().await;

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
    app.select_index(owner_select, 3).await;
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

/// Opens a contact from the list by its name and waits for its organization.
async fn open_contact(app: &App, name: &str) {
    app.click("a[data-nav=contacts]").await;
    app.wait_for_text("[data-testid=contact-list]", name).await;
    app.click_link(name).await;
    app.wait_for_text("[data-testid=contact-view]", "Diplomatic Club")
        .await;
}

#[tokio::test]
async fn a_deleted_contact_comes_back_with_ctrl_z_and_from_the_trash_with_its_organization() {
    let (_dir, db) = temp_db();
    let driver = Driver::start(&db).await;
    let app = driver.launch().await;
    app.click("[data-testid=load-demo]").await;
    app.wait_for("[data-testid=mission-total]").await;

    let name = "Кайырболат Сахметов";
    open_contact(&app, name).await;
    app.click("[data-testid=delete]").await;
    app.wait_for_text("[data-testid=toast]", "moved to the trash")
        .await;
    app.wait_for("[data-testid=contact-list]").await;
    let list = app.text("[data-testid=contact-list]").await;
    assert!(!list.contains(name), "deleted contact still listed");

    app.press_ctrl('z').await;
    app.wait_for_text("[data-testid=toast]", "back from the trash")
        .await;
    app.wait_for_text("[data-testid=contact-list]", name).await;

    open_contact(&app, name).await;
    app.click("[data-testid=delete]").await;
    app.wait_for_text("[data-testid=toast]", "moved to the trash")
        .await;
    app.click("a[data-nav=trash]").await;
    app.wait_for_text("[data-testid=trash-list]", name).await;
    app.screenshot("trash").await;
    app.click("[data-testid=trash-list] [data-action=restore]")
        .await;
    app.wait_for_text("main", "The trash is empty").await;
    open_contact(&app, name).await; // its organization link came back with it
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
    app.select_index("[data-testid=capture] select[name=meeting_id]", 2)
        .await;
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

#[tokio::test]
async fn a_kept_rate_is_picked_for_a_new_agreement_and_converts_its_amount() {
    let (_dir, db) = temp_db();
    let driver = Driver::start(&db).await;
    let app = driver.launch().await;
    app.click("[data-testid=load-demo]").await;
    app.wait_for("[data-testid=mission-total]").await;

    app.click("a[data-nav=settings]").await;
    app.fill("[data-testid=rate-form] input[name=currency]", "kzt")
        .await;
    app.fill("[data-testid=rate-form] input[name=rate]", "two tiyn")
        .await;
    app.click("[data-testid=add-rate]").await;
    app.wait_for_text(
        "[data-testid=rate-form] [data-field=rate] [role=alert]",
        "rate",
    )
    .await;
    app.fill("[data-testid=rate-form] input[name=rate]", "0,002")
        .await;
    app.fill(
        "[data-testid=rate-form] input[name=source]",
        "National Bank of Kazakhstan",
    )
    .await;
    app.click("[data-testid=add-rate]").await;
    app.wait_for_text("[data-testid=rate-list]", "KZT → USD")
        .await;
    assert!(app.text("[data-testid=rate-list]").await.contains("0.002"));

    app.click("a[data-nav=agreements]").await;
    app.click("[data-testid=new-agreement]").await;
    app.fill(
        "[data-testid=agreement-form] input[name=title]",
        "Cotton yarn, first lot",
    )
    .await;
    app.fill("[data-testid=agreement-form] input[name=amount]", "1000000")
        .await;
    app.fill("[data-testid=agreement-form] input[name=currency]", "KZT")
        .await;
    app.select_index("[data-testid=pick-rate]", 1).await;
    let source = app
        .value("[data-testid=agreement-form] input[name=rate_source]")
        .await;
    assert_eq!(source, "National Bank of Kazakhstan");
    app.click("[data-testid=save]").await;
    // ₸1,000,000 at 0.002 is $2,000 on top of the demo's $3,000,000.
    app.wait_for_text("[data-testid=ledger-total]", "$3,002,000.00")
        .await;
    app.close().await;
}

/// 100,000 contacts: the list draws only what is in view, fetches the next
/// page by keyset as it scrolls, and sorts in the store (the first row of
/// "newest first" is the CLI's first row too).
#[tokio::test]
async fn a_list_of_100k_contacts_draws_only_its_visible_rows_and_sorts_in_the_store() {
    let (_dir, db) = temp_db();
    let made = cli_json(&db, &["generate", "--contacts", "100000", "--seed", "3"]);
    assert_eq!(made["contacts"], 100_000);
    let driver = Driver::start(&db).await;
    let app = driver.launch().await;

    app.click("a[data-nav=contacts]").await;
    let list = "[data-testid=contact-list]";
    app.wait_for(list).await;
    let number = |v: Option<String>| v.and_then(|s| s.parse::<usize>().ok()).unwrap_or(0);
    let loaded = number(app.attr(list, "data-loaded").await);
    let rendered = number(app.attr(list, "data-rendered").await);
    assert_eq!(loaded, 200, "one page fetched");
    assert!(
        rendered > 5 && rendered < 80,
        "only the rows in view are drawn: {rendered}"
    );
    let rows_in_dom = app
        .client
        .find_all(fantoccini::Locator::Css(
            "[data-testid=contact-list] tr.item",
        ))
        .await
        .expect("rows")
        .len();
    assert_eq!(rows_in_dom, rendered);

    // Scrolling to the end fetches the next pages.
    for _ in 0..3 {
        app.scroll_to_end(list).await;
        tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    }
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    while number(app.attr(list, "data-loaded").await) < 600 {
        assert!(std::time::Instant::now() < deadline, "no more pages loaded");
        app.scroll_to_end(list).await;
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    }
    let rendered = number(app.attr(list, "data-rendered").await);
    assert!(rendered < 80, "still only the rows in view: {rendered}");

    // Newest first: the store's order, the same as the CLI's.
    let newest = cli_json(&db, &["list", "contacts", "--sort", "newest"]);
    let first = newest[0]["full_name"].as_str().expect("a name").to_owned();
    app.select_index("[data-filter=sort]", 2).await;
    app.wait_for_text(&format!("{list} tr.item td:first-child"), &first)
        .await;
    app.screenshot("contacts-100k").await;
    app.close().await;
}

/// The demo's follow-ups are long overdue: the first look after start
/// announces them together; one moved to today is announced on its own.
#[tokio::test]
async fn follow_ups_that_fall_due_are_announced_while_the_app_runs() {
    let (_dir, db) = temp_db();
    let driver = Driver::start(&db).await;
    let app = driver.launch().await;
    app.click("[data-testid=load-demo]").await;
    app.wait_for_text("[data-testid=toast]", "follow-ups are due")
        .await;

    app.click("a[data-nav=follow-ups]").await;
    let row = "[data-testid=follow-up-list] tbody tr:first-child";
    let title = app
        .attr(row, "data-follow-up")
        .await
        .expect("the row names its follow-up");
    let today = app
        .client
        .execute(
            "const d = new Date(); const p = (n) => String(n).padStart(2, '0');
             return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}`;",
            vec![],
        )
        .await
        .expect("today in the web view");
    let today = today.as_str().expect("a date").to_owned();
    app.set_value(&format!("{row} input[type=date]"), &today)
        .await;
    app.click(&format!("{row} [data-action=reschedule]")).await;
    app.wait_for_text("[data-testid=toast]", &format!("Due today: {title}"))
        .await;
    app.close().await;
}

/// Ctrl+K, a Latin spelling, Enter: the Cyrillic contact opens.
#[tokio::test]
async fn ctrl_k_finds_a_cyrillic_name_typed_in_latin_and_opens_it() {
    let (_dir, db) = temp_db();
    cli_json(&db, &["add", "contact", "--name", "Ерлан Жұмабаев"]);
    cli_json(&db, &["add", "contact", "--name", "Ерлан Нұрланов"]);
    let driver = Driver::start(&db).await;
    let app = driver.launch().await;
    app.wait_for("main").await;

    app.press_ctrl('k').await;
    app.fill("[data-testid=search-input]", "zhumabayev").await;
    let hit = "[data-testid=search] [data-hit='Ерлан Жұмабаев']";
    app.wait_for(hit).await;
    assert_eq!(
        app.attr(hit, "data-tier").await.as_deref(),
        Some("cross_script")
    );
    let others = app.text("[data-testid=search] [role=listbox]").await;
    assert!(
        !others.contains("Нұрланов"),
        "only the one asked for: {others}"
    );
    app.screenshot("search").await;
    app.press(&[char::from(fantoccini::key::Key::Enter)]).await;
    app.wait_for("[data-testid=contact-view]").await;
    app.wait_for_text("main h1", "Ерлан Жұмабаев").await;
    app.close().await;
}

/// Two records of one person, one in Cyrillic and one in Latin: compared
/// side by side, merged with a field taken from the other, and undone.
#[tokio::test]
async fn duplicates_are_merged_side_by_side_and_ctrl_z_splits_them_again() {
    let (_dir, db) = temp_db();
    cli_json(&db, &["demo"]);
    cli_json(
        &db,
        &[
            "add",
            "contact",
            "--name",
            "Sakhmetov Kairbolat",
            "--position",
            "Chairman",
        ],
    );
    let driver = Driver::start(&db).await;
    let app = driver.launch().await;

    app.click("a[data-nav=duplicates]").await;
    app.wait_for_text("[data-testid=duplicate-list]", "Sakhmetov Kairbolat")
        .await;
    app.click("[data-testid=duplicate-list] [data-action=compare]")
        .await;
    app.wait_for_text("[data-testid=merge]", "Chairman").await;
    app.click("[data-testid=merge] tr[data-field=position] input[data-side=right]")
        .await;
    app.screenshot("merge").await;
    app.click("[data-testid=do-merge]").await;
    app.wait_for_text("[data-testid=toast]", "Merged into")
        .await;
    app.wait_for_text("main", "No probable duplicates").await;
    let hits = cli_json(&db, &["search", "sakhmetov", "--kind", "contact"]);
    assert_eq!(hits.as_array().map(Vec::len), Some(1), "{hits}");
    assert_eq!(
        cli_json(
            &db,
            &["show", "contact", hits[0]["id"].as_str().expect("id")]
        )["position"],
        "Chairman"
    );

    app.click("a[data-nav=duplicates]").await;
    app.press_ctrl('z').await;
    app.wait_for_text("[data-testid=toast]", "Took back").await;
    app.wait_for_text("[data-testid=duplicate-list]", "Sakhmetov Kairbolat")
        .await;
    app.close().await;
}
