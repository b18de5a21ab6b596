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

use rusqlite::{params, Connection};

use crate::error::{Error, Result};
use crate::store::{Db, Entity};

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

/// Counts the records of one kind that have a tag, from the tag's index.
const COUNT_TAGGED: &str = "SELECT count(*) FROM (SELECT 1 FROM taggings
  WHERE tag_id = (SELECT id FROM tags WHERE name = ?1) AND entity = ?2
  LIMIT ?3)";

/// Whether fewer than [`FEW`] records of `entity` have `tag`.
pub(crate) fn few_tagged(db: &Db<'_>, entity: Entity, tag: &str) -> Result<bool> {
    let counted: i64 = db
        .conn()
        .prepare_cached(COUNT_TAGGED)?
        .query_row(params![tag, entity, FEW], |r| r.get(0))?;
    Ok(counted < FEW)
}

/// Interrupts the connection's statements after [`WALK_STEPS`] while it
/// lives; dropped, even by a panic, it lets them run again: the
/// connection is shared, and a handler left behind would cut every later
/// statement short, writes included.
struct Bound<'c>(&'c Connection);

impl<'c> Bound<'c> {
    fn new(conn: &'c Connection) -> Self {
        conn.progress_handler(WALK_STEPS, Some(|| true));
        Self(conn)
    }
}

impl Drop for Bound<'_> {
    fn drop(&mut self) {
        self.0.progress_handler(0, None::<fn() -> bool>);
    }
}

/// A list page's statement, from the connection's cache, with its count of
/// steps set back to zero. SQLite starts a statement's progress budget
/// from the steps it has taken in all its runs so far (`nProgressOps -
/// iPrior % nProgressOps`), so a cached statement's walk was cut short
/// after however few steps that left it, and fell back to reading the
/// whole subset: one page load in tens, at random.
pub(crate) fn page_statement<'c>(
    db: &'c Db<'_>,
    sql: &str,
) -> Result<rusqlite::CachedStatement<'c>> {
    let stmt = db.conn().prepare_cached(sql)?;
    stmt.reset_status(rusqlite::StatementStatus::VmStep);
    Ok(stmt)
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
    let walked = {
        let _bound = Bound::new(db.conn());
        walk()
    };
    match walked {
        Err(Error::Sqlite(rusqlite::Error::SqliteFailure(e, _)))
            if e.code == rusqlite::ErrorCode::OperationInterrupted =>
        {
            through_subset()
        }
        walked => walked,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Store;

    /// Counts to `n` in SQL: about three steps a number.
    fn count_to(db: &Db<'_>, n: i64) -> Result<i64> {
        Ok(db.conn().query_row(
            "WITH RECURSIVE c(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM c WHERE i < ?1)
             SELECT count(*) FROM c",
            [n],
            |r| r.get(0),
        )?)
    }

    #[test]
    fn a_long_walk_is_cut_short_for_the_subset_and_a_short_one_is_not() {
        let store = Store::open_in_memory().expect("store");
        let long = i64::from(WALK_STEPS) * 10;
        let (walked, cut) = store
            .read(|db| {
                Ok((
                    walk_bounded(db, || count_to(db, 1_000), || Ok(-1))?,
                    walk_bounded(db, || count_to(db, long), || Ok(-1))?,
                ))
            })
            .expect("walks");
        assert_eq!((walked, cut), (1_000, -1));
        // The bound is gone afterwards: the same long count runs whole.
        assert_eq!(store.read(|db| count_to(db, long)).expect("count"), long);
    }

    /// A statement from the cache, run again and again, has its whole
    /// budget each time: its earlier runs' steps counted against it, and a
    /// walk of 0.6 of the budget was cut short from the second run on.
    #[test]
    fn a_cached_walk_has_its_whole_budget_every_time() {
        let store = Store::open_in_memory().expect("store");
        // About ten steps a number: a run is a third of the budget, so
        // counted over runs the fourth was cut short.
        let n = i64::from(WALK_STEPS) / 30;
        let counted = store
            .read(|db| {
                (0..6)
                    .map(|_| {
                        walk_bounded(
                            db,
                            || {
                                Ok(page_statement(
                                    db,
                                    "WITH RECURSIVE c(i) AS (SELECT 1 UNION ALL
                                       SELECT i + 1 FROM c WHERE i < ?1)
                                     SELECT count(*) FROM c",
                                )?
                                .query_row([n], |r| r.get::<_, i64>(0))?)
                            },
                            || Ok(-1),
                        )
                    })
                    .collect::<Result<Vec<i64>>>()
            })
            .expect("walks");
        assert_eq!(counted, vec![n; 6], "never cut short");
    }
}
