//! The store: owns the connection, runs every read and every write, records
//! history and tells listeners what changed.
//!
//! Writes go through [`Store::write`] only: the closure gets a [`Tx`], the
//! transaction commits when it returns `Ok` and rolls back on `Err` (or a
//! panic), and each recorded change is written to `history` inside the same
//! transaction and announced to listeners after the commit, so an open view
//! never refreshes to data that was rolled back.
//!
//! Reads get a [`Db`], which exposes no way to write. One connection behind a
//! mutex is enough for a single user: queries take microseconds to a few
//! milliseconds and WAL lets other processes (the CLI) read and write beside us.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, MutexGuard, RwLock};

use rusqlite::{params, Connection, Transaction, TransactionBehavior};
use serde::{Deserialize, Serialize};
use specta::Type;

use crate::db;
use crate::error::Result;
use crate::id::Id;
use crate::time::{format_instant, system_clock, Clock};

use crate::macros::text_enum;

text_enum! {
    /// The kinds of record that history and change events talk about.
    pub enum Entity {
        Mission => "mission",
        Organization => "organization",
        Participation => "participation",
        Contact => "contact",
        Meeting => "meeting",
        FollowUp => "follow_up",
        Agreement => "agreement",
        Note => "note",
        ExchangeRate => "exchange_rate",
        Attachment => "attachment",
    }
}

text_enum! {
    pub enum ChangeOp {
        Insert => "insert",
        Update => "update",
        Delete => "delete",
        Restore => "restore",
    }
}

text_enum! {
    /// Who made a change; kept in history so a timeline can say "imported"
    /// or "from the command line".
    pub enum Source {
        App => "app",
        Cli => "cli",
        Import => "import",
        Demo => "demo",
    }
}

/// One committed change, as announced to listeners (the UI refreshes on it).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Type)]
pub struct Change {
    pub entity: Entity,
    pub id: Id,
    pub op: ChangeOp,
    pub source: Source,
}

type Listener = Box<dyn Fn(&[Change]) + Send + Sync>;

pub struct Store {
    conn: Mutex<Connection>,
    path: Option<PathBuf>,
    clock: Clock,
    listeners: RwLock<Vec<Listener>>,
}

impl Store {
    /// Opens the database at `path` after checking every page: a damaged
    /// file is an [`crate::Error::Damaged`] here, before anything reads it.
    pub fn open(path: &Path) -> Result<Self> {
        Self::opened(db::open_file(path)?, path)
    }

    /// Opens without the page check, which then is the caller's to run
    /// ([`Store::check_pages`]) beside the work: the app's window must not
    /// wait the second a million contacts take to read through.
    pub fn open_deferring_check(path: &Path) -> Result<Self> {
        Self::opened(db::open_file_deferring_check(path)?, path)
    }

    fn opened(mut conn: Connection, path: &Path) -> Result<Self> {
        // Reads the search index's version: damage there reads as damage.
        crate::search::ensure_current(&mut conn).map_err(|e| db::damaged(path, e))?;
        Ok(Self::with_connection(conn, Some(path.to_owned())))
    }

    /// Reads every page of the file through a connection of its own, so
    /// reads and writes go on meanwhile. In memory there is nothing to check.
    pub fn check_pages(&self) -> Result<()> {
        match &self.path {
            Some(path) => db::check_file(path),
            None => Ok(()),
        }
    }

    /// [`Store::check_pages`], giving way whenever `busy()` is true
    /// ([`db::check_file_unless`]).
    pub fn check_pages_unless(&self, busy: &(dyn Fn() -> bool + Sync)) -> Result<db::PageCheck> {
        match &self.path {
            Some(path) => db::check_file_unless(path, busy),
            None => Ok(db::PageCheck::Sound),
        }
    }

    pub fn open_in_memory() -> Result<Self> {
        let mut conn = db::open_in_memory()?;
        crate::search::ensure_current(&mut conn)?;
        Ok(Self::with_connection(conn, None))
    }

    fn with_connection(conn: Connection, path: Option<PathBuf>) -> Self {
        Self {
            conn: Mutex::new(conn),
            path,
            clock: system_clock(),
            listeners: RwLock::new(Vec::new()),
        }
    }

