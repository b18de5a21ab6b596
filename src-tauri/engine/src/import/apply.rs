//! Writing imported people, and taking an import back.
//!
//! Each row is validated (a bad e-mail or phone is left out and reported,
//! the person still comes in; a row without a name is skipped), matched
//! against the address book by the identity rules of search and
//! duplicates (same e-mail, same phone, or, for a row with neither, the
//! same name in any script), and created, used to update the match, or
//! skipped, as the user chose.
//! Organizations are found by name or created, and join the chosen mission
//! on the chosen side.
//!
//! Everything an import does is listed in `import_items`, so
//! [`super::history::undo`] can take the whole import back later.
//!
//! Rows are written with prepared statements, not through the model's
//! `create`, because a million-row import must not read every record back;
//! the rules are the model's own (`validate`, `sort_key`, `set_tags`,
//! the search index's documents). A created record's history entry is its
//! `import_items` row (timelines read both), not a `history` row.

use std::collections::HashMap;

use rusqlite::{params, OptionalExtension};

use super::mapping::Draft;
use super::{ImportFormat, ImportOptions, ImportSummary, OnMatch, RowIssue, RowProblem};
use crate::duplicates::Reason;
use crate::error::{Error, ErrorCode, Result};
use crate::id::Id;
use crate::model::contact::{self, ContactInput, Email, Phone};
use crate::model::{clean_list, organization, set_tags, sort_key, union, Json, Side};
use crate::search::{contact_document, index_words, reindex_one, Document};
use crate::store::{Entity, Tx};
use crate::validate;

/// Problems kept with an import; a file with more is summarised by counts.
pub const MAX_PROBLEMS: usize = 1000;

pub(crate) struct Importer<'a, 'c> {
    tx: &'a mut Tx<'c>,
    id: Id,
    on_match: OnMatch,
    mission: Option<(Id, Side)>,
    region: Option<String>,
    organizations: HashMap<String, Id>,
    /// Organizations this import created, indexed when it finishes: their
    /// index rows come after every contact's, and FTS5 flushes its buffer
    /// whenever a rowid is lower than the last one written.
    new_organizations: Vec<Id>,
    summary: ImportSummary,
}

/// A row made ready off the writer's thread: the name tidied, e-mails and
/// phones validated (what was left out, and why), its search document and
/// sort key computed and its id minted, so the thread holding the write
/// lock only writes.
pub(crate) struct Prepared {
    line: usize,
    /// The id it gets if it is created (UUIDv7: minted in file order, so
    /// in the order the writer inserts).
    id: Id,
    name: String,
    sort_name: String,
    draft: Draft,
    emails: Vec<Email>,
    phones: Vec<Phone>,
    problems: Vec<RowIssue>,
    document: Document,
}

impl Prepared {
    pub(crate) fn line(&self) -> usize {
        self.line
    }
}

pub(crate) fn prepare(line: usize, draft: Draft, region: Option<&str>) -> Prepared {
    let name = draft
        .full_name
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    let mut problems = Vec::new();
    let mut emails: Vec<Email> = Vec::new();
    for e in &draft.emails {
        match validate::email("email", &e.address) {
            Ok(address)
                if !emails
                    .iter()
                    .any(|x| x.address.eq_ignore_ascii_case(&address)) =>
            {
                emails.push(Email {
                    address,
                    label: e.label.clone(),
                })
            }
            Ok(_) => {}
            Err(_) => problems.push(RowIssue::BadEmail {
                value: e.address.trim().to_owned(),
            }),
        }
    }
    let mut phones: Vec<Phone> = Vec::new();
    for p in &draft.phones {
        match validate::phone("phone", &p.number, region) {
            Ok(number) if !phones.iter().any(|x| x.number == number) => phones.push(Phone {
                number,
                label: p.label.clone(),
            }),
            Ok(_) => {}
            Err(err) => problems.push(RowIssue::BadPhone {
                value: p.number.trim().to_owned(),
                needs_country: err.code() == ErrorCode::PhoneNeedsCountry,
            }),
        }
    }
    // A WhatsApp number in E.164 when it reads as one, as phones are: the
    // same number typed two ways was kept twice.
    let mut draft = draft;
    for m in &mut draft.messengers {
        m.handle = contact::messenger_handle(m.kind, &m.handle, region);
    }
    let addresses: Vec<String> = emails.iter().map(|e| e.address.clone()).collect();
    let numbers: Vec<String> = phones.iter().map(|p| p.number.clone()).collect();
    let document = contact_document(
        &name,
        draft.position.trim(),
        draft.full_name_latin.trim(),
        &addresses,
        &numbers,
    );
    Prepared {
        line,
        id: Id::new(),
        sort_name: sort_key(&name),
        name,
        draft,
        emails,
        phones,
        problems,
        document,
    }
}

