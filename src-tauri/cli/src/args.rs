//! The command line, as clap types. Values are parsed with the engine's own
//! `FromStr` impls, so the CLI spells kinds, sides and stages as the JSON does.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};
use mission_crm_engine::duplicates::MergeField;
use mission_crm_engine::export::{ExportFormat, ExportKind};
use mission_crm_engine::import::OnMatch;
use mission_crm_engine::model::agreement::Stage;
use mission_crm_engine::model::follow_up::FollowUpStatus;
use mission_crm_engine::model::meeting::MeetingKind;
use mission_crm_engine::model::mission::MissionStatus;
use mission_crm_engine::model::organization::OrganizationKind;
use mission_crm_engine::model::{ListSort, Side};
use mission_crm_engine::paths::DB_ENV;
use mission_crm_engine::report::Lang;
use mission_crm_engine::{Entity, Id};

#[derive(Parser)]
#[command(
    name = "mission-crm-cli",
    version,
    about = "Mission CRM on the command line"
)]
pub struct Cli {
    /// Database file [default: the app's database in the app-data folder]
    #[arg(long, global = true, env = DB_ENV, value_name = "PATH")]
    pub db: Option<PathBuf>,

    /// Print machine-readable JSON (field names as in the Rust model)
    #[arg(long, global = true)]
    pub json: bool,

    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand)]
pub enum Command {
    /// Create the database (or bring it to the latest schema) and print its path
    Init,
    /// Add a synthetic address book (half Cyrillic names), for trying the
    /// app at scale and for benchmarks; not undoable from the app
    Generate {
        /// How many contacts (in contacts/20 + 1 organizations), at most
        /// ten million
        #[arg(long, value_parser = clap::value_parser!(u32).range(0..=10_000_000))]
        contacts: u32,
        /// Also a ten-day mission over them with this many meetings, a
        /// follow-up each and an agreement per three
        #[arg(long, default_value_t = 0)]
        meetings: usize,
        /// The same seed gives the same people
        #[arg(long, default_value_t = 1)]
        seed: u64,
    },
    /// Load the demo mission (Kazakhstan to Turkmenistan, October 2023)
    Demo {
        /// Do nothing if the database already has a mission
        #[arg(long)]
        if_empty: bool,
    },
    /// Find records by name, phone, e-mail or any word, in any script
    Search {
        /// What to look for: "sakhmetov", "Сахм", "+7 701 123 45 67"
        query: String,
        /// Only this kind: contact, organization, meeting, agreement, follow_up, mission, note
        #[arg(long)]
        kind: Option<Entity>,
        /// At most this many (default 20, at most 200)
        #[arg(long)]
        limit: Option<u32>,
    },
    /// Probable duplicate contacts (same name across scripts, phone or e-mail)
    Duplicates,
    /// Merge contact REMOVE into KEEP: links move, lists and notes are joined, REMOVE goes to the trash
    Merge {
        keep: Id,
        remove: Id,
        /// Fields to take from REMOVE: full_name, full_name_latin, position, organization, met_on, met_place, notes (REMOVE's alone)
        #[arg(long, value_delimiter = ',')]
        take: Vec<MergeField>,
    },
    /// List records of a kind
    List(ListArgs),
    /// Show one record
    Show { kind: Kind, id: Id },
    /// Add a record
    #[command(subcommand)]
    Add(Box<AddCommand>),
    /// Import people from a CSV or vCard file (format and encoding detected
    /// from the content), all or nothing; or restore a full JSON export into
    /// an empty database
    Import(ImportArgs),
    /// Export to a file (or stdout): csv, vcard (3.0), vcard4, ics or json (everything)
    Export {
        format: ExportFormat,
        /// CSV: contacts (default) or organizations
        #[arg(long)]
        kind: Option<ExportKind>,
        /// Only this mission's records (not for json)
        #[arg(long)]
        mission: Option<Id>,
        /// Write here instead of stdout (written whole or not at all)
        #[arg(short, long, value_name = "FILE")]
        output: Option<PathBuf>,
    },
    /// The import history, newest first
    Imports,
    /// Copy the database (SQLite's online backup, verified) to FILE, or into
    /// the backups folder beside it
    Backup { file: Option<PathBuf> },
    /// The backups in the backups folder, newest first
    Backups,
    /// Replace the database with a backup (verified first; the current
    /// database, even a damaged one, is kept in the backups folder)
    Restore { file: PathBuf },
    /// Check the database file: exits 1 with a message if it is damaged
    Check,
    /// The mission outcome report: html (self-contained, printable), pdf
    /// (made offline, fonts embedded), md or json (totals in base-currency
    /// minor units)
    Report {
        #[arg(long)]
        mission: Id,
        #[arg(long, default_value = "html")]
        format: ReportFormat,
        #[arg(long, default_value = "en")]
        lang: Lang,
        /// Write here instead of stdout
        #[arg(short, long, value_name = "FILE")]
        output: Option<PathBuf>,
    },
    /// Take a whole import back: people it created go to the trash, people it
    /// updated get their earlier fields back
    UndoImport { id: Id },
    /// Attach a file (a photo of a business card, a scanned memorandum, up
    /// to 100 MB) to a mission, organization, contact, meeting or
    /// agreement; kept in <database file>-attachments/ beside it, and by
    /// backups and full exports
    Attach { kind: Kind, id: Id, file: PathBuf },
    /// The files attached to a record, newest first
    Attachments { kind: Kind, id: Id },
    /// The delegation book, to print before the trip: the mission's agenda
    /// day by day and every organization taking part with its people: pdf
    /// or html (self-contained, printable)
    Book {
        #[arg(long)]
        mission: Id,
        #[arg(long, default_value = "pdf")]
        format: BookFormat,
        #[arg(long, default_value = "en")]
        lang: Lang,
        /// Write here instead of stdout
        #[arg(short, long, value_name = "FILE")]
        output: Option<PathBuf>,
    },
}

