//! The full export: every table of the database as JSON, row for row, and
//! its restore into an empty database, so that exporting the restored
//! database gives the same bytes (tested).
//!
//! ```json
//! {"format": "mission-crm", "schema_version": 3, "exported_at": "...",
//!  "tables": {"missions": [{"id": "0192...", "name": "...", ...}], ...}}
//! ```
//!
//! Tables come parents first ([`TABLES`]), rows in primary-key order; ids
//! (16-byte BLOBs) are written as UUID text; every other value as SQLite
//! holds it. The search index is not exported (it is rebuilt, and
//! contacts' name keys with it: [`DERIVED_COLUMNS`]), nor the undo stack
//! (it belongs to one window's session). An export made by an older schema
//! restores too: its rows lack only the columns later schemas added
//! ([`ADDED_COLUMNS`]), which the restore fills as the migration that
//! added them did. Both directions stream: the export writes row by row
//! and the restore inserts each row as it is parsed, so neither holds the
//! database in memory.

use std::collections::HashMap;
use std::fmt;
use std::io::{Read, Write};

use chrono::{DateTime, Utc};
use rusqlite::types::{Value as SqlValue, ValueRef};
use rusqlite::Connection;
use serde::de::{self, DeserializeSeed, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Value};

use crate::db::schema_version;
use crate::error::{Error, ErrorCode, Result};
use crate::id::Id;
use crate::store::{Db, Tx};
use crate::time::format_instant;

pub const FORMAT: &str = "mission-crm";

/// Every table that holds the user's data, parents before children. A
/// test holds this list to the schema.
pub const TABLES: &[&str] = &[
    "missions",
    "organizations",
    "organization_sectors",
    "participations",
    "contacts",
    "contact_emails",
    "contact_phones",
    "contact_messengers",
    "meetings",
    "meeting_organizations",
    "meeting_attendees",
    "agreements",
    "follow_ups",
    "exchange_rates",
    "tags",
    "taggings",
    "notes",
    "attachments",
    "history",
    "imports",
    "import_items",
];

/// Columns of exported tables added after schema 1, with the version that
/// added each: an export made before that version has rows without them,
/// and [`restore`] fills them. A schema that adds a column to an exported
/// table adds it here (a test restores an export without each one).
pub const ADDED_COLUMNS: &[(i64, &str, &str)] = &[
    (5, "contacts", "primary_email"),
    (5, "contacts", "primary_phone"),
    (8, "contacts", "primary_email_label"),
    (8, "contacts", "primary_phone_label"),
    (14, "contacts", "merged_into_id"),
];

/// Columns derived from others by the search module, which a restore's
/// rebuild of the index sets again: not the user's data, so not exported.
pub const DERIVED_COLUMNS: &[(&str, &str)] = &[("contacts", "name_key")];

/// A table's columns: name, and whether it holds ids (declared BLOB).
struct Columns {
    names: Vec<String>,
    blob: Vec<bool>,
    primary_key: Vec<String>,
}

impl Columns {
    /// Leaves `name` out (a restore of an export made before it existed).
    fn forget(&mut self, name: &str) {
        if let Some(i) = self.names.iter().position(|n| n == name) {
            self.names.remove(i);
            self.blob.remove(i);
        }
    }
}

fn columns(conn: &Connection, table: &str) -> Result<Columns> {
    let mut stmt = conn.prepare(&format!(
        "SELECT name, type, pk FROM pragma_table_info('{table}') ORDER BY cid"
    ))?;
    let rows: Vec<(String, String, i64)> = stmt
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
        .collect::<rusqlite::Result<_>>()?;
    let mut pk: Vec<(i64, String)> = rows
        .iter()
        .filter(|r| r.2 > 0)
        .map(|r| (r.2, r.0.clone()))
        .collect();
    pk.sort();
    let mut columns = Columns {
        names: rows.iter().map(|r| r.0.clone()).collect(),
        blob: rows
            .iter()
            .map(|r| r.1.eq_ignore_ascii_case("BLOB"))
            .collect(),
        primary_key: pk.into_iter().map(|(_, n)| n).collect(),
    };
    for (_, column) in DERIVED_COLUMNS.iter().filter(|(t, _)| *t == table) {
        columns.forget(column);
    }
    Ok(columns)
}

fn to_json(value: ValueRef<'_>, table: &str) -> Result<Value> {
    Ok(match value {
        ValueRef::Null => Value::Null,
        ValueRef::Integer(i) => Value::from(i),
        ValueRef::Real(f) => Value::from(f),
        ValueRef::Text(t) => Value::from(String::from_utf8_lossy(t).into_owned()),
        ValueRef::Blob(b) => {
            let id = Id::from_slice(b)
                .ok_or_else(|| Error::Data(format!("a value in {table} is not an id")))?;
            Value::from(id.to_string())
        }
    })
}

