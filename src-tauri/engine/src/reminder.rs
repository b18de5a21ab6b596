//! Follow-up reminders: which open follow-ups have fallen due since the last
//! look. The app looks at start, after every committed change (a follow-up
//! rescheduled to today is due at once) and every minute (the date turns at
//! midnight), and announces what [`Reminders::poll`] returns. Each
//! follow-up is announced once per due date: rescheduling it arms it again.

use std::collections::HashMap;

use chrono::NaiveDate;
use serde::Serialize;
use specta::Type;

use crate::error::Result;
use crate::id::Id;
use crate::store::Db;

/// An open follow-up that is due (today) or overdue (before today).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
pub struct Reminder {
    pub follow_up_id: Id,
    pub title: String,
    pub due_on: NaiveDate,
    pub overdue: bool,
}

/// What has been announced, kept by the app for as long as it runs.
#[derive(Debug, Default)]
pub struct Reminders {
    announced: HashMap<Id, NaiveDate>,
}

/// The open follow-ups due by a day, oldest first: asked every minute.
/// Not those of a mission in the trash (the demo put away): its
/// follow-ups are out of every list, and were announced at every start.
const DUE_SQL: &str = "SELECT id, title, due_on FROM follow_ups
  WHERE status = 'open' AND due_on <= ?1 AND deleted_at IS NULL
    AND NOT EXISTS (SELECT 1 FROM missions m
                     WHERE m.id = follow_ups.mission_id AND m.deleted_at IS NOT NULL)
  ORDER BY due_on, id";

/// The due query's plan, for the test that keeps it on its index.
pub fn explain_due(db: &Db<'_>) -> Result<Vec<String>> {
    crate::db::query_plan(db.conn(), DUE_SQL, ["2026-01-01"])
}

impl Reminders {
    pub fn new() -> Self {
        Self::default()
    }

    /// The open follow-ups due on or before `today` not yet announced for
    /// their current due date, oldest first. Done, cancelled and deleted
    /// ones are forgotten, so reopening one announces it again.
    pub fn poll(&mut self, db: &Db<'_>, today: NaiveDate) -> Result<Vec<Reminder>> {
        // Dates are read as text: one malformed row (a hand-edited file)
        // is skipped instead of silencing every reminder.
        let due: Vec<(Id, String, NaiveDate)> = db
            .conn()
            .prepare_cached(DUE_SQL)?
            .query_map([today], |r| {
                Ok((
                    r.get::<_, Id>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, String>(2)?,
                ))
            })?
            .filter_map(|row| match row {
                Ok((id, title, due)) => due.parse().ok().map(|d| Ok((id, title, d))),
                Err(e) => Some(Err(e)),
            })
            .collect::<rusqlite::Result<_>>()?;
        let mut fresh = Vec::new();
        let mut still_due = HashMap::with_capacity(due.len());
        for (id, title, due_on) in due {
            if self.announced.get(&id) != Some(&due_on) {
                fresh.push(Reminder {
                    follow_up_id: id,
                    title,
                    due_on,
                    overdue: due_on < today,
                });
            }
            still_due.insert(id, due_on);
        }
        self.announced = still_due;
        Ok(fresh)
    }
}
