//! The model of PRODUCT.md, one module per table family. Each module owns its
//! types (the record as read, the input as typed), its rules, and its SQL.
//! Shared here: enums stored as text, list paging, tags and JSON columns.

pub mod agreement;
pub mod contact;
pub mod follow_up;
pub mod meeting;
pub mod mission;
pub mod note;
pub mod organization;
pub mod rate;
pub mod subset;

use rusqlite::types::{FromSql, FromSqlError, FromSqlResult, ToSql, ToSqlOutput, ValueRef};
use rusqlite::{params, OptionalExtension, Row};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use specta::Type;

use crate::error::{Error, Result};
use crate::id::Id;
use crate::store::{Db, Entity, Tx};

pub(crate) use crate::macros::text_enum;

text_enum! {
    /// The side an organization (or an attendee) takes in a mission.
    pub enum Side {
        Delegation => "delegation",
        Host => "host",
        Organiser => "organiser",
        Partner => "partner",
    }
}

/// Where the next page of a list starts: the last row's sort key and id.
/// Pages are fetched by keyset (`WHERE (key, id) > (?, ?)`), never OFFSET,
/// so page 1,000 costs what page 1 costs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Type)]
pub struct Cursor {
    pub key: String,
    pub id: Id,
}

#[derive(Debug, Clone, Serialize, Type)]
pub struct Page<T> {
    pub items: Vec<T>,
    pub next: Option<Cursor>,
}

text_enum! {
    /// The orders a list can be read in; each has its own index, so every
    /// page is a range read whatever the order.
    pub enum ListSort {
        Name => "name",
        NameDesc => "name_desc",
        Newest => "newest",
    }
}

/// The optional parts of a list query: WHERE clauses with their named
/// parameters, and the keyset of the chosen order. Only the parts in use
/// go into the SQL, so each combination gets its own plan: a catch-all
/// `(:x IS NULL OR ...)` would hide the keyset's range from the planner,
/// and page 1,000 would walk 999 pages of index first.
pub(crate) struct ListQuery {
    clauses: Vec<String>,
    params: Vec<(&'static str, Box<dyn ToSql>)>,
}

impl ListQuery {
    pub(crate) fn new() -> Self {
        Self {
            clauses: Vec::new(),
            params: Vec::new(),
        }
    }

    /// Adds `clause` (which uses `name`) when `value` is set.
    pub(crate) fn filter<V: ToSql + 'static>(
        &mut self,
        value: Option<V>,
        name: &'static str,
        clause: &str,
    ) {
        if let Some(v) = value {
            self.clauses.push(clause.to_owned());
            self.params.push((name, Box::new(v)));
        }
    }

    /// Binds one more parameter used by a clause already added.
    pub(crate) fn bind<V: ToSql + 'static>(&mut self, name: &'static str, value: V) {
        self.params.push((name, Box::new(value)));
    }

    /// `AND ...` for every clause in use, to follow a fixed WHERE.
    pub(crate) fn conditions(&self) -> String {
        self.clauses.iter().map(|c| format!(" AND {c}")).collect()
    }

    /// Adds the keyset condition of `sort` after `cursor` on the table
    /// aliased `t`, and returns the sort-key column and the ORDER BY text.
    /// Newest first is id order: ids are UUIDv7, minted when a record is
    /// created, so the primary key already holds that order and no index
    /// of `created_at` is kept for it (schema 6); its key is empty.
    pub(crate) fn keyset(
        &mut self,
        sort: ListSort,
        t: &str,
        cursor: Option<&Cursor>,
    ) -> (String, String) {
        let (key, cmp, dir) = match sort {
            ListSort::Name => (format!("{t}.sort_name"), ">", "ASC"),
            ListSort::NameDesc => (format!("{t}.sort_name"), "<", "DESC"),
            ListSort::Newest => {
                if let Some(c) = cursor {
                    self.clauses.push(format!("{t}.id < :after_id"));
                    self.params.push((":after_id", Box::new(c.id)));
                }
                return ("''".to_owned(), format!("{t}.id DESC"));
            }
        };
        if let Some(c) = cursor {
            self.clauses
                .push(format!("({key}, {t}.id) {cmp} (:after_key, :after_id)"));
            self.params.push((":after_key", Box::new(c.key.clone())));
            self.params.push((":after_id", Box::new(c.id)));
        }
        let order = format!("{key} {dir}, {t}.id {dir}");
        (key, order)
    }

    /// The query plan of `sql` ([`crate::db::query_plan`]).
    pub(crate) fn explain(&mut self, db: &Db<'_>, sql: &str, limit: u32) -> Result<Vec<String>> {
        crate::db::query_plan(db.conn(), sql, &*self.params(limit))
    }

    /// The named parameters, with `:limit` (one more than the page, see
    /// [`into_page`]).
    pub(crate) fn params(&mut self, limit: u32) -> Vec<(&str, &dyn ToSql)> {
        self.params.push((":limit", Box::new(limit + 1)));
        self.params
            .iter()
            .map(|(n, v)| (*n, v.as_ref() as &dyn ToSql))
            .collect()
    }
}

