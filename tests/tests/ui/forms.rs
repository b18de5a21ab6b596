//! Forms: what is saved survives a restart; bad input says why and saves nothing.

use mission_crm_e2e::{cli_json, App, Driver};

use crate::{open_new_contact_form, temp_db};

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

    // The form still holds what was typed: leaving it is asked, and chosen.
    app.click("a[data-nav=missions]").await;
    app.click("[data-testid=leave-dialog] [data-testid=leave]")
        .await;
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
    app.click("[data-testid=leave-dialog] [data-testid=leave]")
        .await;
    app.wait_for_text("main", "No contacts yet").await;
    app.click("a[data-nav=missions]").await;
    app.wait_for("[data-testid=load-demo]").await;
    app.close().await;
}

/// Waits until `js` (an expression) is true in the page.
async fn wait_until(app: &App, js: &str) {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    while app.eval(&format!("return Boolean({js})")).await != serde_json::json!(true) {
        assert!(std::time::Instant::now() < deadline, "never true: {js}");
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
}

/// With 1,250 organizations the picker lists the first 1,000 by name; the
/// one last by name is found by typing, chosen, saved, and still shown
/// when the contact is edited.
#[tokio::test]
async fn an_organization_past_the_first_thousand_is_found_by_typing_and_kept() {
    let (_dir, db) = temp_db();
    cli_json(&db, &["generate", "--contacts", "25000", "--seed", "5"]);
    let last = cli_json(&db, &["list", "organizations", "--sort", "name_desc"])[0].clone();
    let (id, name) = (
        last["id"].as_str().expect("an id").to_owned(),
        last["name"].as_str().expect("a name").to_owned(),
    );
    let driver = Driver::start(&db).await;
    let app = driver.launch().await;

    open_new_contact_form(&app).await;
    let select = "select[name=organization_id]";
    let option = format!("document.querySelector('{select} option[value=\"{id}\"]')");
    let thousand_listed = format!("document.querySelector('{select}').options.length > 1000");
    wait_until(&app, &thousand_listed).await;
    assert_eq!(
        app.eval(&format!("return {option} === null")).await,
        serde_json::json!(true),
        "{name} is past the first thousand, or this test proves nothing"
    );
    app.fill("input[name=full_name]", "Дәурен Әбенов").await;
    app.fill("[data-testid=organization-filter]", &name).await;
    wait_until(&app, &format!("{option} !== null")).await;
    app.client
        .execute(
            "const el = document.querySelector(arguments[0]);
             el.value = arguments[1];
             el.dispatchEvent(new Event('change', { bubbles: true }));",
            vec![select.into(), id.clone().into()],
        )
        .await
        .expect("chosen");
    // Clearing the filter brings the first thousand back, and the choice
    // stays among them.
    app.set_value("[data-testid=organization-filter]", "").await;
    wait_until(&app, &thousand_listed).await;
    assert_eq!(app.value(select).await, id);
    app.click("[data-testid=save]").await;
    app.wait_for_text("[data-testid=contact-view]", &name).await;

    app.click("[data-testid=edit]").await;
    wait_until(
        &app,
        &format!("document.querySelector('{select}').value === '{id}'"),
    )
    .await;
    assert_eq!(
        app.eval(&format!("return {option}.textContent")).await,
        serde_json::json!(name)
    );
    app.close().await;
}

/// Half a contact typed, then Ctrl+K to check a spelling and Enter on a
/// hit: the window asks before leaving the form, and staying keeps what
/// was typed (it was gone without a word). A link away asks too; a save
/// leaves without asking.
#[tokio::test]
async fn leaving_a_half_typed_form_asks_first_and_staying_keeps_it() {
    let (_dir, db) = temp_db();
    cli_json(&db, &["add", "contact", "--name", "Ерлан Жұмабаев"]);
    let driver = Driver::start(&db).await;
    let app = driver.launch().await;
    open_new_contact_form(&app).await;
    app.fill("input[name=full_name]", "Айгерім Сұлтанова").await;

    app.press_ctrl('k').await;
    app.fill("[data-testid=search-input]", "zhumabayev").await;
    app.wait_for("[data-testid=search] [data-hit='Ерлан Жұмабаев']")
        .await;
    app.press(&[char::from(fantoccini::key::Key::Enter)]).await;
    app.wait_for_text("[data-testid=leave-dialog]", "not been saved")
        .await;
    app.wait_for_focus("[data-testid=stay]").await;
    app.screenshot("leave-form").await;
    // Enter on the focused Stay: one stray key keeps the work.
    app.press(&[char::from(fantoccini::key::Key::Enter)]).await;
    app.wait_gone("[data-testid=leave-dialog]").await;
    assert_eq!(
        app.value("input[name=full_name]").await,
        "Айгерім Сұлтанова"
    );

    app.click("a[data-nav=contacts]").await;
    app.click("[data-testid=leave-dialog] [data-testid=leave]")
        .await;
    app.wait_for_text("[data-testid=contact-list]", "Ерлан Жұмабаев")
        .await;

    // Typed and saved: no question.
    open_new_contact_form(&app).await;
    app.fill("input[name=full_name]", "Айгерім Сұлтанова").await;
    app.click("[data-testid=save]").await;
    app.wait_for("[data-testid=contact-view]").await;
    app.wait_for_text("main h1", "Айгерім Сұлтанова").await;
    app.click("a[data-nav=contacts]").await;
    app.wait_for_text("[data-testid=contact-list]", "Айгерім Сұлтанова")
        .await;
    app.close().await;
}

/// A contact changed from the command line while its form is open is not
/// saved over: the save says so and writes nothing. "Show the current
/// version" loads it, and a save then keeps both changes; the second time,
/// "Save mine over it" writes the form's values over the newer ones.
#[tokio::test]
async fn a_form_does_not_save_over_a_change_made_since_it_was_opened() {
    let (dir, db) = temp_db();
    let added = cli_json(
        &db,
        &[
            "add",
            "contact",
            "--name",
            "Мерген Атаев",
            "--position",
            "Director",
            "--email",
            "m.atayev@example.tm",
        ],
    );
    let id = added["id"].as_str().expect("an id").to_owned();
    let csv = dir.path().join("update.csv");
    let update_position = |position: &str| {
        std::fs::write(
            &csv,
            format!("ФИО,Email,Должность\nМерген Атаев,m.atayev@example.tm,{position}\n"),
        )
        .expect("csv");
        let path = csv.to_str().expect("a path");
        cli_json(&db, &["import", path, "--on-match", "update"]);
    };
    let stored = |field: &str| cli_json(&db, &["show", "contacts", &id])[field].clone();
    let position_shown = |position: &str| {
        format!("document.querySelector('input[name=position]')?.value === '{position}'")
    };

    let driver = Driver::start(&db).await;
    let app = driver.launch().await;
    app.click("a[data-nav=contacts]").await;
    app.click_in_list("[data-testid=contact-list]", "Мерген Атаев")
        .await;
    app.click("[data-testid=edit]").await;
    wait_until(&app, &position_shown("Director")).await;

    update_position("Deputy Minister");
    app.fill("textarea[name=notes]", "Met at the Ashgabat expo")
        .await;
    app.click("[data-testid=save]").await;
    app.wait_for("[data-code=changed_since_loaded]").await;
    assert_eq!(stored("position"), "Deputy Minister", "nothing written");
    assert_eq!(stored("notes"), "", "nothing written");
    app.screenshot("stale-save").await;

    app.click("[data-testid=stale-reload]").await;
    wait_until(&app, &position_shown("Deputy Minister")).await;
    app.wait_gone("[data-code=changed_since_loaded]").await;
    app.fill("textarea[name=notes]", "Met at the Ashgabat expo")
        .await;
    app.click("[data-testid=save]").await;
    app.wait_for_text("[data-testid=contact-view]", "Met at the Ashgabat expo")
        .await;
    assert_eq!(stored("position"), "Deputy Minister", "both changes kept");

    app.click("[data-testid=edit]").await;
    wait_until(&app, &position_shown("Deputy Minister")).await;
    update_position("Minister");
    app.fill("input[name=position]", "First Deputy Minister")
        .await;
    app.click("[data-testid=save]").await;
    app.click("[data-testid=stale-overwrite]").await;
    app.wait_for_text("[data-testid=contact-view]", "First Deputy Minister")
        .await;
    assert_eq!(stored("position"), "First Deputy Minister");
    assert_eq!(stored("notes"), "Met at the Ashgabat expo");
    app.close().await;
}
