//! Reading the change history that [`crate::Tx::record`] writes: every
//! insert, update and delete of a record, oldest first, with the record as it
//! was before and after. Timelines and undo are built on this.

use rusqlite::Row;
use serde::Serialize;
use serde_json::Value;
use specta::Type;

use crate::error::{Error, Result};
use crate::id::Id;
use crate::store::{ChangeOp, Db, Entity, Source};

#[derive(Debug, Clone, PartialEq, Serialize, Type)]
pub struct HistoryEntry {
    pub seq: i64,
    /// The record's own kind, or `attachment` for a file attached to it,
    /// taken off or put back (its name in `before` or `after`).
    pub entity: Entity,
    pub at: String,
    pub source: Source,
    pub op: ChangeOp,
    /// For updates: the fields whose value changed, in the record's order.
    pub changed: Vec<String>,
    pub before: Option<Value>,
    pub after: Option<Value>,
}

/// The top-level fields that differ between two versions of a record
/// (bookkeeping such as `updated_at` left out).
fn changed_fields(before: Option<&Value>, after: Option<&Value>) -> Vec<String> {
    let (Some(Value::Object(b)), Some(Value::Object(a))) = (before, after) else {
        return Vec::new();
    };
    a.iter()
        .filter(|(k, v)| k.as_str() != "updated_at" && b.get(k.as_str()) != Some(*v))
        .map(|(k, _)| k.clone())
        .collect()
}

fn json(text: Option<String>) -> Result<Option<Value>> {
    text.map(|t| serde_json::from_str(&t).map_err(|e| Error::Data(format!("history: {e}"))))
        .transpose()
}

/// A record's timeline: its history rows, the files attached to it (each
/// one's history by its own id), and the import that created it if one
/// did. That is looked up in each import's items by their primary key
/// (imports are few, imported people many: schema 10 keeps no index of
/// the items by record), so CROSS JOIN keeps the imports the outer loop;
/// and the record's files the outer loop of theirs (every file's history
/// was read otherwise).
const FOR_RECORD: &str = "SELECT seq, at, source, op, before, after, ?1 FROM history
      WHERE entity = ?1 AND entity_id = ?2
     UNION ALL
     SELECT h.seq, h.at, h.source, h.op, h.before, h.after, 'attachment'
       FROM attachments a CROSS JOIN history h
      WHERE a.entity = ?1 AND a.entity_id = ?2
        AND h.entity = 'attachment' AND h.entity_id = a.id
     UNION ALL
     SELECT 0, i.at, 'import', 'insert', NULL, json_object('file_name', i.file_name), ?1
       FROM imports i CROSS JOIN import_items t
      WHERE t.import_id = i.id AND t.entity = ?1 AND t.entity_id = ?2 AND t.action = 'created'
      ORDER BY 2 DESC, 1 DESC";

/// The history of one record, newest first (a timeline). A record an
/// import created has its insert in `import_items` instead (see
/// [`crate::import::apply`]), shown here with the file it came from.
pub fn for_record(db: &Db<'_>, entity: Entity, id: Id) -> Result<Vec<HistoryEntry>> {
    let mut stmt = db.conn().prepare_cached(FOR_RECORD)?;
    let raw = stmt
        .query_map(rusqlite::params![entity, id], |r: &Row<'_>| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, Source>(2)?,
                r.get::<_, ChangeOp>(3)?,
                r.get::<_, Option<String>>(4)?,
                r.get::<_, Option<String>>(5)?,
                r.get::<_, Entity>(6)?,
            ))
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    raw.into_iter()
        .map(|(seq, at, source, op, before, after, entity)| {
            let (before, after) = (json(before)?, json(after)?);
            Ok(HistoryEntry {
                seq,
                entity,
                at,
                source,
                op,
                changed: changed_fields(before.as_ref(), after.as_ref()),
                before,
                after,
            })
        })
        .collect()
}

/// The plan of [`for_record`], for the test that keeps it on its indexes.
pub fn explain_for_record(db: &Db<'_>) -> Result<Vec<String>> {
    crate::db::query_plan(
        db.conn(),
        FOR_RECORD,
        rusqlite::params![Entity::Contact, Id::new()],
    )
}
