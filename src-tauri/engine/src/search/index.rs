//! Keeping the index in step with the data: one record at a time before
//! every write commits ([`reindex`]), in bulk for an import
//! ([`bulk_begin`], [`bulk_end`]), and whole when its rules change or a
//! file is restored ([`rebuild`], [`ensure_current`]).

use std::collections::{HashMap, HashSet};

use rusqlite::{params, Connection, OptionalExtension};

use super::document::{contact_document, document, Document};
use super::{band, KINDS};
use crate::error::Result;
use crate::id::Id;
use crate::store::{Change, Entity, Tx};

/// Bump when [`fold`] or the documents change: the index is rebuilt when a
/// store opens a database built with another version. 2: words are split
/// in Rust (schema 12). 3: a name with ё has a second key ("yo"); a
/// decomposed ş, ç or ž has its letter's key; a virama or tone mark stays
/// in its word. 4: ж's "zh" and Kazakh Latin's "j" share a key; ǵ is g;
/// names joined by an apostrophe or hyphen are also indexed written
/// together; ʼ and ʻ part words. 5: organizations are numbered from
/// `ORGS_FROM` (a search for organizations reads only those numbers).
pub(crate) const VERSION: i64 = 5;

/// Brings one record's index row up to date (or removes it: deleted, in
/// the trash, never indexed).
pub(crate) fn reindex_one(conn: &Connection, entity: Entity, id: Id) -> Result<()> {
    if entity == Entity::Contact {
        return reindex_contact(conn, id);
    }
    let doc: Option<i64> = conn
        .prepare_cached("SELECT doc FROM search_docs WHERE entity = ?1 AND ref = ?2")?
        .query_row(params![entity, id], |r| r.get(0))
        .optional()?;
    if let Some(doc) = doc {
        conn.prepare_cached("DELETE FROM search_index WHERE rowid = ?1")?
            .execute([doc])?;
    }
    match document(conn, entity, id)? {
        Some(d) => match doc {
            Some(doc) => {
                let (parent_entity, parent_id) = d.parent.unzip();
                conn.prepare_cached(
                    "UPDATE search_docs SET title = ?2, detail = ?3, parent_entity = ?4,
                        parent_id = ?5
                      WHERE doc = ?1",
                )?
                .execute(params![
                    doc,
                    d.title,
                    d.detail,
                    parent_entity,
                    parent_id
                ])?;
                index_words(conn, doc, &d)?;
            }
            None => index_new(conn, entity, id, &d)?,
        },
        None => {
            if let Some(doc) = doc {
                conn.prepare_cached("DELETE FROM search_docs WHERE doc = ?1")?
                    .execute([doc])?;
            }
        }
    }
    Ok(())
}