/// Writes the whole database; returns the number of rows. One read
/// transaction: every table from the same snapshot, even while the CLI
/// writes beside the app. The caller's, when it reads in one already
/// ([`crate::Store::read_apart`]); else one begun here.
pub fn export(db: &Db<'_>, now: DateTime<Utc>, out: &mut dyn Write) -> Result<u64> {
    let _snapshot = match db.conn().is_autocommit() {
        true => Some(db.conn().unchecked_transaction()?),
        false => None,
    };
    let conn = db.conn();
    let header = serde_json::json!({
        "format": FORMAT,
        "schema_version": schema_version(conn)?,
        "exported_at": format_instant(now),
    });
    let header = serde_json::to_string(&header).map_err(json_error)?;
    // The header's fields, then "tables" streamed into the same object.
    out.write_all(header.trim_end_matches('}').as_bytes())?;
    out.write_all(b",\"tables\":{")?;
    let mut rows = 0;
    for (t, table) in TABLES.iter().enumerate() {
        let cols = columns(conn, table)?;
        write!(out, "{}\n\"{table}\":[", if t > 0 { "," } else { "" })?;
        let order = if cols.primary_key.is_empty() {
            "rowid".to_owned()
        } else {
            cols.primary_key.join(", ")
        };
        let mut stmt = conn.prepare(&format!(
            "SELECT {} FROM {table} ORDER BY {order}",
            cols.names.join(", ")
        ))?;
        let mut q = stmt.query([])?;
        let mut first = true;
        while let Some(r) = q.next()? {
            let mut row = Map::new();
            for (i, name) in cols.names.iter().enumerate() {
                row.insert(name.clone(), to_json(r.get_ref(i)?, table)?);
            }
            out.write_all(if first { b"\n" } else { b",\n" })?;
            serde_json::to_writer(&mut *out, &row).map_err(json_error)?;
            first = false;
            rows += 1;
        }
        out.write_all(b"]")?;
    }
    out.write_all(b"}}\n")?;
    Ok(rows)
}

fn json_error(e: serde_json::Error) -> Error {
    if e.is_io() {
        Error::Io(e.into())
    } else {
        Error::File(format!("not a Mission CRM export: {e}"))
    }
}

/// Restores a full export into this (empty) database, in the caller's
/// transaction; returns the number of rows. Refuses a database that holds
/// anything, and an export of a newer schema than this version's.
pub fn restore(tx: &mut Tx<'_>, input: impl Read) -> Result<u64> {
    let conn = tx.conn();
    for table in TABLES {
        let any: bool =
            conn.query_row(&format!("SELECT EXISTS (SELECT 1 FROM {table})"), [], |r| {
                r.get(0)
            })?;
        if any {
            return Err(Error::invalid(
                ErrorCode::NotEmpty,
                "file",
                format!(
                    "a full export restores into an empty database, and this one already holds {table}; \
                     start a new database file to restore into"
                ),
            ));
        }
    }
    // Children may come before a row they point to (a contact introduced by
    // one later in the table): foreign keys are checked at commit.
    conn.execute_batch("PRAGMA defer_foreign_keys = ON")?;
    let mut tables = HashMap::new();
    for table in TABLES {
        tables.insert(*table, columns(conn, table)?);
    }
    let mut state = Restore {
        conn,
        tables,
        version: schema_version(conn)?,
        seen_format: false,
        seen_version: None,
        rows: 0,
        error: None,
    };
    let mut de = serde_json::Deserializer::from_reader(input);
    let result = DeserializeSeed::deserialize(&mut state, &mut de).and_then(|()| de.end());
    if let Some(e) = state.error.take() {
        return Err(e);
    }
    result.map_err(json_error)?;
    if !state.seen_format {
        return Err(Error::File(
            "not a Mission CRM export (no \"format\": \"mission-crm\")".into(),
        ));
    }
    // Columns added since the export's schema are filled as their
    // migration did. Before schema 8 a contact's first e-mail and phone
    // were in the child tables, and versions 5 and 8 put them on its row;
    // since, the child tables hold only the further ones, so this must not
    // run (it would take each contact's first address off). A merge's mark
    // (14) stays empty, as the migration left it.
    if state.seen_version.is_some_and(|exported| exported < 8) {
        crate::model::contact::move_first_addresses_to_rows(conn)?;
    }
    // Sort keys are derived: an export made before the keys' present rules
    // (schema 13) carries the old ones.
    crate::model::refresh_sort_keys(conn)?;
    crate::search::rebuild(conn)?;
    Ok(state.rows)
}

/// The restore's state while serde walks the document.
struct Restore<'c> {
    conn: &'c Connection,
    tables: HashMap<&'static str, Columns>,
    version: i64,
    seen_format: bool,
    /// The export's schema version, once read.
    seen_version: Option<i64>,
    rows: u64,
    /// An engine error met inside serde (which only carries text).
    error: Option<Error>,
}