pub const DEFAULT_PAGE: u32 = 100;
pub const MAX_PAGE: u32 = 1000;

pub(crate) fn page_limit(limit: Option<u32>) -> u32 {
    limit.unwrap_or(DEFAULT_PAGE).clamp(1, MAX_PAGE)
}

/// Turns `limit + 1` rows fetched with their sort keys into a page: the
/// extra row only tells that there is more, and the last kept row's key and
/// id become the next cursor.
pub(crate) fn into_page<T>(
    mut rows: Vec<(T, String)>,
    limit: u32,
    id: impl Fn(&T) -> Id,
) -> Page<T> {
    let next = if rows.len() > limit as usize {
        rows.truncate(limit as usize);
        rows.last().map(|(row, key)| Cursor {
            key: key.clone(),
            id: id(row),
        })
    } else {
        None
    };
    Page {
        items: rows.into_iter().map(|(row, _)| row).collect(),
        next,
    }
}

/// The key names sort by (and an import finds an organization by), kept
/// in `sort_name`, compared byte for byte. Lower case; ё as е, and accented
/// Latin letters as their base letter (Şatlyk among the S, Müller beside
/// Muller), as dictionaries and phone books do. Kazakh letters are letters
/// of their own, each right after the Russian letter it is written like
/// (қ after к, ә after а, і after ы, as the Kazakh alphabet has them): the
/// base letter and then the highest character there is, so that all of
/// "к…" comes before "қ…". Plain code points put ё, the Kazakh letters and
/// the accented ones after я and z. Schema 13 brought stored keys to these
/// rules, through the `sort_key` SQL function ([`crate::db`]).
pub fn sort_key(name: &str) -> String {
    /// Above every other character. (U+07FF, two bytes, was tried: all
    /// from U+0800 up sorted below it, so "О’Нил" came after "Өтебаев".)
    const AFTER: char = '\u{10FFFF}';
    let mut key = String::with_capacity(name.len() + 4);
    for c in crate::search::fold::fold(name).chars() {
        let (base, after) = match c {
            'ә' => ('а', 1),
            'ғ' => ('г', 1),
            'қ' => ('к', 1),
            'ң' => ('н', 1),
            'ө' => ('о', 1),
            'ұ' => ('у', 1),
            'ү' => ('у', 2),
            'һ' => ('х', 1),
            'і' => ('ы', 1),
            other => (other, 0),
        };
        key.push(base);
        key.extend(std::iter::repeat_n(AFTER, after));
    }
    key
}

/// Brings every stored sort key to [`sort_key`]'s rules, writing only the
/// rows whose key differs: what schema 13 did, and what a restore of an
/// export made before it needs (its rows carry their old keys).
pub(crate) fn refresh_sort_keys(conn: &rusqlite::Connection) -> Result<()> {
    conn.execute_batch(
        "UPDATE contacts SET sort_name = sort_key(full_name)
          WHERE sort_name IS NOT sort_key(full_name);
         UPDATE organizations SET sort_name = sort_key(name)
          WHERE sort_name IS NOT sort_key(name);",
    )?;
    Ok(())
}

