//! Global search: finding any record from a few typed letters, in any
//! script. Owns the FTS5 index (`search_index`, what its hits show in
//! `search_docs`, and contacts' `name_key`), keeps it in step with every
//! write ([`reindex`], called by the store before commit for each record
//! the write changed), and answers queries ([`search`]).
//!
//! A contact's row in the index has the contact's own rowid, and its hit is
//! read from the contact: contacts are most of what is indexed, and a
//! document row apiece for them was 13 MB of every 100,000. Every other
//! record has a `search_docs` row numbered from [`DOCS_FROM`] up.
//!
//! Matching happens in tiers, each one an unranked FTS5 lookup with a LIMIT,
//! so a one-letter prefix that matches half a million names costs what a
//! rare word costs: exact words first, then words that start with what was
//! typed, then the cross-script keys (a Latin spelling of a Cyrillic name
//! and the reverse). bm25 ranking over a huge match set is what is avoided.

pub mod fold;

use std::collections::HashSet;

use rusqlite::{params, Connection, OptionalExtension};
use serde::{Deserialize, Serialize};
use specta::Type;

use crate::error::Result;
use crate::id::Id;
use crate::macros::text_enum;
use crate::store::{Change, Entity, Tx};
use fold::{cross_key, cross_key_prefix, fold};

/// Bump when [`fold`] or the documents change: the index is rebuilt when a
/// store opens a database built with another version.
const VERSION: i64 = 1;

