//! Contacts: people, with their e-mails, phones (E.164) and messengers, the
//! organization they work for, and where and how we met them. One contact
//! is read and written here; pages of them are read in [`list`].

use chrono::NaiveDate;
use rusqlite::{params, OptionalExtension, Row};
use serde::{Deserialize, Serialize};
use specta::Type;

mod list;
mod messengers;

pub use list::{delegates, explain_list, list, list_steps, ContactFilter, ContactRow};
pub(crate) use messengers::messenger_handle;

use super::{
    clean_list, ensure_exists, found, inserted, json_col, set_tags, sort_key, tags_sql, text_enum,
    updated, Json,
};
use crate::error::Result;
use crate::id::Id;
use crate::store::{Db, Entity, Tx};
use crate::time::parse_date;
use crate::validate;

text_enum! {
    pub enum MessengerKind {
        Telegram => "telegram",
        Whatsapp => "whatsapp",
        Signal => "signal",
        Wechat => "wechat",
        Other => "other",
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Type)]
pub struct Email {
    pub address: String,
    pub label: String,
}

/// As typed, `number` is any format; as stored and read, it is E.164.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Type)]
pub struct Phone {
    pub number: String,
    pub label: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Type)]
pub struct Messenger {
    pub kind: MessengerKind,
    pub handle: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Type)]
pub struct Contact {
    pub id: Id,
    /// In its original script (Cyrillic, Kazakh, Turkmen Latin...).
    pub full_name: String,
    pub full_name_latin: String,
    pub position: String,
    pub organization_id: Option<Id>,
    pub organization_name: Option<String>,
    pub emails: Vec<Email>,
    pub phones: Vec<Phone>,
    pub messengers: Vec<Messenger>,
    pub languages: Vec<String>,
    pub met_on: Option<NaiveDate>,
    pub met_place: String,
    pub introduced_by_id: Option<Id>,
    pub notes: String,
    pub tags: Vec<String>,
    pub created_at: String,
    pub updated_at: String,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, Type)]
pub struct ContactInput {
    pub full_name: String,
    pub full_name_latin: String,
    pub position: String,
    pub organization_id: Option<Id>,
    pub emails: Vec<Email>,
    pub phones: Vec<Phone>,
    pub messengers: Vec<Messenger>,
    pub languages: Vec<String>,
    /// YYYY-MM-DD
    pub met_on: Option<String>,
    pub met_place: String,
    pub introduced_by_id: Option<Id>,
    pub notes: String,
    pub tags: Vec<String>,
    /// Region for numbers typed without a country code (the current
    /// mission's phone region); without it such numbers are refused.
    pub phone_region: Option<String>,
}

impl From<&Contact> for ContactInput {
    /// The input that saves a contact as it is (for edits that change a
    /// few fields, and for putting an earlier image back).
    fn from(c: &Contact) -> Self {
        Self {
            full_name: c.full_name.clone(),
            full_name_latin: c.full_name_latin.clone(),
            position: c.position.clone(),
            organization_id: c.organization_id,
            emails: c.emails.clone(),
            phones: c.phones.clone(),
            messengers: c.messengers.clone(),
            languages: c.languages.clone(),
            met_on: c.met_on.map(|d| d.to_string()),
            met_place: c.met_place.clone(),
            introduced_by_id: c.introduced_by_id,
            notes: c.notes.clone(),
            tags: c.tags.clone(),
            phone_region: None,
        }
    }
}

fn from_row(r: &Row<'_>) -> rusqlite::Result<Contact> {
    Ok(Contact {
        id: r.get(0)?,
        full_name: r.get(1)?,
        full_name_latin: r.get(2)?,
        position: r.get(3)?,
        organization_id: r.get(4)?,
        organization_name: r.get(5)?,
        languages: json_col(r, 6)?,
        met_on: r.get(7)?,
        met_place: r.get(8)?,
        introduced_by_id: r.get(9)?,
        notes: r.get(10)?,
        tags: json_col(r, 11)?,
        created_at: r.get(12)?,
        updated_at: r.get(13)?,
        emails: Vec::new(),
        phones: Vec::new(),
        messengers: Vec::new(),
    })
}

