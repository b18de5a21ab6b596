//! Importing address books: a delegation list as CSV in whatever encoding
//! and delimiter it was saved with, or vCards from a phone or a mail
//! program. Owns the whole path from a file to records: [`preview`] shows
//! what was detected (format, encoding, delimiter, header, mapping, the
//! first rows decoded); [`run`] imports under the user's choices, all or
//! nothing, in one transaction; [`list`] and [`undo`] are the import
//! history, from which a whole import is taken back later.
//!
//! Reading is streamed ([`text`], [`csv`], [`vcard`]); what a row means is
//! [`mapping`]; writing and matching are [`apply`]; the history and
//! undo of an import are [`history`]. A full JSON
//! export is restored by [`crate::transfer::json`], not here: it is a whole
//! database, not a list of people.

pub mod apply;
pub mod csv;
mod folds;
pub mod history;
pub mod mapping;
pub mod text;
pub mod vcard;

use std::fs::File;
use std::io::Read;
use std::path::Path;

use serde::{Deserialize, Serialize};
use specta::Type;

use crate::error::{Error, Result};
use crate::id::Id;
use crate::macros::text_enum;
use crate::model::Side;
use crate::store::{Source, Store};
pub use history::{list, undo, ImportRecord, UndoImport};
use mapping::{Draft, Field};

text_enum! {
    pub enum ImportFormat {
        Csv => "csv",
        Vcard => "vcard",
        /// A full export of Mission CRM (restored into an empty database).
        Json => "json",
    }
}

text_enum! {
    /// What to do with a row that is someone already in the address book
    /// (same e-mail, phone, or name in any script).
    pub enum OnMatch {
        /// Leave the existing record alone and skip the row.
        Skip => "skip",
        /// Fill the existing record from the row.
        Update => "update",
        /// Add the row as a new person anyway.
        Create => "create",
    }
}

/// How many rows a preview shows.
pub const PREVIEW_ROWS: usize = 10;

/// What an import would read, for the wizard's first screen.
#[derive(Debug, Clone, Serialize, Type)]
pub struct Preview {
    pub file_name: String,
    pub format: ImportFormat,
    /// WHATWG name: "UTF-8", "UTF-16LE", "windows-1251".
    pub encoding: String,
    /// CSV: the delimiter found.
    pub delimiter: Option<String>,
    pub has_header: bool,
    /// CSV: the header cells (empty for a file without a header: the
    /// interface names them in its language).
    pub columns: Vec<String>,
    /// CSV: the field each column was mapped to.
    pub mapping: Vec<Field>,
    /// CSV: the first data rows, decoded.
    pub rows: Vec<Vec<String>>,
    /// The first people as they would be imported (under `mapping`).
    pub people: Vec<Draft>,
}

/// The user's choices; anything unset takes what [`preview`] detected.
#[derive(Debug, Clone, Default, Serialize, Deserialize, Type)]
pub struct ImportOptions {
    pub delimiter: Option<String>,
    pub has_header: Option<bool>,
    pub mapping: Option<Vec<Field>>,
    /// Organizations named in the file join this mission...
    pub mission_id: Option<Id>,
    /// ...on this side (delegation when unset).
    pub side: Option<Side>,
    /// Skip when unset.
    pub on_match: Option<OnMatch>,
}

/// A row that was skipped, or imported with something left out.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Type)]
pub struct RowProblem {
    /// The line of the file (CSV) or where the card starts (vCard).
    pub line: u32,
    pub name: String,
    /// What was wrong, in English (the CLI prints it; problems kept before
    /// `issue` existed have only this).
    pub reason: String,
    /// What was wrong, for the interface to say in its own language.
    #[serde(default)]
    pub issue: Option<RowIssue>,
    /// The row was not imported at all.
    pub skipped: bool,
}

