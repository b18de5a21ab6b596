//! Exporting: contacts and organizations as CSV for Excel, contacts as
//! vCard 3.0 or 4.0 for phones and mail programs, meetings and follow-ups
//! as iCalendar for calendars, and everything as JSON ([`json`]), which
//! restores into an empty database identically.
//!
//! Every writer streams: records are read page by page and written as they
//! come, so exporting a million contacts holds one page in memory.

pub mod csv;
pub mod ics;
pub mod json;
mod lines;
pub mod vcard;

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use specta::Type;

use crate::error::{Error, ErrorCode, Result};
use crate::id::Id;
use crate::macros::text_enum;
use crate::model::contact::{self, Contact, ContactFilter};
use crate::model::organization::{self, Organization, OrganizationFilter};
use crate::model::MAX_PAGE;
use crate::store::{Db, Store};

text_enum! {
    pub enum ExportFormat {
        Csv => "csv",
        /// vCard 3.0 (RFC 2426): what most phones and mail programs read.
        Vcard => "vcard",
        /// vCard 4.0 (RFC 6350).
        Vcard4 => "vcard4",
        Ics => "ics",
        Json => "json",
    }
}

text_enum! {
    /// What a CSV export lists.
    pub enum ExportKind {
        Contacts => "contacts",
        Organizations => "organizations",
    }
}

#[derive(Debug, Clone, Serialize, Deserialize, Type)]
pub struct ExportRequest {
    pub format: ExportFormat,
    /// CSV only; contacts when unset.
    pub kind: Option<ExportKind>,
    /// Only this mission's people, organizations, meetings and follow-ups
    /// (not for JSON, which is everything).
    pub mission_id: Option<Id>,
    /// CSV only: what separates cells; a comma when unset. Excel set to
    /// Russian or Kazakh opens a file of commas with each row in one cell.
    pub separator: Option<CsvSeparator>,
}

/// What separates a CSV file's cells.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(rename_all = "lowercase")]
pub enum CsvSeparator {
    Comma,
    Semicolon,
}

impl ExportFormat {
    /// The file extension for a save dialog.
    pub fn extension(self) -> &'static str {
        match self {
            Self::Csv => "csv",
            Self::Vcard | Self::Vcard4 => "vcf",
            Self::Ics => "ics",
            Self::Json => "json",
        }
    }
}

/// Writes the export to `out`; returns how many records it holds.
pub fn export(
    db: &Db<'_>,
    request: &ExportRequest,
    now: DateTime<Utc>,
    out: &mut dyn Write,
) -> Result<u64> {
    let mission = request.mission_id;
    // What a format cannot do is refused, not left out: a script asking for
    // one mission's data got every mission's, told nothing.
    if request.format == ExportFormat::Json && mission.is_some() {
        return Err(Error::invalid(
            ErrorCode::Conflict,
            "mission_id",
            "a full export (JSON) holds every mission and cannot be limited to one; \
             CSV, vCard and iCalendar can",
        ));
    }
    if request.format != ExportFormat::Csv && request.kind == Some(ExportKind::Organizations) {
        return Err(Error::invalid(
            ErrorCode::Conflict,
            "kind",
            "only CSV lists organizations; vCard holds people, iCalendar meetings and follow-ups, JSON everything",
        ));
    }
    // A mission that is not there (mistyped, in the trash) is said so, not
    // exported as an empty file.
    if let Some(id) = mission {
        crate::model::mission::get(db, id)?;
    }
    let written = match (request.format, request.kind.unwrap_or(ExportKind::Contacts)) {
        (ExportFormat::Csv, kind) => {
            let separator = match request.separator.unwrap_or(CsvSeparator::Comma) {
                CsvSeparator::Comma => ',',
                CsvSeparator::Semicolon => ';',
            };
            let csv = csv::Csv { out, separator };
            match kind {
                ExportKind::Contacts => csv.contacts(db, mission)?,
                ExportKind::Organizations => csv.organizations(db, mission)?,
            }
        }
        (ExportFormat::Vcard, _) => vcard::contacts(db, mission, vcard::Version::V3, now, out)?,
        (ExportFormat::Vcard4, _) => vcard::contacts(db, mission, vcard::Version::V4, now, out)?,
        (ExportFormat::Ics, _) => ics::calendar(db, mission, now, out)?,
        (ExportFormat::Json, _) => json::export(db, now, out)?,
    };
    out.flush()?;
    Ok(written)
}