pub fn find(db: &Db<'_>, id: Id) -> Result<Option<Contact>> {
    // An organization in the trash keeps its link (restored, the person is
    // in it again) but gives no name: shown, it led to a page not found.
    let sql = format!(
        "SELECT c.id, c.full_name, c.full_name_latin, c.position, c.organization_id, o.name,
                c.languages, c.met_on, c.met_place, c.introduced_by_id, c.notes, {},
                c.created_at, c.updated_at,
                c.primary_email, c.primary_email_label, c.primary_phone, c.primary_phone_label
           FROM contacts c LEFT JOIN organizations o ON o.id = c.organization_id AND o.deleted_at IS NULL
          WHERE c.id = ?1 AND c.deleted_at IS NULL",
        tags_sql(Entity::Contact, "c.id")
    );
    let conn = db.conn();
    let Some((mut c, first_email, first_phone)) = conn
        .prepare_cached(&sql)?
        .query_row([id], |r| {
            // The first e-mail and phone are on the row (schema 8); the
            // child tables hold the rest.
            let first_email = match r.get::<_, Option<String>>(14)? {
                Some(address) => Some(Email {
                    address,
                    label: r.get(15)?,
                }),
                None => None,
            };
            let first_phone = match r.get::<_, Option<String>>(16)? {
                Some(number) => Some(Phone {
                    number,
                    label: r.get(17)?,
                }),
                None => None,
            };
            Ok((from_row(r)?, first_email, first_phone))
        })
        .optional()?
    else {
        return Ok(None);
    };
    c.emails = first_email.into_iter().collect();
    c.emails.extend(
        conn.prepare_cached(
            "SELECT address, label FROM contact_emails WHERE contact_id = ?1 ORDER BY position",
        )?
        .query_map([id], |r| {
            Ok(Email {
                address: r.get(0)?,
                label: r.get(1)?,
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?,
    );
    c.phones = first_phone.into_iter().collect();
    c.phones.extend(
        conn.prepare_cached(
            "SELECT e164, label FROM contact_phones WHERE contact_id = ?1 ORDER BY position",
        )?
        .query_map([id], |r| {
            Ok(Phone {
                number: r.get(0)?,
                label: r.get(1)?,
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?,
    );
    c.messengers = conn
        .prepare_cached("SELECT kind, handle FROM contact_messengers WHERE contact_id = ?1 ORDER BY kind, handle")?
        .query_map([id], |r| Ok(Messenger { kind: r.get(0)?, handle: r.get(1)? }))?
        .collect::<rusqlite::Result<_>>()?;
    Ok(Some(c))
}

pub fn get(db: &Db<'_>, id: Id) -> Result<Contact> {
    found(find(db, id)?, "contact", id)
}

struct Valid {
    full_name: String,
    emails: Vec<Email>,
    phones: Vec<Phone>,
    messengers: Vec<Messenger>,
    met_on: Option<NaiveDate>,
}

fn validate(input: &ContactInput) -> Result<Valid> {
    let full_name = validate::required("full_name", &input.full_name)?;
    let region = input
        .phone_region
        .as_deref()
        .map(str::trim)
        .filter(|r| !r.is_empty());
    let emails = input
        .emails
        .iter()
        .filter(|e| !e.address.trim().is_empty())
        .map(|e| {
            Ok(Email {
                address: validate::email("email", &e.address)?,
                label: e.label.trim().to_owned(),
            })
        })
        .collect::<Result<_>>()?;
    let phones = input
        .phones
        .iter()
        .filter(|p| !p.number.trim().is_empty())
        .map(|p| {
            Ok(Phone {
                number: validate::phone("phone", &p.number, region)?,
                label: p.label.trim().to_owned(),
            })
        })
        .collect::<Result<_>>()?;
    let messengers = input
        .messengers
        .iter()
        .filter(|m| !m.handle.trim().is_empty())
        .map(|m| Messenger {
            kind: m.kind,
            handle: messenger_handle(m.kind, &m.handle, region),
        })
        .collect();
    let met_on = match input.met_on.as_deref().map(str::trim) {
        Some(d) if !d.is_empty() => Some(parse_date("met_on", d)?),
        _ => None,
    };
    Ok(Valid {
        full_name,
        emails,
        phones,
        messengers,
        met_on,
    })
}

/// One person's notes with another's added after them, on a line of their
/// own, unless they are there already (an import's update, a merge: one
/// side's notes were dropped).
pub(crate) fn add_notes(mine: &str, theirs: &str) -> String {
    let (mine, theirs) = (mine.trim(), theirs.trim());
    if theirs.is_empty() || mine.contains(theirs) {
        return mine.to_owned();
    }
    if mine.is_empty() || theirs.contains(mine) {
        return theirs.to_owned();
    }
    format!("{mine}\n{theirs}")
}

/// Clears the links `current` (the row as it is) does not hold already and
/// that point into the trash, so saving a person's other fields (an
/// import's update, its undo, a merge) does not fail on an organization or
/// introducer someone deleted since. A link the row holds stays, as a
/// form's save keeps it ([`check_links`]): restored, it is linked again.
pub(crate) fn drop_dead_links(
    db: &Db<'_>,
    input: &mut ContactInput,
    current: &Contact,
) -> Result<()> {
    let live = |table: &str, id: Id| -> Result<bool> {
        Ok(db
            .conn()
            .prepare_cached(&format!(
                "SELECT 1 FROM {table} WHERE id = ?1 AND deleted_at IS NULL"
            ))?
            .query_row([id], |_| Ok(()))
            .optional()?
            .is_some())
    };
    if let Some(org) = input
        .organization_id
        .filter(|o| Some(*o) != current.organization_id)
    {
        if !live("organizations", org)? {
            input.organization_id = None;
        }
    }
    if let Some(by) = input
        .introduced_by_id
        .filter(|b| Some(*b) != current.introduced_by_id)
    {
        if !live("contacts", by)? {
            input.introduced_by_id = None;
        }
    }
    Ok(())
}

/// A link the contact's row already holds is kept as it is, though what it
/// points to may be in the trash (restored, it is linked again): checked,
/// it made a contact whose organization or introducer had been deleted
/// impossible to save. A new link must be to a live record.
fn check_links(tx: &Tx<'_>, id: Id, input: &ContactInput) -> Result<()> {
    let held: Option<(Option<Id>, Option<Id>)> = tx
        .conn()
        .prepare_cached("SELECT organization_id, introduced_by_id FROM contacts WHERE id = ?1")?
        .query_row([id], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?;
    let (held_org, held_by) = held.unwrap_or_default();
    if let Some(org) = input.organization_id.filter(|o| Some(*o) != held_org) {
        ensure_exists(&tx.db(), "organizations", "organization", org)?;
    }
    if let Some(by) = input.introduced_by_id.filter(|b| Some(*b) != held_by) {
        ensure_exists(&tx.db(), "contacts", "contact", by)?;
    }
    Ok(())
}

fn write_children(tx: &Tx<'_>, id: Id, v: &Valid, tags: &[String]) -> Result<()> {
    let conn = tx.conn();
    for table in ["contact_emails", "contact_phones", "contact_messengers"] {
        conn.prepare_cached(&format!("DELETE FROM {table} WHERE contact_id = ?1"))?
            .execute([id])?;
    }
    // The first of each on the row, the rest (each once) in the child
    // table, numbered from 1.
    let emails = distinct(&v.emails, |e| &e.address);
    let phones = distinct(&v.phones, |p| &p.number);
    conn.prepare_cached(
        "UPDATE contacts SET primary_email = ?2, primary_email_label = ?3,
                primary_phone = ?4, primary_phone_label = ?5
          WHERE id = ?1",
    )?
    .execute(params![
        id,
        emails.first().map(|e| &e.address),
        emails.first().map_or("", |e| &e.label),
        phones.first().map(|p| &p.number),
        phones.first().map_or("", |p| &p.label),
    ])?;
    write_further_addresses(conn, id, emails, phones)?;
    write_messengers(conn, id, &v.messengers)?;
    set_tags(tx, Entity::Contact, id, tags)
}

/// Adds a contact's messengers (each kind and handle once; an empty handle
/// is none).
pub(crate) fn write_messengers(
    conn: &rusqlite::Connection,
    id: Id,
    messengers: &[Messenger],
) -> Result<()> {
    let mut insert = conn.prepare_cached(
        "INSERT OR IGNORE INTO contact_messengers (contact_id, kind, handle) VALUES (?1, ?2, ?3)",
    )?;
    for m in messengers.iter().filter(|m| !m.handle.trim().is_empty()) {
        insert.execute(params![id, m.kind, m.handle.trim()])?;
    }
    Ok(())
}

/// Writes a contact's further e-mails and phones (all but the first of
/// each, which are on its row) into the child tables, numbered from 1. A
/// contact with none, most of an import, costs no statement at all.
pub(crate) fn write_further_addresses<'a>(
    conn: &rusqlite::Connection,
    id: Id,
    emails: impl IntoIterator<Item = &'a Email>,
    phones: impl IntoIterator<Item = &'a Phone>,
) -> Result<()> {
    for (i, e) in emails.into_iter().enumerate().skip(1) {
        conn.prepare_cached(
            "INSERT INTO contact_emails (contact_id, position, address, label)
             VALUES (?1, ?2, ?3, ?4)",
        )?
        .execute(params![id, i, e.address, e.label])?;
    }
    for (i, p) in phones.into_iter().enumerate().skip(1) {
        conn.prepare_cached(
            "INSERT INTO contact_phones (contact_id, position, e164, label)
             VALUES (?1, ?2, ?3, ?4)",
        )?
        .execute(params![id, i, p.number, p.label])?;
    }
    Ok(())
}

/// Each item of `items` once (the first time its key appears), in order.
fn distinct<T>(items: &[T], key: impl Fn(&T) -> &String) -> Vec<&T> {
    let mut out: Vec<&T> = Vec::with_capacity(items.len());
    for item in items {
        if !out.iter().any(|o| key(o) == key(item)) {
            out.push(item);
        }
    }
    out
}

/// Moves every contact's first e-mail and phone, with their labels, from
/// the child tables onto its row: what migration 008 did to the rows of the
/// day, and what a restore does for an export made before it (its child
/// tables hold every address, and its rows none or only a copy).
pub(crate) fn move_first_addresses_to_rows(conn: &rusqlite::Connection) -> Result<()> {
    conn.execute_batch(
        "UPDATE contacts SET
             primary_email = (SELECT address FROM contact_emails e
                               WHERE e.contact_id = contacts.id ORDER BY position LIMIT 1),
             primary_email_label = coalesce((SELECT label FROM contact_emails e
                               WHERE e.contact_id = contacts.id ORDER BY position LIMIT 1), ''),
             primary_phone = (SELECT e164 FROM contact_phones p
                               WHERE p.contact_id = contacts.id ORDER BY position LIMIT 1),
             primary_phone_label = coalesce((SELECT label FROM contact_phones p
                               WHERE p.contact_id = contacts.id ORDER BY position LIMIT 1), '');
         DELETE FROM contact_emails WHERE position =
             (SELECT min(position) FROM contact_emails f WHERE f.contact_id = contact_emails.contact_id);
         DELETE FROM contact_phones WHERE position =
             (SELECT min(position) FROM contact_phones f WHERE f.contact_id = contact_phones.contact_id);",
    )?;
    Ok(())
}

/// Writes the row and its children, inserting or updating (`created_at` is
/// kept on update), and reads the result back.
fn save(tx: &mut Tx<'_>, id: Id, input: &ContactInput) -> Result<Contact> {
    let v = validate(input)?;
    check_links(tx, id, input)?;
    tx.conn()
        .prepare_cached(
            "INSERT INTO contacts (id, full_name, full_name_latin, position, organization_id,
                languages, met_on, met_place, introduced_by_id, notes, sort_name,
                created_at, updated_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?12)
             ON CONFLICT (id) DO UPDATE SET full_name = excluded.full_name,
                full_name_latin = excluded.full_name_latin, position = excluded.position,
                organization_id = excluded.organization_id, languages = excluded.languages,
                met_on = excluded.met_on, met_place = excluded.met_place,
                introduced_by_id = excluded.introduced_by_id, notes = excluded.notes,
                sort_name = excluded.sort_name, updated_at = excluded.updated_at",
        )?
        .execute(params![
            id,
            v.full_name,
            input.full_name_latin.trim(),
            input.position.trim(),
            input.organization_id,
            Json(clean_list(&input.languages)),
            v.met_on,
            input.met_place.trim(),
            input.introduced_by_id,
            input.notes.trim(),
            sort_key(&v.full_name),
            tx.now()
        ])?;
    write_children(tx, id, &v, &input.tags)?;
    get(&tx.db(), id)
}

pub fn create(tx: &mut Tx<'_>, input: &ContactInput) -> Result<Contact> {
    let contact = save(tx, Id::new(), input)?;
    let id = contact.id;
    inserted(tx, Entity::Contact, id, contact)
}

pub fn update(tx: &mut Tx<'_>, id: Id, input: &ContactInput) -> Result<Contact> {
    let before = get(&tx.db(), id)?;
    let after = save(tx, id, input)?;
    updated(tx, Entity::Contact, id, &before, after)
}