/// A contact's index row and name key, from the contact as it now is. A
/// contact deleted for good has neither: the delete's trigger took its
/// index row (migration 008).
fn reindex_contact(conn: &Connection, id: Id) -> Result<()> {
    let row: Option<(i64, Option<String>)> = conn
        .prepare_cached("SELECT rowid, name_key FROM contacts WHERE id = ?1")?
        .query_row([id], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?;
    let Some((rowid, old_key)) = row else {
        return Ok(());
    };
    // Deleting a row the index does not hold would leave a tombstone.
    let indexed = conn
        .prepare_cached("SELECT 1 FROM search_index_docsize WHERE id = ?1")?
        .exists([rowid])?;
    if indexed {
        conn.prepare_cached("DELETE FROM search_index WHERE rowid = ?1")?
            .execute([rowid])?;
    }
    let document = document(conn, Entity::Contact, id)?;
    write_contact(conn, rowid, old_key, document.as_ref())
}

/// A contact's name key (set only when it changed) and its index row, from
/// its document; none for a contact out of the lists (the trash).
fn write_contact(
    conn: &Connection,
    rowid: i64,
    old_key: Option<String>,
    document: Option<&Document>,
) -> Result<()> {
    let key = document.and_then(|d| d.name_key.clone());
    if key != old_key {
        conn.prepare_cached("UPDATE contacts SET name_key = ?2 WHERE rowid = ?1")?
            .execute(params![rowid, key])?;
    }
    if let Some(d) = document {
        index_words(conn, rowid, d)?;
    }
    Ok(())
}

/// Indexes a record other than a contact, not indexed yet (a plain INSERT:
/// an upsert with RETURNING cost a bulk import several times more per
/// record).
pub(crate) fn index_new(conn: &Connection, entity: Entity, id: Id, d: &Document) -> Result<()> {
    let (parent_entity, parent_id) = d.parent.unzip();
    // The next number of the kind's band (see `search::band`).
    let (from, to) = band(entity);
    conn.prepare_cached(
        "INSERT INTO search_docs (doc, entity, ref, title, detail, parent_entity, parent_id)
         VALUES (max(?1, coalesce((SELECT max(doc) FROM search_docs
                                    WHERE doc >= ?1 AND doc < ?8), 0) + 1),
                 ?2, ?3, ?4, ?5, ?6, ?7)",
    )?
    .execute(params![
        from,
        entity,
        id,
        d.title,
        d.detail,
        parent_entity,
        parent_id,
        to
    ])?;
    index_words(conn, conn.last_insert_rowid(), d)
}

/// A document's words and cross-script keys under `rowid`: for a contact
/// its own rowid (an import indexes each person it writes, name key
/// included in the insert, with this alone).
pub(crate) fn index_words(conn: &Connection, rowid: i64, d: &Document) -> Result<()> {
    conn.prepare_cached("INSERT INTO search_index (rowid, words, keys) VALUES (?1, ?2, ?3)")?
        .execute(params![rowid, d.words, d.keys])?;
    Ok(())
}

/// FTS5's settings while a bulk write (an import) adds many records in one
/// transaction: a 16 MiB buffer of pending postings (default 1 MiB) and
/// no merging of segments as they are flushed. Together they take the
/// index's share of an imported row from ~22 to ~13 µs here. [`bulk_end`]
/// puts the defaults back in the same transaction, so no other writer ever
/// sees them and the next writes merge the import's segments as usual.
pub(crate) fn bulk_begin(conn: &Connection) -> Result<()> {
    conn.execute_batch(
        "INSERT INTO search_index (search_index, rank) VALUES ('hashsize', 16777216);
         INSERT INTO search_index (search_index, rank) VALUES ('automerge', 0);",
    )?;
    Ok(())
}

pub(crate) fn bulk_end(conn: &Connection) -> Result<()> {
    conn.execute_batch(
        "INSERT INTO search_index (search_index, rank) VALUES ('hashsize', 1048576);
         INSERT INTO search_index (search_index, rank) VALUES ('automerge', 4);",
    )?;
    Ok(())
}

/// Re-indexes every record a write changed; the store calls this before
/// the write commits, so the index never disagrees with the data.
pub(crate) fn reindex(tx: &Tx<'_>, changes: &[Change]) -> Result<()> {
    let mut done = HashSet::new();
    for c in changes {
        if KINDS.iter().any(|(k, _)| *k == c.entity) && done.insert((c.entity, c.id)) {
            reindex_one(tx.conn(), c.entity, c.id)?;
            // A record's notes are found only while it is live: trashed,
            // restored or taken back, its notes follow it.
            if matches!(
                c.entity,
                Entity::Contact | Entity::Organization | Entity::Meeting | Entity::Agreement
            ) {
                let notes: Vec<Id> = tx
                    .conn()
                    .prepare_cached("SELECT id FROM notes WHERE entity = ?1 AND entity_id = ?2")?
                    .query_map(params![c.entity, c.id], |r| r.get(0))?
                    .collect::<rusqlite::Result<_>>()?;
                for note in notes {
                    if done.insert((Entity::Note, note)) {
                        reindex_one(tx.conn(), Entity::Note, note)?;
                    }
                }
            }
        }
    }
    Ok(())
}

/// Rebuilds the whole index (first open after an upgrade, new folding
/// rules, a bulk load). One transaction: the caller's.
pub(crate) fn rebuild(conn: &Connection) -> Result<()> {
    // 'delete-all': a contentless index has no rows to delete one by one.
    conn.execute_batch(
        "INSERT INTO search_index (search_index) VALUES ('delete-all');
         DELETE FROM search_docs;
         UPDATE contacts SET name_key = NULL WHERE deleted_at IS NOT NULL AND name_key IS NOT NULL;",
    )?;
    // Every record again, with the import's settings (one flush, no merging
    // along the way: ~22 → ~13 µs a row there). Rowids in rising order, or
    // FTS5 flushes its buffer at every step back: contacts by rowid first
    // (`KINDS` starts with them), then the rest numbered from DOCS_FROM,
    // then the organizations from ORGS_FROM.
    bulk_begin(conn)?;
    rebuild_contacts(conn)?;
    // Organizations last: their band is above the other records'.
    let others = KINDS
        .iter()
        .filter(|(e, _)| !matches!(e, Entity::Contact | Entity::Organization))
        .chain(KINDS.iter().filter(|(e, _)| *e == Entity::Organization));
    for &(entity, table) in others {
        let ids: Vec<Id> = conn
            .prepare(&format!(
                "SELECT id FROM {table} WHERE deleted_at IS NULL ORDER BY rowid"
            ))?
            .query_map([], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        for id in ids {
            reindex_one(conn, entity, id)?;
        }
    }
    conn.execute(
        "INSERT INTO search_meta (id, version) VALUES (1, ?1)
         ON CONFLICT (id) DO UPDATE SET version = excluded.version",
        [VERSION],
    )?;
    bulk_end(conn)?;
    Ok(())
}

/// How many contacts [`rebuild_contacts`] reads at a time.
const REBUILD_BATCH: i64 = 10_000;

/// Every live contact's index row and name key, in rowid order, a batch at
/// a time: the contacts and their further e-mails and phones read in three
/// statements, their documents made in Rust. [`reindex_contact`] runs six
/// statements a contact, a minute of an upgrade's rebuild at a million.
fn rebuild_contacts(conn: &Connection) -> Result<()> {
    let mut read = conn.prepare(
        "SELECT rowid, id, full_name, position, full_name_latin, primary_email, primary_phone,
                name_key
           FROM contacts WHERE deleted_at IS NULL AND rowid > ?1 ORDER BY rowid LIMIT ?2",
    )?;
    let further =
        |table: &str, column: &str, from: i64, to: i64| -> Result<HashMap<Id, Vec<String>>> {
            let mut found: HashMap<Id, Vec<String>> = HashMap::new();
            let mut stmt = conn.prepare_cached(&format!(
                "SELECT contact_id, {column} FROM {table}
                  WHERE contact_id IN (SELECT id FROM contacts WHERE rowid > ?1 AND rowid <= ?2)
                  ORDER BY contact_id, position"
            ))?;
            let mut rows = stmt.query([from, to])?;
            while let Some(r) = rows.next()? {
                found.entry(r.get(0)?).or_default().push(r.get(1)?);
            }
            Ok(found)
        };
    let mut after = 0;
    loop {
        type Row = (
            i64,
            Id,
            [String; 3],
            Option<String>,
            Option<String>,
            Option<String>,
        );
        let batch: Vec<Row> = read
            .query_map(params![after, REBUILD_BATCH], |r| {
                Ok((
                    r.get(0)?,
                    r.get(1)?,
                    [r.get(2)?, r.get(3)?, r.get(4)?],
                    r.get(5)?,
                    r.get(6)?,
                    r.get(7)?,
                ))
            })?
            .collect::<rusqlite::Result<_>>()?;
        let Some(last) = batch.last().map(|row| row.0) else {
            return Ok(());
        };
        let emails = further("contact_emails", "address", after, last)?;
        let phones = further("contact_phones", "e164", after, last)?;
        for (rowid, id, [name, position, latin], email, phone, old_key) in batch {
            // The first on the row, then the further ones in their order:
            // what `document` reads for one contact.
            let all = |first: Option<String>, rest: &HashMap<Id, Vec<String>>| -> Vec<String> {
                first
                    .into_iter()
                    .chain(rest.get(&id).into_iter().flatten().cloned())
                    .collect()
            };
            let d = contact_document(
                &name,
                &position,
                &latin,
                &all(email, &emails),
                &all(phone, &phones),
            );
            write_contact(conn, rowid, old_key, Some(&d))?;
        }
        after = last;
    }
}

/// Whether the index was built by this build's folding rules: if not, the
/// store rebuilds it when it opens ([`ensure_current`]).
pub(crate) fn is_current(conn: &Connection) -> Result<bool> {
    let version: Option<i64> = conn
        .query_row("SELECT version FROM search_meta WHERE id = 1", [], |r| {
            r.get(0)
        })
        .optional()?;
    Ok(version == Some(VERSION))
}

/// Rebuilds the index when it was built by other folding rules or never
/// (a database upgraded from before search). Cheap when it is current.
pub(crate) fn ensure_current(conn: &mut Connection) -> Result<()> {
    if is_current(conn)? {
        return Ok(());
    }
    let txn = conn.transaction()?;
    rebuild(&txn)?;
    txn.commit()?;
    Ok(())
}

pub(crate) fn rebuild_in(tx: &Tx<'_>) -> Result<()> {
    rebuild(tx.conn())
}
