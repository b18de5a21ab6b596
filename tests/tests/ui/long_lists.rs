//! A mission of hundreds of meetings, follow-ups and agreements: its long
//! screens draw only what is in view (each took 0.3–1.1 s to lay out with
//! every row drawn, at 1,000 meetings), and still reach every record.

use mission_crm_e2e::{cli_json, App, Driver};

use crate::temp_db;

/// Rows a virtual list holds, and rows it has drawn.
async fn loaded_and_drawn(app: &App, testid: &str) -> (usize, usize) {
    let css = format!("[data-testid={testid}]");
    let number = |v: Option<String>| v.and_then(|v| v.parse().ok()).unwrap_or(0);
    (
        number(app.attr(&css, "data-loaded").await),
        number(app.attr(&css, "data-rendered").await),
    )
}

async fn scroll_to_end(app: &App, testid: &str) {
    app.eval(&format!(
        "const s = document.querySelector('[data-testid={testid}]'); s.scrollTop = s.scrollHeight; return null"
    ))
    .await;
}

/// Every drawn row of a virtual list has the height the list counts on
/// (content that wraps would throw its scrolling arithmetic off), and no
/// button or field reaches past its cell (a clipped label).
async fn assert_rows_fit(app: &App, testid: &str, height: u64) {
    let found = app
        .eval(&format!(
            "const rows = [...document.querySelectorAll('[data-testid={testid}] tr.item')];
             const off = rows.map((r) => Math.round(r.getBoundingClientRect().height)).filter((h) => h !== {height});
             const clipped = rows.flatMap((r) => [...r.querySelectorAll('button, input')])
               .filter((c) => c.getBoundingClientRect().right > c.closest('td').getBoundingClientRect().right + 0.5)
               .map((c) => c.textContent || c.type);
             return [rows.length, off, clipped]"
        ))
        .await;
    assert!(found[0].as_u64() > Some(5), "{testid}: rows drawn: {found}");
    assert_eq!(
        found[1],
        serde_json::json!([]),
        "{testid}: rows of another height"
    );
    assert_eq!(
        found[2],
        serde_json::json!([]),
        "{testid}: controls past their cell"
    );
}

/// Cards a board column shows until asked for all (`SHOWN` in Board.svelte).
const SHOWN: u64 = 12;

/// Cards drawn in a stage's column of the board, and the count its heading shows.
async fn column(app: &App, stage: &str) -> (u64, u64) {
    let drawn = app
        .eval(&format!(
            "return document.querySelectorAll('[data-stage={stage}] [data-agreement]').length"
        ))
        .await
        .as_u64()
        .unwrap_or(0);
    let counted = app
        .text(&format!("[data-stage={stage}] h2 .muted"))
        .await
        .trim()
        .parse()
        .unwrap_or(0);
    (drawn, counted)
}

#[tokio::test]
async fn a_mission_of_six_hundred_meetings_draws_only_what_is_in_view() {
    let (_dir, db) = temp_db();
    let made = cli_json(
        &db,
        &["generate", "--contacts", "2000", "--meetings", "600"],
    );
    assert_eq!(made["mission"]["meetings"], 600, "{made}");
    let meetings = cli_json(&db, &["list", "meetings"]);
    let last = meetings
        .as_array()
        .and_then(|all| all.last())
        .and_then(|m| m["title"].as_str())
        .expect("a last meeting")
        .to_owned();
    let driver = Driver::start(&db).await;
    let app = driver.launch().await;

    // The agenda: 600 meetings and a heading a day, a screenful drawn.
    app.click("a[data-nav=meetings]").await;
    app.wait_for("[data-testid=agenda] tr.item").await;
    let (loaded, drawn) = loaded_and_drawn(&app, "agenda").await;
    assert!(
        loaded > 600,
        "every meeting and its day's heading: {loaded}"
    );
    assert!(drawn < 40, "only the lines in view are drawn: {drawn}");
    scroll_to_end(&app, "agenda").await;
    app.wait_for_text("[data-testid=agenda]", &last).await;

    // Follow-ups: the 400 open ones are overdue (May–July 2024).
    app.click("a[data-nav=follow-ups]").await;
    app.wait_for("[data-testid=follow-up-list] tr.item").await;
    let (loaded, drawn) = loaded_and_drawn(&app, "follow-up-list").await;
    assert_eq!(loaded, 400);
    assert!(drawn < 40, "only the rows in view are drawn: {drawn}");
    assert_rows_fit(&app, "follow-up-list", 56).await;

    // The board shows its first cards a column until asked for all.
    app.click("a[data-nav=agreements]").await;
    app.wait_for("[data-testid=agreement-board]").await;
    let mut crowded = None;
    for stage in [
        "interest",
        "memorandum",
        "preliminary_contract",
        "signed_contract",
        "delivered",
        "lost",
    ] {
        let (drawn, counted) = column(&app, stage).await;
        assert_eq!(drawn, counted.min(SHOWN), "{stage}: {drawn} of {counted}");
        if counted > SHOWN {
            crowded = Some((stage, counted));
        }
    }
    let (stage, counted) = crowded.expect("a crowded column (200 agreements, 6 stages)");
    app.click(&format!("[data-stage={stage}] [data-action=show-all]"))
        .await;
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    while column(&app, stage).await != (counted, counted) {
        assert!(
            std::time::Instant::now() < deadline,
            "{stage} shows all {counted}: {:?}",
            column(&app, stage).await
        );
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }

    // The table holds all 200, drawn as they come into view.
    app.click("[data-testid=show-ledger]").await;
    app.wait_for("[data-testid=agreement-list] tr.item").await;
    let (loaded, drawn) = loaded_and_drawn(&app, "agreement-list").await;
    assert_eq!(loaded, 200);
    assert!(drawn < 40, "only the rows in view are drawn: {drawn}");
    app.screenshot("agreement-ledger").await;

    // In Kazakh, the longest of the three, the rows still fit.
    app.click("a[data-nav=settings]").await;
    app.select_index("[data-testid=language]", 2).await;
    app.wait_for_text("[data-testid=nav]", "Миссиялар").await;
    app.click("a[data-nav=follow-ups]").await;
    app.wait_for("[data-testid=follow-up-list] tr.item").await;
    assert_rows_fit(&app, "follow-up-list", 56).await;
    app.screenshot("follow-ups-kazakh").await;
    app.click("a[data-nav=meetings]").await;
    app.wait_for("[data-testid=agenda] tr.item").await;
    assert_rows_fit(&app, "agenda", 56).await;
    app.close().await;
}
