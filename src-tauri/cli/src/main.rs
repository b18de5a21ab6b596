//! `mission-crm-cli`: the same data as the app, for scripts and servers with
//! no screen. Built on the engine alone. Every command takes `--json`; errors
//! go to stderr as `{ "error": { code, message, field } }` (or a line of
//! text) with exit status 1; bad arguments exit with status 2.

mod args;
mod output;
mod safety;
mod transfer;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Parser;
use mission_crm_engine::duplicates::{self, MergeInput};
use mission_crm_engine::model::agreement::{self, AgreementInput};
use mission_crm_engine::model::contact::{
    self, ContactFilter, ContactInput, Email, Messenger, MessengerKind, Phone,
};
use mission_crm_engine::model::follow_up::{self, FollowUpFilter, FollowUpInput};
use mission_crm_engine::model::meeting::{self, MeetingInput};
use mission_crm_engine::model::mission::{self, MissionInput};
use mission_crm_engine::model::organization::{self, OrganizationFilter, OrganizationInput};
use mission_crm_engine::model::{Cursor, Page};
use mission_crm_engine::search::{self, SearchQuery};
use mission_crm_engine::{dataset, demo, paths, ErrorBody, ErrorCode, Source, Store};

use crate::args::{AddCommand, Cli, Command, Kind, ListArgs};
use crate::output::Output;

fn main() -> ExitCode {
    let cli = Cli::parse();
    let out = Output { json: cli.json };
    match run(&cli, &out) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            out.error(&e);
            ExitCode::FAILURE
        }
    }
}

fn db_path(cli: &Cli) -> Result<PathBuf, ErrorBody> {
    cli.db.clone().map_or_else(paths::require_db_path, Ok)
}