impl Restore<'_> {
    fn fail<E: de::Error>(&mut self, e: Error) -> E {
        let text = e.to_string();
        self.error = Some(e);
        E::custom(text)
    }

    fn insert(&mut self, table: &str, row: Map<String, Value>) -> Result<()> {
        let cols = self
            .tables
            .get(table)
            .ok_or_else(|| Error::File(format!("unknown table {table}")))?;
        if row.len() != cols.names.len() || cols.names.iter().any(|n| !row.contains_key(n)) {
            return Err(Error::File(format!(
                "a row of {table} has columns {:?}; the export's schema has {:?}",
                row.keys().collect::<Vec<_>>(),
                cols.names
            )));
        }
        let mut values = Vec::with_capacity(cols.names.len());
        for (name, blob) in cols.names.iter().zip(&cols.blob) {
            let v = &row[name];
            values.push(match v {
                Value::Null => SqlValue::Null,
                Value::String(s) if *blob => SqlValue::Blob(
                    s.parse::<Id>()
                        .map_err(|_| Error::File(format!("{table}.{name}: {s:?} is not an id")))?
                        .as_bytes()
                        .to_vec(),
                ),
                Value::String(s) => SqlValue::Text(s.clone()),
                Value::Number(n) => match (n.as_i64(), n.as_f64()) {
                    (Some(i), _) => SqlValue::Integer(i),
                    (None, Some(f)) => SqlValue::Real(f),
                    _ => return Err(Error::File(format!("{table}.{name}: number out of range"))),
                },
                other => {
                    return Err(Error::File(format!(
                        "{table}.{name}: unexpected value {other}"
                    )))
                }
            });
        }
        let placeholders = vec!["?"; values.len()].join(", ");
        let sql = format!(
            "INSERT INTO {table} ({}) VALUES ({placeholders})",
            cols.names.join(", ")
        );
        self.conn
            .prepare_cached(&sql)?
            .execute(rusqlite::params_from_iter(values))?;
        self.rows += 1;
        Ok(())
    }
}

impl<'de> DeserializeSeed<'de> for &mut Restore<'_> {
    type Value = ();
    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> std::result::Result<(), D::Error> {
        d.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for &mut Restore<'_> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a Mission CRM export")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> std::result::Result<(), A::Error> {
        while let Some(key) = map.next_key::<String>()? {
            match key.as_str() {
                "format" => {
                    let format: String = map.next_value()?;
                    if format != FORMAT {
                        return Err(self.fail(Error::File(format!(
                            "not a Mission CRM export (format {format:?})"
                        ))));
                    }
                    self.seen_format = true;
                }
                "schema_version" => {
                    let version: i64 = map.next_value()?;
                    if version > self.version {
                        return Err(self.fail(Error::File(format!(
                            "this export was made by schema version {version}, by a newer Mission CRM; \
                             this one restores versions 1 to {}: update the app to restore it",
                            self.version
                        ))));
                    }
                    if version < 1 {
                        return Err(self.fail(Error::File(format!(
                            "not a Mission CRM export (schema version {version})"
                        ))));
                    }
                    self.seen_version = Some(version);
                    // Rows come with the columns of the export's schema:
                    // this one's, less those added since.
                    for (added, table, column) in ADDED_COLUMNS {
                        if *added > version {
                            if let Some(cols) = self.tables.get_mut(table) {
                                cols.forget(column);
                            }
                        }
                    }
                }
                "tables" => {
                    // The header is checked before a single row is written.
                    if !self.seen_format || self.seen_version.is_none() {
                        return Err(self.fail(Error::File(
                            "not a Mission CRM export: \"format\" and \"schema_version\" must come before the tables".into(),
                        )));
                    }
                    map.next_value_seed(Tables(&mut *self))?
                }
                _ => {
                    map.next_value::<de::IgnoredAny>()?;
                }
            }
        }
        Ok(())
    }
}

struct Tables<'r, 'c>(&'r mut Restore<'c>);

impl<'de> DeserializeSeed<'de> for Tables<'_, '_> {
    type Value = ();
    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> std::result::Result<(), D::Error> {
        d.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for Tables<'_, '_> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("tables by name")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> std::result::Result<(), A::Error> {
        while let Some(table) = map.next_key::<String>()? {
            if !self.0.tables.contains_key(table.as_str()) {
                return Err(self.0.fail(Error::File(format!(
                    "the export has a table {table:?} this version does not know"
                ))));
            }
            map.next_value_seed(Rows(&mut *self.0, table))?;
        }
        Ok(())
    }
}

struct Rows<'r, 'c>(&'r mut Restore<'c>, String);

impl<'de> DeserializeSeed<'de> for Rows<'_, '_> {
    type Value = ();
    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> std::result::Result<(), D::Error> {
        d.deserialize_seq(self)
    }
}

impl<'de> Visitor<'de> for Rows<'_, '_> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a list of rows")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> std::result::Result<(), A::Error> {
        let Rows(state, table) = self;
        while let Some(row) = seq.next_element::<Map<String, Value>>()? {
            if let Err(e) = state.insert(&table, row) {
                return Err(state.fail(e));
            }
        }
        Ok(())
    }
}
