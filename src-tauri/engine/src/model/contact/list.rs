//! Contact lists: a page of people in a chosen order and filter, by keyset
//! ([`list`]), with the plan for a tag filter (its own people, or a walk of
//! the list's order); and the people who can own a follow-up ([`delegates`]).

use rusqlite::Row;
use serde::{Deserialize, Serialize};
use specta::Type;

use crate::error::Result;
use crate::id::Id;
use crate::model::{into_page, page_limit, subset, Cursor, ListQuery, ListSort, Page, Side};
use crate::store::{Db, Entity};

/// One line of a contact list.
#[derive(Debug, Clone, PartialEq, Serialize, Type)]
pub struct ContactRow {
    pub id: Id,
    pub full_name: String,
    pub full_name_latin: String,
    pub position: String,
    pub organization_name: Option<String>,
    pub email: Option<String>,
    pub phone: Option<String>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, Type)]
pub struct ContactFilter {
    pub organization_id: Option<Id>,
    /// People of the organizations taking part in this mission...
    pub mission_id: Option<Id>,
    /// ...on this side of it (needs `mission_id`).
    pub side: Option<Side>,
    pub tag: Option<String>,
    /// By name when unset.
    pub sort: Option<ListSort>,
    pub after: Option<Cursor>,
    pub limit: Option<u32>,
}

/// A list line from the first seven columns of a list query.
fn row_from(r: &Row<'_>) -> rusqlite::Result<ContactRow> {
    Ok(ContactRow {
        id: r.get(0)?,
        full_name: r.get(1)?,
        full_name_latin: r.get(2)?,
        position: r.get(3)?,
        organization_name: r.get(4)?,
        email: r.get(5)?,
        phone: r.get(6)?,
    })
}

/// How a page filtered by a tag finds its people ([`subset`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum TagPlan {
    /// Walk the list's order, keeping the people who have the tag.
    Walk,
    /// Read the tag's people, then sort them (1.2 s at a million contacts
    /// by walking, for a tag on 2 % of them held in a few bands of the
    /// name order).
    Members,
}

/// The plan for `filter`'s tag.
fn tag_plan(db: &Db<'_>, filter: &ContactFilter) -> Result<TagPlan> {
    Ok(match tag(filter) {
        Some(tag) if subset::few_tagged(db, Entity::Contact, tag)? => TagPlan::Members,
        _ => TagPlan::Walk,
    })
}

fn tag(filter: &ContactFilter) -> Option<&str> {
    filter.tag.as_deref().filter(|t| !t.trim().is_empty())
}

/// The SQL of a contact page and its parameters; only the filters in use
/// are in it (see [`ListQuery`]).
fn list_query(filter: &ContactFilter, tag_plan: TagPlan) -> (String, ListQuery) {
    let mut q = ListQuery::new();
    let (key, order) = q.keyset(
        filter.sort.unwrap_or(ListSort::Name),
        "c",
        filter.after.as_ref(),
    );
    q.filter(filter.organization_id, ":org", "c.organization_id = :org");
    if let Some(side) = filter.side.filter(|_| filter.mission_id.is_some()) {
        q.bind(":side", side);
    }
    // An organization in the trash has left the mission's lists, and its
    // people with it (its participation stays, for a restore).
    q.filter(
        filter.mission_id,
        ":mission",
        if filter.side.is_some() {
            "c.organization_id IN (SELECT p.organization_id FROM participations p
                                     JOIN organizations po ON po.id = p.organization_id
                                    WHERE p.mission_id = :mission AND p.side = :side
                                      AND po.deleted_at IS NULL)"
        } else {
            "c.organization_id IN (SELECT p.organization_id FROM participations p
                                     JOIN organizations po ON po.id = p.organization_id
                                    WHERE p.mission_id = :mission AND po.deleted_at IS NULL)"
        },
    );
    let tag = tag(filter).map(str::to_owned);
    let columns = format!(
        "c.id, c.full_name, c.full_name_latin, c.position, o.name,
                c.primary_email, c.primary_phone, {key}"
    );
    let sql = match (tag, tag_plan) {
        (Some(tag), TagPlan::Members) => {
            q.bind(":tag", tag);
            // The page's people sorted by their keys alone; their rows and
            // organizations are read for that page only.
            format!(
                "SELECT {columns}
                   FROM (SELECT c.rowid AS r
                           FROM taggings g CROSS JOIN contacts c ON c.id = g.entity_id
                          WHERE g.tag_id = (SELECT id FROM tags WHERE name = :tag)
                            AND g.entity = 'contact' AND c.deleted_at IS NULL{}
                          ORDER BY {order}
                          LIMIT :limit) p
                   CROSS JOIN contacts c ON c.rowid = p.r
                   LEFT JOIN organizations o ON o.id = c.organization_id AND o.deleted_at IS NULL
                  ORDER BY {order}",
                q.conditions()
            )
        }
        (tag, _) => {
            q.filter(
                tag,
                ":tag",
                "EXISTS (SELECT 1 FROM taggings g JOIN tags t ON t.id = g.tag_id
                          WHERE g.entity = 'contact' AND g.entity_id = c.id AND t.name = :tag)",
            );
            format!(
                "SELECT {columns}
                   FROM contacts c LEFT JOIN organizations o ON o.id = c.organization_id AND o.deleted_at IS NULL
                  WHERE c.deleted_at IS NULL{}
                  ORDER BY {order}
                  LIMIT :limit",
                q.conditions()
            )
        }
    };
    (sql, q)
}