/// A person to create, as [`prepare`] made them ready.
struct NewPerson<'r> {
    id: Id,
    name: &'r str,
    sort_name: &'r str,
    draft: &'r Draft,
    emails: &'r [Email],
    phones: &'r [Phone],
    document: &'r Document,
}

/// Who a row is already in the address book as, and why we think so.
struct Match {
    id: Id,
    name: String,
    by: Reason,
    /// Found by name alone, which another person has too.
    namesake: bool,
}

impl<'a, 'c> Importer<'a, 'c> {
    pub(crate) fn start(
        tx: &'a mut Tx<'c>,
        file_name: &str,
        format: ImportFormat,
        encoding: &str,
        options: &ImportOptions,
    ) -> Result<Self> {
        let side = options.side.unwrap_or(Side::Delegation);
        let region = match options.mission_id {
            Some(m) => Some(
                tx.db()
                    .conn()
                    .prepare_cached(
                        "SELECT phone_region FROM missions WHERE id = ?1 AND deleted_at IS NULL",
                    )?
                    .query_row([m], |r| r.get::<_, String>(0))
                    .optional()?
                    .ok_or_else(|| Error::not_found("mission", m))?,
            ),
            None => None,
        };
        crate::search::bulk_begin(tx.conn())?;
        let id = Id::new();
        tx.conn()
            .prepare_cached(
                "INSERT INTO imports (id, at, file_name, format, encoding, mission_id, side)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            )?
            .execute(params![
                id,
                tx.now(),
                file_name,
                format,
                encoding,
                options.mission_id,
                options.mission_id.map(|_| side)
            ])?;
        Ok(Self {
            tx,
            id,
            on_match: options.on_match.unwrap_or(OnMatch::Skip),
            mission: options.mission_id.map(|m| (m, side)),
            region,
            organizations: HashMap::new(),
            new_organizations: Vec::new(),
            summary: ImportSummary {
                import_id: Some(id),
                file_name: file_name.to_owned(),
                format,
                encoding: encoding.to_owned(),
                rows: 0,
                created: 0,
                updated: 0,
                skipped: 0,
                organizations_created: 0,
                problems: Vec::new(),
            },
        })
    }

    pub(crate) fn rows(&self) -> u32 {
        self.summary.rows
    }

    fn problem(&mut self, line: usize, name: &str, issue: RowIssue, skipped: bool) {
        if skipped {
            self.summary.skipped += 1;
        }
        if self.summary.problems.len() < MAX_PROBLEMS {
            self.summary.problems.push(RowProblem {
                line: u32::try_from(line).unwrap_or(u32::MAX),
                name: name.to_owned(),
                reason: issue.english(),
                issue: Some(issue),
                skipped,
            });
        }
    }

    pub(crate) fn region(&self) -> Option<String> {
        self.region.clone()
    }

    /// Imports one person, made ready by [`prepare`].
    pub(crate) fn add(&mut self, row: Prepared) -> Result<()> {
        self.summary.rows += 1;
        let Prepared {
            line,
            id,
            name,
            sort_name,
            draft,
            emails,
            phones,
            problems,
            document,
        } = row;
        if name.is_empty() {
            let hint = draft
                .emails
                .first()
                .map(|e| e.address.clone())
                .unwrap_or_default();
            self.problem(line, &hint, RowIssue::NoName, true);
            return Ok(());
        }
        for issue in problems {
            self.problem(line, &name, issue, false);
        }
        let found = self.find_match(document.name_key(), &emails, &phones)?;
        match (found, self.on_match) {
            (Some(m), OnMatch::Skip) => {
                // The person is known; their organization still joins the
                // import's mission (last year's list into this year's).
                // Without a mission nothing is written for them.
                if self.mission.is_some() {
                    self.organization(&draft.organization)?;
                }
                let issue = RowIssue::Known {
                    name: m.name,
                    by: m.by,
                };
                self.problem(line, &name, issue, true);
            }
            // Written into one of them, it was whichever SQLite read first.
            (Some(m), OnMatch::Update) if m.namesake => {
                self.problem(line, &name, RowIssue::Namesakes { name: m.name }, true);
            }
            (Some(m), OnMatch::Update) => {
                let organization = self.organization(&draft.organization)?;
                self.update(m.id, &draft, organization, emails, phones)?;
                self.summary.updated += 1;
            }
            (None, _) | (Some(_), OnMatch::Create) => {
                let organization = self.organization(&draft.organization)?;
                let new = NewPerson {
                    id,
                    name: &name,
                    sort_name: &sort_name,
                    draft: &draft,
                    emails: &emails,
                    phones: &phones,
                    document: &document,
                };
                self.create(&new, organization)?;
                self.summary.created += 1;
            }
        }
        Ok(())
    }

    fn find_match(
        &self,
        key: Option<&str>,
        emails: &[Email],
        phones: &[Phone],
    ) -> Result<Option<Match>> {
        let conn = self.tx.conn();
        // A shared address or number (a ministry's reception phone, an
        // info@ mailbox) is many people's: it makes the row someone known
        // only when the names agree too. Anyone else is added, and the pair
        // waits on the Duplicates screen rather than one person's record
        // being skipped or written over with another's. The first 200
        // holders are looked at: a switchboard number on every row of a
        // directory made each row read all the rows before it.
        let agreeing = |sql: &str, value: &str, by: Reason| -> Result<Option<Match>> {
            let mut stmt = conn.prepare_cached(sql)?;
            let mut rows = stmt.query([value])?;
            while let Some(r) = rows.next()? {
                let theirs: Option<String> = r.get(2)?;
                if names_agree(
                    key.unwrap_or_default(),
                    theirs.as_deref().unwrap_or_default(),
                ) {
                    return Ok(Some(Match {
                        id: r.get(0)?,
                        name: r.get(1)?,
                        by,
                        namesake: false,
                    }));
                }
            }
            Ok(None)
        };
        for e in emails {
            let hit = agreeing(
                "SELECT id, full_name, name_key FROM contacts
                  WHERE primary_email = ?1 COLLATE NOCASE AND deleted_at IS NULL
                 UNION ALL
                 SELECT c.id, c.full_name, c.name_key FROM contact_emails e
                   JOIN contacts c ON c.id = e.contact_id
                  WHERE e.address = ?1 COLLATE NOCASE AND c.deleted_at IS NULL
                 LIMIT 200",
                &e.address,
                Reason::Email,
            )?;
            if hit.is_some() {
                return Ok(hit);
            }
        }
        for p in phones {
            let hit = agreeing(
                "SELECT id, full_name, name_key FROM contacts
                  WHERE primary_phone = ?1 AND deleted_at IS NULL
                 UNION ALL
                 SELECT c.id, c.full_name, c.name_key FROM contact_phones p
                   JOIN contacts c ON c.id = p.contact_id
                  WHERE p.e164 = ?1 AND c.deleted_at IS NULL
                 LIMIT 200",
                &p.number,
                Reason::Phone,
            )?;
            if hit.is_some() {
                return Ok(hit);
            }
        }
        // A name alone decides only for a row with nothing better to go by:
        // a row whose e-mail and phone match no one is someone new, perhaps
        // a namesake, and the Duplicates screen shows the pair for review.
        // One word ("Tom") is too little to call two people the same.
        if !emails.is_empty() || !phones.is_empty() {
            return Ok(None);
        }
        let Some(key) = key.filter(|k| k.contains(' ')) else {
            return Ok(None);
        };
        // Contacts in the trash have no name key (the search index clears it).
        let hits: Vec<(Id, String)> = conn
            .prepare_cached("SELECT id, full_name FROM contacts WHERE name_key = ?1 LIMIT 2")?
            .query_map([key], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<rusqlite::Result<_>>()?;
        let namesake = hits.len() > 1;
        Ok(hits.into_iter().next().map(|(id, name)| Match {
            id,
            name,
            by: Reason::Name,
            namesake,
        }))
    }

    fn item(&self, entity: Entity, id: Id, action: &str, before: Option<String>) -> Result<()> {
        self.tx
            .conn()
            .prepare_cached(
                "INSERT OR IGNORE INTO import_items (import_id, entity, entity_id, action, before)
                 VALUES (?1, ?2, ?3, ?4, ?5)",
            )?
            .execute(params![self.id, entity, id, action, before])?;
        Ok(())
    }

    /// The organization called `name` (the oldest of that name), created
    /// if there is none, and linked to the import's mission.
    fn organization(&mut self, name: &str) -> Result<Option<Id>> {
        let name = name.split_whitespace().collect::<Vec<_>>().join(" ");
        if name.is_empty() {
            return Ok(None);
        }
        let key = sort_key(&name);
        if let Some(id) = self.organizations.get(&key) {
            return Ok(Some(*id));
        }
        let conn = self.tx.conn();
        let id = match organization::id_by_sort_key(conn, &key)? {
            Some(id) => id,
            None => {
                let id = Id::new();
                conn.prepare_cached(
                    "INSERT INTO organizations (id, name, sort_name, created_at, updated_at)
                     VALUES (?1, ?2, ?3, ?4, ?4)",
                )?
                .execute(params![id, name, key, self.tx.now()])?;
                self.new_organizations.push(id);
                self.item(Entity::Organization, id, "created", None)?;
                self.summary.organizations_created += 1;
                id
            }
        };
        if let Some((mission, side)) = self.mission {
            let linked = self
                .tx
                .conn()
                .prepare_cached(
                    "INSERT OR IGNORE INTO participations (mission_id, organization_id, side, created_at)
                     VALUES (?1, ?2, ?3, ?4)",
                )?
                .execute(params![mission, id, side, self.tx.now()])?;
            if linked == 1 {
                self.item(Entity::Participation, id, "linked", None)?;
            }
        }
        self.organizations.insert(key, id);
        Ok(Some(id))
    }

    fn create(&mut self, new: &NewPerson<'_>, organization: Option<Id>) -> Result<()> {
        let NewPerson {
            id,
            name,
            sort_name,
            draft,
            emails,
            phones,
            document,
        } = *new;
        let rowid = {
            let conn = self.tx.conn();
            conn.prepare_cached(
                "INSERT INTO contacts (id, full_name, full_name_latin, position, organization_id,
                notes, sort_name, created_at, updated_at, primary_email, primary_email_label,
                primary_phone, primary_phone_label, name_key, languages)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?8, ?9, ?10, ?11, ?12, ?13, ?14)",
            )?
            .execute(params![
                id,
                name,
                draft.full_name_latin.trim(),
                draft.position.trim(),
                organization,
                draft.notes.trim(),
                sort_name,
                self.tx.now(),
                emails.first().map(|e| &e.address),
                emails.first().map_or("", |e| &e.label),
                phones.first().map(|p| &p.number),
                phones.first().map_or("", |p| &p.label),
                document.name_key(),
                Json(clean_list(&draft.languages)),
            ])?;
            let rowid = conn.last_insert_rowid();
            // The first of each is on the row; the rest in the child tables.
            contact::write_further_addresses(conn, id, emails, phones)?;
            contact::write_messengers(conn, id, &draft.messengers)?;
            rowid
        };
        if !draft.tags.is_empty() {
            set_tags(self.tx, Entity::Contact, id, &draft.tags)?;
        }
        index_words(self.tx.conn(), rowid, document)?;
        // The import item is the record's "created" history entry.
        self.item(Entity::Contact, id, "created", None)
    }

