//! How a list page filtered to a subset of its records (a tag's people, a
//! sector's organizations) finds them. There are two ways, and each is
//! slow where the other is fast:
//! - walk the list's own order (its index) and keep the subset's records:
//!   for a subset many have, a page is found within a few pages of the
//!   list; for one few have, the walk reads the whole list to find them;
//! - read the subset's records through the subset's own index and sort
//!   them: each page costs the subset's size, small for a few records.
//!
//! So the subset is counted first, up to [`FEW`], from its index alone,
//! and a walk is cut short after [`WALK_STEPS`] for a subset that is large
//! but lies far down the order (a delegation's Cyrillic names after every
//! Latin one), and its page read through the subset instead.

use rusqlite::params;

use crate::error::{Error, Result};
use crate::store::Db;

/// Up to how many records a subset is read through its own index (each
/// page reads them all: ~5 µs a record here) rather than the list's order.
const FEW: i64 = 5_000;

/// How far a list is walked for a subset's records, in SQLite steps (about
/// 20 ms here), before its page is read through the subset instead.
pub const WALK_STEPS: i32 = 300_000;

/// Whether the subset `count_sql` counts holds fewer than [`FEW`] records.
/// `count_sql` counts from an index alone: `SELECT count(*) FROM (SELECT 1
/// ... WHERE x = ?1 LIMIT ?2)`, so a large subset costs [`FEW`] steps.
pub(crate) fn few(db: &Db<'_>, count_sql: &str, value: &str) -> Result<bool> {
    let counted: i64 = db
        .conn()
        .prepare_cached(count_sql)?
        .query_row(params![value, FEW], |r| r.get(0))?;
    Ok(counted < FEW)
}

/// The page `walk` reads, cut short after [`WALK_STEPS`], or else the page
/// `through_subset` reads. Bounded only outside a transaction: an
/// interrupted statement may roll back the transaction it is part of.
pub(crate) fn walk_bounded<T>(
    db: &Db<'_>,
    walk: impl FnOnce() -> Result<T>,
    through_subset: impl FnOnce() -> Result<T>,
) -> Result<T> {
    if !db.conn().is_autocommit() {
        return walk();
    }
    db.conn().progress_handler(WALK_STEPS, Some(|| true));
    let walked = walk();
    db.conn().progress_handler(0, None::<fn() -> bool>);
    match walked {
        Err(Error::Sqlite(rusqlite::Error::SqliteFailure(e, _)))
            if e.code == rusqlite::ErrorCode::OperationInterrupted =>
        {
            through_subset()
        }
        walked => walked,
    }
}
