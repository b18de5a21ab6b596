//! The import history: every committed import with its counts, and taking
//! a whole import back later. Created records go to the trash (whence a
//! restore brings them back whole), updated people get their earlier
//! fields back, and mission links the import made are removed. A record
//! edited or used after the import (merged into, met, given a note or a
//! follow-up) is the user's work since, and stays as it is; so does an
//! organization someone kept still works for, with its link to the
//! mission, as does the link of an organization that met in the mission.

use std::collections::HashSet;

use rusqlite::{params, OptionalExtension};
use serde::{Deserialize, Serialize};
use specta::Type;

use super::{ImportFormat, RowProblem};
use crate::error::{Error, ErrorCode, Result};
use crate::id::Id;
use crate::model::contact::{self, Contact, ContactInput};
use crate::model::Side;
use crate::store::{Db, Entity, Tx};
use crate::trash;

/// One import, as the history lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Type)]
pub struct ImportRecord {
    pub id: Id,
    pub at: String,
    pub file_name: String,
    pub format: ImportFormat,
    pub encoding: String,
    pub mission_id: Option<Id>,
    pub mission_name: Option<String>,
    pub side: Option<Side>,
    pub rows: u32,
    pub created: u32,
    pub updated: u32,
    pub skipped: u32,
    pub problems: Vec<RowProblem>,
    pub undone_at: Option<String>,
}

/// Imports, newest first.
pub fn list(db: &Db<'_>) -> Result<Vec<ImportRecord>> {
    let mut stmt = db.conn().prepare_cached(
        "SELECT i.id, i.at, i.file_name, i.format, i.encoding, i.mission_id, m.name, i.side,
                i.rows, i.created, i.updated, i.skipped, i.problems, i.undone_at
           FROM imports i LEFT JOIN missions m ON m.id = i.mission_id
          ORDER BY i.at DESC, i.id DESC",
    )?;
    let rows = stmt
        .query_map([], |r| {
            Ok(ImportRecord {
                id: r.get(0)?,
                at: r.get(1)?,
                file_name: r.get(2)?,
                format: r.get(3)?,
                encoding: r.get(4)?,
                mission_id: r.get(5)?,
                mission_name: r.get(6)?,
                side: r.get(7)?,
                rows: r.get(8)?,
                created: r.get(9)?,
                updated: r.get(10)?,
                skipped: r.get(11)?,
                problems: crate::model::json_col(r, 12)?,
                undone_at: r.get(13)?,
            })
        })?
        .collect::<rusqlite::Result<_>>()?;
    Ok(rows)
}

/// What taking an import back did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Type)]
pub struct UndoImport {
    /// Records the import created, now in the trash.
    pub trashed: u32,
    /// People the import updated, given their earlier fields back.
    pub restored: u32,
    /// Records the import made or updated that were edited or used since
    /// (attended a meeting, a note, a follow-up; an organization someone
    /// still works for): left as they are.
    pub kept: u32,
    /// Mission links the import made, removed.
    pub unlinked: u32,
}

/// The people and organizations that follow-ups and agreements link to,
/// read once per undo: those tables are a mission's few hundred rows and
/// their link columns have no index, so each of a million imported people
/// is then asked about with a set lookup instead of a scan.
struct LinkedElsewhere(HashSet<Id>);

impl LinkedElsewhere {
    fn load(tx: &Tx<'_>) -> Result<Self> {
        let mut ids = HashSet::new();
        for sql in [
            "SELECT contact_id, owner_id, organization_id FROM follow_ups WHERE deleted_at IS NULL",
            "SELECT our_organization_id, counterpart_organization_id, NULL FROM agreements
              WHERE deleted_at IS NULL",
        ] {
            let mut stmt = tx.conn().prepare(sql)?;
            let mut rows = stmt.query([])?;
            while let Some(r) = rows.next()? {
                for i in 0..3 {
                    ids.extend(r.get::<_, Option<Id>>(i)?);
                }
            }
        }
        Ok(Self(ids))
    }
}

/// Whether a record the import created is the user's work since, and
/// stays (the undo reports it as kept): edited (its `updated_at` moved),
/// or used. A person is used who attended a meeting, has a note, is on a
/// follow-up or introduced someone; an organization that someone still
/// works for (a person the undo keeps, or one who was there anyway), that
/// met, has a note, is on an agreement or a follow-up, or joined a
/// mission other than through the import. The import itself makes none of
/// those links but its own missions', stamped with its time, so each is
/// the user's.
fn kept_since(
    tx: &Tx<'_>,
    elsewhere: &LinkedElsewhere,
    entity: Entity,
    id: Id,
    at: &str,
) -> Result<bool> {
    let conn = tx.conn();
    let (table, uses): (&str, &[&str]) = match entity {
        Entity::Contact => (
            "contacts",
            &[
                "SELECT 1 FROM meeting_attendees WHERE contact_id = ?1 LIMIT 1",
                "SELECT 1 FROM notes
                  WHERE entity = 'contact' AND entity_id = ?1 AND deleted_at IS NULL LIMIT 1",
                "SELECT 1 FROM contacts WHERE introduced_by_id = ?1 AND deleted_at IS NULL LIMIT 1",
            ],
        ),
        Entity::Organization => (
            "organizations",
            &[
                "SELECT 1 FROM contacts WHERE organization_id = ?1 AND deleted_at IS NULL LIMIT 1",
                "SELECT 1 FROM meeting_organizations WHERE organization_id = ?1 LIMIT 1",
                "SELECT 1 FROM notes
                  WHERE entity = 'organization' AND entity_id = ?1 AND deleted_at IS NULL LIMIT 1",
            ],
        ),
        _ => return Ok(false),
    };
    let updated: Option<String> = conn
        .prepare_cached(&format!("SELECT updated_at FROM {table} WHERE id = ?1"))?
        .query_row([id], |r| r.get(0))
        .optional()?;
    if updated.is_some_and(|u| u != at) || elsewhere.0.contains(&id) {
        return Ok(true);
    }
    // Taking part in a mission since: a link no import made (each import's
    // are stamped with its time) is the user's, and joining a mission does
    // not move the organization's `updated_at`.
    if entity == Entity::Organization {
        let joined = conn
            .prepare_cached(
                "SELECT 1 FROM participations p WHERE p.organization_id = ?1 AND p.created_at <> ?2
                    AND NOT EXISTS (SELECT 1 FROM imports i
                                     WHERE i.mission_id = p.mission_id AND i.at = p.created_at)
                 LIMIT 1",
            )?
            .query_row(params![id, at], |_| Ok(()))
            .optional()?
            .is_some();
        if joined {
            return Ok(true);
        }
    }
    for sql in uses {
        let used = conn
            .prepare_cached(sql)?
            .query_row([id], |_| Ok(()))
            .optional()?
            .is_some();
        if used {
            return Ok(true);
        }
    }
    Ok(false)
}

