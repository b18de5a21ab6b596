//! Reading the change history that [`crate::Tx::record`] writes: every
//! insert, update and delete of a record, oldest first, with the record as it
//! was before and after. Timelines and undo are built on this.

use rusqlite::Row;
use serde::Serialize;
use serde_json::Value;

use crate::error::{Error, Result};
use crate::id::Id;
use crate::store::{ChangeOp, Db, Entity, Source};

/// Not yet sent over IPC (the timeline screen will add a typed view).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct HistoryEntry {
    pub seq: i64,
    pub at: String,
    pub source: Source,
    pub op: ChangeOp,
    pub before: Option<Value>,
    pub after: Option<Value>,
}

fn json(text: Option<String>) -> Result<Option<Value>> {
    text.map(|t| serde_json::from_str(&t).map_err(|e| Error::Data(format!("history: {e}"))))
        .transpose()
}

/// The history of one record, oldest first.
pub fn for_record(db: &Db<'_>, entity: Entity, id: Id) -> Result<Vec<HistoryEntry>> {
    let mut stmt = db.conn().prepare_cached(
        "SELECT seq, at, source, op, before, after FROM history
          WHERE entity = ?1 AND entity_id = ?2 ORDER BY seq",
    )?;
    let raw = stmt
        .query_map(rusqlite::params![entity, id], |r: &Row<'_>| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, Source>(2)?,
                r.get::<_, ChangeOp>(3)?,
                r.get::<_, Option<String>>(4)?,
                r.get::<_, Option<String>>(5)?,
            ))
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    raw.into_iter()
        .map(|(seq, at, source, op, before, after)| {
            Ok(HistoryEntry {
                seq,
                at,
                source,
                op,
                before: json(before)?,
                after: json(after)?,
            })
        })
        .collect()
}
