//! Synthetic data for tests and benchmarks. [`address_book`]: organizations
//! and contacts with realistic names (half Cyrillic, the rest Turkmen and
//! Kazakh Latin or English), positions, e-mails, E.164 phones and tags.
//! [`mission_activity`]: a mission's week on top of it: meetings with
//! attendees from both sides, follow-ups and agreements in three currencies.
//! Deterministic for a seed (names, amounts, dates), so two runs measure
//! the same data.
//!
//! Address book rows go straight through prepared statements in the
//! caller's transaction, without history: millions of rows are load for
//! measuring, and the store's rules are tested elsewhere. A mission's
//! thousand meetings go through the domain functions, as a user's would.

use std::path::{Path, PathBuf};

use chrono::{Duration, TimeZone, Utc};
use rusqlite::params;

use crate::error::{Error, ErrorCode, Result};
use crate::id::Id;
use crate::model::agreement::{self, AgreementInput, Stage};
use crate::model::follow_up::{self, FollowUpInput, FollowUpStatus};
use crate::model::meeting::{self, Attendee, MeetingInput, MeetingKind};
use crate::model::mission::{self, MissionInput, MissionStatus};
use crate::model::organization;
use crate::model::{sort_key, Side};
use crate::store::{Entity, Source, Store, Tx};
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
/// The tags every tenth person gets, one after another.
pub const TAGS: &[&str] = &["vip", "follow-up", "press", "government", "investor"];
/// The tag one organization in [`PARTNER_EVERY`] has: a filter few match.
pub const PARTNER: &str = "partner";
pub const PARTNER_EVERY: usize = 250;

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
    let tag_id = |name: &str| -> Result<Id> {
        conn.prepare_cached("INSERT OR IGNORE INTO tags (id, name) VALUES (?1, ?2)")?
            .execute(params![Id::new(), name])?;
        Ok(conn.query_row("SELECT id FROM tags WHERE name = ?1", [name], |r| r.get(0))?)
    };
    let tag_ids = TAGS.iter().map(|t| tag_id(t)).collect::<Result<Vec<_>>>()?;
    let partner = tag_id(PARTNER)?;

    let org_count = contacts / 20 + 1;
    let mut orgs = Vec::with_capacity(org_count);
    let mut insert_org = conn.prepare_cached(
        "INSERT INTO organizations (id, name, kind, country, city, sort_name, created_at, updated_at)
         VALUES (?1, ?2, 'company', ?3, ?4, ?5, ?6, ?6)",
    )?;
    let mut insert_sector = conn.prepare_cached(
        "INSERT INTO organization_sectors (organization_id, sector) VALUES (?1, ?2)",
    )?;
    let mut insert_tagging = conn
        .prepare_cached("INSERT INTO taggings (tag_id, entity, entity_id) VALUES (?1, ?2, ?3)")?;
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
        if i % PARTNER_EVERY == 0 {
            insert_tagging.execute(params![partner, Entity::Organization, id])?;
        }
        orgs.push(id);
    }

    let mut insert_contact = conn.prepare_cached(
        "INSERT INTO contacts (id, full_name, position, organization_id, sort_name, created_at,
            updated_at, primary_email, primary_phone)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?6, ?7, ?8)",
    )?;
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
        let position = rng.pick(POSITIONS);
        let email = format!("person{i}@example.com");
        let phone = if i % 2 == 0 {
            format!("+7701{:07}", rng.below(10_000_000))
        } else {
            format!("+99365{:06}", rng.below(1_000_000))
        };
        insert_contact.execute(params![
            id,
            name,
            position,
            org,
            sort_key(&name),
            at(i),
            email,
            phone
        ])?;
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

/// What [`mission_activity`] made.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Activity {
    pub mission: Id,
    pub meetings: usize,
    pub follow_ups: usize,
    pub agreements: usize,
}

/// Organizations a generated mission takes part with (a third delegation).
const PARTICIPANTS: usize = 90;
const STAGES: &[Stage] = &[
    Stage::Interest,
    Stage::Memorandum,
    Stage::PreliminaryContract,
    Stage::SignedContract,
    Stage::Delivered,
    Stage::Lost,
];

