//! Taking things back: the trash, Ctrl+Z, and merging duplicates.

use mission_crm_e2e::{cli_json, App, Driver};

use crate::{after_demo_reminders, temp_db};

/// Opens a contact from the list by its name and waits for its organization.
async fn open_contact(app: &App, name: &str) {
    app.click("a[data-nav=contacts]").await;
    app.click_in_list("[data-testid=contact-list]", name).await;
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
    app.wait_for_text("[data-testid=contact-list]", "Aýna Berdiýewa")
        .await;
    assert!(
        !app.list_has("[data-testid=contact-list]", name).await,
        "deleted contact still listed"
    );

    app.press_ctrl('z').await;
    app.wait_for_text("[data-testid=toast]", "back from the trash")
        .await;
    app.wait_in_list("[data-testid=contact-list]", name).await;

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

/// The notice's Undo names one write: once another is made it goes, since
/// Undo takes back the newest write (it reopened a follow-up and left the
/// contact it offered to bring back in the trash).
#[tokio::test]
async fn the_notices_undo_goes_once_another_write_is_made() {
    let (_dir, db) = temp_db();
    cli_json(&db, &["demo"]);
    let driver = Driver::start(&db).await;
    let app = driver.launch().await;
    after_demo_reminders(&app).await;
    let name = "Кайырболат Сахметов";
    open_contact(&app, name).await;
    app.click("[data-testid=delete]").await;
    app.wait_for_text("[data-testid=toast]", "moved to the trash")
        .await;
    app.wait_for("[data-testid=toast] [data-testid=undo]").await;

    app.click("a[data-nav=follow-ups]").await;
    app.click("[data-testid=follow-up-list] [data-action=done]")
        .await;
    let mut gone = false;
    for _ in 0..100 {
        let shown = app
            .eval(
                "return document.querySelector('[data-testid=toast] [data-testid=undo]') !== null",
            )
            .await;
        if shown == false {
            gone = true;
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert!(gone, "Undo is no longer offered for the delete");
    assert!(
        app.text("[data-testid=toast]")
            .await
            .contains("moved to the trash"),
        "the notice itself stays"
    );
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
    after_demo_reminders(&app).await;

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
    let kept = cli_json(
        &db,
        &["show", "contact", hits[0]["id"].as_str().expect("id")],
    );
    assert_eq!(kept["position"], "Chairman");

    // The other record is in the trash, saying whom it went into.
    app.click("a[data-nav=trash]").await;
    let kept_name = kept["full_name"].as_str().expect("name");
    app.wait_for_text(
        "[data-testid=trash-list] [data-testid=merged-into]",
        &format!("Merged into {kept_name}"),
    )
    .await;
    app.screenshot("trash-merged").await;
    app.click("[data-testid=merged-into] a").await;
    app.wait_for_text("[data-testid=contact-view]", "Chairman")
        .await;

    app.click("a[data-nav=duplicates]").await;
    app.press_ctrl('z').await;
    app.wait_for_text("[data-testid=toast]", "Took back").await;
    app.wait_for_text("[data-testid=duplicate-list]", "Sakhmetov Kairbolat")
        .await;
    app.close().await;
}

/// An address book with more probable duplicates than the screen shows at
/// once says that these are the first, not all of them.
#[tokio::test]
async fn more_duplicates_than_shown_are_announced_as_the_first() {
    let (_dir, db) = temp_db();
    cli_json(&db, &["generate", "--contacts", "2000"]);
    let found = cli_json(&db, &["duplicates", "--json"]);
    assert!(
        found.as_array().map(Vec::len) > Some(200),
        "the generated people hold more than 200 pairs"
    );
    let driver = Driver::start(&db).await;
    let app = driver.launch().await;
    app.click("a[data-nav=duplicates]").await;
    let note = app
        .wait_for_text("[data-testid=duplicates-more]", "The first 200 pairs")
        .await;
    assert!(note.contains("merging some brings up the next"), "{note}");
    let rows = app
        .eval("return document.querySelectorAll('[data-testid=duplicate-list] tr').length")
        .await;
    assert_eq!(rows, 200);
    app.screenshot("duplicates-first").await;
    app.close().await;
}

/// Taking back an import puts everyone it created in the trash at one time:
/// the Trash screen fetches them a page at a time, draws only the rows in
/// view, and fetches more as it scrolls.
#[tokio::test]
async fn an_import_taken_back_fills_the_trash_which_is_read_a_page_at_a_time() {
    use std::fmt::Write as _;
    let (dir, db) = temp_db();
    let csv = dir.path().join("people.csv");
    let mut text = String::from("Name,Email\n");
    for i in 0..1000 {
        writeln!(text, "Person {i:04},person{i}@example.com").expect("text");
    }
    std::fs::write(&csv, text).expect("csv");
    let imported = cli_json(&db, &["import", csv.to_str().expect("path")]);
    assert_eq!(imported["created"], 1000, "{imported}");
    let id = imported["import_id"].as_str().expect("import id");
    assert_eq!(cli_json(&db, &["undo-import", id])["trashed"], 1000);

    let driver = Driver::start(&db).await;
    let app = driver.launch().await;
    app.click("a[data-nav=trash]").await;
    let list = "[data-testid=trash-list]";
    app.wait_for_text(list, "Person").await;
    let number = |v: Option<String>| v.and_then(|s| s.parse::<usize>().ok()).unwrap_or(0);
    assert_eq!(number(app.attr(list, "data-loaded").await), 100, "one page");
    let rendered = number(app.attr(list, "data-rendered").await);
    assert!(rendered > 5 && rendered < 80, "rows in view: {rendered}");

    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    while number(app.attr(list, "data-loaded").await) < 300 {
        assert!(std::time::Instant::now() < deadline, "no more pages loaded");
        app.scroll_to_end(list).await;
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    }
    let rendered = number(app.attr(list, "data-rendered").await);
    assert!(rendered < 80, "still only the rows in view: {rendered}");

    // Restoring one far down keeps the place: the list went back to its
    // top after every restore.
    let loaded = number(app.attr(list, "data-loaded").await);
    let scroll_top = "return document.querySelector('[data-testid=trash-list]').scrollTop";
    let before = app.eval(scroll_top).await.as_f64().unwrap_or(0.0);
    assert!(before > 2000.0, "scrolled down: {before}");
    let restored = app
        .eval(
            "const s = document.querySelector('[data-testid=trash-list]');
             const view = s.getBoundingClientRect();
             const row = [...s.querySelectorAll('tr.item')].find((r) => {
               const b = r.getBoundingClientRect();
               return b.top > view.top + 60 && b.bottom < view.bottom;
             });
             row.querySelector('[data-action=restore]').click();
             return row.querySelector('td span').textContent;",
        )
        .await
        .as_str()
        .expect("a row in view")
        .to_owned();
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    while app.text(list).await.contains(&restored) {
        assert!(
            std::time::Instant::now() < deadline,
            "{restored} still listed"
        );
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert!(
        number(app.attr(list, "data-loaded").await) >= loaded - 1,
        "the rows read again"
    );
    let after = app.eval(scroll_top).await.as_f64().unwrap_or(0.0);
    assert!(
        (after - before).abs() < 100.0,
        "the place kept: scrolled {before} before, {after} after"
    );
    app.close().await;
}

/// An agreement whose counterpart is in the trash still opens (the page
/// failed whole, looking the organization up). A meeting's people in the
/// trash: engine test `records_linked_to_one_in_the_trash_still_open_and_save`.
#[tokio::test]
async fn records_linked_to_one_in_the_trash_still_open() {
    let (_dir, db) = temp_db();
    cli_json(&db, &["demo"]);
    let list = cli_json(&db, &["list", "agreements"]);
    let agreement = &list["agreements"][0];
    let id = agreement["id"].as_str().expect("id").to_owned();
    let title = agreement["title"].as_str().expect("title").to_owned();
    let counterpart = agreement["counterpart_organization_id"]
        .as_str()
        .expect("a counterpart")
        .to_owned();
    let driver = Driver::start(&db).await;
    let app = driver.launch().await;
    after_demo_reminders(&app).await;
    app.eval(&format!(
        "location.hash = '#/organizations/{counterpart}'; return null"
    ))
    .await;
    app.click("[data-testid=delete]").await;
    app.wait_for_text("[data-testid=toast]", "moved to the trash")
        .await;
    app.eval(&format!("location.hash = '#/agreements/{id}'; return null"))
        .await;
    app.wait_for_text("main h1", &title).await;
    app.wait_for("[data-testid=agreement-view]").await;
    app.close().await;
}
