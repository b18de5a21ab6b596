//! Contacts as vCard 3.0 (RFC 2426) or 4.0 (RFC 6350), UTF-8: FN, N (the
//! patronymic in additional names), ORG, TITLE, EMAIL and TEL with types,
//! NOTE, CATEGORIES, a stable UID and REV.

use std::io::Write;

use chrono::{DateTime, Utc};

use super::each_contact;
use super::lines::{escape, line};
use crate::error::Result;
use crate::id::Id;
use crate::import::mapping::split_name;
use crate::store::Db;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Version {
    V3,
    V4,
}

/// The vCard TYPE of one of our labels.
fn kind(label: &str) -> Option<&'static str> {
    match label.to_lowercase().as_str() {
        "mobile" | "cell" => Some("cell"),
        "work" => Some("work"),
        "home" => Some("home"),
        "fax" => Some("fax"),
        _ => None,
    }
}

pub fn contacts(
    db: &Db<'_>,
    mission_id: Option<Id>,
    version: Version,
    now: DateTime<Utc>,
    out: &mut dyn Write,
) -> Result<u64> {
    each_contact(db, mission_id, |c| {
        // When the card last changed, not when it was exported: a phone
        // that syncs by REV read every card of every export as changed.
        let rev = crate::time::parse_stored_instant(&c.updated_at)
            .unwrap_or(now)
            .format("%Y%m%dT%H%M%SZ")
            .to_string();
        line(out, "BEGIN", "VCARD")?;
        line(
            out,
            "VERSION",
            if version == Version::V3 { "3.0" } else { "4.0" },
        )?;
        match version {
            Version::V3 => line(out, "UID", &c.id.to_string())?,
            Version::V4 => line(out, "UID", &format!("urn:uuid:{}", c.id))?,
        }
        line(out, "FN", &escape(&c.full_name))?;
        let (family, given, middle) = split_name(&c.full_name);
        line(
            out,
            "N",
            &format!(
                "{};{};{};;",
                escape(&family),
                escape(&given),
                escape(&middle)
            ),
        )?;
        if let Some(org) = &c.organization_name {
            line(out, "ORG", &escape(org))?;
        }
        if !c.position.is_empty() {
            line(out, "TITLE", &escape(&c.position))?;
        }
        for e in &c.emails {
            // E-mail types are work and home only (a "mobile" label is not one).
            let head = match kind(&e.label).filter(|t| matches!(*t, "work" | "home")) {
                Some(t) if version == Version::V3 => {
                    format!("EMAIL;TYPE=INTERNET,{}", t.to_uppercase())
                }
                Some(t) => format!("EMAIL;TYPE={t}"),
                None if version == Version::V3 => "EMAIL;TYPE=INTERNET".to_owned(),
                None => "EMAIL".to_owned(),
            };
            line(out, &head, &escape(&e.address))?;
        }
        for p in &c.phones {
            match version {
                Version::V3 => {
                    let t = kind(&p.label).unwrap_or("voice").to_uppercase();
                    line(out, &format!("TEL;TYPE={t}"), &p.number)?;
                }
                Version::V4 => {
                    let t = kind(&p.label).unwrap_or("voice");
                    line(
                        out,
                        &format!("TEL;VALUE=uri;TYPE={t}"),
                        &format!("tel:{}", p.number),
                    )?;
                }
            }
        }
        if !c.notes.is_empty() {
            line(out, "NOTE", &escape(&c.notes))?;
        }
        if !c.tags.is_empty() {
            let tags: Vec<String> = c.tags.iter().map(|t| escape(t)).collect();
            line(out, "CATEGORIES", &tags.join(","))?;
        }
        line(out, "REV", &rev)?;
        line(out, "END", "VCARD")
    })
}