/// Whether `organization` took part in a meeting of `mission` (the user's
/// work since the import linked it, which keeps the link).
fn met_in_mission(tx: &Tx<'_>, organization: Id, mission: Option<Id>) -> Result<bool> {
    Ok(tx
        .conn()
        .prepare_cached(
            "SELECT 1 FROM meeting_organizations o JOIN meetings m ON m.id = o.meeting_id
              WHERE o.organization_id = ?1 AND m.mission_id = ?2 AND m.deleted_at IS NULL
              LIMIT 1",
        )?
        .query_row(params![organization, mission], |_| Ok(()))
        .optional()?
        .is_some())
}

/// Takes a whole import back (see the module's comment), in the caller's
/// transaction. An import is undone once.
pub fn undo(tx: &mut Tx<'_>, import_id: Id) -> Result<UndoImport> {
    let found: Option<(String, Option<Id>, Option<String>)> = tx
        .conn()
        .prepare_cached("SELECT at, mission_id, undone_at FROM imports WHERE id = ?1")?
        .query_row([import_id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .optional()?;
    let Some((at, mission, undone_at)) = found else {
        return Err(Error::not_found("import", import_id));
    };
    if let Some(when) = undone_at {
        return Err(Error::invalid(
            ErrorCode::Conflict,
            "import",
            format!("this import was already undone at {when}"),
        ));
    }
    let items: Vec<(Entity, Id, String, Option<String>)> = tx
        .conn()
        .prepare_cached(
            // People before organizations: an organization stays if someone
            // kept still works there. The kinds' names sort that way
            // ('contact' < 'organization' < 'participation'), so this is the
            // primary key's order, read without sorting a million items.
            "SELECT entity, entity_id, action, before FROM import_items WHERE import_id = ?1
              ORDER BY entity, entity_id",
        )?
        .query_map([import_id], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?))
        })?
        .collect::<rusqlite::Result<_>>()?;
    let elsewhere = LinkedElsewhere::load(tx)?;
    let mut done = UndoImport {
        trashed: 0,
        restored: 0,
        kept: 0,
        unlinked: 0,
    };
    // Organizations the undo keeps: their mission links stay too (items
    // come people first, then organizations, then links).
    let mut kept_organizations = HashSet::new();
    for (entity, id, action, before) in items {
        match (action.as_str(), entity) {
            ("linked", Entity::Participation) => {
                if kept_organizations.contains(&id) || met_in_mission(tx, id, mission)? {
                    continue;
                }
                done.unlinked += tx
                    .conn()
                    .prepare_cached(
                        "DELETE FROM participations WHERE mission_id = ?1 AND organization_id = ?2",
                    )?
                    .execute(params![mission, id])? as u32;
            }
            ("created", _) => {
                if kept_since(tx, &elsewhere, entity, id, &at)? {
                    if entity == Entity::Organization {
                        kept_organizations.insert(id);
                    }
                    done.kept += 1;
                    continue;
                }
                let live = match trash::delete(tx, entity, id) {
                    Ok(_) => true,
                    // Deleted since: already in the trash, nothing to do.
                    Err(Error::NotFound { .. }) => false,
                    Err(e) => return Err(e),
                };
                done.trashed += u32::from(live);
            }
            ("updated", Entity::Contact) => {
                let Some(current) = contact::find(&tx.db(), id)? else {
                    // Put in the trash since: the user's doing, left there.
                    done.kept += 1;
                    continue;
                };
                if current.updated_at != at {
                    done.kept += 1;
                    continue;
                }
                let before: Contact = serde_json::from_str(before.as_deref().unwrap_or("null"))
                    .map_err(|e| Error::Data(format!("import image of {id}: {e}")))?;
                let mut input = ContactInput::from(&before);
                contact::drop_dead_links(&tx.db(), &mut input, &current)?;
                contact::update(tx, id, &input)?;
                // Back as it was, its time of last change too: taking back
                // an earlier import that created the person then finds them
                // untouched since, as they are.
                tx.conn()
                    .prepare_cached("UPDATE contacts SET updated_at = ?2 WHERE id = ?1")?
                    .execute(params![id, before.updated_at])?;
                done.restored += 1;
            }
            (other, entity) => {
                return Err(Error::Data(format!(
                    "import item {other} of {} is not known",
                    entity.as_str()
                )))
            }
        }
    }
    tx.conn()
        .prepare_cached("UPDATE imports SET undone_at = ?2 WHERE id = ?1")?
        .execute(params![import_id, tx.now()])?;
    Ok(done)
}