fn run(cli: &Cli, out: &Output) -> Result<(), ErrorBody> {
    let path = db_path(cli)?;
    // Reading a mistyped path must not leave an empty database behind it.
    let creates = matches!(
        cli.command,
        Command::Init
            | Command::Demo { .. }
            | Command::Add(_)
            | Command::Generate { .. }
            | Command::Import(_)
            | Command::Restore { .. }
    );
    if !creates && !path.exists() {
        return Err(ErrorBody {
            code: ErrorCode::NotFound,
            message: format!("no database at {} (create one with `init`)", path.display()),
            field: None,
        });
    }
    // These work on the file itself, also when it cannot be opened.
    match &cli.command {
        Command::Check => return safety::check(&path, out),
        Command::Restore { file } => return safety::restore(&path, file, out),
        Command::Backups => return safety::list(&path, out),
        _ => {}
    }
    let store = if cli.command.only_reads() {
        Store::open_deferring_check(&path)?
    } else {
        Store::open(&path)?
    };
    match &cli.command {
        Command::Backup { file } => safety::backup(&store, &path, file.as_deref(), out),
        Command::Check | Command::Restore { .. } | Command::Backups => Ok(()),
        Command::Init => out.value(
            &serde_json::json!({ "db": path.display().to_string() }),
            |w| writeln!(w, "Database ready at {}", path.display()),
        ),
        Command::Demo { if_empty } => {
            let loaded = if *if_empty {
                store.write(Source::Demo, demo::load_if_empty)?
            } else {
                Some(store.write(Source::Demo, demo::load)?)
            };
            out.value(
                &serde_json::json!({ "loaded": loaded.is_some(), "mission_id": loaded }),
                |w| match loaded {
                    Some(id) => writeln!(w, "Demo mission loaded: {id}"),
                    None => writeln!(w, "The database already has a mission; demo not loaded."),
                },
            )
        }
        Command::Generate {
            contacts,
            meetings,
            seed,
        } => {
            let (made, activity) = store.write(Source::Import, |tx| {
                let made = dataset::address_book(tx, *contacts as usize, *seed)?;
                let activity = match *meetings {
                    0 => None,
                    n => Some(dataset::mission_activity(tx, n, *seed)?),
                };
                Ok((made, activity))
            })?;
            let mut value = serde_json::json!({ "contacts": made.contacts, "organizations": made.organizations });
            if let Some(a) = &activity {
                value["mission"] = serde_json::json!({
                    "id": a.mission, "meetings": a.meetings,
                    "follow_ups": a.follow_ups, "agreements": a.agreements,
                });
            }
            out.value(&value, |w| {
                writeln!(
                    w,
                    "Added {} contacts in {} organizations",
                    made.contacts, made.organizations
                )?;
                match &activity {
                    Some(a) => writeln!(
                        w,
                        "and a mission of {} meetings, {} follow-ups and {} agreements: {}",
                        a.meetings, a.follow_ups, a.agreements, a.mission
                    ),
                    None => Ok(()),
                }
            })
        }
        Command::Search { query, kind, limit } => {
            let hits = store.read(|db| {
                search::search(
                    db,
                    &SearchQuery {
                        text: query.clone(),
                        entity: *kind,
                        limit: *limit,
                    },
                )
            })?;
            out.search(&hits)
        }
        Command::Duplicates => out.duplicates(&store.read(|db| duplicates::find(db, 1000))?),
        Command::Merge { keep, remove, take } => {
            let input = MergeInput {
                keep: *keep,
                remove: *remove,
                take: take.clone(),
            };
            let kept = store.write(Source::Cli, |tx| duplicates::merge(tx, &input))?;
            out.record(&to_json(kept))
        }
        Command::List(args) => list(&store, args, out),
        Command::Import(args) => transfer::import(&store, args, out),
        Command::Export {
            format,
            kind,
            mission,
            output,
        } => transfer::export(&store, *format, *kind, *mission, output.as_deref(), out),
        Command::Imports => transfer::history(&store, out),
        Command::Attach { kind, id, file } => {
            transfer::attach(&store, kind.entity(), *id, file, out)
        }
        Command::Attachments { kind, id } => transfer::attachments(&store, kind.entity(), *id, out),
        Command::Report {
            mission,
            format,
            lang,
            output,
        } => transfer::report(&store, *mission, *format, *lang, output.as_deref(), out),
        Command::UndoImport { id } => transfer::undo(&store, *id, out),
        Command::Book {
            mission,
            format,
            lang,
            output,
        } => transfer::book(&store, *mission, *format, *lang, output.as_deref(), out),
        Command::Show { kind, id } => {
            let id = *id;
            let value = store.read(|db| {
                Ok(match kind {
                    Kind::Missions => to_json(mission::get(db, id)?),
                    Kind::Organizations => to_json(organization::get(db, id)?),
                    Kind::Contacts => to_json(contact::get(db, id)?),
                    Kind::Meetings => to_json(meeting::get(db, id)?),
                    Kind::FollowUps => to_json(follow_up::get(db, id)?),
                    Kind::Agreements => to_json(agreement::get(db, id)?),
                })
            })?;
            out.record(&value)
        }
        Command::Add(add) => {
            let value = store.write(Source::Cli, |tx| {
                Ok(match add.as_ref() {
                    AddCommand::Mission(a) => to_json(mission::create(tx, &mission_input(a))?),
                    AddCommand::Organization(a) => {
                        let org = organization::create(tx, &organization_input(a))?;
                        if let (Some(m), Some(side)) = (a.mission, a.side) {
                            organization::set_participation(tx, m, org.id, side)?;
                        }
                        to_json(organization::get(&tx.db(), org.id)?)
                    }
                    AddCommand::Contact(a) => {
                        let region = match (a.mission, &a.region) {
                            (Some(m), _) => Some(mission::get(&tx.db(), m)?.phone_region),
                            (None, r) => r.clone(),
                        };
                        to_json(contact::create(tx, &contact_input(a, region))?)
                    }
                    AddCommand::Meeting(a) => to_json(meeting::create(tx, &meeting_input(a))?),
                    AddCommand::FollowUp(a) => to_json(follow_up::create(tx, &follow_up_input(a))?),
                    AddCommand::Agreement(a) => {
                        to_json(agreement::create(tx, &agreement_input(a))?)
                    }
                })
            })?;
            out.record(&value)
        }
    }
}