    /// Fills a matched person from the row: fields the row has replace
    /// theirs, notes are added, e-mails, phones and tags joined.
    fn update(
        &mut self,
        id: Id,
        draft: &Draft,
        organization: Option<Id>,
        emails: Vec<Email>,
        phones: Vec<Phone>,
    ) -> Result<()> {
        let before = contact::get(&self.tx.db(), id)?;
        let mut input = ContactInput::from(&before);
        contact::drop_dead_links(&self.tx.db(), &mut input, &before)?;
        let take = |to: &mut String, from: &str| {
            if !from.trim().is_empty() {
                *to = from.trim().to_owned();
            }
        };
        take(&mut input.full_name_latin, &draft.full_name_latin);
        take(&mut input.position, &draft.position);
        input.notes = contact::add_notes(&input.notes, &draft.notes);
        if organization.is_some() {
            input.organization_id = organization;
        }
        input.emails = union(&input.emails, &emails, |e| e.address.to_lowercase());
        input.phones = union(&input.phones, &phones, |p| p.number.clone());
        input.tags = union(&input.tags, &draft.tags, String::clone);
        input.messengers = union(&input.messengers, &draft.messengers, Clone::clone);
        input.languages = union(&input.languages, &draft.languages, |l| l.to_lowercase());
        // A record updated twice by one import keeps its first image.
        let image = serde_json::to_string(&before).map_err(|e| Error::Data(e.to_string()))?;
        self.item(Entity::Contact, id, "updated", Some(image))?;
        contact::update(self.tx, id, &input)?;
        Ok(())
    }

