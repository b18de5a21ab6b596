//! The app in its real WebKitGTK web view, driven through tauri-driver:
//! one test binary, a module per area of the product. Helpers shared by the
//! modules live here.

use mission_crm_e2e::App;

mod capture;
mod forms;
mod import_export;
mod languages;
mod lists_and_search;
mod long_lists;
mod safety;
mod undo_and_merge;
mod workspace;

pub(crate) fn temp_db() -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = tempfile::tempdir().expect("temp dir");
    let db = dir.path().join("e2e.db");
    (dir, db)
}

pub(crate) async fn open_new_contact_form(app: &App) {
    app.click("a[data-nav=contacts]").await;
    app.click("[data-testid=new-contact]").await;
    app.wait_for("[data-testid=contact-form]").await;
}

/// Waits for the demo's overdue follow-ups to be announced (3 s after
/// start, in the toast every write reports in), so that a test's own
/// notice is not overwritten by them.
pub(crate) async fn after_demo_reminders(app: &App) {
    app.wait_for_text("[data-testid=toast]", "follow-ups are due")
        .await;
}
