//! The one place that opens SQLite connections and brings the schema up to
//! date. Per-connection settings live here, not in migrations, because SQLite
//! forgets them when a connection closes.

use std::path::Path;
use std::sync::LazyLock;
use std::time::Duration;

use rusqlite::config::DbConfig;
use rusqlite::functions::FunctionFlags;
use rusqlite::{Connection, OpenFlags};
use rusqlite_migration::{Migrations, M};

use crate::error::Result;

/// Append-only: never edit a shipped entry, add a new one. The version lives
/// in `PRAGMA user_version`.
/// `tests/fixtures/schema-vN-*.db` keeps a database made at each shipped
/// version, and a test upgrades every one of them.
const SCRIPTS: &[&str] = &[
    include_str!("../migrations/001_schema.sql"),
    include_str!("../migrations/002_undo_lists_search.sql"),
    include_str!("../migrations/003_imports.sql"),
    include_str!("../migrations/004_contentless_search.sql"),
    include_str!("../migrations/005_contact_list_columns.sql"),
    include_str!("../migrations/006_smaller_file.sql"),
    include_str!("../migrations/007_trash_index.sql"),
    include_str!("../migrations/008_contact_search.sql"),
    include_str!("../migrations/009_trash_pages.sql"),
    include_str!("../migrations/010_import_items_and_introducers.sql"),
    include_str!("../migrations/011_undo_after_first_addresses.sql"),
    include_str!("../migrations/012_marks_in_words.sql"),
    include_str!("../migrations/013_sort_keys.sql"),
    include_str!("../migrations/014_merged_into.sql"),
];

pub static MIGRATIONS: LazyLock<Migrations<'static>> =
    LazyLock::new(|| Migrations::new(SCRIPTS.iter().map(|sql| M::up(sql)).collect()));

/// How long a writer waits for another process (the CLI while the app is
/// open) before giving up with [`crate::ErrorCode::Busy`].
pub const BUSY_TIMEOUT: Duration = Duration::from_secs(5);

/// The write-ahead log's size, in bytes, once it starts over ([`configure`]).
const JOURNAL_SIZE_LIMIT: i64 = 32 * 1024 * 1024;

/// Opens (creating if needed) a database file, checks every page
/// ([`check_pages`]) and migrates it to the latest schema in one transaction.
pub fn open_file(path: &Path) -> Result<Connection> {
    let mut conn = connect(path)?;
    // A file damaged by a dead battery or a bad disk is found here, before
    // anything reads it as data.
    check_pages(&conn, path)?;
    migrate(&mut conn, path)?;
    Ok(conn)
}

/// As [`open_file`] without reading every page first: the header and the
/// schema are still read (a file that is not a database fails here), but
/// the page check is left to the caller, who runs [`check_file`] on a
/// connection of its own. The app does this so that a million contacts do
/// not hold its window back by the seconds `quick_check` takes. A file
/// that needs a migration, or a search index built anew (which rewrites
/// every contact's name key and the whole index), is checked first all the
/// same: such a write must not go into a damaged file.
pub fn open_file_deferring_check(path: &Path) -> Result<Connection> {
    let mut conn = connect(path)?;
    let version = schema_version(&conn).map_err(|e| damaged(path, e))?;
    let rebuilds_index = version == latest_version()
        && !crate::search::is_current(&conn).map_err(|e| damaged(path, e))?;
    if version != 0 && (version < latest_version() || rebuilds_index) {
        check_pages(&conn, path)?;
    }
    migrate(&mut conn, path)?;
    Ok(conn)
}

/// Whether opening the file at `path` will upgrade it (migrate an older
/// schema, or rebuild the search index), read without writing anything.
/// A new file is not an upgrade (its schema takes milliseconds), nor is
/// one that cannot be read: the open itself then fails, at once, with the
/// reason.
pub fn upgrade_pending(path: &Path) -> bool {
    let Ok(conn) = open_read_only(path) else {
        return false;
    };
    match schema_version(&conn) {
        Ok(0) | Err(_) => false,
        Ok(version) if version < latest_version() => true,
        // Current: the search index may still be from other folding rules
        // (rebuilt at open: about a minute at a million contacts). A newer
        // schema is refused by the open, at once.
        Ok(version) => {
            version == latest_version() && !crate::search::is_current(&conn).unwrap_or(false)
        }
    }
}