/// A ten-day mission over an existing [`address_book`]: 30 delegation and
/// 60 host organizations, `meetings` meetings (one person from each side),
/// a follow-up per meeting (every third done) and an agreement per three
/// meetings, in USD, KZT and TMT at locked rates.
pub fn mission_activity(tx: &mut Tx<'_>, meetings: usize, seed: u64) -> Result<Activity> {
    let mut rng = Rng(seed);
    let mission = mission::create(
        tx,
        &MissionInput {
            name: format!("Generated mission {seed}"),
            organiser: "Chamber of Commerce".into(),
            host_country: "TM".into(),
            cities: vec!["Ashgabat".into()],
            start_date: "2024-05-01".into(),
            end_date: "2024-05-10".into(),
            time_zone: "Asia/Ashgabat".into(),
            base_currency: "USD".into(),
            phone_region: None,
            status: Some(MissionStatus::Completed),
        },
    )?;
    // Each side's organizations with one of their people.
    let people: Vec<(Id, Id)> = tx
        .conn()
        .prepare(
            "SELECT o.id, (SELECT c.id FROM contacts c WHERE c.organization_id = o.id LIMIT 1)
             FROM organizations o ORDER BY o.rowid LIMIT ?1",
        )?
        .query_map([PARTICIPANTS as i64], |r| {
            Ok((r.get::<_, Id>(0)?, r.get::<_, Option<Id>>(1)?))
        })?
        .filter_map(|row| match row {
            Ok((org, Some(person))) => Some(Ok((org, person))),
            Ok(_) => None,
            Err(e) => Some(Err(e)),
        })
        .collect::<rusqlite::Result<_>>()?;
    if people.len() < 2 {
        // What the caller asked for, not damaged data: say what is missing.
        return Err(Error::invalid(
            ErrorCode::Required,
            "contacts",
            "a generated mission needs people in at least two organizations: \
             generate more contacts first",
        ));
    }
    let split = (people.len() / 3).max(1);
    let (delegation, hosts) = people.split_at(split);
    for (org, _) in delegation {
        organization::set_participation(tx, mission.id, *org, Side::Delegation)?;
    }
    for (org, _) in hosts {
        organization::set_participation(tx, mission.id, *org, Side::Host)?;
    }

    let mut made = Activity {
        mission: mission.id,
        meetings: 0,
        follow_ups: 0,
        agreements: 0,
    };
    for i in 0..meetings {
        let (ours, our_person) = delegation[i % delegation.len()];
        let (theirs, their_person) = hosts[rng.below(hosts.len())];
        let day = 1 + i % 10;
        let slot = (i / 10) % 24;
        let (hour, minute) = (8 + slot / 2, (slot % 2) * 30);
        let meeting = meeting::create(
            tx,
            &MeetingInput {
                mission_id: mission.id,
                kind: MeetingKind::B2b,
                title: format!("Talks {i}: {}", rng.pick(ORG_WORDS)),
                starts_local: format!("2024-05-{day:02}T{hour:02}:{minute:02}"),
                ends_local: format!("2024-05-{day:02}T{hour:02}:{:02}", minute + 25),
                time_zone: None,
                place: "Ashgabat".into(),
                notes: String::new(),
                outcomes: String::new(),
                organization_ids: vec![ours, theirs],
                attendees: Some(vec![
                    Attendee {
                        contact_id: our_person,
                        side: Side::Delegation,
                    },
                    Attendee {
                        contact_id: their_person,
                        side: Side::Host,
                    },
                ]),
            },
        )?;
        made.meetings += 1;
        let follow_up = follow_up::create(
            tx,
            &FollowUpInput {
                mission_id: Some(mission.id),
                title: format!("Send the offer after talks {i}"),
                due_on: format!("2024-{:02}-{:02}", 5 + i % 3, 1 + rng.below(28)),
                owner_id: Some(our_person),
                contact_id: Some(their_person),
                organization_id: Some(theirs),
                meeting_id: Some(meeting.id),
                agreement_id: None,
                notes: String::new(),
            },
        )?;
        if i % 3 == 0 {
            follow_up::set_status(tx, follow_up.id, FollowUpStatus::Done)?;
        }
        made.follow_ups += 1;
        if i % 3 == 1 {
            let (currency, rate) = match rng.below(3) {
                0 => ("USD", None),
                1 => ("KZT", Some("0.0021")),
                _ => ("TMT", Some("0.2857")),
            };
            agreement::create(
                tx,
                &AgreementInput {
                    mission_id: mission.id,
                    title: format!("Supply contract {i}"),
                    our_organization_id: Some(ours),
                    counterpart_organization_id: Some(theirs),
                    meeting_id: Some(meeting.id),
                    sector: rng.pick(SECTORS).into(),
                    stage: STAGES[rng.below(STAGES.len())],
                    amount: format!("{}.{:02}", 10_000 + rng.below(5_000_000), rng.below(100)),
                    currency: currency.into(),
                    rate: rate.map(Into::into),
                    rate_date: Some("2024-05-01".into()),
                    rate_source: "National Bank".into(),
                    notes: String::new(),
                },
            )?;
            made.agreements += 1;
        }
    }
    Ok(made)
}

/// Meetings in the mission of a [`file`]: the benchmark's "1,000 meetings".
pub const FILE_MEETINGS: usize = 1000;

/// A database file under `dir` with `contacts` generated contacts and a
/// mission of [`FILE_MEETINGS`] meetings, generated once and then reused
/// while the generator and the schema are the same (a million contacts
/// take minutes to make). Written as `.partial` and renamed when whole, so
/// an interrupted run never leaves a half file to be reused.
pub fn file(dir: &Path, contacts: usize) -> Result<PathBuf> {
    let path = dir.join(format!("contacts-{contacts}.db"));
    let stamp = path.with_extension("made");
    let made_by = format!(
        "generator 4, schema {}, index {}, {contacts} contacts, {FILE_MEETINGS} meetings\n",
        crate::db::latest_version(),
        crate::search::index::VERSION
    );
    if path.exists() && std::fs::read_to_string(&stamp).ok().as_deref() == Some(&*made_by) {
        return Ok(path);
    }
    std::fs::create_dir_all(dir)?;
    let partial = path.with_extension("partial");
    // The files an interrupted run may have left, with their WAL and index:
    // a stale WAL would be replayed onto the new file.
    let stale = [&partial, &path]
        .into_iter()
        .flat_map(|p| ["", "-wal", "-shm"].map(|s| PathBuf::from(format!("{}{s}", p.display()))));
    for file in stale {
        if file.exists() {
            std::fs::remove_file(file)?;
        }
    }
    let store = Store::open(&partial)?;
    store.write(Source::Import, |tx| {
        address_book(tx, contacts, 42)?;
        mission_activity(tx, FILE_MEETINGS, 7)
    })?;
    // Closing the only connection checkpoints the WAL into the file.
    drop(store);
    std::fs::rename(&partial, &path)?;
    std::fs::write(&stamp, made_by)?;
    Ok(path)
}
