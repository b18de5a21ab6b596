//! Notes: dated text on any record, shown on its timeline.

use rusqlite::params;
use serde::Serialize;
use specta::Type;

use super::{inserted, updated};
use crate::error::Result;
use crate::id::Id;
use crate::store::{Db, Entity, Tx};
use crate::validate;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
pub struct Note {
    pub id: Id,
    pub entity: Entity,
    pub entity_id: Id,
    pub body: String,
    pub created_at: String,
}

pub fn add(tx: &mut Tx<'_>, entity: Entity, entity_id: Id, body: &str) -> Result<Note> {
    let body = validate::required("note", body)?;
    let id = Id::new();
    tx.conn()
        .prepare_cached(
            "INSERT INTO notes (id, entity, entity_id, body, created_at, updated_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?5)",
        )?
        .execute(params![id, entity, entity_id, body, tx.now()])?;
    let note = Note {
        id,
        entity,
        entity_id,
        body,
        created_at: tx.now().to_owned(),
    };
    inserted(tx, Entity::Note, id, note)
}

/// A record's notes, newest first.
pub fn list(db: &Db<'_>, entity: Entity, entity_id: Id) -> Result<Vec<Note>> {
    let mut stmt = db.conn().prepare_cached(
        "SELECT id, body, created_at FROM notes
          WHERE entity = ?1 AND entity_id = ?2 AND deleted_at IS NULL
          ORDER BY created_at DESC, id DESC",
    )?;
    let notes = stmt
        .query_map(params![entity, entity_id], |r| {
            Ok(Note {
                id: r.get(0)?,
                entity,
                entity_id,
                body: r.get(1)?,
                created_at: r.get(2)?,
            })
        })?
        .collect::<rusqlite::Result<_>>()?;
    Ok(notes)
}

/// Moves every note on one record to another (a merge), each recorded as
/// an update: a note's search hit names the record it is on, so its index
/// row must follow, and its history says where it went. Notes in the trash
/// move too, so a restore finds them on the record that is left.
pub(crate) fn move_all(tx: &mut Tx<'_>, entity: Entity, from: Id, to: Id) -> Result<()> {
    let moving: Vec<Note> = tx
        .conn()
        .prepare_cached(
            "SELECT id, body, created_at FROM notes WHERE entity = ?1 AND entity_id = ?2
              ORDER BY created_at, id",
        )?
        .query_map(params![entity, from], |r| {
            Ok(Note {
                id: r.get(0)?,
                entity,
                entity_id: from,
                body: r.get(1)?,
                created_at: r.get(2)?,
            })
        })?
        .collect::<rusqlite::Result<_>>()?;
    for before in moving {
        tx.conn()
            .prepare_cached("UPDATE notes SET entity_id = ?2, updated_at = ?3 WHERE id = ?1")?
            .execute(params![before.id, to, tx.now()])?;
        let after = Note {
            entity_id: to,
            ..before.clone()
        };
        updated(tx, Entity::Note, before.id, &before, after)?;
    }
    Ok(())
}
