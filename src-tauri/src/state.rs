//! What the command handlers share: the store (or why it could not be
//! opened), where it lives, how files are chosen, and the import under way.

use std::path::PathBuf;
use std::sync::atomic::AtomicBool;
use std::sync::{Arc, Mutex, OnceLock};

use mission_crm_engine::import::Progress;
use mission_crm_engine::{ErrorBody, Store};

/// What a file is chosen for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Pick {
    /// A CSV, vCard or JSON file to import.
    Import,
    /// Where to save an export, suggesting this file name.
    Save(String),
}

/// Chooses a file: the native dialog in the app, a fixed answer in tests.
/// The web view never names a path itself, so it can read or write only
/// what the user chose in a dialog.
pub type Picker = Arc<dyn Fn(Pick) -> Option<PathBuf> + Send + Sync>;

/// The import the wizard is working on.
#[derive(Default)]
pub struct ImportSession {
    /// The file chosen in the dialog.
    pub file: Mutex<Option<PathBuf>>,
    /// Set by the cancel command; the running import stops at its next check.
    pub cancel: Arc<AtomicBool>,
    /// How far the running import is (polled by the wizard's progress bar).
    pub progress: Arc<Mutex<Option<Progress>>>,
}

pub struct AppState {
    store: Result<Arc<Store>, ErrorBody>,
    /// Set when the page check after start finds the file damaged: from
    /// then on every command refuses, and the window offers a backup.
    damaged: OnceLock<ErrorBody>,
    pub db_path: PathBuf,
    picker: OnceLock<Picker>,
    pub import: ImportSession,
}

impl AppState {
    /// Opens the database; a failure is kept and reported by every command
    /// (and shown by the UI) instead of crashing the app at start. Every
    /// page is read afterwards, beside the work ([`AppState::check_pages`]),
    /// so a big file does not hold the window back.
    pub fn open(db_path: PathBuf) -> Self {
        let store = Store::open_deferring_check(&db_path)
            .map(Arc::new)
            .map_err(|e| e.body());
        Self {
            store,
            damaged: OnceLock::new(),
            db_path,
            picker: OnceLock::new(),
            import: ImportSession::default(),
        }
    }

    /// No database path could be worked out (no HOME): every command says so.
    pub fn unavailable(error: ErrorBody) -> Self {
        Self {
            store: Err(error),
            damaged: OnceLock::new(),
            db_path: PathBuf::new(),
            picker: OnceLock::new(),
            import: ImportSession::default(),
        }
    }

    pub fn from_store(store: Store, db_path: PathBuf) -> Self {
        Self {
            store: Ok(Arc::new(store)),
            damaged: OnceLock::new(),
            db_path,
            picker: OnceLock::new(),
            import: ImportSession::default(),
        }
    }

    pub fn store(&self) -> Result<Arc<Store>, ErrorBody> {
        match self.damaged.get() {
            Some(e) => Err(e.clone()),
            None => self.store.clone(),
        }
    }

    /// Reads every page of the open database; a damaged file is remembered
    /// (every command refuses from then on) and returned.
    pub fn check_pages(&self) -> Result<(), ErrorBody> {
        let store = self.store()?;
        store.check_pages().map_err(|e| {
            let body = e.body();
            if body.code == mission_crm_engine::ErrorCode::Corrupt {
                let _ = self.damaged.set(body.clone());
            }
            body
        })
    }

    /// Installs how files are chosen (once: the app's setup, or a test).
    pub fn set_picker(&self, picker: Picker) {
        let _ = self.picker.set(picker);
    }

    /// How files are chosen; None before one is installed.
    pub fn picker(&self) -> Option<Picker> {
        self.picker.get().cloned()
    }

    pub fn open_error(&self) -> Option<&ErrorBody> {
        self.damaged.get().or(self.store.as_ref().err())
    }
}