/// What was wrong with a row: what it is, and the value at fault, so each
/// interface language words it (the reasons were English in every one).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum RowIssue {
    /// The row names no one; it was skipped.
    NoName,
    /// Not an e-mail address; left out, the person came in.
    BadEmail { value: String },
    /// Not a phone number; left out, the person came in. `needs_country`:
    /// a local number, and no mission's country to read it by.
    BadPhone { value: String, needs_country: bool },
    /// Already in the address book as `name`, found by `by`; skipped.
    Known {
        name: String,
        by: crate::duplicates::Reason,
    },
    /// To update, and known only by a name that several people in the
    /// address book have: nothing tells which one; skipped.
    Namesakes { name: String },
}

impl RowIssue {
    /// The issue in English.
    pub fn english(&self) -> String {
        match self {
            Self::NoName => "no name".into(),
            Self::BadEmail { value } => format!("left out: {value:?} is not an e-mail address"),
            Self::BadPhone {
                value,
                needs_country: true,
            } => format!("left out: {value:?} needs a country code (e.g. +7 701 123 45 67)"),
            Self::BadPhone { value, .. } => format!("left out: {value:?} is not a phone number"),
            Self::Known { name, by } => {
                let by = match by {
                    crate::duplicates::Reason::Name => "same name",
                    crate::duplicates::Reason::Phone => "same phone",
                    crate::duplicates::Reason::Email => "same e-mail",
                };
                format!("already in the address book as {name} ({by})")
            }
            Self::Namesakes { name } => format!(
                "not updated: several people in the address book are called {name}, and nothing tells which one"
            ),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
pub struct ImportSummary {
    /// None for a dry run (nothing was kept).
    pub import_id: Option<Id>,
    pub file_name: String,
    pub format: ImportFormat,
    pub encoding: String,
    pub rows: u32,
    pub created: u32,
    pub updated: u32,
    pub skipped: u32,
    pub organizations_created: u32,
    /// The first [`apply::MAX_PROBLEMS`] problems.
    pub problems: Vec<RowProblem>,
}

/// How far an import is, by bytes of the file.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Type)]
pub struct Progress {
    pub rows: u32,
    pub bytes_done: f64,
    pub bytes_total: f64,
}

/// The format of a file from its first text: vCards begin with BEGIN:VCARD,
/// a full export with `{`; anything else is read as delimited text.
pub fn format_of(first_text: &str) -> ImportFormat {
    let start = first_text.trim_start_matches(['\u{feff}', ' ', '\t', '\r', '\n']);
    if start
        .get(..11)
        .is_some_and(|s| s.eq_ignore_ascii_case("BEGIN:VCARD"))
    {
        ImportFormat::Vcard
    } else if start.starts_with('{') {
        ImportFormat::Json
    } else {
        ImportFormat::Csv
    }
}

fn file_name(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}

/// A file to import, with a vCard's folds inside a letter joined
/// ([`folds`]) before anything is detected or decoded.
fn open(path: &Path) -> Result<folds::JoinSplitLetters<File>> {
    File::open(path)
        .map(folds::JoinSplitLetters::new)
        .map_err(|e| Error::File(format!("cannot open {}: {e}", path.display())))
}

/// A file's detected encoding and the text of its head.
struct Head {
    detected: text::Detected,
    text: String,
}

fn read_head(path: &Path) -> Result<Head> {
    let mut file = open(path)?;
    let (bytes, complete) = text::head(&mut file)?;
    let detected = match text::first_non_ascii(&bytes, complete, &mut file)? {
        // English headers and Latin rows first, Cyrillic later: decide on
        // the first stretch that has letters beyond ASCII.
        Some(window) => text::detect(&window, false)?,
        None => text::detect(&bytes, complete)?,
    };
    let text = decode_head(&bytes, complete, detected)?;
    Ok(Head { detected, text })
}

/// A file's first bytes as text. They may end mid-character or mid-record
/// (`complete` false): what is whole is decoded.
fn decode_head(bytes: &[u8], complete: bool, detected: text::Detected) -> Result<String> {
    let mut stream = text::TextStream::new(bytes, detected);
    let mut text = String::new();
    loop {
        match stream.fill(&mut text) {
            Ok(true) => {}
            Ok(false) => break,
            Err(_) if !complete => break,
            Err(e) => return Err(e),
        }
    }
    Ok(text)
}

/// Reads what is needed to show the wizard's first screen, under the
/// user's choices so far (delimiter, header, mapping).
pub fn preview(path: &Path, options: &ImportOptions) -> Result<Preview> {
    let head = read_head(path)?;
    let format = format_of(&head.text);
    let mut preview = Preview {
        file_name: file_name(path),
        format,
        encoding: head.detected.name().to_owned(),
        delimiter: None,
        has_header: false,
        columns: Vec::new(),
        mapping: Vec::new(),
        rows: Vec::new(),
        people: Vec::new(),
    };
    match format {
        ImportFormat::Json => {}
        ImportFormat::Vcard => {
            let mut reader =
                vcard::VcardReader::new(text::TextStream::new(open(path)?, head.detected));
            while preview.people.len() < PREVIEW_ROWS {
                match reader.next_card()? {
                    Some(card) => preview.people.push(card.draft),
                    None => break,
                }
            }
        }
        ImportFormat::Csv => {
            let layout = CsvLayout::detect(path, head.detected, &head.text, options)?;
            preview.delimiter = Some(layout.delimiter.to_string());
            preview.has_header = layout.header.is_some();
            preview.columns = match &layout.header {
                Some(h) => h.clone(),
                None => vec![String::new(); layout.mapping.len()],
            };
            preview.people = layout
                .first_rows
                .iter()
                .map(|r| mapping::draft_from_row(r, &layout.mapping))
                .collect();
            preview.rows = layout.first_rows;
            preview.mapping = layout.mapping;
        }
    }
    Ok(preview)
}

/// A CSV file's delimiter, header and mapping, detected or as chosen.
struct CsvLayout {
    delimiter: char,
    header: Option<Vec<String>>,
    mapping: Vec<Field>,
    first_rows: Vec<Vec<String>>,
}

impl CsvLayout {
    fn detect(
        path: &Path,
        detected: text::Detected,
        head: &str,
        options: &ImportOptions,
    ) -> Result<Self> {
        let delimiter = match options.delimiter.as_deref() {
            Some(d) => parse_delimiter(d)?,
            None => csv::detect_delimiter(head),
        };
        let mut reader =
            csv::CsvReader::new(text::TextStream::new(open(path)?, detected), delimiter);
        let mut rows = Vec::new();
        while rows.len() <= PREVIEW_ROWS {
            match reader.next_record()? {
                Some(r) => rows.push(r.fields),
                None => break,
            }
        }
        let Some(first) = rows.first() else {
            return Err(Error::File("the file holds no rows".into()));
        };
        let has_header = options
            .has_header
            .unwrap_or_else(|| mapping::is_header(first));
        let header = has_header.then(|| rows.remove(0));
        // Headers alone: refused, as an empty file is (it was "imported",
        // and the history kept an import of no one).
        if rows.is_empty() {
            return Err(Error::File(
                "the file holds column headers and no rows; there is no one to import".into(),
            ));
        }
        // Its "Name" column would make every company a person.
        if header.as_ref().is_some_and(|h| {
            h.len() == crate::export::csv::ORGANIZATIONS_HEADER.len()
                && h.iter()
                    .zip(crate::export::csv::ORGANIZATIONS_HEADER)
                    .all(|(a, b)| a.trim().trim_start_matches('\u{feff}') == b)
        }) {
            return Err(Error::File(
                "this is a list of organizations exported from Mission CRM; the import reads \
                 people (contacts). Organizations come in with their people, named in an \
                 organization column"
                    .into(),
            ));
        }
        rows.truncate(PREVIEW_ROWS);
        let mapping = match (&options.mapping, &header) {
            (Some(m), _) => m.clone(),
            (None, Some(h)) => h.iter().map(|c| mapping::field_for_header(c)).collect(),
            (None, None) => mapping::guess_from_content(&rows),
        };
        Ok(Self {
            delimiter,
            header,
            mapping,
            first_rows: rows,
        })
    }
}

fn parse_delimiter(d: &str) -> Result<char> {
    match d {
        "\t" | "tab" => Ok('\t'),
        ";" | "," | "|" => d
            .chars()
            .next()
            .ok_or_else(|| Error::File("no delimiter".into())),
        other => Err(Error::invalid(
            crate::ErrorCode::InvalidFile,
            "delimiter",
            format!("{other:?} is not a delimiter; use a comma, a semicolon, a tab or |"),
        )),
    }
}

/// Rows the reader hands the writer at a time, each with the bytes read
/// up to it.
type Batch = Vec<(apply::Prepared, u64)>;
const BATCH: usize = 256;

/// Imports a CSV or vCard file in one write (all or nothing). `progress`
/// is called every few hundred rows; returning false stops the import and
/// nothing is kept. A dry run does everything, reports, and rolls back.
pub fn run(
    store: &Store,
    path: &Path,
    options: &ImportOptions,
    dry_run: bool,
    progress: &mut dyn FnMut(Progress) -> bool,
) -> Result<ImportSummary> {
    let head = read_head(path)?;
    let format = format_of(&head.text);
    let total = std::fs::metadata(path)?.len() as f64;
    if format == ImportFormat::Json {
        return Err(Error::File(
            "this is a full Mission CRM export; restore it into an empty database \
             (the app's Import page, or mission-crm-cli --db NEW.db import FILE) instead"
                .into(),
        ));
    }
    let layout = match format {
        ImportFormat::Csv => Some(CsvLayout::detect(path, head.detected, &head.text, options)?),
        _ => None,
    };
    let work = |tx: &mut crate::Tx<'_>| -> Result<ImportSummary> {
        let mut importer =
            apply::Importer::start(tx, &file_name(path), format, head.detected.name(), options)?;
        let region = importer.region();
        // Two threads, so both cores work: this one writes (it holds the
        // write lock), the reader decodes, parses, validates and builds the
        // search text. Rows travel in batches: the writer is the slower, so
        // the channel is full, and each row sent alone cost the writer a
        // wake-up of the reader (~5 % of its time). The bounded channel keeps
        // memory flat: the reader waits when it is some 1,500 rows ahead
        // (four batches queued, one being filled, one being written).
        std::thread::scope(|scope| -> Result<()> {
            let (send, receive) = std::sync::mpsc::sync_channel::<Result<Batch>>(4);
            let detected = head.detected;
            let layout = layout.as_ref();
            let reader = scope.spawn(move || {
                let mut batch = Vec::with_capacity(BATCH);
                let read = read_rows(path, detected, layout, |line, draft, consumed| {
                    batch.push((apply::prepare(line, draft, region.as_deref()), consumed));
                    // A closed channel: the writer stopped (an error, a
                    // cancel); stop reading.
                    batch.len() < BATCH
                        || send
                            .send(Ok(std::mem::replace(&mut batch, Vec::with_capacity(BATCH))))
                            .is_ok()
                });
                // An error fails the whole import, so the rows before it
                // need not be written first.
                let _ = send.send(read.map(|()| batch));
            });
            for batch in receive {
                for (row, consumed) in batch? {
                    let line = row.line();
                    importer.add(row).map_err(|e| on_line(line, e))?;
                    let rows = importer.rows();
                    // Often enough that Stop is felt at once, even in a small file.
                    if rows % 64 == 0
                        && !progress(Progress {
                            rows,
                            bytes_done: consumed as f64,
                            bytes_total: total,
                        })
                    {
                        return Err(Error::Cancelled);
                    }
                }
            }
            // The channel also closes when the reader dies: a panic there
            // must not pass for the end of the file.
            reader.join().map_err(|_| {
                Error::Data("the file reader stopped unexpectedly; nothing was imported".into())
            })
        })?;
        // The last word is the user's: Stop pressed at the very end counts.
        if !progress(Progress {
            rows: importer.rows(),
            bytes_done: total,
            bytes_total: total,
        }) {
            return Err(Error::Cancelled);
        }
        importer.finish(dry_run)
    };
    if dry_run {
        store.rehearse(Source::Import, work)
    } else {
        store.write(Source::Import, work)
    }
}

/// An error met while writing one row, saying which line it came from.
fn on_line(line: usize, e: Error) -> Error {
    match e {
        Error::Cancelled | Error::Io(_) => e,
        Error::Sqlite(_) if e.code() == crate::ErrorCode::Storage => e,
        other => Error::invalid(
            other.code(),
            "line",
            format!("line {line}: {}", other.message()),
        ),
    }
}

/// Reads a file's people in order, calling `each` with the line, the
/// person and the bytes read so far, until it returns false.
fn read_rows(
    path: &Path,
    detected: text::Detected,
    layout: Option<&CsvLayout>,
    mut each: impl FnMut(usize, Draft, u64) -> bool,
) -> Result<()> {
    let stream = text::TextStream::new(open(path)?, detected);
    match layout {
        None => {
            let mut reader = vcard::VcardReader::new(stream);
            while let Some(card) = reader.next_card()? {
                if !each(card.line, card.draft, reader.consumed()) {
                    break;
                }
            }
        }
        Some(layout) => {
            let mut reader = csv::CsvReader::new(stream, layout.delimiter);
            if layout.header.is_some() {
                reader.next_record()?;
            }
            while let Some(record) = reader.next_record()? {
                let draft = mapping::draft_from_row(&record.fields, &layout.mapping);
                if !each(record.line, draft, reader.consumed()) {
                    break;
                }
            }
        }
    }
    Ok(())
}

/// Reads a whole file's people without writing (tests, the fuzz targets).
pub fn read_people(bytes: &[u8]) -> Result<Vec<(usize, Draft)>> {
    let mut joined = Vec::with_capacity(bytes.len());
    folds::JoinSplitLetters::new(bytes).read_to_end(&mut joined)?;
    let bytes = &joined[..];
    let (head, complete) = (
        &bytes[..bytes.len().min(text::SNIFF_BYTES)],
        bytes.len() <= text::SNIFF_BYTES,
    );
    let detected = text::detect(head, complete)?;
    // As the import reads its head (its first 64 bytes alone could end
    // inside a letter, and a vCard was then read as CSV).
    let sample = decode_head(head, complete, detected)?;
    let mut out = Vec::new();
    match format_of(&sample) {
        ImportFormat::Vcard => {
            let mut reader = vcard::VcardReader::new(text::TextStream::new(bytes, detected));
            while let Some(card) = reader.next_card()? {
                out.push((card.line, card.draft));
            }
        }
        _ => {
            let mut reader = csv::CsvReader::new(
                text::TextStream::new(bytes, detected),
                csv::detect_delimiter(&sample),
            );
            let mut mapping: Option<Vec<Field>> = None;
            while let Some(record) = reader.next_record()? {
                if mapping.is_none() {
                    if mapping::is_header(&record.fields) {
                        mapping = Some(
                            record
                                .fields
                                .iter()
                                .map(|c| mapping::field_for_header(c))
                                .collect(),
                        );
                        continue;
                    }
                    mapping = Some(mapping::guess_from_content(std::slice::from_ref(
                        &record.fields,
                    )));
                }
                let fields = mapping.as_deref().unwrap_or_default();
                out.push((record.line, mapping::draft_from_row(&record.fields, fields)));
            }
        }
    }
    Ok(out)
}
