//! The trash: deleting a record only marks it (`deleted_at`), so its links
//! stay and a restore brings it back whole. Lists and lookups skip marked
//! rows. Each delete and restore is recorded in history.

use rusqlite::{params, OptionalExtension, ToSql};
use serde::{Deserialize, Serialize};
use specta::Type;

use crate::error::{Error, Result};
use crate::id::Id;
use crate::model::{into_page, page_limit, Cursor, Page};
use crate::store::{ChangeOp, Db, Entity, Tx};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
pub struct TrashItem {
    pub entity: Entity,
    pub id: Id,
    /// The record's name or title, to recognise it by.
    pub label: String,
    pub deleted_at: String,
    /// For a contact a merge put here: the one it was merged into, which
    /// has its meetings, follow-ups and notes now.
    pub merged_into: Option<MergedInto>,
}

/// The contact another was merged into.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
pub struct MergedInto {
    pub id: Id,
    pub name: String,
}

/// Whom the contact `id` was merged into, if a merge put it in the trash
/// and that one is live (one in the trash would be a link to nothing).
fn merged_into(db: &Db<'_>, entity: Entity, id: Id) -> Result<Option<MergedInto>> {
    if entity != Entity::Contact {
        return Ok(None);
    }
    Ok(db
        .conn()
        .prepare_cached(
            "SELECT k.id, k.full_name FROM contacts c
               JOIN contacts k ON k.id = c.merged_into_id AND k.deleted_at IS NULL
              WHERE c.id = ?1",
        )?
        .query_row([id], |r| {
            Ok(MergedInto {
                id: r.get(0)?,
                name: r.get(1)?,
            })
        })
        .optional()?)
}

/// The table and the column that names a record, per kind that can be trashed.
pub(crate) fn table(entity: Entity) -> Result<(&'static str, &'static str)> {
    Ok(match entity {
        Entity::Mission => ("missions", "name"),
        Entity::Organization => ("organizations", "name"),
        Entity::Contact => ("contacts", "full_name"),
        Entity::Meeting => ("meetings", "title"),
        Entity::FollowUp => ("follow_ups", "title"),
        Entity::Agreement => ("agreements", "title"),
        Entity::Participation | Entity::Note | Entity::ExchangeRate | Entity::Attachment => {
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
    // A merged contact comes back as a person of its own again.
    let unmerge = if entity == Entity::Contact {
        ", merged_into_id = NULL"
    } else {
        ""
    };
    tx.conn()
        .prepare_cached(&format!(
            "UPDATE {table} SET deleted_at = NULL{unmerge} WHERE id = ?1"
        ))?
        .execute([id])?;
    tx.record(entity, id, ChangeOp::Restore, Some(&item), None::<&()>)
}

fn find(db: &Db<'_>, entity: Entity, id: Id) -> Result<Option<TrashItem>> {
    let (table, label) = table(entity)?;
    let sql =
        format!("SELECT {label}, deleted_at FROM {table} WHERE id = ?1 AND deleted_at IS NOT NULL");
    let found = db
        .conn()
        .prepare_cached(&sql)?
        .query_row([id], |r| {
            Ok(TrashItem {
                entity,
                id,
                label: r.get(0)?,
                deleted_at: r.get(1)?,
                merged_into: None,
            })
        })
        .optional()?;
    found
        .map(|item| {
            Ok(TrashItem {
                merged_into: merged_into(db, entity, id)?,
                ..item
            })
        })
        .transpose()
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

/// The tables of the kinds a user can put in the trash: every one has a
/// `deleted_at` column and a `{table}_in_trash` index.
pub fn tables() -> impl Iterator<Item = &'static str> {
    KINDS
        .into_iter()
        .filter_map(|entity| table(entity).ok().map(|(table, _)| table))
}

/// One kind's trashed rows, most recently deleted first, after the cursor
/// when `after`: a range of the kind's index of its trashed rows
/// (`{table}_in_trash`, on `deleted_at, id` since schema 9), so a page costs
/// what it holds however full the trash is. Records trashed together (an
/// import taken back puts thousands in at one time) are in id order.
fn in_trash(entity: Entity, after: bool) -> Result<String> {
    let (table, label) = table(entity)?;
    let after = if after {
        " AND (deleted_at, id) < (:key, :id)"
    } else {
        ""
    };
    Ok(format!(
        "SELECT id, {label}, deleted_at FROM {table} WHERE deleted_at IS NOT NULL{after} \
         ORDER BY deleted_at DESC, id DESC LIMIT :limit"
    ))
}

/// The query plans of [`list`], first page and next, for the test that
/// keeps them on indexes.
pub fn explain(db: &Db<'_>) -> Result<Vec<String>> {
    let cursor = Cursor {
        key: String::new(),
        id: Id::new(),
    };
    let mut plan = Vec::new();
    for entity in KINDS {
        for after in [false, true] {
            let sql = in_trash(entity, after)?;
            let params: &[(&str, &dyn ToSql)] = if after {
                &[(":limit", &1), (":key", &cursor.key), (":id", &cursor.id)]
            } else {
                &[(":limit", &1)]
            };
            plan.extend(crate::db::query_plan(db.conn(), &sql, params)?);
        }
    }
    Ok(plan)
}

/// Which page of the trash to read: the first, or the one after a cursor.
#[derive(Debug, Clone, Default, Deserialize, Type)]
pub struct TrashFilter {
    pub after: Option<Cursor>,
    pub limit: Option<u32>,
}

/// A page of the trash, most recently deleted first: each kind's page
/// merged, ties (records trashed together) in id order across kinds too.
pub fn list(db: &Db<'_>, filter: &TrashFilter) -> Result<Page<TrashItem>> {
    let limit = page_limit(filter.limit);
    let fetch = limit + 1;
    let mut items = Vec::new();
    for entity in KINDS {
        let mut stmt = db
            .conn()
            .prepare_cached(&in_trash(entity, filter.after.is_some())?)?;
        let mut params: Vec<(&str, &dyn ToSql)> = vec![(":limit", &fetch)];
        if let Some(c) = &filter.after {
            params.extend([(":key", &c.key as &dyn ToSql), (":id", &c.id)]);
        }
        let rows = stmt.query_map(&*params, |r| {
            Ok(TrashItem {
                entity,
                id: r.get(0)?,
                label: r.get(1)?,
                deleted_at: r.get(2)?,
                merged_into: None,
            })
        })?;
        for row in rows {
            items.push(row?);
        }
    }
    items.sort_by(|a, b| (&b.deleted_at, b.id).cmp(&(&a.deleted_at, a.id)));
    items.truncate(fetch as usize);
    // Looked up by key for the page's contacts only.
    for item in &mut items {
        item.merged_into = merged_into(db, item.entity, item.id)?;
    }
    let keyed = items
        .into_iter()
        .map(|item| {
            let key = item.deleted_at.clone();
            (item, key)
        })
        .collect();
    Ok(into_page(keyed, limit, |item| item.id))
}