fn to_json<T: serde::Serialize>(value: T) -> serde_json::Value {
    serde_json::to_value(value).unwrap_or(serde_json::Value::Null)
}

/// Walks every keyset page of a list.
fn all_pages<T>(
    mut page: impl FnMut(Option<Cursor>) -> mission_crm_engine::Result<Page<T>>,
) -> mission_crm_engine::Result<Vec<T>> {
    let mut items = Vec::new();
    let mut after = None;
    loop {
        let p = page(after)?;
        items.extend(p.items);
        match p.next {
            Some(next) => after = Some(next),
            None => return Ok(items),
        }
    }
}

fn list(store: &Store, args: &ListArgs, out: &Output) -> Result<(), ErrorBody> {
    // A mistyped or trashed mission is an error, not an empty list and
    // exit code 0.
    if let Some(id) = args.mission {
        store.read(|db| mission::get(db, id))?;
    }
    if let Some(id) = args.organization {
        store.read(|db| mission_crm_engine::model::organization::get(db, id))?;
    }
    // A filter the kind does not have is refused: ignored, it listed every
    // record as if they all matched.
    let people_or_orgs = matches!(args.kind, Kind::Organizations | Kind::Contacts);
    let unused = [
        ("--side", args.side.is_some() && !people_or_orgs),
        (
            "--sector",
            args.sector.is_some() && !matches!(args.kind, Kind::Organizations),
        ),
        ("--tag", args.tag.is_some() && !people_or_orgs),
        ("--sort", args.sort.is_some() && !people_or_orgs),
        (
            "--organization",
            args.organization.is_some() && !matches!(args.kind, Kind::Contacts),
        ),
        (
            "--status",
            args.status.is_some() && !matches!(args.kind, Kind::FollowUps),
        ),
        (
            "--mission",
            args.mission.is_some() && matches!(args.kind, Kind::Missions),
        ),
    ];
    if let Some((option, _)) = unused.iter().find(|(_, unused)| *unused) {
        return Err(ErrorBody {
            code: ErrorCode::Conflict,
            message: format!("{option} does not filter this kind of record (see --help)"),
            field: Some(option.trim_start_matches('-').into()),
        });
    }
    let limit = Some(mission_crm_engine::model::MAX_PAGE);
    match args.kind {
        Kind::Missions => out.missions(&store.read(mission::list)?),
        Kind::Organizations => {
            let rows = store.read(|db| {
                all_pages(|after| {
                    let filter = OrganizationFilter {
                        mission_id: args.mission,
                        side: args.side,
                        sector: args.sector.clone(),
                        tag: args.tag.clone(),
                        sort: args.sort,
                        after,
                        limit,
                    };
                    organization::list(db, &filter)
                })
            })?;
            out.organizations(&rows)
        }
        Kind::Contacts => {
            let rows = store.read(|db| {
                all_pages(|after| {
                    contact::list(
                        db,
                        &ContactFilter {
                            organization_id: args.organization,
                            mission_id: args.mission,
                            side: args.side,
                            tag: args.tag.clone(),
                            sort: args.sort,
                            after,
                            limit,
                        },
                    )
                })
            })?;
            out.contacts(&rows)
        }
        Kind::Meetings => {
            let meetings = store.read(|db| {
                let missions = match args.mission {
                    Some(id) => vec![id],
                    None => mission::list(db)?.into_iter().map(|m| m.id).collect(),
                };
                let mut all = Vec::new();
                for id in missions {
                    all.extend(meeting::list(db, id)?);
                }
                Ok(all)
            })?;
            out.meetings(&meetings)
        }
        Kind::FollowUps => {
            let filter = FollowUpFilter {
                mission_id: args.mission,
                status: args.status,
            };
            out.follow_ups(&store.read(|db| follow_up::list(db, &filter))?)
        }
        Kind::Agreements => out.agreements(&store.read(|db| agreement::list(db, args.mission))?),
    }
}

