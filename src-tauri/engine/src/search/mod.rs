//! Global search: finding any record from a few typed letters, in any
//! script. Owns the FTS5 index (`search_index`, what its hits show in
//! `search_docs`, and contacts' `name_key`), keeps it in step with every
//! write ([`reindex`], called by the store before commit for each record
//! the write changed), and answers queries ([`search`]). What the index
//! holds for a record is built in [`document`]; keeping it current is
//! [`index`]'s.
//!
//! A contact's row in the index has the contact's own rowid, and its hit is
//! read from the contact: contacts are most of what is indexed, and a
//! document row apiece for them was 13 MB of every 100,000. Every other
//! record has a `search_docs` row numbered from [`DOCS_FROM`] up, and an
//! organization's from [`ORGS_FROM`].
//!
//! Matching happens in tiers, each one an unranked FTS5 lookup with a LIMIT,
//! so a one-letter prefix that matches half a million names costs what a
//! rare word costs: exact words first, then words that start with what was
//! typed, then the cross-script keys (a Latin spelling of a Cyrillic name
//! and the reverse). bm25 ranking over a huge match set is what is avoided.

mod document;
pub mod fold;
pub(crate) mod index;

pub(crate) use document::is_joiner;

use std::collections::HashSet;

use rusqlite::params;
use serde::{Deserialize, Serialize};
use specta::Type;

use crate::error::Result;
use crate::id::Id;
use crate::macros::text_enum;
use crate::store::Entity;
pub use document::name_key;
pub(crate) use document::{contact_document, Document};
use document::{split_words, words_of};
use fold::{cross_key_prefixes, cross_keys};
pub(crate) use index::{
    bulk_begin, bulk_end, ensure_current, index_words, is_current, rebuild, rebuild_in, reindex,
    reindex_one,
};

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

/// The first number of an organization's `search_docs` row, above every
/// other record's: a search for any kind reads newest first, so the
/// companies come before the meetings, notes and follow-ups that name
/// them (thirty of those filled Ctrl+K's hits and hid the company).
pub(crate) const ORGS_FROM: i64 = 1 << 41;

/// The `search_docs` numbers a kind's rows take.
pub(crate) fn band(entity: Entity) -> (i64, i64) {
    match entity {
        Entity::Organization => (ORGS_FROM, i64::MAX),
        _ => (DOCS_FROM, ORGS_FROM),
    }
}

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

/// FTS5 query text: each token quoted (FTS5 syntax in user text is text),
/// optionally as a prefix, all required, in one column.
fn fts_query(column: &str, tokens: &[String], prefix: bool) -> String {
    let groups: Vec<Vec<String>> = tokens.iter().map(|t| vec![t.clone()]).collect();
    fts_any(column, &groups, prefix)
}

/// Like [`fts_query`], for words that each have alternatives: every word
/// required, any one of its alternatives enough.
fn fts_any(column: &str, words: &[Vec<String>], prefix: bool) -> String {
    words
        .iter()
        .map(|alternatives| {
            let terms: Vec<String> = alternatives
                .iter()
                .map(|t| {
                    format!(
                        "{column} : \"{}\"{}",
                        t.replace('"', "\"\""),
                        if prefix { "*" } else { "" }
                    )
                })
                .collect();
            match terms.as_slice() {
                [one] => one.clone(),
                _ => format!("({})", terms.join(" OR ")),
            }
        })
        .collect::<Vec<_>>()
        .join(" AND ")
}

/// The tiers to try for a query, best first.
fn tiers(text: &str) -> Vec<(MatchTier, String)> {
    let has_letters = text.chars().any(char::is_alphabetic);
    let digits: String = text.chars().filter(char::is_ascii_digit).collect();
    let mut phone = Vec::new();
    if !has_letters && digits.len() >= 3 {
        // A phone number however it is written; a leading 8 or 0 is a
        // national trunk prefix ("8 701..." in Kazakhstan), a leading 00 or
        // 810 the way out of the country ("00 993...", "8 10 993..." from
        // Kazakhstan or Russia), before the country code.
        let mut forms = vec![digits.clone()];
        let abroad = digits
            .strip_prefix("00")
            .or_else(|| digits.strip_prefix("810"))
            .filter(|rest| rest.len() >= 3);
        if let Some(rest) = abroad.or_else(|| digits.strip_prefix(['8', '0'])) {
            forms.push(rest.to_owned());
        }
        let q = forms
            .iter()
            .map(|f| format!("words : \"{f}\"*"))
            .collect::<Vec<_>>()
            .join(" OR ");
        phone.push((MatchTier::Prefix, q));
    }
    // Numbers are words too, after the phone: "2023-10-05" is a due date,
    // "45/2023" an agreement's number (they were looked for as phones only).
    let tokens = words_of(text);
    if tokens.is_empty() {
        return phone;
    }
    if !phone.is_empty() {
        phone.push((MatchTier::Exact, fts_query("words", &tokens, false)));
        return phone;
    }
    let written = split_words(text);
    let mut keys: Vec<Vec<String>> = written.iter().map(|t| cross_keys(t)).collect();
    if let (Some(last), Some(word)) = (keys.last_mut(), written.last()) {
        *last = cross_key_prefixes(word);
    }
    for alternatives in &mut keys {
        alternatives.retain(|k| !k.is_empty());
    }
    keys.retain(|k| !k.is_empty());
    let mut out = vec![
        (MatchTier::Exact, fts_query("words", &tokens, false)),
        (MatchTier::Prefix, fts_query("words", &tokens, true)),
    ];
    if !keys.is_empty() {
        out.push((MatchTier::CrossScript, fts_any("keys", &keys, true)));
    }
    out
}