/// Checks every page of the file at `path` through a read-only connection
/// of its own (WAL lets it read beside the writer).
pub fn check_file(path: &Path) -> Result<()> {
    check_pages(&open_for_check(path)?, path)
}

/// A read-only connection of its own for a page check.
fn open_for_check(path: &Path) -> Result<Connection> {
    open_read_only(path).map_err(|e| damaged(path, e))
}

/// A read-only connection that never creates the file.
pub(crate) fn open_read_only(path: &Path) -> Result<Connection> {
    let conn = Connection::open_with_flags(
        path,
        OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )?;
    // A writer's checkpoint can hold the file a moment; wait as writers do.
    conn.busy_timeout(BUSY_TIMEOUT)?;
    Ok(conn)
}

/// How a page check that gives way to the user ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PageCheck {
    /// Every page read, and sound.
    Sound,
    /// Stopped (or not begun) because `busy` turned true: to be tried again.
    GaveWay,
}

/// [`check_file`], but it stops as soon as `busy()` is true (polled every
/// 50 ms while the check runs, through SQLite's interrupt), and does not
/// begin while it is: reading every page of a million-contact file takes
/// ~13 s, and even at the lowest CPU priority it slowed the window the user
/// was working in (`make bench`).
pub fn check_file_unless(path: &Path, busy: &(dyn Fn() -> bool + Sync)) -> Result<PageCheck> {
    if busy() {
        return Ok(PageCheck::GaveWay);
    }
    let conn = open_for_check(path)?;
    let interrupt = conn.get_interrupt_handle();
    let done = std::sync::atomic::AtomicBool::new(false);
    let gave_way = std::sync::atomic::AtomicBool::new(false);
    let checked = std::thread::scope(|scope| {
        scope.spawn(|| {
            while !done.load(std::sync::atomic::Ordering::Acquire) {
                // Again at every poll: an interrupt that comes before the
                // check's first step is forgotten when the step begins.
                if busy() {
                    gave_way.store(true, std::sync::atomic::Ordering::Release);
                    interrupt.interrupt();
                }
                std::thread::sleep(Duration::from_millis(50));
            }
        });
        let checked = check_pages(&conn, path);
        done.store(true, std::sync::atomic::Ordering::Release);
        checked
    });
    match checked {
        // An interrupted check proves nothing either way; damage found
        // before the interrupt is still damage.
        Err(crate::Error::Sqlite(rusqlite::Error::SqliteFailure(e, _)))
            if e.code == rusqlite::ErrorCode::OperationInterrupted
                && gave_way.load(std::sync::atomic::Ordering::Acquire) =>
        {
            Ok(PageCheck::GaveWay)
        }
        Err(e) => Err(e),
        Ok(()) => Ok(PageCheck::Sound),
    }
}

fn connect(path: &Path) -> Result<Connection> {
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir)?;
    }
    let flags = OpenFlags::SQLITE_OPEN_READ_WRITE
        | OpenFlags::SQLITE_OPEN_CREATE
        | OpenFlags::SQLITE_OPEN_NO_MUTEX;
    let conn = Connection::open_with_flags(path, flags)?;
    configure(&conn, true).map_err(|e| damaged(path, e))?;
    Ok(conn)
}

/// Configures a connection to a file as [`open_file`] does and brings its
/// schema to this version: for a copy made ready on the connection that
/// wrote it (a backup being restored, already checked).
pub(crate) fn make_current(conn: &mut Connection, path: &Path) -> Result<()> {
    configure(conn, true).map_err(|e| damaged(path, e))?;
    migrate(conn, path)
}

/// `quick_check` reads every page but skips the slower index cross-checks
/// of `integrity_check`.
fn check_pages(conn: &Connection, path: &Path) -> Result<()> {
    let check: String = conn
        .query_row("PRAGMA quick_check", [], |r| r.get(0))
        .map_err(|e| damaged(path, e.into()))?;
    if check != "ok" {
        return Err(crate::Error::Damaged(format!(
            "{}: {check}",
            path.display()
        )));
    }
    Ok(())
}

