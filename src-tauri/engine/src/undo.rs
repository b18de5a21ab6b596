//! Undo (Ctrl+Z): taking back the last write made in the app, whatever it
//! was: an edit, a capture that created four records, a stage move, a delete.
//!
//! Each write made in the app runs with an SQLite session attached to the
//! model's tables ([`recorder`]); before it commits, the session's changeset
//! is inverted and kept in `undo_log` ([`push`]), in the same transaction.
//! [`undo_last`] applies the newest inverse. Working on rows rather than on
//! per-record "before" images means child rows (e-mails, phones, tags,
//! attendees) come back exactly, and a new table is covered by adding it to
//! [`TABLES`] (a test holds that list to the schema).
//!
//! If data was changed since by something not on the stack (the CLI), the
//! undo is refused rather than applied over that change: the outcome is
//! [`UndoOutcome::Stale`], and the stack is cleared.

use std::collections::HashSet;
use std::sync::{Arc, Mutex};

use rusqlite::fallible_streaming_iterator::FallibleStreamingIterator;
use rusqlite::session::{invert_strm, ChangesetIter, ConflictAction, ConflictType, Session};
use rusqlite::{params, Connection, OptionalExtension};
use serde::Serialize;
use serde_json::Value;
use specta::Type;

use crate::error::{Error, Result};
use crate::id::Id;
use crate::model::{agreement, contact, follow_up, meeting, mission, organization, rate};
use crate::store::{Change, ChangeOp, Db, Entity, Tx};

/// Every table a user's write can touch, children before their parents.
/// The inverse changeset lists tables in this order, so taking back an
/// insert deletes child rows before their parent (no cascade runs into a
/// row the changeset still expects), and re-inserted children wait for
/// their parent because the session defers foreign-key checks to the end.
pub const TABLES: &[&str] = &[
    "attachments",
    "notes",
    "taggings",
    "tags",
    "follow_ups",
    "agreements",
    "meeting_attendees",
    "meeting_organizations",
    "meetings",
    "contact_messengers",
    "contact_phones",
    "contact_emails",
    "contacts",
    "participations",
    "organization_sectors",
    "organizations",
    "missions",
    "exchange_rates",
];

/// How many writes can be undone; older entries are dropped.
pub const DEPTH: i64 = 100;

/// What Ctrl+Z did.
#[derive(Debug, Clone, PartialEq, Serialize, Type)]
#[serde(tag = "outcome", rename_all = "snake_case")]
pub enum UndoOutcome {
    /// The stack is empty.
    Nothing,
    /// The write was taken back. `entity`, `op` and `label` name its main
    /// record (the first it changed), e.g. contact, update, "Sakhmetov".
    Undone {
        entity: Entity,
        op: ChangeOp,
        label: String,
        records: u32,
    },
    /// Data the write touched was changed since outside the app, so the
    /// write was left as it is, and the stack is cleared (older steps were
    /// made on top of it).
    Stale {
        entity: Entity,
        label: String,
        table: String,
    },
    /// The step could not be read; it was skipped.
    Failed { reason: String },
}

/// A session recording the model's tables, for a write made in the app.
pub(crate) fn recorder(conn: &Connection) -> Result<Session<'_>> {
    let mut session = Session::new(conn)?;
    for table in TABLES {
        session.attach(Some(*table))?;
    }
    Ok(session)
}

/// Puts the inverse of what `session` recorded on the undo stack, unless
/// the write changed nothing or is itself an undo.
pub(crate) fn push(tx: &Tx<'_>, session: &mut Session<'_>) -> Result<()> {
    // A write that recorded no change (no history) has nothing to name.
    if tx.is_undo() || session.is_empty() || tx.changes().is_empty() {
        return Ok(());
    }
    let mut forward = Vec::new();
    session.changeset_strm(&mut forward)?;
    let mut inverse = Vec::new();
    invert_strm(&mut forward.as_slice(), &mut inverse)?;
    let changes = serde_json::to_string(tx.changes())
        .map_err(|e| Error::Data(format!("cannot serialise the undo entry: {e}")))?;
    let conn = tx.conn();
    conn.prepare_cached("INSERT INTO undo_log (at, changes, inverse) VALUES (?1, ?2, ?3)")?
        .execute(params![tx.now(), changes, inverse])?;
    conn.prepare_cached("DELETE FROM undo_log WHERE seq <= last_insert_rowid() - ?1")?
        .execute([DEPTH])?;
    Ok(())
}

