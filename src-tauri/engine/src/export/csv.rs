//! CSV for Excel: UTF-8 with a BOM (without it Excel reads Cyrillic as
//! Windows-1252), CRLF, RFC 4180 quoting, and cells that would start a
//! formula (`=`, `+`, `-`, `@`, tab, CR) prefixed with `'` so opening the
//! file never runs one (OWASP "CSV injection"). The headers are ones the
//! importer maps back, so an export imports again.

use std::io::Write;

use super::{each_contact, each_organization};
use crate::error::Result;
use crate::id::Id;
use crate::model::contact::MessengerKind;
use crate::store::Db;

/// Whether a spreadsheet could take `value` for a formula. Leading spaces
/// and full-width signs are skipped by some spreadsheets before they look
/// for one, so they are looked through here too. The import takes the `'`
/// off by the same rule, so an export imports as it was.
pub(crate) fn starts_a_formula(value: &str) -> bool {
    value.starts_with(['\t', '\r'])
        || value
            .trim_start()
            .starts_with(['=', '+', '-', '@', '＝', '＋', '－', '＠'])
}

/// One cell, neutralised and quoted as needed.
pub fn cell(value: &str) -> String {
    let value = if starts_a_formula(value) {
        format!("'{value}")
    } else {
        value.to_owned()
    };
    if value.contains([',', '"', '\n', '\r', ';']) {
        format!("\"{}\"", value.replace('"', "\"\""))
    } else {
        value
    }
}

const BOM: &[u8] = b"\xEF\xBB\xBF";

/// A CSV file being written, and what separates its cells (a cell holding
/// either separator is quoted, so both read back).
pub(crate) struct Csv<'a> {
    pub out: &'a mut dyn Write,
    pub separator: char,
}

impl Csv<'_> {
    fn row(&mut self, cells: &[&str]) -> Result<()> {
        let line: Vec<String> = cells.iter().map(|c| cell(c)).collect();
        let mut separator = [0; 4];
        let separator = self.separator.encode_utf8(&mut separator);
        self.out.write_all(line.join(&*separator).as_bytes())?;
        self.out.write_all(b"\r\n")?;
        Ok(())
    }

    pub fn contacts(mut self, db: &Db<'_>, mission_id: Option<Id>) -> Result<u64> {
        self.out.write_all(BOM)?;
        self.row(&[
            "Name",
            "Name (Latin)",
            "Job title",
            "Organization",
            "Email",
            "Phone",
            "Notes",
            "Tags",
            "Telegram",
            "WhatsApp",
            "Languages",
        ])?;
        each_contact(db, mission_id, |c| {
            // Several values in one cell the way Google writes them, which
            // the importer splits again.
            let emails: Vec<&str> = c.emails.iter().map(|e| e.address.as_str()).collect();
            let phones: Vec<&str> = c.phones.iter().map(|p| p.number.as_str()).collect();
            // Signal, WeChat and others stay in the full (JSON) export only.
            let handles = |kind: MessengerKind| {
                c.messengers
                    .iter()
                    .filter(|m| m.kind == kind)
                    .map(|m| m.handle.as_str())
                    .collect::<Vec<_>>()
                    .join(" ::: ")
            };
            self.row(&[
                &c.full_name,
                &c.full_name_latin,
                &c.position,
                c.organization_name.as_deref().unwrap_or(""),
                &emails.join(" ::: "),
                &phones.join(" ::: "),
                &c.notes,
                &c.tags.join(", "),
                &handles(MessengerKind::Telegram),
                &handles(MessengerKind::Whatsapp),
                &c.languages.join(", "),
            ])
        })
    }

    pub fn organizations(mut self, db: &Db<'_>, mission_id: Option<Id>) -> Result<u64> {
        self.out.write_all(BOM)?;
        self.row(&ORGANIZATIONS_HEADER)?;
        each_organization(db, mission_id, |o| {
            self.row(&[
                &o.name,
                &o.name_latin,
                o.kind.as_str(),
                o.country.as_deref().unwrap_or(""),
                &o.city,
                &o.website,
                &o.sectors.join(", "),
                &o.tags.join(", "),
                &o.notes,
            ])
        })
    }
}

/// The organizations list's header; the import knows a file that starts
/// with it, and does not read its companies as people.
pub const ORGANIZATIONS_HEADER: [&str; 9] = [
    "Name",
    "Name (Latin)",
    "Kind",
    "Country",
    "City",
    "Website",
    "Sectors",
    "Tags",
    "Notes",
];

#[cfg(test)]
mod tests {
    use super::cell;

    #[test]
    fn formulas_are_neutralised_and_quotes_doubled() {
        assert_eq!(
            cell("=HYPERLINK(\"http://x\")"),
            "\"'=HYPERLINK(\"\"http://x\"\")\""
        );
        assert_eq!(cell("+77011234567"), "'+77011234567");
        assert_eq!(cell("-1"), "'-1");
        assert_eq!(cell("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(cell("Иванов, Иван"), "\"Иванов, Иван\"");
        assert_eq!(cell("plain"), "plain");
        assert_eq!(cell(" =1+1"), "' =1+1");
        assert_eq!(cell("＝1+1"), "'＝1+1");
    }
}
