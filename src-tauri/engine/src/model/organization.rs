//! Organizations (companies, agencies, chambers, exchanges...), their sectors
//! and tags, and their participation in missions on one side or another.

use rusqlite::{params, OptionalExtension, Row};
use serde::{Deserialize, Serialize};
use specta::Type;

use super::{
    clean_list, ensure_exists, found, inserted, into_page, json_col, page_limit, set_tags,
    sort_key, subset, tags_sql, text_enum, updated, Cursor, ListQuery, ListSort, Page, Side,
};
use crate::error::Result;
use crate::id::Id;
use crate::store::{ChangeOp, Db, Entity, Tx};
use crate::validate;

text_enum! {
    pub enum OrganizationKind {
        Company => "company",
        GovernmentAgency => "government_agency",
        Chamber => "chamber",
        Exchange => "exchange",
        Association => "association",
        Embassy => "embassy",
        Other => "other",
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Type)]
pub struct Organization {
    pub id: Id,
    /// In its original script.
    pub name: String,
    pub name_latin: String,
    pub kind: OrganizationKind,
    pub country: Option<String>,
    pub city: String,
    pub website: String,
    pub sectors: Vec<String>,
    pub tags: Vec<String>,
    pub notes: String,
    pub participations: Vec<Participation>,
    pub created_at: String,
    pub updated_at: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Type)]
pub struct Participation {
    pub mission_id: Id,
    pub mission_name: String,
    pub side: Side,
}

#[derive(Debug, Clone, Serialize, Deserialize, Type)]
pub struct OrganizationInput {
    pub name: String,
    pub name_latin: String,
    pub kind: OrganizationKind,
    pub country: Option<String>,
    pub city: String,
    pub website: String,
    pub sectors: Vec<String>,
    pub tags: Vec<String>,
    pub notes: String,
}

impl Default for OrganizationInput {
    fn default() -> Self {
        Self {
            name: String::new(),
            name_latin: String::new(),
            kind: OrganizationKind::Company,
            country: None,
            city: String::new(),
            website: String::new(),
            sectors: Vec::new(),
            tags: Vec::new(),
            notes: String::new(),
        }
    }
}

/// One line of an organization list.
#[derive(Debug, Clone, PartialEq, Serialize, Type)]
pub struct OrganizationRow {
    pub id: Id,
    pub name: String,
    pub name_latin: String,
    pub kind: OrganizationKind,
    pub country: Option<String>,
    pub city: String,
    pub sectors: Vec<String>,
    /// The side in the mission the list was filtered by; unfiltered, the
    /// side in the latest mission the organization took part in.
    pub side: Option<Side>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, Type)]
pub struct OrganizationFilter {
    pub mission_id: Option<Id>,
    /// Needs `mission_id`.
    pub side: Option<Side>,
    pub sector: Option<String>,
    pub tag: Option<String>,
    /// By name when unset.
    pub sort: Option<ListSort>,
    pub after: Option<Cursor>,
    pub limit: Option<u32>,
}

const SECTORS: &str = "(SELECT json_group_array(sector) FROM organization_sectors s
    WHERE s.organization_id = o.id)";

fn from_row(r: &Row<'_>) -> rusqlite::Result<Organization> {
    Ok(Organization {
        id: r.get(0)?,
        name: r.get(1)?,
        name_latin: r.get(2)?,
        kind: r.get(3)?,
        country: r.get(4)?,
        city: r.get(5)?,
        website: r.get(6)?,
        notes: r.get(7)?,
        sectors: json_col(r, 8)?,
        tags: json_col(r, 9)?,
        participations: Vec::new(),
        created_at: r.get(10)?,
        updated_at: r.get(11)?,
    })
}