/// A JSON array column (cities, languages, aggregated sectors and tags).
pub(crate) struct Json<T>(pub T);

impl<T: DeserializeOwned> FromSql for Json<T> {
    fn column_result(value: ValueRef<'_>) -> FromSqlResult<Self> {
        serde_json::from_str(value.as_str()?)
            .map(Json)
            .map_err(|e| FromSqlError::Other(Box::new(e)))
    }
}

impl<T: Serialize> ToSql for Json<T> {
    fn to_sql(&self) -> rusqlite::Result<ToSqlOutput<'_>> {
        serde_json::to_string(&self.0)
            .map(ToSqlOutput::from)
            .map_err(|e| rusqlite::Error::ToSqlConversionFailure(Box::new(e)))
    }
}

pub(crate) fn json_col<T: DeserializeOwned>(row: &Row<'_>, idx: usize) -> rusqlite::Result<T> {
    row.get::<_, Json<T>>(idx).map(|j| j.0)
}

/// What separates a list's items where it is written as one text.
pub(crate) const LIST_SEPARATORS: [char; 2] = [',', ';'];

/// Splits each text at commas and semicolons, trims, drops blanks and
/// repeats, keeps the order typed. No item holds a separator: the forms
/// edit a list (tags, sectors, cities, languages) as one comma-separated
/// text, as a CSV cell holds it and an import reads it, so an item with a
/// comma ("Oil, gas") was split in two by the next save of its record from
/// a form, or by importing an export.
pub(crate) fn clean_list(values: &[String]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let items = values.iter().flat_map(|v| v.split(LIST_SEPARATORS));
    for v in items.map(str::trim).filter(|v| !v.is_empty()) {
        if !out.iter().any(|o| o == v) {
            out.push(v.to_owned());
        }
    }
    out
}

/// Replaces the tags of a record, creating tags that do not exist yet.
pub(crate) fn set_tags(tx: &Tx<'_>, entity: Entity, id: Id, tags: &[String]) -> Result<()> {
    let conn = tx.conn();
    conn.prepare_cached("DELETE FROM taggings WHERE entity = ?1 AND entity_id = ?2")?
        .execute(params![entity, id])?;
    for name in clean_list(tags) {
        let existing: Option<Id> = conn
            .prepare_cached("SELECT id FROM tags WHERE name = ?1")?
            .query_row([&name], |r| r.get(0))
            .optional()?;
        let tag_id = match existing {
            Some(t) => t,
            None => {
                let t = Id::new();
                conn.prepare_cached("INSERT INTO tags (id, name) VALUES (?1, ?2)")?
                    .execute(params![t, name])?;
                t
            }
        };
        conn.prepare_cached(
            "INSERT INTO taggings (tag_id, entity, entity_id) VALUES (?1, ?2, ?3)",
        )?
        .execute(params![tag_id, entity, id])?;
    }
    Ok(())
}

/// The tags in use on live records of one kind: a lookup per tag (there
/// are few) in `taggings_by_tag`, to its first record out of the trash, not
/// a pass over every tagging of the kind, which a list screen would pay on
/// opening (~70 ms at 1M contacts). A tag only records in the trash hold
/// filtered a list to nothing. None for a kind with no trash: only contacts
/// and organizations carry tags, and both have one.
fn tags_in_use_sql(entity: Entity) -> Option<String> {
    let (live, _) = crate::trash::table(entity).ok()?;
    Some(format!(
        "SELECT t.name FROM tags t
          WHERE EXISTS (SELECT 1 FROM taggings g JOIN {live} r ON r.id = g.entity_id
                         WHERE g.tag_id = t.id AND g.entity = ?1 AND r.deleted_at IS NULL)
          ORDER BY t.name"
    ))
}