/// Takes back the newest write on the stack, in the caller's transaction,
/// and records what it did in history.
pub fn undo_last(tx: &mut Tx<'_>) -> Result<UndoOutcome> {
    tx.mark_undo();
    let entry: Option<(i64, String, Vec<u8>)> = tx
        .conn()
        .prepare_cached("SELECT seq, changes, inverse FROM undo_log ORDER BY seq DESC LIMIT 1")?
        .query_row([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .optional()?;
    let Some((seq, changes, inverse)) = entry else {
        return Ok(UndoOutcome::Nothing);
    };
    // The entry goes whatever happens next, so one that cannot be applied
    // never blocks the ones before it.
    tx.conn()
        .prepare_cached("DELETE FROM undo_log WHERE seq = ?1")?
        .execute([seq])?;
    match take_back(tx, &changes, &inverse) {
        Ok(outcome) => {
            if matches!(outcome, UndoOutcome::Stale { .. }) {
                // Older steps were made on top of the one that cannot be
                // taken back; applying them now could undo the wrong thing.
                tx.conn().execute("DELETE FROM undo_log", [])?;
            }
            Ok(outcome)
        }
        // A damaged entry (hand-edited file, older format): said, skipped.
        Err(Error::Data(reason)) => Ok(UndoOutcome::Failed { reason }),
        Err(e) => Err(e),
    }
}

fn take_back(tx: &mut Tx<'_>, changes: &str, inverse: &[u8]) -> Result<UndoOutcome> {
    let changes: Vec<Change> = serde_json::from_str(changes)
        .map_err(|e| Error::Data(format!("an undo step cannot be read: {e}")))?;
    let records = distinct_records(&changes);
    let Some(&(main_entity, main_id, main_op)) = records.first() else {
        return Err(Error::Data("an undo step names no record".into()));
    };

    let before = records
        .iter()
        .map(|&(entity, id, _)| snapshot(&tx.db(), entity, id))
        .collect::<Result<Vec<_>>>()?;
    let label = before[0].as_ref().map(label_of).unwrap_or_default();

    if let Some(table) = apply(tx.conn(), inverse)? {
        return Ok(UndoOutcome::Stale {
            entity: main_entity,
            label,
            table,
        });
    }

    for (&(entity, id, op), before) in records.iter().zip(&before) {
        let after = snapshot(&tx.db(), entity, id)?;
        tx.record(entity, id, inverse_op(op), before.as_ref(), after.as_ref())?;
    }
    let label = if label.is_empty() {
        snapshot(&tx.db(), main_entity, main_id)?
            .as_ref()
            .map(label_of)
            .unwrap_or_default()
    } else {
        label
    };
    Ok(UndoOutcome::Undone {
        entity: main_entity,
        op: main_op,
        label,
        records: u32::try_from(records.len()).unwrap_or(u32::MAX),
    })
}

/// Applies an inverse changeset, or nothing at all. `Ok(Some(table))` when
/// that would touch data changed since the write: a row no longer matches
/// what the write left (SQLite reports a conflict), or taking the write back
/// would reach rows it never wrote (a foreign-key cascade: undoing "add
/// organization" after the CLI linked a person to it would unlink them).
/// The second is caught by recording the apply with a session of its own
/// and comparing what it changed with what the inverse lists.
fn apply(conn: &Connection, inverse: &[u8]) -> Result<Option<String>> {
    conn.execute_batch("SAVEPOINT undo_apply")?;
    let outcome = apply_checked(conn, inverse);
    match outcome {
        Ok(None) => conn.execute_batch("RELEASE undo_apply")?,
        _ => conn.execute_batch("ROLLBACK TO undo_apply; RELEASE undo_apply")?,
    }
    outcome
}

fn apply_checked(conn: &Connection, inverse: &[u8]) -> Result<Option<String>> {
    let mut watch = recorder(conn)?;
    let conflict: Arc<Mutex<Option<String>>> = Arc::default();
    let seen = Arc::clone(&conflict);
    let result = conn.apply_strm(
        &mut &inverse[..],
        None::<fn(&str) -> bool>,
        move |kind, item| {
            // SQLite passes no row with a foreign-key conflict: `item` may
            // not be read then.
            let table = if kind == ConflictType::SQLITE_CHANGESET_FOREIGN_KEY {
                "a linked record".to_owned()
            } else {
                let op = item.op().ok();
                // A row to delete is already gone: the goal is reached.
                if kind == ConflictType::SQLITE_CHANGESET_NOTFOUND
                    && op
                        .as_ref()
                        .is_some_and(|o| o.code() == rusqlite::hooks::Action::SQLITE_DELETE)
                {
                    return ConflictAction::SQLITE_CHANGESET_OMIT;
                }
                op.map(|o| o.table_name().to_owned()).unwrap_or_default()
            };
            if let Ok(mut slot) = seen.lock() {
                *slot = Some(table);
            }
            ConflictAction::SQLITE_CHANGESET_ABORT
        },
    );
    let conflict = conflict.lock().map(|c| c.clone()).unwrap_or(None);
    match (result, conflict) {
        (_, Some(table)) => return Ok(Some(table)),
        (Ok(()), None) => {}
        (Err(e), None) => return Err(e.into()),
    }
    let mut applied = Vec::new();
    watch.changeset_strm(&mut applied)?;
    drop(watch);
    let listed = rows_of(inverse)?;
    Ok(rows_of(&applied)?
        .into_iter()
        .find(|row| !listed.contains(row))
        .map(|(table, _)| table))
}

/// The rows a changeset touches, as (table, primary key).
fn rows_of(changeset: &[u8]) -> Result<HashSet<(String, String)>> {
    let mut input: &[u8] = changeset;
    let reader: &mut dyn std::io::Read = &mut input;
    let mut iter = ChangesetIter::start_strm(&reader)?;
    let mut rows = HashSet::new();
    while let Some(item) = iter.next()? {
        let op = item.op()?;
        let table = op.table_name().to_owned();
        let columns = usize::try_from(op.number_of_columns()).unwrap_or(0);
        let insert = op.code() == rusqlite::hooks::Action::SQLITE_INSERT;
        let pk = item.pk()?.to_vec();
        let mut key = Vec::new();
        for col in (0..columns).filter(|&c| pk.get(c).is_some_and(|&p| p != 0)) {
            let value = if insert {
                item.new_value(col)?
            } else {
                item.old_value(col)?
            };
            key.push(format!("{:?}", rusqlite::types::Value::from(value)));
        }
        rows.insert((table, key.join(",")));
    }
    Ok(rows)
}

/// The records a write changed, each once, in the order first changed, with
/// the first operation (an insert then an update is an insert).
fn distinct_records(changes: &[Change]) -> Vec<(Entity, Id, ChangeOp)> {
    let mut seen = HashSet::new();
    changes
        .iter()
        .filter(|c| seen.insert((c.entity, c.id)))
        .map(|c| (c.entity, c.id, c.op))
        .collect()
}

/// What taking back `op` does to the record, as history calls it.
fn inverse_op(op: ChangeOp) -> ChangeOp {
    match op {
        ChangeOp::Insert | ChangeOp::Restore => ChangeOp::Delete,
        ChangeOp::Update => ChangeOp::Update,
        ChangeOp::Delete => ChangeOp::Restore,
    }
}

/// A record as its page shows it, for history; `None` when it does not exist
/// or is in the trash, and for kinds that have no page of their own.
fn snapshot(db: &Db<'_>, entity: Entity, id: Id) -> Result<Option<Value>> {
    fn json<T: Serialize>(v: Option<T>) -> Result<Option<Value>> {
        v.map(serde_json::to_value)
            .transpose()
            .map_err(|e| Error::Data(format!("cannot serialise a record: {e}")))
    }
    fn present<T>(r: Result<T>) -> Result<Option<T>> {
        match r {
            Ok(v) => Ok(Some(v)),
            Err(Error::NotFound { .. }) => Ok(None),
            Err(e) => Err(e),
        }
    }
    match entity {
        Entity::Mission => json(mission::find(db, id)?),
        Entity::Organization => json(organization::find(db, id)?),
        Entity::Contact => json(contact::find(db, id)?),
        Entity::Meeting => json(present(meeting::get(db, id))?),
        Entity::FollowUp => json(present(follow_up::get(db, id))?),
        Entity::Agreement => json(present(agreement::get(db, id))?),
        Entity::ExchangeRate => json(rate::find(db, id)?),
        Entity::Attachment => json(crate::attachments::find(db, id)?),
        Entity::Participation | Entity::Note => Ok(None),
    }
}

fn label_of(record: &Value) -> String {
    ["full_name", "name", "title", "currency", "file_name"]
        .iter()
        .find_map(|k| record.get(k).and_then(Value::as_str))
        .unwrap_or_default()
        .to_owned()
}

/// The tables of the schema, so a test can hold [`TABLES`] to it.
pub fn schema_tables(db: &Db<'_>) -> Result<Vec<String>> {
    Ok(db
        .conn()
        .prepare(
            "SELECT name FROM sqlite_schema WHERE type = 'table'
              AND name NOT LIKE 'sqlite_%' ORDER BY name",
        )?
        .query_map([], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?)
}
