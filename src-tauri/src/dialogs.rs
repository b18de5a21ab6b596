//! How the app chooses files: the native dialog (tauri-plugin-dialog),
//! opened from Rust so the web view never names a path.
//!
//! WebDriver cannot drive a native dialog, so the end-to-end tests set
//! `MISSION_CRM_PICK_FILE` (the file "chosen" to import or attach) and
//! `MISSION_CRM_SAVE_DIR` (where exports, reports and copies of attached
//! files are "saved"). Only the process's
//! environment can set them, never the page.

use std::path::PathBuf;
use std::sync::Arc;

use mission_crm_engine::report::Lang;
use tauri::{AppHandle, Runtime};
use tauri_plugin_dialog::DialogExt;

use crate::state::{Language, Pick, Picker};

/// The import dialog's name for the files it lists, in the interface's
/// language (the dialog is the desktop's, outside the window's catalog).
fn import_filter(lang: Lang) -> &'static str {
    match lang {
        Lang::En => "Contacts (CSV, vCard) or a full export (JSON)",
        Lang::Ru => "Контакты (CSV, vCard) или полный экспорт (JSON)",
        Lang::Kk => "Контактілер (CSV, vCard) немесе толық экспорт (JSON)",
    }
}

/// The attach dialog's names for the files it lists: pictures and PDFs
/// first, then any file.
fn attach_filters(lang: Lang) -> (&'static str, &'static str) {
    match lang {
        Lang::En => ("Pictures and PDF", "All files"),
        Lang::Ru => ("Изображения и PDF", "Все файлы"),
        Lang::Kk => ("Суреттер және PDF", "Барлық файлдар"),
    }
}

pub const PICK_FILE_ENV: &str = "MISSION_CRM_PICK_FILE";
pub const SAVE_DIR_ENV: &str = "MISSION_CRM_SAVE_DIR";

pub fn picker<R: Runtime>(app: AppHandle<R>, language: Arc<Language>) -> Picker {
    let pick_file = std::env::var_os(PICK_FILE_ENV).map(PathBuf::from);
    let save_dir = std::env::var_os(SAVE_DIR_ENV).map(PathBuf::from);
    Arc::new(move |what| match (what, &pick_file, &save_dir) {
        (Pick::Import | Pick::Attach, Some(file), _) => Some(file.clone()),
        (Pick::Save(name), _, Some(dir)) => Some(dir.join(name)),
        (Pick::Import, None, _) => app
            .dialog()
            .file()
            .add_filter(
                import_filter(language.get()),
                &["csv", "txt", "tsv", "vcf", "vcard", "json"],
            )
            .blocking_pick_file()
            .and_then(|p| p.into_path().ok()),
        (Pick::Attach, None, _) => {
            let (pictures, all) = attach_filters(language.get());
            app.dialog()
                .file()
                .add_filter(
                    pictures,
                    &["jpg", "jpeg", "png", "gif", "webp", "heic", "pdf"],
                )
                .add_filter(all, &["*"])
                .blocking_pick_file()
                .and_then(|p| p.into_path().ok())
        }
        (Pick::Save(name), _, None) => app
            .dialog()
            .file()
            .set_file_name(name)
            .blocking_save_file()
            .and_then(|p| p.into_path().ok()),
    })
}
