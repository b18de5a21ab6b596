//! The trash: deleting a record only marks it (`deleted_at`), so its links
//! stay and a restore brings it back whole. Lists and lookups skip marked
//! rows. Each delete and restore is recorded in history.

use rusqlite::{params, OptionalExtension};
use serde::Serialize;
use specta::Type;

use crate::error::{Error, Result};
use crate::id::Id;
use crate::store::{ChangeOp, Db, Entity, Tx};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
pub struct TrashItem {
    pub entity: Entity,
    pub id: Id,
    /// The record's name or title, to recognise it by.
    pub label: String,
    pub deleted_at: String,
}

/// The table and the column that names a record, per kind that can be trashed.
fn table(entity: Entity) -> Result<(&'static str, &'static str)> {
    Ok(match entity {
        Entity::Mission => ("missions", "name"),
        Entity::Organization => ("organizations", "name"),
        Entity::Contact => ("contacts", "full_name"),
        Entity::Meeting => ("meetings", "title"),
        Entity::FollowUp => ("follow_ups", "title"),
        Entity::Agreement => ("agreements", "title"),
        Entity::Participation | Entity::Note | Entity::ExchangeRate => {
            return Err(Error::Data(format!("{} has no trash", entity.as_str())))
        }
    })
}

/// Moves a record to the trash.
pub fn delete(tx: &mut Tx<'_>, entity: Entity, id: Id) -> Result<TrashItem> {
    let (table, _) = table(entity)?;
    let changed = tx
        .conn()
        .prepare_cached(&format!(
            "UPDATE {table} SET deleted_at = ?2 WHERE id = ?1 AND deleted_at IS NULL"
        ))?
        .execute(params![id, tx.now()])?;
    if changed == 0 {
        return Err(Error::not_found(entity.as_str(), id));
    }
    let item = find(&tx.db(), entity, id)?.ok_or_else(|| Error::not_found(entity.as_str(), id))?;
    tx.record(entity, id, ChangeOp::Delete, Some(&item), None::<&()>)?;
    Ok(item)
}

/// Takes a record out of the trash, with every link it had.
pub fn restore(tx: &mut Tx<'_>, entity: Entity, id: Id) -> Result<()> {
    let (table, _) = table(entity)?;
    let item = find(&tx.db(), entity, id)?.ok_or_else(|| Error::not_found(entity.as_str(), id))?;
    tx.conn()
        .prepare_cached(&format!(
            "UPDATE {table} SET deleted_at = NULL WHERE id = ?1"
        ))?
        .execute([id])?;
    tx.record(entity, id, ChangeOp::Restore, Some(&item), None::<&()>)
}

fn find(db: &Db<'_>, entity: Entity, id: Id) -> Result<Option<TrashItem>> {
    let (table, label) = table(entity)?;
    let sql =
        format!("SELECT {label}, deleted_at FROM {table} WHERE id = ?1 AND deleted_at IS NOT NULL");
    Ok(db
        .conn()
        .prepare_cached(&sql)?
        .query_row([id], |r| {
            Ok(TrashItem {
                entity,
                id,
                label: r.get(0)?,
                deleted_at: r.get(1)?,
            })
        })
        .optional()?)
}

/// The kinds a user can put in the trash.
const KINDS: [Entity; 6] = [
    Entity::Mission,
    Entity::Organization,
    Entity::Contact,
    Entity::Meeting,
    Entity::FollowUp,
    Entity::Agreement,
];

/// What is in the trash of one kind: read from the kind's index of its
/// trashed rows (`{table}_in_trash`), so it costs what the trash holds.
fn in_trash(entity: Entity) -> Result<String> {
    let (table, label) = table(entity)?;
    Ok(format!(
        "SELECT id, {label}, deleted_at FROM {table} WHERE deleted_at IS NOT NULL"
    ))
}

/// The query plans of [`list`], for the test that keeps them on indexes.
pub fn explain(db: &Db<'_>) -> Result<Vec<String>> {
    let mut plan = Vec::new();
    for entity in KINDS {
        plan.extend(crate::db::query_plan(db.conn(), &in_trash(entity)?, [])?);
    }
    Ok(plan)
}

/// Everything in the trash, most recently deleted first.
pub fn list(db: &Db<'_>) -> Result<Vec<TrashItem>> {
    let mut items = Vec::new();
    for entity in KINDS {
        let sql = in_trash(entity)?;
        let mut stmt = db.conn().prepare_cached(&sql)?;
        let rows = stmt.query_map([], |r| {
            Ok(TrashItem {
                entity,
                id: r.get(0)?,
                label: r.get(1)?,
                deleted_at: r.get(2)?,
            })
        })?;
        for row in rows {
            items.push(row?);
        }
    }
    items.sort_by(|a, b| b.deleted_at.cmp(&a.deleted_at).then(b.id.cmp(&a.id)));
    Ok(items)
}
