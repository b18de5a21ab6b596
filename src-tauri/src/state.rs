//! What the command handlers share: the store (or why it could not be
//! opened), where it lives, how files are chosen, and the import under way.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Condvar, Mutex, OnceLock};
use std::time::{Duration, Instant};

use mission_crm_engine::db::PageCheck;
use mission_crm_engine::import::Progress;
use mission_crm_engine::report::Lang;
use mission_crm_engine::{ErrorBody, Store};

/// What a file is chosen for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Pick {
    /// A CSV, vCard or JSON file to import.
    Import,
    /// Where to save an export, suggesting this file name.
    Save(String),
    /// A file to attach to a record.
    Attach,
}

/// Chooses a file: the native dialog in the app, a fixed answer in tests.
/// The web view never names a path itself, so it can read or write only
/// what the user chose in a dialog.
pub type Picker = Arc<dyn Fn(Pick) -> Option<PathBuf> + Send + Sync>;

/// Opens a file with the desktop's own viewer for its kind: the system's
/// in the app, a recorder in tests.
pub type Opener = Arc<dyn Fn(&Path) -> std::io::Result<()> + Send + Sync>;

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

/// What opening the database gave: the store, or why there is none.
type Opened = Result<Arc<Store>, ErrorBody>;

/// Work that needs the open store (change forwarding, reminders, the page
/// check): run at once, or when an upgrade under way finishes.
type WhenOpen = Box<dyn FnOnce(&Arc<Store>) + Send>;

/// The store, filled once: at construction, or by the thread that upgrades
/// the file while the window is already up ([`AppState::open_or_upgrade`]).
struct Slot {
    opened: tokio::sync::watch::Sender<Option<Opened>>,
    /// Held while `opened` is filled and while work is queued, so no work
    /// is queued after the queue was run.
    waiting: Mutex<Vec<WhenOpen>>,
}

impl Slot {
    fn new(opened: Option<Opened>) -> Arc<Self> {
        Arc::new(Self {
            opened: tokio::sync::watch::channel(opened).0,
            waiting: Mutex::new(Vec::new()),
        })
    }

    /// Runs the queued work, then makes the store visible to commands: a
    /// write a command makes is then always announced (change forwarding is
    /// queued work). Work queued meanwhile runs before it too.
    fn fill(&self, opened: Opened) {
        loop {
            let work = {
                let mut waiting = self.waiting.lock().unwrap_or_else(|e| e.into_inner());
                if waiting.is_empty() {
                    self.opened.send_replace(Some(opened));
                    return;
                }
                std::mem::take(&mut *waiting)
            };
            if let Ok(store) = &opened {
                for work in work {
                    work(store);
                }
            }
        }
    }

    fn get(&self) -> Option<Opened> {
        self.opened.borrow().clone()
    }
}

pub struct AppState {
    store: Arc<Slot>,
    /// The file to upgrade, until [`AppState::begin_upgrade`] takes it.
    upgrade: Mutex<Option<PathBuf>>,
    pub activity: Activity,
    /// Set when the page check after start finds the file damaged: from
    /// then on every command refuses, and the window offers a backup.
    damaged: OnceLock<ErrorBody>,
    pub db_path: PathBuf,
    picker: OnceLock<Picker>,
    opener: OnceLock<Opener>,
    pub import: ImportSession,
    /// The interface's language, as the window last said: what the app says
    /// outside it (desktop notifications) is in it too.
    pub language: Arc<Language>,
}

/// The interface's language, none until the window has said it.
pub struct Language {
    lang: Mutex<Option<Lang>>,
    told: Condvar,
}

impl Language {
    fn new() -> Self {
        Self {
            lang: Mutex::new(None),
            told: Condvar::new(),
        }
    }

    pub fn set(&self, lang: Lang) {
        if let Ok(mut current) = self.lang.lock() {
            *current = Some(lang);
        }
        self.told.notify_all();
    }

    /// The language the window said, English until it has.
    pub fn get(&self) -> Lang {
        self.lang.lock().ok().and_then(|l| *l).unwrap_or(Lang::En)
    }

    /// Waits, up to `most`, for the window to say its language: the first
    /// reminders are announced once (a Russian backlog said in English at a
    /// slow start stayed English).
    pub fn wait_told(&self, most: Duration) {
        if let Ok(lang) = self.lang.lock() {
            let _ = self.told.wait_timeout_while(lang, most, |l| l.is_none());
        }
    }
}

/// How long an upgrade waits for another program's write (the CLI's
/// import) before it gives up: the window is up and says what is happening,
/// so it can wait longer than a command's [`mission_crm_engine::db::BUSY_TIMEOUT`].
const UPGRADE_WAITS_FOR: Duration = Duration::from_secs(60);