fn migrate(conn: &mut Connection, path: &Path) -> Result<()> {
    MIGRATIONS
        .to_latest(conn)
        .map_err(|e| damaged(path, e.into()))
}

/// SQLite's "malformed" and "not a database" read as one clear message.
pub(crate) fn damaged(path: &Path, e: crate::Error) -> crate::Error {
    match e.code() {
        crate::ErrorCode::Corrupt => crate::Error::Damaged(format!("{}: {e}", path.display())),
        _ => e,
    }
}

/// The schema version this build migrates to.
pub fn latest_version() -> i64 {
    SCRIPTS.len() as i64
}

/// A private in-memory database with the full schema, for tests and dry runs.
pub fn open_in_memory() -> Result<Connection> {
    let mut conn = Connection::open_in_memory()?;
    configure(&conn, false)?;
    MIGRATIONS.to_latest(&mut conn)?;
    Ok(conn)
}

fn configure(conn: &Connection, file: bool) -> Result<()> {
    conn.busy_timeout(BUSY_TIMEOUT)?;
    // Room for every statement of the hottest write (an import runs about
    // twenty per row); rusqlite's default of 16 would re-prepare them per row.
    conn.set_prepared_statement_cache_capacity(128);
    conn.pragma_update(None, "foreign_keys", true)?;
    // QPSG: plan a statement once, not per binding. Without it SQLite
    // plans around some bound values (a `LIMIT ?`, a parameter beside a
    // partial index), and a statement that does is re-prepared whenever such
    // a parameter is bound again, even to the same value: a search tier
    // spent more time re-preparing than matching (~0.1 ms of ~0.3).
    conn.set_db_config(DbConfig::SQLITE_DBCONFIG_ENABLE_QPSG, true)?;
    // Up to 64 MiB of pages (SQLite's default is 2 MiB): a write that touches
    // many indexes (an import updates six per person) otherwise evicts and
    // re-reads the same pages for every row. Memory is taken only as pages
    // are used, so a small database costs what it did.
    conn.pragma_update(None, "cache_size", -65536)?;
    // The names' sort key as SQL can compute it: schema 13 brings stored
    // keys to the engine's rules with it, changing only the rows whose key
    // differs. Deterministic, so SQLite may call it once per row.
    conn.create_scalar_function(
        "sort_key",
        1,
        FunctionFlags::SQLITE_UTF8 | FunctionFlags::SQLITE_DETERMINISTIC,
        |ctx| Ok(crate::model::sort_key(&ctx.get::<String>(0)?)),
    )?;
    if file {
        // WAL: readers never block the writer, and the CLI can write while
        // the app reads.
        conn.pragma_update(None, "journal_mode", "WAL")?;
        // FULL, not NORMAL: in WAL mode NORMAL may lose the last commits on a
        // power cut, and a delegate's meeting note must survive a dead battery.
        // The cost is one fsync per commit, invisible at human typing speed;
        // bulk imports commit once per import.
        conn.pragma_update(None, "synchronous", "FULL")?;
        // The log is cut back to 32 MiB when it starts over after a
        // checkpoint: a restore or an import writes the whole of what it
        // changes into it (gigabytes at a million contacts), and without a
        // limit that space stayed taken until the app closed.
        conn.pragma_update(None, "journal_size_limit", JOURNAL_SIZE_LIMIT)?;
    }
    Ok(())
}

/// `EXPLAIN QUERY PLAN` of `sql` with `params`, one line per step; steps
/// inside a subquery are indented, so a test can tell a sort of the whole
/// list from a sort inside a per-row subquery. The hot queries' tests use it
/// to fail CI when one stops using its index.
pub(crate) fn query_plan(
    conn: &Connection,
    sql: &str,
    params: impl rusqlite::Params,
) -> Result<Vec<String>> {
    let mut stmt = conn.prepare(&format!("EXPLAIN QUERY PLAN {sql}"))?;
    let lines = stmt
        .query_map(params, |r| {
            let parent: i64 = r.get(1)?;
            let detail: String = r.get(3)?;
            Ok(if parent == 0 {
                detail
            } else {
                format!("  {detail}")
            })
        })?
        .collect::<rusqlite::Result<_>>()?;
    Ok(lines)
}

