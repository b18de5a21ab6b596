//! Synthetic address books for tests and benchmarks: organizations and
//! contacts with realistic names (half Cyrillic, the rest Turkmen and
//! Kazakh Latin or English), positions, e-mails, E.164 phones and tags.
//! Deterministic for a seed, so two runs measure the same data.
//!
//! Rows go straight through prepared statements in the caller's
//! transaction, without history: this is load for measuring, not a user's
//! work, and the store's rules are tested elsewhere.

use chrono::{Duration, TimeZone, Utc};
use rusqlite::params;

use crate::error::Result;
use crate::id::Id;
use crate::model::sort_key;
use crate::store::{Entity, Tx};
use crate::time::format_instant;

const CYRILLIC_SURNAMES: &[&str] = &[
    "Сахметов",
    "Иванов",
    "Фёдоров",
    "Бердымухамедов",
    "Нурланов",
    "Жумабаев",
    "Ахметова",
    "Смирнова",
    "Кузнецов",
    "Оразов",
    "Әбдірахманов",
    "Қасымов",
    "Ғабитова",
    "Өтебаев",
    "Үсенова",
    "Сергеев",
    "Байжанов",
    "Мусина",
    "Токаев",
    "Ермеков",
];
const CYRILLIC_NAMES: &[&str] = &[
    "Кайырболат",
    "Иван",
    "Алексей",
    "Айгерим",
    "Ерлан",
    "Наталья",
    "Гульнара",
    "Дмитрий",
    "Асель",
    "Нұрлан",
    "Әсел",
    "Сергей",
    "Мерген",
    "Ольга",
    "Бауыржан",
    "Елена",
];
const LATIN_SURNAMES: &[&str] = &[
    "Berdimuhamedow",
    "Öwezow",
    "Annaýew",
    "Gurbanow",
    "Hojaýewa",
    "Myradow",
    "Sakhmetov",
    "Smith",
    "Nurlanov",
    "Ataýew",
    "Garaýew",
    "Şirinow",
    "Müller",
    "Çaryýew",
    "Orazowa",
];
const LATIN_NAMES: &[&str] = &[
    "Döwlet",
    "Merdan",
    "Aýna",
    "Şatlyk",
    "Serdar",
    "Jennifer",
    "Bahar",
    "Maral",
    "Nurlan",
    "Güljemal",
    "Tom",
    "Ýazgeldi",
    "Läle",
];
const POSITIONS: &[&str] = &[
    "Director",
    "Генеральный директор",
    "Head of export",
    "Менеджер по закупкам",
    "Deputy minister",
    "Коммерческий директор",
    "Chief engineer",
    "Partner",
];
const ORG_WORDS: &[&str] = &[
    "Logistics",
    "Cotton",
    "Trans",
    "Steel",
    "Agro",
    "Textile",
    "Energy",
    "Port",
    "Trade",
    "Build",
    "Pharma",
    "Chem",
    "Ойл",
    "Казтранс",
    "Türkmen",
    "Nebit",
    "Gurluşyk",
    "Astana",
];
const SECTORS: &[&str] = &[
    "logistics",
    "textiles",
    "energy",
    "construction",
    "agriculture",
    "pharmaceuticals",
    "chemicals",
    "finance",
];
const TAGS: &[&str] = &["vip", "follow-up", "press", "government", "investor"];

/// A small, fast, seeded generator (SplitMix64): the data must be the same
/// on every run, and no dependency is needed for that.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    fn pick<'a>(&mut self, from: &[&'a str]) -> &'a str {
        from[self.below(from.len())]
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Generated {
    pub organizations: usize,
    pub contacts: usize,
}

/// Adds `contacts` people in `contacts / 20 + 1` organizations.
pub fn address_book(tx: &mut Tx<'_>, contacts: usize, seed: u64) -> Result<Generated> {
    let mut rng = Rng(seed);
    let start = Utc
        .with_ymd_and_hms(2023, 1, 1, 0, 0, 0)
        .single()
        .unwrap_or_default();
    let at = |i: usize| format_instant(start + Duration::seconds(i as i64));
    let conn = tx.conn();
    let mut tag_ids = Vec::new();
    for name in TAGS {
        let id = Id::new();
        conn.prepare_cached("INSERT OR IGNORE INTO tags (id, name) VALUES (?1, ?2)")?
            .execute(params![id, name])?;
        tag_ids.push(
            conn.query_row("SELECT id FROM tags WHERE name = ?1", [name], |r| {
                r.get::<_, Id>(0)
            })?,
        );
    }

    let org_count = contacts / 20 + 1;
    let mut orgs = Vec::with_capacity(org_count);
    let mut insert_org = conn.prepare_cached(
        "INSERT INTO organizations (id, name, kind, country, city, sort_name, created_at, updated_at)
         VALUES (?1, ?2, 'company', ?3, ?4, ?5, ?6, ?6)",
    )?;
    let mut insert_sector = conn.prepare_cached(
        "INSERT INTO organization_sectors (organization_id, sector) VALUES (?1, ?2)",
    )?;
    for i in 0..org_count {
        let id = Id::new();
        let name = format!("{} {} {i}", rng.pick(ORG_WORDS), rng.pick(ORG_WORDS));
        let (country, city) = if rng.below(2) == 0 {
            ("KZ", "Almaty")
        } else {
            ("TM", "Ashgabat")
        };
        insert_org.execute(params![id, name, country, city, sort_key(&name), at(i)])?;
        insert_sector.execute(params![id, rng.pick(SECTORS)])?;
        orgs.push(id);
    }

    let mut insert_contact = conn.prepare_cached(
        "INSERT INTO contacts (id, full_name, position, organization_id, sort_name, created_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?6)",
    )?;
    let mut insert_email = conn.prepare_cached(
        "INSERT INTO contact_emails (contact_id, position, address) VALUES (?1, 0, ?2)",
    )?;
    let mut insert_phone = conn.prepare_cached(
        "INSERT INTO contact_phones (contact_id, position, e164) VALUES (?1, 0, ?2)",
    )?;
    let mut insert_tagging = conn
        .prepare_cached("INSERT INTO taggings (tag_id, entity, entity_id) VALUES (?1, ?2, ?3)")?;
    for i in 0..contacts {
        let id = Id::new();
        let name = if i % 2 == 0 {
            format!(
                "{} {}",
                rng.pick(CYRILLIC_NAMES),
                rng.pick(CYRILLIC_SURNAMES)
            )
        } else {
            format!("{} {}", rng.pick(LATIN_NAMES), rng.pick(LATIN_SURNAMES))
        };
        let org = orgs[rng.below(orgs.len())];
        insert_contact.execute(params![
            id,
            name,
            rng.pick(POSITIONS),
            org,
            sort_key(&name),
            at(i)
        ])?;
        insert_email.execute(params![id, format!("person{i}@example.com")])?;
        let phone = if i % 2 == 0 {
            format!("+7701{:07}", rng.below(10_000_000))
        } else {
            format!("+99365{:06}", rng.below(1_000_000))
        };
        insert_phone.execute(params![id, phone])?;
        if i % 10 == 0 {
            insert_tagging.execute(params![
                tag_ids[rng.below(tag_ids.len())],
                Entity::Contact,
                id
            ])?;
        }
    }
    crate::search::rebuild_in(tx)?;
    Ok(Generated {
        organizations: org_count,
        contacts,
    })
}