/// A tier's lookup, in the order given: the matching records with what a
/// hit shows, read from the contact or from its `search_docs` row (which
/// one the rowid says), so a hit costs one rowid lookup. `?5 <= rowid < ?6`
/// ([`rowids`]) goes to FTS5 itself: a search for organizations (the
/// contact form's field) starts past every contact's rowid instead of
/// reading each matching contact and dropping it, hundreds of thousands
/// for one letter at a million contacts. FTS5 reads its doclists in either
/// direction: ordering by rowid sorts nothing.
macro_rules! tier_sql {
    ($order:literal) => {
        concat!(
            "SELECT coalesce(d.entity, 'contact'), coalesce(d.ref, c.id),
                    coalesce(d.title, c.full_name), coalesce(d.detail, c.position),
                    d.parent_entity, d.parent_id
               FROM search_index s
               LEFT JOIN search_docs d ON s.rowid >= ?4 AND d.doc = s.rowid
               LEFT JOIN contacts c ON s.rowid < ?4 AND c.rowid = s.rowid
              WHERE search_index MATCH ?1 AND s.rowid >= ?5 AND s.rowid < ?6
                AND coalesce(d.doc, c.rowid) IS NOT NULL
                AND (?2 IS NULL OR coalesce(d.entity, 'contact') = ?2)
              ORDER BY s.rowid ",
            $order,
            " LIMIT ?3"
        )
    };
}

/// Which index rows can hold records of `entity`, and the lookup that
/// reads them. Contacts' own rowids are below [`DOCS_FROM`], every other
/// record's from it.
///
/// Any kind, or people: all of them newest first, in one lookup, so
/// organizations ([`ORGS_FROM`]) come first, then the other records, then
/// people. Read oldest first, a word on many people (the company's mail
/// domain, which every employee's address holds) filled the hits with
/// them, and the organization itself was never shown; reading the ranges
/// one after the other took a lookup per range (a one-letter search three
/// times slower). Of many people matching a letter, those added last are
/// shown.
///
/// Another kind: its own band, oldest first, as its records were made.
fn rowids(entity: Option<Entity>) -> (i64, i64, &'static str) {
    const NEWEST_FIRST: &str = tier_sql!("DESC");
    const OLDEST_FIRST: &str = tier_sql!("ASC");
    match entity {
        None => (i64::MIN, i64::MAX, NEWEST_FIRST),
        Some(Entity::Contact) => (i64::MIN, DOCS_FROM, NEWEST_FIRST),
        Some(other) => {
            let (from, to) = band(other);
            (from, to, OLDEST_FIRST)
        }
    }
}

/// The query plan of a search tier's lookup for `entity`, for the test
/// that keeps it on the full-text index.
pub fn explain(db: &crate::store::Db<'_>, entity: Option<Entity>) -> Result<Vec<String>> {
    let (from, to, sql) = rowids(entity);
    crate::db::query_plan(
        db.conn(),
        sql,
        params!["words : \"ива\"*", entity, 20, DOCS_FROM, from, to],
    )
}

/// How many SQLite steps [`search`] takes for `query`, all tiers together:
/// what the test that holds a search's cost to the size of its answer
/// counts (not timed).
pub fn search_steps(db: &crate::store::Db<'_>, query: &SearchQuery) -> Result<i32> {
    let status = rusqlite::StatementStatus::VmStep;
    let (.., sql) = rowids(query.entity);
    db.conn().prepare_cached(sql)?.reset_status(status);
    search(db, query)?;
    Ok(db.conn().prepare_cached(sql)?.get_status(status))
}

/// Records matching `query`, exact matches first, then prefixes, then
/// cross-script spellings; each record once.
pub fn search(db: &crate::store::Db<'_>, query: &SearchQuery) -> Result<Vec<SearchHit>> {
    let limit = query.limit.unwrap_or(20).clamp(1, 200) as usize;
    let (from, to, sql) = rowids(query.entity);
    let mut stmt = db.conn().prepare_cached(sql)?;
    let mut seen = HashSet::new();
    let mut hits = Vec::new();
    for (tier, fts) in tiers(&query.text) {
        if hits.len() >= limit {
            break;
        }
        let rows = stmt.query_map(
            params![fts, query.entity, limit as i64, DOCS_FROM, from, to],
            |r| {
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
            },
        )?;
        for hit in rows {
            let hit = hit?;
            if hits.len() < limit && seen.insert((hit.entity, hit.id)) {
                hits.push(hit);
            }
        }
    }
    Ok(hits)
}