/// The query plan of a contact page, one line per step, so tests can hold
/// every order and filter to an index.
pub fn explain_list(db: &Db<'_>, filter: &ContactFilter) -> Result<Vec<String>> {
    let (sql, mut q) = list_query(filter, tag_plan(db, filter)?);
    q.explain(db, &sql, page_limit(filter.limit))
}

/// How many SQLite virtual-machine steps a page costs: what a test compares
/// between page 1 and page 900 to show the cost does not grow with depth
/// (OFFSET would), without timing anything.
pub fn list_steps(db: &Db<'_>, filter: &ContactFilter) -> Result<i32> {
    let (sql, mut q) = list_query(filter, tag_plan(db, filter)?);
    crate::db::vm_steps(db.conn(), &sql, &*q.params(page_limit(filter.limit)))
}

/// A page of contacts in the filter's order, by keyset.
pub fn list(db: &Db<'_>, filter: &ContactFilter) -> Result<Page<ContactRow>> {
    match tag_plan(db, filter)? {
        TagPlan::Walk if tag(filter).is_some() => subset::walk_bounded(
            db,
            || page(db, filter, TagPlan::Walk),
            || page(db, filter, TagPlan::Members),
        ),
        plan => page(db, filter, plan),
    }
}

fn page(db: &Db<'_>, filter: &ContactFilter, plan: TagPlan) -> Result<Page<ContactRow>> {
    let limit = page_limit(filter.limit);
    let (sql, mut q) = list_query(filter, plan);
    let mut stmt = subset::page_statement(db, &sql)?;
    let rows = stmt
        .query_map(&*q.params(limit), |r| {
            Ok((row_from(r)?, r.get::<_, String>(7)?))
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(into_page(rows, limit, |row| row.id))
}

/// The people on our side of a mission (delegation and organiser), by name:
/// who can own a follow-up.
pub fn delegates(db: &Db<'_>, mission_id: Id) -> Result<Vec<ContactRow>> {
    let mut stmt = db.conn().prepare_cached(
        "SELECT c.id, c.full_name, c.full_name_latin, c.position, o.name,
                c.primary_email, c.primary_phone
           FROM contacts c
           JOIN organizations o ON o.id = c.organization_id AND o.deleted_at IS NULL
           JOIN participations p ON p.organization_id = o.id AND p.mission_id = ?1
          WHERE c.deleted_at IS NULL AND p.side IN ('delegation', 'organiser')
          ORDER BY c.sort_name, c.id",
    )?;
    let rows = stmt
        .query_map([mission_id], row_from)?
        .collect::<rusqlite::Result<_>>()?;
    Ok(rows)
}