/// How many SQLite virtual-machine steps `sql` takes to run to its last
/// row: what tests compare between small and large data to show a query's
/// cost does not grow with the rows it could have read (counted, not timed).
pub(crate) fn vm_steps(conn: &Connection, sql: &str, params: impl rusqlite::Params) -> Result<i32> {
    let mut stmt = conn.prepare(sql)?;
    let mut rows = stmt.query(params)?;
    while rows.next()?.is_some() {}
    drop(rows);
    Ok(stmt.get_status(rusqlite::StatementStatus::VmStep))
}

/// The schema version a database file is at (0 for a new file).
pub fn schema_version(conn: &Connection) -> Result<i64> {
    Ok(conn.pragma_query_value(None, "user_version", |r| r.get(0))?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn all_migrations_are_valid() {
        // On a configured connection: schema 13 calls the `sort_key`
        // function `configure` registers (`Migrations::validate` opens a
        // bare one).
        let conn = open_in_memory().expect("every migration applies in order");
        assert_eq!(schema_version(&conn).expect("version"), latest_version());
    }

    #[test]
    fn a_file_database_is_in_wal_with_foreign_keys_and_full_sync() {
        let dir = tempfile::tempdir().expect("temp dir");
        let conn = open_file(&dir.path().join("a/b/crm.db")).expect("opens, creating folders");
        let mode: String = conn
            .pragma_query_value(None, "journal_mode", |r| r.get(0))
            .expect("journal_mode");
        let fk: i64 = conn
            .pragma_query_value(None, "foreign_keys", |r| r.get(0))
            .expect("foreign_keys");
        let sync: i64 = conn
            .pragma_query_value(None, "synchronous", |r| r.get(0))
            .expect("synchronous");
        assert_eq!(mode, "wal");
        assert_eq!(fk, 1);
        assert_eq!(sync, 2, "synchronous=FULL");
        let limit: i64 = conn
            .pragma_query_value(None, "journal_size_limit", |r| r.get(0))
            .expect("journal_size_limit");
        assert_eq!(limit, JOURNAL_SIZE_LIMIT);
        assert!(schema_version(&conn).expect("version") >= 1);
    }

    #[test]
    fn fts5_is_compiled_in() {
        let conn = open_in_memory().expect("db");
        conn.execute_batch("CREATE VIRTUAL TABLE t USING fts5(x); INSERT INTO t VALUES ('ok');")
            .expect("FTS5 available in the bundled SQLite");
    }

    #[test]
    fn a_statement_is_planned_once_whatever_it_is_bound_to() {
        // A `LIMIT ?` bound anew made SQLite re-prepare the statement on
        // every run (each list page and search tier) before QPSG was on.
        let conn = open_in_memory().expect("db");
        let mut stmt = conn
            .prepare("SELECT id FROM contacts WHERE deleted_at IS NULL ORDER BY sort_name LIMIT ?1")
            .expect("prepared");
        for limit in [20, 20, 100] {
            stmt.query_map([limit], |r| r.get::<_, crate::id::Id>(0))
                .expect("ran")
                .for_each(drop);
        }
        assert_eq!(
            stmt.get_status(rusqlite::StatementStatus::RePrepare),
            0,
            "re-prepared on a new binding"
        );
        // The same without QPSG: what the setting is there to prevent.
        drop(stmt);
        conn.set_db_config(DbConfig::SQLITE_DBCONFIG_ENABLE_QPSG, false)
            .expect("QPSG off");
        let mut stmt = conn
            .prepare("SELECT id FROM contacts WHERE deleted_at IS NULL ORDER BY sort_name LIMIT ?1")
            .expect("prepared");
        for limit in [20, 20] {
            stmt.query_map([limit], |r| r.get::<_, crate::id::Id>(0))
                .expect("ran")
                .for_each(drop);
        }
        assert!(stmt.get_status(rusqlite::StatementStatus::RePrepare) > 0);
    }
}