/// Opens (and upgrades) the database, trying again while another program
/// holds the file.
fn open_waiting_for_writers(db_path: &std::path::Path) -> Opened {
    let began = Instant::now();
    loop {
        match Store::open_deferring_check(db_path) {
            Err(e)
                if e.code() == mission_crm_engine::ErrorCode::Busy
                    && began.elapsed() < UPGRADE_WAITS_FOR =>
            {
                std::thread::sleep(Duration::from_millis(250));
            }
            opened => return opened.map(Arc::new).map_err(|e| e.body()),
        }
    }
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
        Self::with(Some(store), db_path)
    }

    /// [`AppState::open`], unless the file must be upgraded first (an older
    /// schema: its pages are checked, then it is migrated, ~10 s at a
    /// million contacts). Then it is opened on a thread of its own
    /// ([`AppState::begin_upgrade`], once the app is built: a second start
    /// has handed over to the first by then and upgrades nothing), while
    /// the window comes up and says so ([`AppState::upgrading`]); commands
    /// wait for it ([`AppState::store_ready`]).
    pub fn open_or_upgrade(db_path: PathBuf) -> Self {
        if !mission_crm_engine::db::upgrade_pending(&db_path) {
            return Self::open(db_path);
        }
        let state = Self::with(None, db_path.clone());
        *state.upgrade.lock().unwrap_or_else(|e| e.into_inner()) = Some(db_path);
        state
    }

    /// Begins the upgrade [`AppState::open_or_upgrade`] found pending, if
    /// any (once).
    pub fn begin_upgrade(&self) {
        let Some(db_path) = self
            .upgrade
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .take()
        else {
            return;
        };
        let slot = self.store.clone();
        let spawned = std::thread::Builder::new()
            .name("upgrade".into())
            .spawn(move || {
                // Filled whatever happens: commands wait for it.
                let opened = std::panic::catch_unwind(|| open_waiting_for_writers(&db_path))
                    .unwrap_or_else(|_| {
                        Err(ErrorBody::internal(
                            "the upgrade of the database stopped unexpectedly",
                        ))
                    });
                slot.fill(opened);
            });
        if let Err(e) = spawned {
            self.store.fill(Err(ErrorBody::internal(format!(
                "the database could not be opened: {e}"
            ))));
        }
    }

    /// No database path could be worked out (no HOME): every command says so.
    pub fn unavailable(error: ErrorBody) -> Self {
        Self::with(Some(Err(error)), PathBuf::new())
    }

    pub fn from_store(store: Store, db_path: PathBuf) -> Self {
        Self::with(Some(Ok(Arc::new(store))), db_path)
    }

    fn with(opened: Option<Opened>, db_path: PathBuf) -> Self {
        Self {
            store: Slot::new(opened),
            upgrade: Mutex::new(None),
            activity: Activity::new(),
            damaged: OnceLock::new(),
            db_path,
            picker: OnceLock::new(),
            opener: OnceLock::new(),
            import: ImportSession::default(),
            language: Arc::new(Language::new()),
        }
    }

    /// The store; while an upgrade is under way, a `busy` error that says
    /// so (commands wait instead: [`AppState::store_ready`]).
    pub fn store(&self) -> Result<Arc<Store>, ErrorBody> {
        match (self.damaged.get(), self.store.get()) {
            (Some(e), _) => Err(e.clone()),
            (None, Some(opened)) => opened,
            (None, None) => Err(ErrorBody {
                code: mission_crm_engine::ErrorCode::Busy,
                message: "The database is being upgraded for this version of Mission CRM; \
                          try again in a moment."
                    .into(),
                field: None,
            }),
        }
    }

    /// The store once it is open: at once, or when the upgrade under way
    /// has finished.
    pub async fn store_ready(&self) -> Result<Arc<Store>, ErrorBody> {
        // The sender lives in `self`, so the wait ends with a value.
        let _ = self
            .store
            .opened
            .subscribe()
            .wait_for(Option::is_some)
            .await;
        self.store()
    }

    /// Whether the database is being upgraded (the window says so).
    pub fn upgrading(&self) -> bool {
        self.store.get().is_none()
    }

    /// Runs `work` with the store once it is open: now, or when the upgrade
    /// under way has finished; never if it could not be opened.
    pub fn when_open(&self, work: impl FnOnce(&Arc<Store>) + Send + 'static) {
        let opened = {
            let mut waiting = self.store.waiting.lock().unwrap_or_else(|e| e.into_inner());
            match self.store.get() {
                Some(opened) => opened,
                None => return waiting.push(Box::new(work)),
            }
        };
        if let Ok(store) = opened {
            work(&store);
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

    /// Installs how files are opened for the user (once: the app's setup,
    /// or a test).
    pub fn set_opener(&self, opener: Opener) {
        let _ = self.opener.set(opener);
    }

    /// How files are opened; None before one is installed.
    pub fn opener(&self) -> Option<Opener> {
        self.opener.get().cloned()
    }

    /// Why there is no store (none while an upgrade is under way).
    pub fn open_error(&self) -> Option<ErrorBody> {
        match self.damaged.get() {
            Some(e) => Some(e.clone()),
            None => self.store.get().and_then(Result::err),
        }
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
