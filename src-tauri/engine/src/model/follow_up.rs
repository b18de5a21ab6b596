//! Follow-ups: tasks with a due date and an owner, linked to the contact,
//! organization, meeting or agreement they are about.

use chrono::NaiveDate;
use rusqlite::{params, OptionalExtension, Row};
use serde::{Deserialize, Serialize};
use specta::Type;

use super::{ensure_exists, found, inserted, text_enum, updated};
use crate::error::{Error, ErrorCode, Result};
use crate::id::Id;
use crate::store::{Db, Entity, Tx};
use crate::time::parse_date;
use crate::validate;

text_enum! {
    pub enum FollowUpStatus {
        Open => "open",
        Done => "done",
        Cancelled => "cancelled",
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Type)]
pub struct FollowUp {
    pub id: Id,
    pub mission_id: Option<Id>,
    pub title: String,
    pub due_on: NaiveDate,
    pub status: FollowUpStatus,
    /// The delegate who will do it (a contact).
    pub owner_id: Option<Id>,
    pub owner_name: Option<String>,
    pub contact_id: Option<Id>,
    pub organization_id: Option<Id>,
    pub meeting_id: Option<Id>,
    pub agreement_id: Option<Id>,
    pub notes: String,
    pub completed_at: Option<String>,
    pub created_at: String,
    pub updated_at: String,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, Type)]
pub struct FollowUpInput {
    pub mission_id: Option<Id>,
    pub title: String,
    /// YYYY-MM-DD
    pub due_on: String,
    pub owner_id: Option<Id>,
    pub contact_id: Option<Id>,
    pub organization_id: Option<Id>,
    pub meeting_id: Option<Id>,
    pub agreement_id: Option<Id>,
    pub notes: String,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, Type)]
pub struct FollowUpFilter {
    pub mission_id: Option<Id>,
    pub status: Option<FollowUpStatus>,
}

/// The owner's name, for a follow-up `f` (none once they are in the trash).
macro_rules! owner_name {
    () => {
        "(SELECT full_name FROM contacts c WHERE c.id = f.owner_id AND c.deleted_at IS NULL)"
    };
}

const SELECT: &str = concat!(
    "SELECT id, mission_id, title, due_on, status, owner_id, contact_id, organization_id,
     meeting_id, agreement_id, notes, completed_at, created_at, updated_at, ",
    owner_name!(),
    " FROM follow_ups f"
);

fn from_row(r: &Row<'_>) -> rusqlite::Result<FollowUp> {
    Ok(FollowUp {
        id: r.get(0)?,
        mission_id: r.get(1)?,
        title: r.get(2)?,
        due_on: r.get(3)?,
        status: r.get(4)?,
        owner_id: r.get(5)?,
        contact_id: r.get(6)?,
        organization_id: r.get(7)?,
        meeting_id: r.get(8)?,
        agreement_id: r.get(9)?,
        notes: r.get(10)?,
        completed_at: r.get(11)?,
        created_at: r.get(12)?,
        updated_at: r.get(13)?,
        owner_name: r.get(14)?,
    })
}

pub fn get(db: &Db<'_>, id: Id) -> Result<FollowUp> {
    let sql = format!("{SELECT} WHERE id = ?1 AND deleted_at IS NULL");
    let row = db
        .conn()
        .prepare_cached(&sql)?
        .query_row([id], from_row)
        .optional()?;
    found(row, "follow-up", id)
}

/// Follow-ups by due date (open ones are what people look at; a mission
/// has hundreds).
pub fn list(db: &Db<'_>, filter: &FollowUpFilter) -> Result<Vec<FollowUp>> {
    let (sql, params) = list_query(SELECT, filter);
    let rows = db
        .conn()
        .prepare_cached(&sql)?
        .query_map(&*params, from_row)?
        .collect::<rusqlite::Result<_>>()?;
    Ok(rows)
}

/// A follow-up as the Follow-ups screen lists it: what a row shows and
/// changes. Whole follow-ups (seven ids and three times more) were ~560 KB
/// for a mission of 1,000, ~20 ms of the screen's ~95 in the web view.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
pub struct FollowUpLine {
    pub id: Id,
    pub title: String,
    pub due_on: NaiveDate,
    pub status: FollowUpStatus,
    pub owner_id: Option<Id>,
    pub owner_name: Option<String>,
    pub notes: String,
}

const LINE_SELECT: &str = concat!(
    "SELECT id, title, due_on, status, owner_id, notes, ",
    owner_name!(),
    " FROM follow_ups f"
);

/// [`list`] as the screen's lines.
pub fn lines(db: &Db<'_>, filter: &FollowUpFilter) -> Result<Vec<FollowUpLine>> {
    let (sql, params) = list_query(LINE_SELECT, filter);
    let rows = db
        .conn()
        .prepare_cached(&sql)?
        .query_map(&*params, |r| {
            Ok(FollowUpLine {
                id: r.get(0)?,
                title: r.get(1)?,
                due_on: r.get(2)?,
                status: r.get(3)?,
                owner_id: r.get(4)?,
                notes: r.get(5)?,
                owner_name: r.get(6)?,
            })
        })?
        .collect::<rusqlite::Result<_>>()?;
    Ok(rows)
}

/// The query plans of [`list`] and [`lines`], for the test that keeps them
/// on an index.
pub fn explain_list(db: &Db<'_>, filter: &FollowUpFilter) -> Result<[Vec<String>; 2]> {
    let explain = |select| {
        let (sql, params) = list_query(select, filter);
        crate::db::query_plan(db.conn(), &sql, &*params)
    };
    Ok([explain(SELECT)?, explain(LINE_SELECT)?])
}