fn mission_input(a: &args::AddMission) -> MissionInput {
    MissionInput {
        name: a.name.clone(),
        organiser: a.organiser.clone(),
        host_country: a.host_country.clone(),
        cities: a.cities.clone(),
        start_date: a.start.clone(),
        end_date: a.end.clone(),
        time_zone: a.time_zone.clone(),
        base_currency: a.base_currency.clone(),
        phone_region: a.phone_region.clone(),
        status: a.status,
    }
}

fn organization_input(a: &args::AddOrganization) -> OrganizationInput {
    OrganizationInput {
        name: a.name.clone(),
        name_latin: a.name_latin.clone(),
        kind: a.kind,
        country: a.country.clone(),
        city: a.city.clone(),
        website: a.website.clone(),
        sectors: a.sectors.clone(),
        tags: a.tags.clone(),
        notes: a.notes.clone(),
    }
}

fn contact_input(a: &args::AddContact, phone_region: Option<String>) -> ContactInput {
    let messengers = [
        (MessengerKind::Telegram, &a.telegram),
        (MessengerKind::Whatsapp, &a.whatsapp),
    ]
    .into_iter()
    .filter_map(|(kind, handle)| handle.clone().map(|handle| Messenger { kind, handle }))
    .collect();
    ContactInput {
        full_name: a.name.clone(),
        full_name_latin: a.name_latin.clone(),
        position: a.position.clone(),
        organization_id: a.organization,
        emails: a
            .emails
            .iter()
            .map(|e| Email {
                address: e.clone(),
                label: String::new(),
            })
            .collect(),
        phones: a
            .phones
            .iter()
            .map(|p| Phone {
                number: p.clone(),
                label: String::new(),
            })
            .collect(),
        messengers,
        languages: a.languages.clone(),
        met_on: a.met_on.clone(),
        met_place: a.met_place.clone(),
        introduced_by_id: None,
        notes: a.notes.clone(),
        tags: a.tags.clone(),
        phone_region,
    }
}

fn meeting_input(a: &args::AddMeeting) -> MeetingInput {
    MeetingInput {
        mission_id: a.mission,
        kind: a.kind,
        title: a.title.clone(),
        starts_local: a.starts.clone(),
        ends_local: a.ends.clone(),
        time_zone: a.time_zone.clone(),
        place: a.place.clone(),
        notes: a.notes.clone(),
        outcomes: a.outcomes.clone(),
        organization_ids: a.organizations.clone(),
        attendees: None,
    }
}

fn follow_up_input(a: &args::AddFollowUp) -> FollowUpInput {
    FollowUpInput {
        mission_id: a.mission,
        title: a.title.clone(),
        due_on: a.due.clone(),
        owner_id: a.owner,
        contact_id: a.contact,
        organization_id: a.organization,
        meeting_id: a.meeting,
        agreement_id: a.agreement,
        notes: a.notes.clone(),
    }
}

fn agreement_input(a: &args::AddAgreement) -> AgreementInput {
    AgreementInput {
        mission_id: a.mission,
        title: a.title.clone(),
        our_organization_id: a.ours,
        counterpart_organization_id: a.counterpart,
        meeting_id: a.meeting,
        sector: a.sector.clone(),
        stage: a.stage,
        amount: a.amount.clone(),
        currency: a.currency.clone(),
        rate: a.rate.clone(),
        rate_date: a.rate_date.clone(),
        rate_source: a.rate_source.clone(),
        notes: a.notes.clone(),
    }
}