text_enum! {
    /// How a hit matched, best first.
    pub enum MatchTier {
        Exact => "exact",
        Prefix => "prefix",
        CrossScript => "cross_script",
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
pub struct SearchHit {
    pub entity: Entity,
    pub id: Id,
    pub title: String,
    /// A second line from the record's own fields: position, city, place,
    /// sector, due date, organiser.
    pub detail: String,
    pub tier: MatchTier,
    /// For a note: the record it is written on, which is what opens.
    pub parent: Option<(Entity, Id)>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, Type)]
pub struct SearchQuery {
    pub text: String,
    /// Only this kind of record.
    pub entity: Option<Entity>,
    /// 20 when unset, at most 200.
    pub limit: Option<u32>,
}

/// The first number of a `search_docs` row: full-text rowids below it are
/// contacts' rowids. SQLite numbers a table's rows from 1 up, one past the
/// highest, so contacts never reach it.
pub(crate) const DOCS_FROM: i64 = 1 << 40;

/// The kinds the index holds, with their tables.
const KINDS: &[(Entity, &str)] = &[
    (Entity::Contact, "contacts"),
    (Entity::Organization, "organizations"),
    (Entity::Meeting, "meetings"),
    (Entity::Agreement, "agreements"),
    (Entity::FollowUp, "follow_ups"),
    (Entity::Mission, "missions"),
    (Entity::Note, "notes"),
];

/// A record's text as the index holds it, and what its hit shows.
pub(crate) struct Document {
    words: String,
    keys: String,
    name_key: Option<String>,
    title: String,
    detail: String,
    parent: Option<(Entity, Id)>,
}

/// Per kind, the SQL that reads one live record as: title, detail (its own
/// fields only, so no other record's change can leave it stale), parent
/// entity and id (notes), then more text to index; and which columns are
/// names (cross-script keys).
fn source(entity: Entity) -> Option<(&'static str, &'static [usize])> {
    Some(match entity {
        Entity::Contact => (
            "SELECT full_name, position, NULL, NULL, full_name_latin FROM contacts
              WHERE id = ?1 AND deleted_at IS NULL",
            &[0, 4],
        ),
        Entity::Organization => (
            "SELECT name, city, NULL, NULL, name_latin FROM organizations
              WHERE id = ?1 AND deleted_at IS NULL",
            &[0, 4],
        ),
        Entity::Meeting => (
            "SELECT title, place, NULL, NULL FROM meetings WHERE id = ?1 AND deleted_at IS NULL",
            &[],
        ),
        Entity::Agreement => (
            "SELECT title, sector, NULL, NULL FROM agreements WHERE id = ?1 AND deleted_at IS NULL",
            &[],
        ),
        Entity::FollowUp => (
            "SELECT title, due_on, NULL, NULL, notes FROM follow_ups
              WHERE id = ?1 AND deleted_at IS NULL",
            &[],
        ),
        Entity::Mission => (
            "SELECT name, organiser, NULL, NULL FROM missions WHERE id = ?1 AND deleted_at IS NULL",
            &[],
        ),
        Entity::Note => (
            "SELECT substr(body, 1, 120), '', entity, entity_id, body FROM notes
              WHERE id = ?1 AND deleted_at IS NULL",
            &[],
        ),
        Entity::Participation | Entity::ExchangeRate => return None,
    })
}

fn document(conn: &Connection, entity: Entity, id: Id) -> Result<Option<Document>> {
    let Some((sql, name_columns)) = source(entity) else {
        return Ok(None);
    };
    let row = conn
        .prepare_cached(sql)?
        .query_row([id], |r| {
            let texts = (0..r.as_ref().column_count())
                .filter(|i| !matches!(i, 2 | 3))
                .map(|i| r.get::<_, Option<String>>(i).map(Option::unwrap_or_default))
                .collect::<rusqlite::Result<Vec<String>>>()?;
            let parent = match (r.get::<_, Option<Entity>>(2)?, r.get::<_, Option<Id>>(3)?) {
                (Some(e), Some(i)) => Some((e, i)),
                _ => None,
            };
            Ok((texts, parent))
        })
        .optional()?;
    let Some((mut texts, parent)) = row else {
        return Ok(None);
    };
    // Column indexes above count the two parent columns; `texts` does not.
    let names: Vec<String> = name_columns
        .iter()
        .map(|&c| texts[if c >= 4 { c - 2 } else { c }].clone())
        .collect();
    if entity == Entity::Contact {
        let mut lists = [Vec::new(), Vec::new()];
        for (sql, list) in [
            "SELECT primary_email FROM contacts WHERE id = ?1 AND primary_email IS NOT NULL
             UNION ALL SELECT address FROM contact_emails WHERE contact_id = ?1",
            "SELECT primary_phone FROM contacts WHERE id = ?1 AND primary_phone IS NOT NULL
             UNION ALL SELECT e164 FROM contact_phones WHERE contact_id = ?1",
        ]
        .iter()
        .zip(lists.iter_mut())
        {
            *list = conn
                .prepare_cached(sql)?
                .query_map([id], |r| r.get(0))?
                .collect::<rusqlite::Result<_>>()?;
        }
        let [emails, phones] = lists;
        return Ok(Some(contact_document(
            &texts[0], &texts[1], &texts[2], &emails, &phones,
        )));
    }
    let (title, detail) = (texts[0].clone(), texts[1].clone());
    if entity == Entity::Note {
        texts.remove(0); // the excerpt; the whole body follows
    }
    Ok(Some(Document {
        words: fold(&texts.join(" ")),
        keys: name_keys(&names),
        name_key: None,
        title,
        detail,
        parent,
    }))
}

/// A contact's document from its fields (e-mails as written, phones in
/// E.164): what [`document`] builds from the stored rows, and what an
/// import builds before it writes, off the writer's thread.
pub(crate) fn contact_document(
    full_name: &str,
    position: &str,
    full_name_latin: &str,
    emails: &[String],
    phones: &[String],
) -> Document {
    let mut texts = vec![
        full_name.to_owned(),
        position.to_owned(),
        full_name_latin.to_owned(),
    ];
    texts.extend(emails.iter().cloned());
    texts.extend(phones.iter().map(|p| phone_tokens(p)));
    Document {
        words: fold(&texts.join(" ")),
        keys: name_keys(&[full_name.to_owned(), full_name_latin.to_owned()]),
        name_key: Some(name_key(full_name)).filter(|k| !k.is_empty()),
        title: full_name.to_owned(),
        detail: position.to_owned(),
        parent: None,
    }
}

/// The cross-script keys of every word of `names`, for the `keys` column.
fn name_keys(names: &[String]) -> String {
    names
        .iter()
        .flat_map(|n| split_words(n))
        .map(|w| cross_key(&w))
        .filter(|k| !k.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// One name's identity across scripts and word order: its words' keys,
/// sorted ("Сахметов Кайырболат" = "Kairbolat Sakhmetov").
pub fn name_key(name: &str) -> String {
    let mut keys: Vec<String> = split_words(name)
        .iter()
        .map(|w| cross_key(w))
        .filter(|k| !k.is_empty())
        .collect();
    keys.sort();
    keys.join(" ")
}

/// A phone number as the tokens it can be typed as: the E.164 digits, and
/// the same without the country code (a number typed the national way:
/// "8 701 123 45 67" is found as "701 123 45 67"). Documents indexed before
/// the country code was looked up hold every 1–3 digit cut instead; they
/// answer the same queries, so they are left to be replaced as records
/// change rather than rebuilt on upgrade.
fn phone_tokens(e164: &str) -> String {
    let digits: String = e164.chars().filter(char::is_ascii_digit).collect();
    match country_code_len(&digits).and_then(|n| digits.get(n..)) {
        Some(national) if !national.is_empty() => format!("{digits} {national}"),
        _ => digits,
    }
}

/// How many of `digits`' leading digits are its country calling code.
/// Calling codes are 1–3 digits and none is the start of another, so the
/// first length that names a country is the one.
fn country_code_len(digits: &str) -> Option<usize> {
    (1..=3).find(|&n| {
        digits
            .get(..n)
            .filter(|code| !code.starts_with('0'))
            .and_then(|code| code.parse::<u16>().ok())
            .is_some_and(|code| phonenumber::metadata::DATABASE.by_code(&code).is_some())
    })
}

/// Splits folded text into the words FTS5's unicode61 tokenizer sees.
fn words_of(text: &str) -> Vec<String> {
    split_words(&fold(text))
}

/// Words as written (for cross-script keys, which need ş and ž as they are).
fn split_words(text: &str) -> Vec<String> {
    text.split(|c: char| !c.is_alphanumeric() && !fold::is_combining(c))
        .filter(|w| !w.is_empty())
        .map(str::to_owned)
        .collect()
}

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
    let key = document.as_ref().and_then(|d| d.name_key.clone());
    if key != old_key {
        conn.prepare_cached("UPDATE contacts SET name_key = ?2 WHERE rowid = ?1")?
            .execute(params![rowid, key])?;
    }
    if let Some(d) = document {
        index_words(conn, rowid, &d)?;
    }
    Ok(())
}

/// Indexes a record other than a contact, not indexed yet (a plain INSERT:
/// an upsert with RETURNING cost a bulk import several times more per
/// record).
pub(crate) fn index_new(conn: &Connection, entity: Entity, id: Id, d: &Document) -> Result<()> {
    let (parent_entity, parent_id) = d.parent.unzip();
    conn.prepare_cached(
        "INSERT INTO search_docs (doc, entity, ref, title, detail, parent_entity, parent_id)
         VALUES (max(?1, coalesce((SELECT max(doc) FROM search_docs), 0) + 1),
                 ?2, ?3, ?4, ?5, ?6, ?7)",
    )?
    .execute(params![
        DOCS_FROM,
        entity,
        id,
        d.title,
        d.detail,
        parent_entity,
        parent_id
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

impl Document {
    /// The name key a contact's row holds (`contacts.name_key`).
    pub(crate) fn name_key(&self) -> Option<&str> {
        self.name_key.as_deref()
    }
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
    // (`KINDS` starts with them), then the rest numbered from DOCS_FROM.
    bulk_begin(conn)?;
    for &(entity, table) in KINDS {
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

/// FTS5 query text: each token quoted (FTS5 syntax in user text is text),
/// optionally as a prefix, all required, in one column.
fn fts_query(column: &str, tokens: &[String], prefix: bool) -> String {
    tokens
        .iter()
        .map(|t| {
            format!(
                "{column} : \"{}\"{}",
                t.replace('"', "\"\""),
                if prefix { "*" } else { "" }
            )
        })
        .collect::<Vec<_>>()
        .join(" AND ")
}

/// The tiers to try for a query, best first.
fn tiers(text: &str) -> Vec<(MatchTier, String)> {
    let has_letters = text.chars().any(char::is_alphabetic);
    let digits: String = text.chars().filter(char::is_ascii_digit).collect();
    if !has_letters && digits.len() >= 3 {
        // A phone number however it is written; a leading 8 or 0 is a
        // national trunk prefix ("8 701..." in Kazakhstan).
        let mut forms = vec![digits.clone()];
        if let Some(rest) = digits.strip_prefix(['8', '0']) {
            forms.push(rest.to_owned());
        }
        let q = forms
            .iter()
            .map(|f| format!("words : \"{f}\"*"))
            .collect::<Vec<_>>()
            .join(" OR ");
        return vec![(MatchTier::Prefix, q)];
    }
    let tokens = words_of(text);
    if tokens.is_empty() {
        return Vec::new();
    }
    let written = split_words(text);
    let mut keys: Vec<String> = written.iter().map(|t| cross_key(t)).collect();
    if let (Some(last), Some(word)) = (keys.last_mut(), written.last()) {
        *last = cross_key_prefix(word);
    }
    keys.retain(|k| !k.is_empty());
    let mut out = vec![
        (MatchTier::Exact, fts_query("words", &tokens, false)),
        (MatchTier::Prefix, fts_query("words", &tokens, true)),
    ];
    if !keys.is_empty() {
        out.push((MatchTier::CrossScript, fts_query("keys", &keys, true)));
    }
    out
}

/// A tier's lookup: the matching records with what a hit shows, read from
/// the contact or from its `search_docs` row (which one the rowid says), so
/// a hit costs one rowid lookup.
const TIER_SQL: &str = "
SELECT coalesce(d.entity, 'contact'), coalesce(d.ref, c.id), coalesce(d.title, c.full_name),
       coalesce(d.detail, c.position), d.parent_entity, d.parent_id
  FROM search_index s
  LEFT JOIN search_docs d ON s.rowid >= ?4 AND d.doc = s.rowid
  LEFT JOIN contacts c ON s.rowid < ?4 AND c.rowid = s.rowid
 WHERE search_index MATCH ?1 AND coalesce(d.doc, c.rowid) IS NOT NULL
   AND (?2 IS NULL OR coalesce(d.entity, 'contact') = ?2)
 LIMIT ?3";

/// The query plan of a search tier's lookup, for the test that keeps it on
/// the full-text index.
pub fn explain(db: &crate::store::Db<'_>) -> Result<Vec<String>> {
    crate::db::query_plan(
        db.conn(),
        TIER_SQL,
        params!["words : \"ива\"*", Option::<Entity>::None, 20, DOCS_FROM],
    )
}

/// Records matching `query`, exact matches first, then prefixes, then
/// cross-script spellings; each record once.
pub fn search(db: &crate::store::Db<'_>, query: &SearchQuery) -> Result<Vec<SearchHit>> {
    let limit = query.limit.unwrap_or(20).clamp(1, 200) as usize;
    let mut stmt = db.conn().prepare_cached(TIER_SQL)?;
    let mut seen = HashSet::new();
    let mut hits = Vec::new();
    for (tier, fts) in tiers(&query.text) {
        if hits.len() >= limit {
            break;
        }
        let rows = stmt.query_map(params![fts, query.entity, limit as i64, DOCS_FROM], |r| {
            let parent = match (r.get::<_, Option<Entity>>(4)?, r.get::<_, Option<Id>>(5)?) {
                (Some(e), Some(i)) => Some((e, i)),
                _ => None,
            };
            Ok(SearchHit {
                entity: r.get(0)?,
                id: r.get(1)?,
                title: r.get::<_, Option<String>>(2)?.unwrap_or_default(),
                detail: r.get::<_, Option<String>>(3)?.unwrap_or_default(),
                tier,
                parent,
            })
        })?;
        for hit in rows {
            let hit = hit?;
            if hits.len() < limit && seen.insert((hit.entity, hit.id)) {
                hits.push(hit);
            }
        }
    }
    Ok(hits)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_phone_is_indexed_whole_and_without_its_country_code() {
        for (e164, tokens) in [
            ("+77011234567", "77011234567 7011234567"),
            ("+99365972743", "99365972743 65972743"),
            ("+4930123456", "4930123456 30123456"),
            ("+12025550123", "12025550123 2025550123"),
        ] {
            assert_eq!(phone_tokens(e164), tokens, "{e164}");
        }
        // No calling code starts with 0: the digits alone.
        assert_eq!(phone_tokens("+0123456"), "0123456");
    }
}