impl Command {
    /// Whether the command only reads the database. Such a command skips the
    /// page check, which takes seconds at a million contacts: a damaged page
    /// it touches fails it with the damaged-file message, and it writes
    /// nothing into the file. Whatever writes, and the copies people keep
    /// (export, backup), read every page first.
    pub fn only_reads(&self) -> bool {
        matches!(
            self,
            Self::Search { .. }
                | Self::Duplicates
                | Self::List(_)
                | Self::Show { .. }
                | Self::Imports
                | Self::Report { .. }
                | Self::Book { .. }
                | Self::Attachments { .. }
        )
    }
}

#[derive(Args)]
pub struct ImportArgs {
    pub file: PathBuf,
    /// Organizations in the file join this mission (its phone region reads
    /// numbers written without a country code)
    #[arg(long)]
    pub mission: Option<Id>,
    /// ...on this side [default: delegation]
    #[arg(long, requires = "mission")]
    pub side: Option<Side>,
    /// A row that is someone already known: skip (default), update or create
    #[arg(long)]
    pub on_match: Option<OnMatch>,
    /// Override the detected delimiter: ",", ";", "tab" or "|"
    #[arg(long)]
    pub delimiter: Option<String>,
    /// The first row is data, not a header
    #[arg(long)]
    pub no_header: bool,
    /// Do everything and report, but keep nothing
    #[arg(long)]
    pub dry_run: bool,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ReportFormat {
    Html,
    Pdf,
    Md,
    Json,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum BookFormat {
    Pdf,
    Html,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Kind {
    #[value(alias = "mission")]
    Missions,
    #[value(alias = "organization")]
    Organizations,
    #[value(alias = "contact")]
    Contacts,
    #[value(alias = "meeting")]
    Meetings,
    #[value(alias = "follow-up")]
    FollowUps,
    #[value(alias = "agreement")]
    Agreements,
}

impl Kind {
    /// The kind of record, as the engine names it.
    pub fn entity(self) -> Entity {
        match self {
            Self::Missions => Entity::Mission,
            Self::Organizations => Entity::Organization,
            Self::Contacts => Entity::Contact,
            Self::Meetings => Entity::Meeting,
            Self::FollowUps => Entity::FollowUp,
            Self::Agreements => Entity::Agreement,
        }
    }
}

#[derive(Args)]
pub struct ListArgs {
    pub kind: Kind,
    /// Only records of this mission
    #[arg(long)]
    pub mission: Option<Id>,
    /// Organizations and contacts: only this side of the mission
    #[arg(long, requires = "mission")]
    pub side: Option<Side>,
    /// Organizations: only those in this sector
    #[arg(long)]
    pub sector: Option<String>,
    /// Organizations and contacts: only those with this tag
    #[arg(long)]
    pub tag: Option<String>,
    /// Organizations and contacts: name (default), name_desc or newest
    #[arg(long)]
    pub sort: Option<ListSort>,
    /// Contacts: only people of this organization
    #[arg(long)]
    pub organization: Option<Id>,
    /// Follow-ups: only this status
    #[arg(long)]
    pub status: Option<FollowUpStatus>,
}

#[derive(Subcommand)]
pub enum AddCommand {
    Mission(AddMission),
    Organization(AddOrganization),
    Contact(AddContact),
    Meeting(AddMeeting),
    FollowUp(AddFollowUp),
    Agreement(AddAgreement),
}

#[derive(Args)]
pub struct AddMission {
    #[arg(long)]
    pub name: String,
    #[arg(long, default_value = "")]
    pub organiser: String,
    /// ISO 3166 code, e.g. TM
    #[arg(long)]
    pub host_country: String,
    /// Repeat for several cities
    #[arg(long = "city")]
    pub cities: Vec<String>,
    /// YYYY-MM-DD
    #[arg(long)]
    pub start: String,
    /// YYYY-MM-DD
    #[arg(long)]
    pub end: String,
    /// IANA zone, e.g. Asia/Ashgabat
    #[arg(long)]
    pub time_zone: String,
    /// ISO 4217 code, e.g. USD
    #[arg(long)]
    pub base_currency: String,
    /// Region for phone numbers without a country code [default: host country]
    #[arg(long)]
    pub phone_region: Option<String>,
    #[arg(long)]
    pub status: Option<MissionStatus>,
}

#[derive(Args)]
pub struct AddOrganization {
    #[arg(long)]
    pub name: String,
    #[arg(long, default_value = "")]
    pub name_latin: String,
    #[arg(long, default_value = "company")]
    pub kind: OrganizationKind,
    #[arg(long)]
    pub country: Option<String>,
    #[arg(long, default_value = "")]
    pub city: String,
    #[arg(long, default_value = "")]
    pub website: String,
    #[arg(long = "sector")]
    pub sectors: Vec<String>,
    #[arg(long = "tag")]
    pub tags: Vec<String>,
    #[arg(long, default_value = "")]
    pub notes: String,
    /// Add it to this mission...
    #[arg(long, requires = "side")]
    pub mission: Option<Id>,
    /// ...on this side
    #[arg(long, requires = "mission")]
    pub side: Option<Side>,
}

#[derive(Args)]
pub struct AddContact {
    #[arg(long)]
    pub name: String,
    #[arg(long, default_value = "")]
    pub name_latin: String,
    #[arg(long, default_value = "")]
    pub position: String,
    #[arg(long)]
    pub organization: Option<Id>,
    #[arg(long = "email")]
    pub emails: Vec<String>,
    #[arg(long = "phone")]
    pub phones: Vec<String>,
    #[arg(long)]
    pub telegram: Option<String>,
    #[arg(long)]
    pub whatsapp: Option<String>,
    #[arg(long = "language")]
    pub languages: Vec<String>,
    /// YYYY-MM-DD
    #[arg(long)]
    pub met_on: Option<String>,
    #[arg(long, default_value = "")]
    pub met_place: String,
    #[arg(long, default_value = "")]
    pub notes: String,
    #[arg(long = "tag")]
    pub tags: Vec<String>,
    /// Read numbers without a country code in this mission's phone region
    #[arg(long)]
    pub mission: Option<Id>,
    /// Or in this region (ISO 3166), e.g. KZ
    #[arg(long, conflicts_with = "mission")]
    pub region: Option<String>,
}

#[derive(Args)]
pub struct AddMeeting {
    #[arg(long)]
    pub mission: Id,
    #[arg(long)]
    pub title: String,
    #[arg(long, default_value = "meeting")]
    pub kind: MeetingKind,
    /// Local wall-clock time YYYY-MM-DDTHH:MM
    #[arg(long)]
    pub starts: String,
    /// Local wall-clock time YYYY-MM-DDTHH:MM
    #[arg(long)]
    pub ends: String,
    /// IANA zone [default: the mission's]
    #[arg(long)]
    pub time_zone: Option<String>,
    #[arg(long, default_value = "")]
    pub place: String,
    #[arg(long, default_value = "")]
    pub notes: String,
    #[arg(long, default_value = "")]
    pub outcomes: String,
    #[arg(long = "organization")]
    pub organizations: Vec<Id>,
}

#[derive(Args)]
pub struct AddFollowUp {
    #[arg(long)]
    pub title: String,
    /// YYYY-MM-DD
    #[arg(long)]
    pub due: String,
    #[arg(long)]
    pub mission: Option<Id>,
    #[arg(long)]
    pub owner: Option<Id>,
    #[arg(long)]
    pub contact: Option<Id>,
    #[arg(long)]
    pub organization: Option<Id>,
    #[arg(long)]
    pub meeting: Option<Id>,
    #[arg(long)]
    pub agreement: Option<Id>,
    #[arg(long, default_value = "")]
    pub notes: String,
}

#[derive(Args)]
pub struct AddAgreement {
    #[arg(long)]
    pub mission: Id,
    #[arg(long)]
    pub title: String,
    /// In major units, e.g. 1250000.50
    #[arg(long, allow_hyphen_values = true)]
    pub amount: String,
    /// ISO 4217 code
    #[arg(long)]
    pub currency: String,
    /// Units of the mission's base currency per unit of --currency
    #[arg(long)]
    pub rate: Option<String>,
    /// YYYY-MM-DD [default: today]
    #[arg(long)]
    pub rate_date: Option<String>,
    #[arg(long, default_value = "")]
    pub rate_source: String,
    #[arg(long, default_value = "interest")]
    pub stage: Stage,
    #[arg(long, default_value = "")]
    pub sector: String,
    /// Our (delegation) organization
    #[arg(long)]
    pub ours: Option<Id>,
    #[arg(long)]
    pub counterpart: Option<Id>,
    #[arg(long)]
    pub meeting: Option<Id>,
    #[arg(long, default_value = "")]
    pub notes: String,
}