/// The tags in use on live records of one kind, for list filters.
pub fn tags_in_use(db: &Db<'_>, entity: Entity) -> Result<Vec<String>> {
    let Some(sql) = tags_in_use_sql(entity) else {
        return Ok(Vec::new());
    };
    Ok(db
        .conn()
        .prepare_cached(&sql)?
        .query_map([entity], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?)
}

/// What [`tags_in_use`] costs in SQLite VM steps, for the test that holds
/// it to the number of tags rather than of tagged records.
pub fn tags_in_use_steps(db: &Db<'_>, entity: Entity) -> Result<i32> {
    match tags_in_use_sql(entity) {
        Some(sql) => crate::db::vm_steps(db.conn(), &sql, [entity]),
        None => Ok(0),
    }
}

/// SQL expression for a record's tags as a JSON array; `?owner` is the id column.
pub(crate) fn tags_sql(entity: Entity, owner: &str) -> String {
    format!(
        "(SELECT json_group_array(t.name) FROM taggings g JOIN tags t ON t.id = g.tag_id
           WHERE g.entity = '{}' AND g.entity_id = {owner})",
        entity.as_str()
    )
}

/// Records the insert of a record just saved, and hands it back.
pub(crate) fn inserted<T: Serialize>(
    tx: &mut Tx<'_>,
    entity: Entity,
    id: Id,
    record: T,
) -> Result<T> {
    tx.record(
        entity,
        id,
        crate::store::ChangeOp::Insert,
        None::<&()>,
        Some(&record),
    )?;
    Ok(record)
}

/// Records an update from `before` to the record just saved, and hands it back.
pub(crate) fn updated<T: Serialize>(
    tx: &mut Tx<'_>,
    entity: Entity,
    id: Id,
    before: &T,
    after: T,
) -> Result<T> {
    tx.record(
        entity,
        id,
        crate::store::ChangeOp::Update,
        Some(before),
        Some(&after),
    )?;
    Ok(after)
}

/// Maps "no row" to a typed not-found error.
pub(crate) fn found<T>(value: Option<T>, entity: &'static str, id: Id) -> Result<T> {
    value.ok_or_else(|| Error::not_found(entity, id))
}

/// Checks that a referenced record exists and is not in the trash, so a
/// link to a deleted record fails with a clear message instead of a bare
/// foreign-key error.
pub(crate) fn ensure_exists(
    db: &Db<'_>,
    table: &'static str,
    entity: &'static str,
    id: Id,
) -> Result<()> {
    let sql = format!("SELECT 1 FROM {table} WHERE id = ?1 AND deleted_at IS NULL");
    let exists = db
        .conn()
        .prepare_cached(&sql)?
        .query_row([id], |_| Ok(()))
        .optional()?
        .is_some();
    if exists {
        Ok(())
    } else {
        Err(Error::not_found(entity, id))
    }
}

/// Refuses to save over a record written since `loaded_at`, its
/// `updated_at` when the form being saved loaded it. A form writes every
/// field it shows, so without this a save wrote the loaded copy back over
/// whatever the command line, an undo or an import's update had changed
/// meanwhile, and that change was lost unseen. A record not found (or in
/// the trash) is left to the update's own error.
pub fn unchanged_since(db: &Db<'_>, entity: Entity, id: Id, loaded_at: &str) -> Result<()> {
    let (table, _) = crate::trash::table(entity)?;
    let current: Option<String> = db
        .conn()
        .prepare_cached(&format!(
            "SELECT updated_at FROM {table} WHERE id = ?1 AND deleted_at IS NULL"
        ))?
        .query_row([id], |r| r.get(0))
        .optional()?;
    match current {
        Some(at) if at != loaded_at => Err(Error::invalid(
            crate::error::ErrorCode::ChangedSinceLoaded,
            "",
            format!(
                "this {} was changed at {at}, after the copy being saved was loaded ({loaded_at}); \
                 load it again to see the change",
                entity.as_str().replace('_', "-")
            ),
        )),
        _ => Ok(()),
    }
}

/// `mine` then the items of `theirs` not already there (by `key`): a
/// person's lists joined with another's (a merge, an import's update).
pub(crate) fn union<T: Clone, K: PartialEq>(
    mine: &[T],
    theirs: &[T],
    key: impl Fn(&T) -> K,
) -> Vec<T> {
    let mut out = mine.to_vec();
    for t in theirs {
        if !out.iter().any(|o| key(o) == key(t)) {
            out.push(t.clone());
        }
    }
    out
}
