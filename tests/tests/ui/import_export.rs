//! The import wizard and export, with the native dialogs stood in for by
//! the app's test environment (WebDriver cannot drive a GTK dialog).

use std::path::Path;

use mission_crm_e2e::{cli_json, Driver};

use crate::temp_db;

fn names_of(contacts: &serde_json::Value) -> Vec<String> {
    contacts
        .as_array()
        .expect("a list")
        .iter()
        .filter_map(|c| c["full_name"].as_str().map(str::to_owned))
        .collect()
}

#[tokio::test]
async fn the_wizard_imports_a_windows_1251_semicolon_file_into_the_mission_then_undoes_it() {
    let (dir, db) = temp_db();
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../src-tauri/engine/tests/fixtures/import/excel-ru-windows-1251.csv");
    let driver = Driver::start_with(
        &db,
        &[
            ("MISSION_CRM_PICK_FILE", &fixture),
            ("MISSION_CRM_SAVE_DIR", dir.path()),
        ],
    )
    .await;
    let app = driver.launch().await;
    app.click("[data-testid=load-demo]").await;
    app.wait_for("[data-testid=mission-total]").await;
    let mission = cli_json(&db, &["list", "missions"])[0]["id"]
        .as_str()
        .expect("demo mission")
        .to_owned();

    app.click("a[data-nav=import]").await;
    app.click("[data-testid=import-choose]").await;
    app.wait_for_text("[data-testid=import-encoding]", "windows-1251")
        .await;
    // The first rows, decoded from Windows-1251, and the delimiter found.
    app.wait_for_text("[data-testid=import-rows]", "Иванов Иван Иванович")
        .await;
    assert_eq!(app.value("[data-testid=import-delimiter]").await, ";");
    app.wait_for_text("[data-testid=import-people]", "Гульнара Ерлановна Ахметова")
        .await;

    app.select_index("[data-testid=import-side]", 1).await; // host
    app.click("[data-testid=import-check]").await;
    app.wait_for_text("[data-testid=import-summary]", "would give 3 new people")
        .await;
    assert!(
        !names_of(&cli_json(&db, &["list", "contacts"]))
            .contains(&"Иван Иванович Иванов".to_owned()),
        "a check writes nothing"
    );
    app.click("[data-testid=import-run]").await;
    app.wait_for_text(
        "[data-testid=import-summary]",
        "Imported 3 rows: 3 new people",
    )
    .await;
    app.wait_for_text("[data-testid=import-history]", "excel-ru-windows-1251.csv")
        .await;
    app.screenshot("import-wizard").await;
    let hosts = names_of(&cli_json(
        &db,
        &["list", "contacts", "--mission", &mission, "--side", "host"],
    ));
    assert!(
        hosts.contains(&"Иван Иванович Иванов".to_owned()),
        "{hosts:?}"
    );

    app.click("[data-testid=import-undo]").await;
    app.wait_for("[data-testid=import-undone]").await;
    app.wait_for_text("[data-testid=toast]", "Import undone")
        .await;
    let all = names_of(&cli_json(&db, &["list", "contacts"]));
    assert!(!all.contains(&"Иван Иванович Иванов".to_owned()), "{all:?}");
    assert!(
        all.contains(&"Кайырболат Сахметов".to_owned()),
        "the demo stays"
    );

    // Export as vCard, "saved" into the test's folder.
    app.select_index("[data-testid=export-format]", 1).await;
    app.click("[data-testid=export-run]").await;
    app.wait_for_text("[data-testid=toast]", "Exported").await;
    let written: Vec<_> = std::fs::read_dir(dir.path())
        .expect("dir")
        .filter_map(Result::ok)
        .filter(|e| e.file_name().to_string_lossy().ends_with(".vcf"))
        .collect();
    assert_eq!(written.len(), 1);
    let text = std::fs::read_to_string(written[0].path()).expect("vcf");
    assert!(text.contains("FN:Кайырболат Сахметов"));

    // The mission's outcome report as a PDF, from its page.
    app.click("a[data-nav=missions]").await;
    app.click_link("Business mission of Kazakhstan to Turkmenistan")
        .await;
    app.click("[data-testid=save-report-pdf]").await;
    app.wait_for_text("[data-testid=toast]", "Report saved")
        .await;
    let pdf: Vec<_> = std::fs::read_dir(dir.path())
        .expect("dir")
        .filter_map(Result::ok)
        .filter(|e| e.file_name().to_string_lossy().ends_with(".pdf"))
        .collect();
    assert_eq!(pdf.len(), 1);
    let bytes = std::fs::read(pdf[0].path()).expect("pdf");
    assert!(bytes.starts_with(b"%PDF-"));

    // The delegation book, to print before the trip, from the same page.
    app.click("[data-testid=save-book]").await;
    app.wait_for_text("[data-testid=toast]", "Delegation book saved")
        .await;
    let book: Vec<_> = std::fs::read_dir(dir.path())
        .expect("dir")
        .filter_map(Result::ok)
        .filter(|e| {
            let name = e.file_name().to_string_lossy().into_owned();
            name.starts_with("delegation-book-en-") && name.ends_with(".pdf")
        })
        .collect();
    assert_eq!(book.len(), 1);
    // The book, not another document under its name: its agenda is there.
    let text = std::process::Command::new("pdftotext")
        .arg(book[0].path())
        .arg("-")
        .output()
        .expect("pdftotext (poppler-utils) is installed by scripts/setup.sh");
    let text = String::from_utf8_lossy(&text.stdout);
    assert!(text.contains("Delegation book"), "{text}");
    assert!(
        text.contains("19:00–21:30"),
        "the welcome reception: {text}"
    );

    // In Russian, a CSV separated by semicolons, as Excel in Russian splits it.
    app.click("a[data-nav=settings]").await;
    app.select_index("[data-testid=language]", 1).await; // Русский
    app.wait_for_text("[data-testid=nav]", "Миссии").await;
    app.click("a[data-nav=import]").await;
    app.select_index("[data-testid=export-format]", 0).await; // CSV
    app.click("[data-testid=export-run]").await;
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    let csv = loop {
        let found = std::fs::read_dir(dir.path())
            .expect("dir")
            .filter_map(Result::ok)
            .find(|e| e.file_name().to_string_lossy().ends_with(".csv"));
        if let Some(file) = found {
            break std::fs::read(file.path()).expect("csv");
        }
        assert!(std::time::Instant::now() < deadline, "no CSV written");
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    };
    assert!(
        csv[3..].starts_with(b"Name;Name (Latin);"),
        "{}",
        String::from_utf8_lossy(&csv)
    );
    app.close().await;
}