pub fn find(db: &Db<'_>, id: Id) -> Result<Option<Organization>> {
    let sql = format!(
        "SELECT id, name, name_latin, kind, country, city, website, notes, {SECTORS}, {},
                created_at, updated_at
           FROM organizations o WHERE id = ?1 AND deleted_at IS NULL",
        tags_sql(Entity::Organization, "o.id")
    );
    let Some(mut org) = db
        .conn()
        .prepare_cached(&sql)?
        .query_row([id], from_row)
        .optional()?
    else {
        return Ok(None);
    };
    let mut stmt = db.conn().prepare_cached(
        "SELECT p.mission_id, m.name, p.side FROM participations p
           JOIN missions m ON m.id = p.mission_id AND m.deleted_at IS NULL
          WHERE p.organization_id = ?1 ORDER BY m.start_date DESC",
    )?;
    org.participations = stmt
        .query_map([id], |r| {
            Ok(Participation {
                mission_id: r.get(0)?,
                mission_name: r.get(1)?,
                side: r.get(2)?,
            })
        })?
        .collect::<rusqlite::Result<_>>()?;
    Ok(Some(org))
}

pub fn get(db: &Db<'_>, id: Id) -> Result<Organization> {
    found(find(db, id)?, "organization", id)
}

/// How a page filtered by a sector or a tag finds its organizations
/// ([`subset`]). A mission's page is read through the mission's
/// participations whatever the filter (tens of organizations; a plan test
/// holds it), so the plans are for the whole list. With both a sector and
/// a tag that many have, a walk cut short falls back to the sector: the
/// counts stop at the bound, so which is smaller is not known.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Plan {
    /// Walk the list's order, keeping the organizations that match.
    Walk,
    /// Read the sector's organizations, then sort them.
    Sector,
    /// Read the tag's organizations, then sort them.
    Tag,
}

/// What the [`Plan::Sector`] and [`Plan::Tag`] pages read their
/// organizations through, each from its own index.
const IN_SECTOR: &str = "organization_sectors s
  CROSS JOIN organizations o ON o.id = s.organization_id
  WHERE s.sector = :sector";
const TAGGED: &str = "taggings g
  CROSS JOIN organizations o ON o.id = g.entity_id
  WHERE g.tag_id = (SELECT id FROM tags WHERE name = :tag) AND g.entity = 'organization'";

/// Counts a sector's organizations, up to [`subset::few`]'s bound, from
/// the sector's index alone.
const COUNT_IN_SECTOR: &str = "SELECT count(*) FROM (SELECT 1 FROM organization_sectors
  WHERE sector = ?1 LIMIT ?2)";

fn sector(filter: &OrganizationFilter) -> Option<&str> {
    filter.sector.as_deref().filter(|s| !s.trim().is_empty())
}

fn tag(filter: &OrganizationFilter) -> Option<&str> {
    filter.tag.as_deref().filter(|t| !t.trim().is_empty())
}

/// The plan for `filter`, and the one a walk cut short falls back to.
fn plan(db: &Db<'_>, filter: &OrganizationFilter) -> Result<(Plan, Plan)> {
    if filter.mission_id.is_some() {
        return Ok((Plan::Walk, Plan::Walk));
    }
    let fallback = match (sector(filter), tag(filter)) {
        (Some(_), _) => Plan::Sector,
        (None, Some(_)) => Plan::Tag,
        (None, None) => return Ok((Plan::Walk, Plan::Walk)),
    };
    if let Some(s) = sector(filter) {
        if subset::few(db, COUNT_IN_SECTOR, s)? {
            return Ok((Plan::Sector, fallback));
        }
    }
    if let Some(t) = tag(filter) {
        if subset::few_tagged(db, Entity::Organization, t)? {
            return Ok((Plan::Tag, fallback));
        }
    }
    Ok((Plan::Walk, fallback))
}