/// What [`save`] wrote.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Saved {
    pub records: u64,
    /// A full export's files, beside it: how many are there, and how many
    /// its data names that could not be (not in the data folder, a full
    /// disk).
    pub files: crate::attachments::Linked,
}

/// [`to_file`] from `store`, on a connection of its own (the app goes on
/// meanwhile); a full export (JSON) also carries the files its data names,
/// in `<its file name>-attachments/` beside it, read from the same moment
/// as its data, so it moves to a new computer whole.
pub fn save(store: &Store, request: &ExportRequest, path: &Path) -> Result<Saved> {
    store.read_apart(|db| {
        let records = to_file(db, request, store.now(), path)?;
        let files = if request.format == ExportFormat::Json {
            crate::attachments::keep_with_export(store, db, path)?
        } else {
            crate::attachments::Linked::default()
        };
        Ok(Saved { records, files })
    })
}

/// Writes an export to a file whole or not at all: into a `.partial` file
/// beside it, synced, then renamed into place, so a failure (a full disk)
/// never leaves half a file where a good one was.
pub fn to_file(
    db: &Db<'_>,
    request: &ExportRequest,
    now: DateTime<Utc>,
    path: &Path,
) -> Result<u64> {
    write_whole(path, |file| export(db, request, now, file))
}

/// Writes a file whole or not at all, as [`to_file`] does: an export, or
/// an outcome report (which `std::fs::write` left cut short over the file
/// the user picked when the disk was full).
pub fn write_whole<T>(path: &Path, write: impl FnOnce(&mut dyn Write) -> Result<T>) -> Result<T> {
    let mut partial = path.as_os_str().to_owned();
    partial.push(".partial");
    let partial = PathBuf::from(partial);
    let result = (|| {
        let mut file = BufWriter::new(File::create(&partial)?);
        let n = write(&mut file)?;
        file.into_inner().map_err(|e| e.into_error())?.sync_all()?;
        std::fs::rename(&partial, path)?;
        Ok(n)
    })();
    if result.is_err() {
        // Best effort: the error that matters is the one returned.
        let _ = std::fs::remove_file(&partial);
    }
    result
}

/// A file name to suggest for an export.
pub fn file_name(request: &ExportRequest, today: chrono::NaiveDate) -> String {
    let what = match (request.format, request.kind) {
        (ExportFormat::Csv, Some(ExportKind::Organizations)) => "organizations",
        (ExportFormat::Ics, _) => "calendar",
        (ExportFormat::Json, _) => "backup",
        _ => "contacts",
    };
    format!("mission-crm-{what}-{today}.{}", request.format.extension())
}

/// Calls `each` with every live contact (of a mission), read whole, by name.
pub(crate) fn each_contact(
    db: &Db<'_>,
    mission_id: Option<Id>,
    mut each: impl FnMut(&Contact) -> Result<()>,
) -> Result<u64> {
    let mut filter = ContactFilter {
        mission_id,
        limit: Some(MAX_PAGE),
        ..Default::default()
    };
    let mut n = 0;
    loop {
        let page = contact::list(db, &filter)?;
        for row in &page.items {
            each(&contact::get(db, row.id)?)?;
            n += 1;
        }
        match page.next {
            Some(next) => filter.after = Some(next),
            None => return Ok(n),
        }
    }
}

/// Calls `each` with every live organization (of a mission), by name.
pub(crate) fn each_organization(
    db: &Db<'_>,
    mission_id: Option<Id>,
    mut each: impl FnMut(&Organization) -> Result<()>,
) -> Result<u64> {
    let mut filter = OrganizationFilter {
        mission_id,
        limit: Some(MAX_PAGE),
        ..Default::default()
    };
    let mut n = 0;
    loop {
        let page = organization::list(db, &filter)?;
        for row in &page.items {
            each(&organization::get(db, row.id)?)?;
            n += 1;
        }
        match page.next {
            Some(next) => filter.after = Some(next),
            None => return Ok(n),
        }
    }
}