/// A full export (JSON) restores in the app into an empty database, the
/// move to a new computer without the command line; a second time, into a
/// database that now holds records, it is refused, saying why.
#[tokio::test]
async fn a_full_export_restores_into_an_empty_database_from_the_import_page() {
    let (dir, db) = temp_db();
    let old = dir.path().join("old-laptop.db");
    cli_json(&old, &["demo"]);
    let export = dir.path().join("everything.json");
    let path = export.to_str().expect("a path");
    cli_json(&old, &["export", "json", "-o", path]);
    let driver = Driver::start_with(&db, &[("MISSION_CRM_PICK_FILE", &export)]).await;
    let app = driver.launch().await;
    app.wait_for("[data-testid=load-demo]").await; // empty: the welcome

    app.click("a[data-nav=import]").await;
    app.click("[data-testid=import-choose]").await;
    app.wait_for("[data-testid=import-json]").await;
    app.click("[data-testid=import-restore]").await;
    app.wait_for_text("[data-testid=toast]", "Restored").await;
    assert_eq!(
        cli_json(&db, &["list", "contacts"]),
        cli_json(&old, &["list", "contacts"])
    );
    app.click("a[data-nav=missions]").await;
    app.wait_for_text("main", "Business mission of Kazakhstan to Turkmenistan")
        .await;

    app.click("a[data-nav=import]").await;
    app.click("[data-testid=import-choose]").await;
    app.click("[data-testid=import-restore]").await;
    app.wait_for("[data-code=not_empty]").await;
    app.close().await;
}

/// A photo of a business card attached on a person's page: shown there
/// (its bytes reach the page as a `data:` URL, which the CSP allows for
/// pictures), saved as a copy where the dialog says, taken off and brought
/// back with the notice's Undo.
#[tokio::test]
async fn a_business_card_is_attached_to_a_person_shown_saved_and_taken_off() {
    let (dir, db) = temp_db();
    let card = dir.path().join("визитка.png");
    std::fs::copy(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../src-tauri/icons/32x32.png"),
        &card,
    )
    .expect("a picture");
    let saves = dir.path().join("saved");
    std::fs::create_dir(&saves).expect("dir");
    let driver = Driver::start_with(
        &db,
        &[
            ("MISSION_CRM_PICK_FILE", &card),
            ("MISSION_CRM_SAVE_DIR", &saves),
        ],
    )
    .await;
    let app = driver.launch().await;
    app.click("[data-testid=load-demo]").await;
    app.wait_for("[data-testid=mission-total]").await;
    app.click("a[data-nav=contacts]").await;
    app.click_in_list("[data-testid=contact-list]", "Кайырболат Сахметов")
        .await;
    app.wait_for_text("[data-testid=attachments]", "No files yet")
        .await;

    app.click("[data-testid=attach]").await;
    app.wait_for_text("[data-testid=toast]", "Attached: визитка.png")
        .await;
    app.wait_for("[data-testid=attachment-preview]").await;
    app.wait_for_text("[data-testid=timeline]", "File attached: визитка.png")
        .await;
    // Drawn, not refused by the page's policy: a picture that did not load
    // has no size.
    let drawn = "const img = document.querySelector('[data-testid=attachment-preview]');
                 return img.complete && img.naturalWidth === 32";
    let mut shown = false;
    for _ in 0..50 {
        if app.eval(drawn).await == serde_json::Value::Bool(true) {
            shown = true;
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert!(shown, "the card is drawn on the page");
    app.screenshot("attachments").await;

    app.click("[data-testid=attachment-save]").await;
    app.wait_for_text("[data-testid=toast]", "Saved:").await;
    assert_eq!(
        std::fs::read(saves.join("визитка.png")).expect("the copy"),
        std::fs::read(&card).expect("the card")
    );

    app.click("[data-testid=attachment-remove]").await;
    app.wait_for_text("[data-testid=toast]", "Removed: визитка.png")
        .await;
    app.wait_for_text("[data-testid=attachments]", "No files yet")
        .await;
    app.click("[data-testid=undo]").await;
    app.wait_for("[data-testid=attachment-preview]").await;
    app.close().await;
}
