//! What the command handlers share: the store (or why it could not be
//! opened), where it lives, how files are chosen, and the import under way.

use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, OnceLock};
use std::time::{Duration, Instant};

use mission_crm_engine::db::PageCheck;
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

/// When the window last asked the store for something: background work
/// that reads the whole file waits for a pause, and stops when the user
/// is back ([`AppState::check_pages`]).
pub struct Activity {
    since: Instant,
    /// Milliseconds after `since` of the latest command's start or end.
    last_ms: AtomicU64,
    /// Commands under way: an import or an export is work too.
    running: AtomicUsize,
}

/// A command under way ([`Activity::begin`]); its end counts as activity.
pub struct Running<'a>(&'a Activity);

impl Drop for Running<'_> {
    fn drop(&mut self) {
        self.0.running.fetch_sub(1, Ordering::Relaxed);
        self.0.note();
    }
}

impl Activity {
    fn new() -> Self {
        Self {
            since: Instant::now(),
            last_ms: AtomicU64::new(0),
            running: AtomicUsize::new(0),
        }
    }

    /// A command begins; it is under way until the guard is dropped.
    pub fn begin(&self) -> Running<'_> {
        self.running.fetch_add(1, Ordering::Relaxed);
        self.note();
        Running(self)
    }

    /// Whether a command is under way.
    pub fn busy(&self) -> bool {
        self.running.load(Ordering::Relaxed) > 0
    }

    fn now_ms(&self) -> u64 {
        u64::try_from(self.since.elapsed().as_millis()).unwrap_or(u64::MAX)
    }

    /// A command began or ended.
    fn note(&self) {
        self.last_ms.fetch_max(self.now_ms(), Ordering::Relaxed);
    }

    /// When the latest command arrived, to tell whether another has since.
    pub fn latest(&self) -> u64 {
        self.last_ms.load(Ordering::Relaxed)
    }

    /// How long no command has been under way or arrived (since start, if
    /// none has).
    pub fn quiet_for(&self) -> Duration {
        if self.busy() {
            return Duration::ZERO;
        }
        Duration::from_millis(
            self.now_ms()
                .saturating_sub(self.last_ms.load(Ordering::Relaxed)),
        )
    }
}

pub struct AppState {
    store: Result<Arc<Store>, ErrorBody>,
    pub activity: Activity,
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
            activity: Activity::new(),
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
            activity: Activity::new(),
            damaged: OnceLock::new(),
            db_path: PathBuf::new(),
            picker: OnceLock::new(),
            import: ImportSession::default(),
        }
    }

    pub fn from_store(store: Store, db_path: PathBuf) -> Self {
        Self {
            store: Ok(Arc::new(store)),
            activity: Activity::new(),
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

    /// Reads every page of the open database, giving way (and saying so)
    /// when a command arrives while it runs, unless `regardless`; a damaged
    /// file is remembered (every command refuses from then on) and returned.
    pub fn check_pages(&self, regardless: bool) -> Result<PageCheck, ErrorBody> {
        let store = self.store()?;
        let latest = self.activity.latest();
        // Busy: a command is under way, or came after the check began.
        let busy = || !regardless && (self.activity.busy() || self.activity.latest() != latest);
        store.check_pages_unless(&busy).map_err(|e| {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn activity_tells_how_long_the_window_has_been_quiet() {
        let activity = Activity::new();
        std::thread::sleep(Duration::from_millis(30));
        assert!(
            activity.quiet_for() >= Duration::from_millis(30),
            "quiet since start"
        );
        let before = activity.latest();
        activity.note();
        assert!(activity.quiet_for() < Duration::from_millis(30));
        assert_ne!(activity.latest(), before, "a command is seen as new");
        let running = activity.begin();
        std::thread::sleep(Duration::from_millis(30));
        assert!(activity.busy());
        assert_eq!(
            activity.quiet_for(),
            Duration::ZERO,
            "a long command is work"
        );
        drop(running);
        assert!(!activity.busy());
    }
}