/// The SQL of an organization page and its parameters; only the filters in
/// use are in it (see [`ListQuery`]).
fn list_query(filter: &OrganizationFilter, plan: Plan) -> (String, ListQuery) {
    let mut q = ListQuery::new();
    let (key, order) = q.keyset(
        filter.sort.unwrap_or(ListSort::Name),
        "o",
        filter.after.as_ref(),
    );
    // In a mission: its participants, with their side there. Otherwise
    // everyone, with the side of the latest mission they took part in.
    let (join, side) = match filter.mission_id {
        Some(m) => {
            q.bind(":mission", m);
            (
                "JOIN participations p ON p.organization_id = o.id AND p.mission_id = :mission",
                "p.side",
            )
        }
        None => (
            "",
            "(SELECT p2.side FROM participations p2
                JOIN missions m2 ON m2.id = p2.mission_id AND m2.deleted_at IS NULL
               WHERE p2.organization_id = o.id ORDER BY m2.start_date DESC LIMIT 1)",
        ),
    };
    q.filter(
        filter.side.filter(|_| filter.mission_id.is_some()),
        ":side",
        "p.side = :side",
    );
    // The set a plan reads through is bound here and is no condition.
    let sector = sector(filter).map(str::to_owned);
    let tag = tag(filter).map(str::to_owned);
    let (sector, tag, subset) = match plan {
        Plan::Walk => (sector, tag, None),
        Plan::Sector => {
            q.bind(":sector", sector);
            (None, tag, Some(IN_SECTOR))
        }
        Plan::Tag => {
            q.bind(":tag", tag);
            (sector, None, Some(TAGGED))
        }
    };
    q.filter(
        sector,
        ":sector",
        "EXISTS (SELECT 1 FROM organization_sectors s
                  WHERE s.organization_id = o.id AND s.sector = :sector)",
    );
    q.filter(
        tag,
        ":tag",
        "EXISTS (SELECT 1 FROM taggings g JOIN tags t ON t.id = g.tag_id
                  WHERE g.entity = 'organization' AND g.entity_id = o.id AND t.name = :tag)",
    );
    let columns =
        format!("o.id, o.name, o.name_latin, o.kind, o.country, o.city, {SECTORS}, {side}, {key}");
    let sql = match subset {
        // The page's organizations sorted by their keys alone; their rows,
        // sectors and sides are read for that page only.
        Some(subset) => format!(
            "SELECT {columns}
               FROM (SELECT o.rowid AS r FROM {subset}
                       AND o.deleted_at IS NULL{}
                      ORDER BY {order}
                      LIMIT :limit) p
               CROSS JOIN organizations o ON o.rowid = p.r
              ORDER BY {order}",
            q.conditions()
        ),
        None => format!(
            "SELECT {columns}
               FROM organizations o {join}
              WHERE o.deleted_at IS NULL{}
              ORDER BY {order}
              LIMIT :limit",
            q.conditions()
        ),
    };
    (sql, q)
}

/// The query plan of an organization page, one line per step.
pub fn explain_list(db: &Db<'_>, filter: &OrganizationFilter) -> Result<Vec<String>> {
    let (sql, mut q) = list_query(filter, plan(db, filter)?.0);
    q.explain(db, &sql, page_limit(filter.limit))
}

/// How many SQLite steps a page costs (see `contact::list_steps`).
pub fn list_steps(db: &Db<'_>, filter: &OrganizationFilter) -> Result<i32> {
    let (sql, mut q) = list_query(filter, plan(db, filter)?.0);
    crate::db::vm_steps(db.conn(), &sql, &*q.params(page_limit(filter.limit)))
}

/// A page of organizations in the filter's order, by keyset.
pub fn list(db: &Db<'_>, filter: &OrganizationFilter) -> Result<Page<OrganizationRow>> {
    match plan(db, filter)? {
        (Plan::Walk, fallback) if fallback != Plan::Walk => subset::walk_bounded(
            db,
            || page(db, filter, Plan::Walk),
            || page(db, filter, fallback),
        ),
        (plan, _) => page(db, filter, plan),
    }
}