    /// Writes the counts; for a dry run there is nothing to keep.
    pub(crate) fn finish(mut self, dry_run: bool) -> Result<ImportSummary> {
        for id in std::mem::take(&mut self.new_organizations) {
            reindex_one(self.tx.conn(), Entity::Organization, id)?;
        }
        crate::search::bulk_end(self.tx.conn())?;
        let problems = serde_json::to_string(&self.summary.problems)
            .map_err(|e| Error::Data(e.to_string()))?;
        let s = &self.summary;
        self.tx
            .conn()
            .prepare_cached(
                "UPDATE imports SET rows = ?2, created = ?3, updated = ?4, skipped = ?5, problems = ?6
                  WHERE id = ?1",
            )?
            .execute(params![self.id, s.rows, s.created, s.updated, s.skipped, problems])?;
        if dry_run {
            self.summary.import_id = None;
        }
        Ok(self.summary)
    }
}

/// Whether two name keys ([`name_key`]) can be one person's: the words of
/// one are all among the other's, so a patronymic or a second given name
/// on one side only does not part them ("Kairbolat Sakhmetov" and
/// "Сахметов Кайырболат Бекович"), and two colleagues do not meet.
fn names_agree(a: &str, b: &str) -> bool {
    let (a, b): (Vec<&str>, Vec<&str>) = (a.split(' ').collect(), b.split(' ').collect());
    let within = |x: &[&str], y: &[&str]| x.iter().all(|w| y.contains(w));
    within(&a, &b) || within(&b, &a)
}

#[cfg(test)]
mod tests {
    use super::names_agree;
    use crate::search::name_key;

    #[test]
    fn names_agree_across_scripts_order_and_a_patronymic_on_one_side() {
        let agree = |a: &str, b: &str| names_agree(&name_key(a), &name_key(b));
        assert!(agree("Kairbolat Sakhmetov", "Сахметов Кайырболат Бекович"));
        assert!(agree("Aýna Berdiýewa", "Berdiýewa Aýna"));
        assert!(!agree("Aýna Berdiýewa", "Serdar Myradow"));
        assert!(!agree("Aýna Berdiýewa", "Ogulgerek Berdiýewa"));
    }
}