    /// Replaces the clock, so tests decide what "now" is.
    pub fn with_clock(mut self, clock: Clock) -> Self {
        self.clock = clock;
        self
    }

    /// "Now" on the store's clock (exports stamp their files with it).
    pub fn now(&self) -> chrono::DateTime<chrono::Utc> {
        (self.clock)()
    }

    pub fn path(&self) -> Option<&Path> {
        self.path.as_deref()
    }

    /// Calls `listener` after every committed write with the changes it made.
    pub fn subscribe(&self, listener: impl Fn(&[Change]) + Send + Sync + 'static) {
        self.listeners
            .write()
            .unwrap_or_else(|p| p.into_inner())
            .push(Box::new(listener));
    }

    fn lock(&self) -> MutexGuard<'_, Connection> {
        // A panic inside a closure rolled its transaction back when the
        // Transaction dropped, so the connection is still sound.
        self.conn.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// The connection itself, for what works on the whole database (the
    /// backup API, a restore). Not a way around `write`: only `backup` uses it.
    pub(crate) fn whole_database<T>(
        &self,
        f: impl FnOnce(&mut Connection) -> Result<T>,
    ) -> Result<T> {
        let mut conn = self.lock();
        f(&mut conn)
    }

    /// Caps the database file at `pages` pages: a full disk, for tests of
    /// what a write does when it cannot grow the file.
    pub fn set_max_pages(&self, pages: u32) -> Result<()> {
        self.lock().pragma_update(None, "max_page_count", pages)?;
        Ok(())
    }

    /// SQLite's `data_version`: it changes when another connection (the
    /// CLI, another process) commits to the file, so a window can show
    /// their writes without polling the data itself.
    pub fn data_version(&self) -> Result<i64> {
        Ok(self
            .lock()
            .pragma_query_value(None, "data_version", |r| r.get(0))?)
    }

    /// Tells listeners that everything may have changed (after a restore,
    /// or another process's writes): an empty list of changes.
    pub fn announce_reload(&self) {
        for listener in self
            .listeners
            .read()
            .unwrap_or_else(|p| p.into_inner())
            .iter()
        {
            listener(&[]);
        }
    }

