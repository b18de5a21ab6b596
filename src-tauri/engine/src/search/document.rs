//! What the index holds for each record: its words (folded), the
//! cross-script keys of its names, a contact's name key, and what its hit
//! shows. Read from the record's row ([`document`]), or built from an
//! import's fields before it writes ([`contact_document`]).

use rusqlite::{Connection, OptionalExtension};

use super::fold::{self, cross_key, cross_keys, fold};
use crate::error::Result;
use crate::id::Id;
use crate::store::Entity;

/// A record's text as the index holds it, and what its hit shows.
pub(crate) struct Document {
    pub(super) words: String,
    pub(super) keys: String,
    pub(super) name_key: Option<String>,
    pub(super) title: String,
    pub(super) detail: String,
    pub(super) parent: Option<(Entity, Id)>,
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
        // A note is found while what it is on is live: on a record in the
        // trash (or deleted for good) it was still found, and opened it.
        Entity::Note => (
            "SELECT substr(body, 1, 120), '', entity, entity_id, body FROM notes n
              WHERE id = ?1 AND deleted_at IS NULL
                AND CASE entity
                    WHEN 'contact' THEN EXISTS (SELECT 1 FROM contacts p
                        WHERE p.id = n.entity_id AND p.deleted_at IS NULL)
                    WHEN 'organization' THEN EXISTS (SELECT 1 FROM organizations p
                        WHERE p.id = n.entity_id AND p.deleted_at IS NULL)
                    WHEN 'meeting' THEN EXISTS (SELECT 1 FROM meetings p
                        WHERE p.id = n.entity_id AND p.deleted_at IS NULL)
                    WHEN 'agreement' THEN EXISTS (SELECT 1 FROM agreements p
                        WHERE p.id = n.entity_id AND p.deleted_at IS NULL)
                    ELSE 1 END",
            &[],
        ),
        // Files are found on their records' pages, not by search.
        Entity::Participation | Entity::ExchangeRate | Entity::Attachment => return None,
    })
}

pub(super) fn document(conn: &Connection, entity: Entity, id: Id) -> Result<Option<Document>> {
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
        words: words_with_joined(&texts, &names),
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
    let names = [full_name.to_owned(), full_name_latin.to_owned()];
    Document {
        words: words_with_joined(&texts, &names),
        keys: name_keys(&names),
        name_key: Some(name_key(full_name)).filter(|k| !k.is_empty()),
        title: full_name.to_owned(),
        detail: position.to_owned(),
        parent: None,
    }
}

/// The words of `texts` (folded), and those of `names` written with an
/// apostrophe or hyphen also written together.
fn words_with_joined(texts: &[String], names: &[String]) -> String {
    let mut words = words_of(&texts.join(" "));
    words.extend(names.iter().flat_map(|n| joined(n)).map(|w| fold(&w)));
    words.join(" ")
}

/// Whether `c` joins the parts of one name: an apostrophe (O'Brien, and
/// the Uzbek and Turkmen ʼ and ʻ, which Unicode counts as letters and
/// which left "Oʼbrien" one word that "O'Brien" never matched) or a
/// hyphen (Мухамед-Али).
pub(crate) fn is_joiner(c: char) -> bool {
    matches!(
        c,
        '\'' | '`' | '´' | '‘' | '’' | 'ʼ' | 'ʻ' | 'ʹ' | '-' | '‐' | '‑' | '‒' | '–'
    )
}

/// The names in `text` whose parts are joined by apostrophes or hyphens,
/// written together: a name is found by its parts ("O'Brien" as "brien")
/// and also written without them ("OBrien", "Мухамедали").
fn joined(text: &str) -> Vec<String> {
    text.split_whitespace()
        .filter_map(|chunk| {
            let chunk = chunk.trim_matches(|c: char| !in_word(c));
            let parts = split_words(chunk);
            (parts.len() > 1 && chunk.chars().all(|c| in_word(c) || is_joiner(c)))
                .then(|| parts.concat())
        })
        .collect()
}

/// The cross-script keys of every word of `names` (and of the names
/// joined by apostrophes or hyphens, written together), for the `keys`
/// column.
fn name_keys(names: &[String]) -> String {
    names
        .iter()
        .flat_map(|n| split_words(n).into_iter().chain(joined(n)))
        .flat_map(|w| cross_keys(&w))
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

/// Splits folded text into words. The index is given them split (schema
/// 12), and its tokenizer splits only at spaces, so what a query looks for
/// and what the index holds are cut alike.
pub(super) fn words_of(text: &str) -> Vec<String> {
    split_words(&fold(text))
}

/// Words as written (for cross-script keys, which need ş and ž as they are).
pub(super) fn split_words(text: &str) -> Vec<String> {
    text.split(|c: char| !in_word(c))
        .filter(|w| !w.is_empty())
        .map(str::to_owned)
        .collect()
}

/// Whether `c` is part of a word: letters and digits, the combining accents
/// of decomposed text, and the signs that write vowels, viramas and tones
/// in the Indic, Thai, Lao, Myanmar and Khmer scripts. Rust's
/// `is_alphanumeric` keeps some of those signs but not a virama, which cut
/// "बच्चन" in two. Their sentence marks (dandas and the like) still part
/// words.
fn in_word(c: char) -> bool {
    (c.is_alphanumeric() && !is_joiner(c))
        || fold::is_combining(c)
        || (matches!(c, '\u{900}'..='\u{dff}' | '\u{e00}'..='\u{eff}' | '\u{1000}'..='\u{109f}'
            | '\u{1780}'..='\u{17ff}')
            && !matches!(
                c,
                '\u{964}'
                    | '\u{965}'
                    | '\u{970}'
                    | '\u{df4}'
                    | '\u{e4f}'
                    | '\u{e5a}'
                    | '\u{e5b}'
                    | '\u{104a}'
                    | '\u{104b}'
                    | '\u{17d4}'..='\u{17d6}'
            ))
}

impl Document {
    /// The name key a contact's row holds (`contacts.name_key`).
    pub(crate) fn name_key(&self) -> Option<&str> {
        self.name_key.as_deref()
    }
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