fn page(db: &Db<'_>, filter: &OrganizationFilter, plan: Plan) -> Result<Page<OrganizationRow>> {
    let limit = page_limit(filter.limit);
    let (sql, mut q) = list_query(filter, plan);
    let mut stmt = subset::page_statement(db, &sql)?;
    let rows = stmt
        .query_map(&*q.params(limit), |r| {
            Ok((
                OrganizationRow {
                    id: r.get(0)?,
                    name: r.get(1)?,
                    name_latin: r.get(2)?,
                    kind: r.get(3)?,
                    country: r.get(4)?,
                    city: r.get(5)?,
                    sectors: json_col(r, 6)?,
                    side: r.get(7)?,
                },
                r.get::<_, String>(8)?,
            ))
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(into_page(rows, limit, |row| row.id))
}

/// Every sector in use, by skipping through `organization_sectors_by_sector`
/// from one sector to the next (one seek per sector) rather than reading
/// every organization's row, as `SELECT DISTINCT` does.
const SECTORS_IN_USE: &str = "WITH RECURSIVE s (sector) AS (
    SELECT min(sector) FROM organization_sectors
    UNION ALL
    SELECT (SELECT min(o.sector) FROM organization_sectors o WHERE o.sector > s.sector)
      FROM s WHERE s.sector IS NOT NULL
  )
  SELECT sector FROM s WHERE sector IS NOT NULL";

/// Every sector in use, for the list's filter.
pub fn sectors(db: &Db<'_>) -> Result<Vec<String>> {
    Ok(db
        .conn()
        .prepare_cached(SECTORS_IN_USE)?
        .query_map([], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?)
}

/// What [`sectors`] costs in SQLite VM steps (see [`crate::model::tags_in_use_steps`]).
pub fn sectors_steps(db: &Db<'_>) -> Result<i32> {
    crate::db::vm_steps(db.conn(), SECTORS_IN_USE, [])
}

struct Valid {
    name: String,
    name_latin: String,
    country: Option<String>,
    sectors: Vec<String>,
}

fn validate(input: &OrganizationInput) -> Result<Valid> {
    let country = match input.country.as_deref().map(str::trim) {
        Some(c) if !c.is_empty() => Some(validate::country("country", c)?),
        _ => None,
    };
    Ok(Valid {
        name: validate::required("name", &input.name)?,
        name_latin: input.name_latin.trim().to_owned(),
        country,
        sectors: clean_list(&input.sectors),
    })
}

fn write_sectors(tx: &Tx<'_>, id: Id, sectors: &[String]) -> Result<()> {
    tx.conn()
        .prepare_cached("DELETE FROM organization_sectors WHERE organization_id = ?1")?
        .execute([id])?;
    let mut insert = tx.conn().prepare_cached(
        "INSERT INTO organization_sectors (organization_id, sector) VALUES (?1, ?2)",
    )?;
    for s in sectors {
        insert.execute(params![id, s])?;
    }
    Ok(())
}

/// Writes the row, its sectors and tags, inserting or updating
/// (`created_at` is kept on update), and reads the result back.
fn save(tx: &mut Tx<'_>, id: Id, input: &OrganizationInput) -> Result<Organization> {
    let v = validate(input)?;
    tx.conn()
        .prepare_cached(
            "INSERT INTO organizations (id, name, name_latin, kind, country, city, website, notes,
                sort_name, created_at, updated_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?10)
             ON CONFLICT (id) DO UPDATE SET name = excluded.name,
                name_latin = excluded.name_latin, kind = excluded.kind,
                country = excluded.country, city = excluded.city, website = excluded.website,
                notes = excluded.notes, sort_name = excluded.sort_name,
                updated_at = excluded.updated_at",
        )?
        .execute(params![
            id,
            v.name,
            v.name_latin,
            input.kind,
            v.country,
            input.city.trim(),
            input.website.trim(),
            input.notes.trim(),
            sort_key(&v.name),
            tx.now()
        ])?;
    write_sectors(tx, id, &v.sectors)?;
    set_tags(tx, Entity::Organization, id, &input.tags)?;
    get(&tx.db(), id)
}

pub fn create(tx: &mut Tx<'_>, input: &OrganizationInput) -> Result<Organization> {
    let org = save(tx, Id::new(), input)?;
    let id = org.id;
    inserted(tx, Entity::Organization, id, org)
}

pub fn update(tx: &mut Tx<'_>, id: Id, input: &OrganizationInput) -> Result<Organization> {
    let before = get(&tx.db(), id)?;
    let after = save(tx, id, input)?;
    updated(tx, Entity::Organization, id, &before, after)
}

/// The live organization with this sort key ([`super::sort_key`] of its
/// name: case, ё and accents aside), the oldest if several: how an import
/// finds the organization a name in its file means.
pub(crate) fn id_by_sort_key(conn: &rusqlite::Connection, key: &str) -> Result<Option<Id>> {
    Ok(conn
        .prepare_cached(
            "SELECT id FROM organizations WHERE sort_name = ?1 AND deleted_at IS NULL
              ORDER BY id LIMIT 1",
        )?
        .query_row([key], |r| r.get(0))
        .optional()?)
}

/// The organization a name typed in a quick capture means: one with this
/// sort key already in the mission, else one of the mission's host country
/// or of no country (the oldest). A "Ministry of Foreign Affairs" of
/// another country is another organization.
pub(crate) fn met_in_mission(
    db: &Db<'_>,
    key: &str,
    mission_id: Id,
    host_country: &str,
) -> Result<Option<Id>> {
    // The mission's own first, by name or by its name in Latin letters,
    // which a delegate types as often ("Turkmenbashi International Seaport"
    // for "Туркменбашинский международный морской порт"): an organization
    // of the same Latin name elsewhere (an import's, of no country) must
    // not win over the mission's. Then any other of the host country or of
    // none: by name (an index), else by Latin name, which reads every
    // organization that has one.
    let in_mission: &[&dyn rusqlite::ToSql] = &[&key, &mission_id];
    let of_country: &[&dyn rusqlite::ToSql] = &[&key, &host_country];
    let steps = [
        (
            "SELECT o.id FROM participations p JOIN organizations o ON o.id = p.organization_id
              WHERE p.mission_id = ?2 AND o.deleted_at IS NULL
                AND (o.sort_name = ?1 OR (o.name_latin <> '' AND sort_key(o.name_latin) = ?1))
              ORDER BY o.sort_name <> ?1, o.id
              LIMIT 1",
            in_mission,
        ),
        (
            "SELECT o.id FROM organizations o
              WHERE o.sort_name = ?1 AND o.deleted_at IS NULL
                AND coalesce(o.country, '') IN ('', ?2)
              ORDER BY o.id
              LIMIT 1",
            of_country,
        ),
        (
            "SELECT o.id FROM organizations o
              WHERE o.name_latin <> '' AND sort_key(o.name_latin) = ?1 AND o.deleted_at IS NULL
                AND coalesce(o.country, '') IN ('', ?2)
              ORDER BY o.id
              LIMIT 1",
            of_country,
        ),
    ];
    for (sql, values) in steps {
        let found = db
            .conn()
            .prepare_cached(sql)?
            .query_row(values, |r| r.get(0))
            .optional()?;
        if found.is_some() {
            return Ok(found);
        }
    }
    Ok(None)
}

/// The side an organization is on in a mission, if it takes part.
pub(crate) fn side_in(db: &Db<'_>, mission_id: Id, organization_id: Id) -> Result<Option<Side>> {
    Ok(db
        .conn()
        .prepare_cached(
            "SELECT side FROM participations WHERE mission_id = ?1 AND organization_id = ?2",
        )?
        .query_row([mission_id, organization_id], |r| r.get(0))
        .optional()?)
}

/// Puts an organization on a side of a mission (or moves it to another side).
pub fn set_participation(
    tx: &mut Tx<'_>,
    mission_id: Id,
    organization_id: Id,
    side: Side,
) -> Result<()> {
    ensure_exists(&tx.db(), "missions", "mission", mission_id)?;
    ensure_exists(&tx.db(), "organizations", "organization", organization_id)?;
    let before = side_in(&tx.db(), mission_id, organization_id)?;
    tx.conn()
        .prepare_cached(
            "INSERT INTO participations (mission_id, organization_id, side, created_at)
             VALUES (?1, ?2, ?3, ?4)
             ON CONFLICT (mission_id, organization_id) DO UPDATE SET side = excluded.side",
        )?
        .execute(params![mission_id, organization_id, side, tx.now()])?;
    let record = |side: Side| serde_json::json!({ "mission_id": mission_id, "side": side });
    let op = if before.is_some() {
        ChangeOp::Update
    } else {
        ChangeOp::Insert
    };
    tx.record(
        Entity::Participation,
        organization_id,
        op,
        before.map(record).as_ref(),
        Some(&record(side)),
    )
}

/// The side to put a new organization on, when created from a mission.
#[derive(Debug, Clone, Serialize, Deserialize, Type)]
pub struct ParticipationInput {
    pub mission_id: Id,
    pub side: Side,
}