type Params<'a> = Vec<(&'static str, &'a dyn rusqlite::ToSql)>;

/// Only the filters given become conditions: `(?1 IS NULL OR mission_id =
/// ?1)` would keep SQLite from the mission's index and read every mission.
fn list_query<'a>(select: &str, filter: &'a FollowUpFilter) -> (String, Params<'a>) {
    let mut clauses = vec!["deleted_at IS NULL"];
    let mut params: Params<'_> = Vec::new();
    if let Some(mission) = &filter.mission_id {
        clauses.push("mission_id = :mission");
        params.push((":mission", mission));
    }
    if let Some(status) = &filter.status {
        clauses.push("status = :status");
        params.push((":status", status));
    }
    let sql = format!(
        "{select} WHERE {} ORDER BY due_on, id",
        clauses.join(" AND ")
    );
    (sql, params)
}

pub fn create(tx: &mut Tx<'_>, input: &FollowUpInput) -> Result<FollowUp> {
    let title = validate::required("title", &input.title)?;
    let due = parse_date("due_on", &input.due_on)?;
    let db = tx.db();
    let links = [
        (input.mission_id, "missions", "mission"),
        (input.owner_id, "contacts", "owner"),
        (input.contact_id, "contacts", "contact"),
        (input.organization_id, "organizations", "organization"),
        (input.meeting_id, "meetings", "meeting"),
        (input.agreement_id, "agreements", "agreement"),
    ];
    for (id, table, entity) in links {
        if let Some(id) = id {
            ensure_exists(&db, table, entity, id)?;
        }
    }
    let mission_id = mission_of(&db, input)?;
    let id = Id::new();
    tx.conn()
        .prepare_cached(
            "INSERT INTO follow_ups (id, mission_id, title, due_on, status, owner_id, contact_id,
                organization_id, meeting_id, agreement_id, notes, created_at, updated_at)
             VALUES (?1, ?2, ?3, ?4, 'open', ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?11)",
        )?
        .execute(params![
            id,
            mission_id,
            title,
            due,
            input.owner_id,
            input.contact_id,
            input.organization_id,
            input.meeting_id,
            input.agreement_id,
            input.notes.trim(),
            tx.now()
        ])?;
    let follow_up = get(&tx.db(), id)?;
    inserted(tx, Entity::FollowUp, id, follow_up)
}

/// The mission a new follow-up belongs to: the one given, else its
/// meeting's or agreement's (one made from the command line with a meeting
/// and no mission was announced every day and listed nowhere). A meeting or
/// agreement of another mission than the one given is refused: the
/// follow-up would be listed under one and point into the other.
fn mission_of(db: &Db<'_>, input: &FollowUpInput) -> Result<Option<Id>> {
    let mut mission = input.mission_id;
    let parents = [
        (input.meeting_id, "meetings", "meeting_id", "that meeting"),
        (
            input.agreement_id,
            "agreements",
            "agreement_id",
            "that agreement",
        ),
    ];
    for (id, table, field, what) in parents {
        let Some(id) = id else { continue };
        let theirs: Option<Id> = db
            .conn()
            .prepare_cached(&format!("SELECT mission_id FROM {table} WHERE id = ?1"))?
            .query_row([id], |r| r.get(0))
            .optional()?
            .flatten();
        match (mission, theirs) {
            (Some(m), Some(t)) if m != t => {
                return Err(Error::invalid(
                    ErrorCode::Conflict,
                    field,
                    format!("{what} belongs to another mission"),
                ))
            }
            (None, Some(t)) => mission = Some(t),
            _ => {}
        }
    }
    Ok(mission)
}

/// Applies `change` to an open-or-not follow-up and records before/after.
fn change(tx: &mut Tx<'_>, id: Id, sql: &str, value: &dyn rusqlite::ToSql) -> Result<FollowUp> {
    let before = get(&tx.db(), id)?;
    tx.conn()
        .prepare_cached(sql)?
        .execute(params![id, value, tx.now()])?;
    let after = get(&tx.db(), id)?;
    updated(tx, Entity::FollowUp, id, &before, after)
}

/// Marks a follow-up done (or open again), stamping when it was completed.
pub fn set_status(tx: &mut Tx<'_>, id: Id, status: FollowUpStatus) -> Result<FollowUp> {
    change(
        tx,
        id,
        "UPDATE follow_ups SET status = ?2, updated_at = ?3,
            completed_at = CASE WHEN ?2 = 'done' THEN COALESCE(completed_at, ?3) END
          WHERE id = ?1",
        &status,
    )
}

/// Moves the due date (YYYY-MM-DD).
pub fn reschedule(tx: &mut Tx<'_>, id: Id, due_on: &str) -> Result<FollowUp> {
    let due = parse_date("due_on", due_on)?;
    change(
        tx,
        id,
        "UPDATE follow_ups SET due_on = ?2, updated_at = ?3 WHERE id = ?1",
        &due,
    )
}

/// Gives the follow-up to another delegate (a contact), or to nobody.
pub fn reassign(tx: &mut Tx<'_>, id: Id, owner_id: Option<Id>) -> Result<FollowUp> {
    if let Some(owner) = owner_id {
        ensure_exists(&tx.db(), "contacts", "owner", owner)?;
    }
    change(
        tx,
        id,
        "UPDATE follow_ups SET owner_id = ?2, updated_at = ?3 WHERE id = ?1",
        &owner_id,
    )
}