    pub fn read<T>(&self, f: impl FnOnce(&Db<'_>) -> Result<T>) -> Result<T> {
        let conn = self.lock();
        f(&Db { conn: &conn })
    }

    /// Runs `f` on a read-only connection of its own, in one read
    /// transaction: a long read (an export: tens of seconds at a million
    /// contacts) sees one snapshot of the data, and every other command
    /// goes on meanwhile on the store's connection, writes included (WAL
    /// lets the two read and write side by side). A store in memory has no
    /// file to open a second connection on: `f` runs as in [`Store::read`].
    pub fn read_apart<T>(&self, f: impl FnOnce(&Db<'_>) -> Result<T>) -> Result<T> {
        let Some(path) = &self.path else {
            return self.read(f);
        };
        let mut conn = db::open_read_only(path)?;
        // Deferred: the snapshot is taken at the first read, and held to
        // the end, so every page of an export comes from it.
        let txn = conn.transaction()?;
        let value = f(&Db { conn: &txn })?;
        txn.commit()?;
        Ok(value)
    }

    /// Runs `f` in one IMMEDIATE transaction (the write lock is taken up
    /// front, so a concurrent writer waits at BEGIN instead of failing at
    /// COMMIT), records its changes in history, commits, then notifies.
    ///
    /// Before the commit, the search index is brought up to date for the
    /// records the write changed ([`crate::search`]). A write made in the app
    /// is also recorded, row for row, by an SQLite session, and its inverse
    /// goes onto the undo stack in the same transaction ([`crate::undo`]).
    pub fn write<T>(&self, source: Source, f: impl FnOnce(&mut Tx<'_>) -> Result<T>) -> Result<T> {
        self.run(source, true, f)
    }

    /// Runs `f` exactly as [`Store::write`] would, then rolls it back: what
    /// a write would do, without doing it (an import's dry run).
    pub fn rehearse<T>(
        &self,
        source: Source,
        f: impl FnOnce(&mut Tx<'_>) -> Result<T>,
    ) -> Result<T> {
        self.run(source, false, f)
    }

    fn run<T>(
        &self,
        source: Source,
        commit: bool,
        f: impl FnOnce(&mut Tx<'_>) -> Result<T>,
    ) -> Result<T> {
        let (value, changes) = {
            let conn = self.lock();
            // Unchecked: the session below borrows the connection too; the
            // mutex guard already makes this the only transaction on it.
            let txn = Transaction::new_unchecked(&conn, TransactionBehavior::Immediate)?;
            let mut session = match source {
                Source::App => Some(crate::undo::recorder(&conn)?),
                Source::Cli | Source::Import | Source::Demo => None,
            };
            let mut tx = Tx {
                txn,
                now: format_instant((self.clock)()),
                source,
                changes: Vec::new(),
                undo: false,
            };
            let value = f(&mut tx)?;
            crate::search::reindex(&tx, tx.changes())?;
            if let Some(session) = session.as_mut() {
                crate::undo::push(&tx, session)?;
            }
            drop(session);
            let Tx { txn, changes, .. } = tx;
            if !commit {
                txn.rollback()?;
                return Ok(value);
            }
            txn.commit()?;
            (value, changes)
        };
        if !changes.is_empty() {
            for listener in self
                .listeners
                .read()
                .unwrap_or_else(|p| p.into_inner())
                .iter()
            {
                listener(&changes);
            }
        }
        Ok(value)
    }
}

/// Read access to the database. Its connection is private to the engine, so
/// nothing outside can write through it.
pub struct Db<'c> {
    conn: &'c Connection,
}

impl Db<'_> {
    pub(crate) fn conn(&self) -> &Connection {
        self.conn
    }

    /// The database file's size in pages.
    pub fn page_count(&self) -> Result<u32> {
        Ok(self
            .conn
            .pragma_query_value(None, "page_count", |r| r.get(0))?)
    }
}

/// A write transaction in progress. Reading through [`Tx::db`] sees the
/// transaction's own uncommitted rows.
pub struct Tx<'c> {
    txn: Transaction<'c>,
    now: String,
    source: Source,
    changes: Vec<Change>,
    /// Set by [`crate::undo::undo_last`]: an undo is not itself undoable.
    undo: bool,
}

impl Tx<'_> {
    pub fn db(&self) -> Db<'_> {
        Db { conn: &self.txn }
    }

    pub(crate) fn conn(&self) -> &Connection {
        &self.txn
    }

    pub(crate) fn mark_undo(&mut self) {
        self.undo = true;
    }

    pub(crate) fn is_undo(&self) -> bool {
        self.undo
    }

    pub(crate) fn changes(&self) -> &[Change] {
        &self.changes
    }

    /// The transaction's timestamp: every row written in one transaction
    /// carries the same instant.
    pub(crate) fn now(&self) -> &str {
        &self.now
    }

    /// Records a change in history (same transaction) and queues its event.
    pub(crate) fn record<B: Serialize, A: Serialize>(
        &mut self,
        entity: Entity,
        id: Id,
        op: ChangeOp,
        before: Option<&B>,
        after: Option<&A>,
    ) -> Result<()> {
        let before = before
            .map(serde_json::to_string)
            .transpose()
            .map_err(json_err)?;
        let after = after
            .map(serde_json::to_string)
            .transpose()
            .map_err(json_err)?;
        self.txn
            .prepare_cached(
                "INSERT INTO history (at, source, entity, entity_id, op, before, after)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            )?
            .execute(params![
                self.now,
                self.source,
                entity,
                id,
                op,
                before,
                after
            ])?;
        self.changes.push(Change {
            entity,
            id,
            op,
            source: self.source,
        });
        Ok(())
    }
}

fn json_err(e: serde_json::Error) -> crate::Error {
    crate::Error::Data(format!("cannot serialise history: {e}"))
}

/// A store shared between threads (the app's command handlers).
pub type SharedStore = Arc<Store>;
