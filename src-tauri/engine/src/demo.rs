//! The demo mission: Kazakhstan's business mission to Turkmenistan, 1–5
//! October 2023, built from the real mission report. The data lives in
//! `assets/demo/turkmenistan-2023.json`; this module only resolves its local
//! keys into ids and inserts it through the ordinary domain functions, so
//! every demo row passes the same rules as typed ones.

use std::collections::HashMap;

use serde::Deserialize;

use crate::error::{Error, Result};
use crate::id::Id;
use crate::model::agreement::{self, AgreementInput, Stage};
use crate::model::contact::{self, ContactInput, Email, Messenger, Phone};
use crate::model::follow_up::{self, FollowUpInput};
use crate::model::meeting::{self, Attendee, MeetingInput, MeetingKind};
use crate::model::mission::{self, MissionInput};
use crate::model::organization::{self, OrganizationInput, OrganizationKind};
use crate::model::Side;
use crate::store::Tx;

const DATA: &str = include_str!("../../../assets/demo/turkmenistan-2023.json");

#[derive(Deserialize)]
struct Demo {
    mission: MissionInput,
    organizations: Vec<DemoOrganization>,
    contacts: Vec<DemoContact>,
    meetings: Vec<DemoMeeting>,
    follow_ups: Vec<DemoFollowUp>,
    agreements: Vec<DemoAgreement>,
}

#[derive(Deserialize)]
struct DemoOrganization {
    key: String,
    side: Side,
    name: String,
    name_latin: String,
    kind: OrganizationKind,
    country: Option<String>,
    city: String,
    website: String,
    sectors: Vec<String>,
    tags: Vec<String>,
    notes: String,
}

#[derive(Deserialize)]
struct DemoContact {
    key: String,
    organization: Option<String>,
    full_name: String,
    full_name_latin: String,
    position: String,
    emails: Vec<Email>,
    phones: Vec<Phone>,
    messengers: Vec<Messenger>,
    languages: Vec<String>,
    met_on: Option<String>,
    met_place: String,
    notes: String,
    tags: Vec<String>,
}

#[derive(Deserialize)]
struct DemoAttendee {
    contact: String,
    side: Side,
}

#[derive(Deserialize)]
struct DemoMeeting {
    key: String,
    kind: MeetingKind,
    title: String,
    starts_local: String,
    ends_local: String,
    place: String,
    notes: String,
    outcomes: String,
    organizations: Vec<String>,
    attendees: Vec<DemoAttendee>,
}

#[derive(Deserialize)]
struct DemoFollowUp {
    title: String,
    due_on: String,
    owner: Option<String>,
    contact: Option<String>,
    organization: Option<String>,
    meeting: Option<String>,
    notes: String,
}

#[derive(Deserialize)]
struct DemoAgreement {
    title: String,
    our_organization: Option<String>,
    counterpart_organization: Option<String>,
    meeting: Option<String>,
    sector: String,
    stage: Stage,
    amount: String,
    currency: String,
    rate: String,
    rate_date: String,
    rate_source: String,
    notes: String,
}

/// Local keys of the demo file, resolved to the ids they were given.
#[derive(Default)]
struct Keys(HashMap<String, Id>);

impl Keys {
    fn get(&self, key: &str) -> Result<Id> {
        self.0
            .get(key)
            .copied()
            .ok_or_else(|| Error::Data(format!("demo data refers to unknown key {key:?}")))
    }

    fn opt(&self, key: Option<&String>) -> Result<Option<Id>> {
        key.map(|k| self.get(k)).transpose()
    }
}

/// Loads the demo only into a database with no mission, checking and
/// loading in the same transaction; `None` when there already was one.
pub fn load_if_empty(tx: &mut Tx<'_>) -> Result<Option<Id>> {
    if mission::none_exist(&tx.db())? {
        load(tx).map(Some)
    } else {
        Ok(None)
    }
}

/// Inserts the demo mission and everything around it; returns its id.
pub fn load(tx: &mut Tx<'_>) -> Result<Id> {
    let demo: Demo =
        serde_json::from_str(DATA).map_err(|e| Error::Data(format!("demo data: {e}")))?;
    let mission = mission::create(tx, &demo.mission)?;
    let mut keys = Keys::default();

    for o in &demo.organizations {
        let input = OrganizationInput {
            name: o.name.clone(),
            name_latin: o.name_latin.clone(),
            kind: o.kind,
            country: o.country.clone(),
            city: o.city.clone(),
            website: o.website.clone(),
            sectors: o.sectors.clone(),
            tags: o.tags.clone(),
            notes: o.notes.clone(),
        };
        let org = organization::create(tx, &input)?;
        organization::set_participation(tx, mission.id, org.id, o.side)?;
        keys.0.insert(o.key.clone(), org.id);
    }

    for c in &demo.contacts {
        let input = ContactInput {
            full_name: c.full_name.clone(),
            full_name_latin: c.full_name_latin.clone(),
            position: c.position.clone(),
            organization_id: keys.opt(c.organization.as_ref())?,
            emails: c.emails.clone(),
            phones: c.phones.clone(),
            messengers: c.messengers.clone(),
            languages: c.languages.clone(),
            met_on: c.met_on.clone(),
            met_place: c.met_place.clone(),
            introduced_by_id: None,
            notes: c.notes.clone(),
            tags: c.tags.clone(),
            phone_region: Some(mission.phone_region.clone()),
        };
        keys.0
            .insert(c.key.clone(), contact::create(tx, &input)?.id);
    }

    for m in &demo.meetings {
        let input = MeetingInput {
            mission_id: mission.id,
            kind: m.kind,
            title: m.title.clone(),
            starts_local: m.starts_local.clone(),
            ends_local: m.ends_local.clone(),
            time_zone: None,
            place: m.place.clone(),
            notes: m.notes.clone(),
            outcomes: m.outcomes.clone(),
            organization_ids: m
                .organizations
                .iter()
                .map(|k| keys.get(k))
                .collect::<Result<_>>()?,
            attendees: Some(
                m.attendees
                    .iter()
                    .map(|a| {
                        Ok(Attendee {
                            contact_id: keys.get(&a.contact)?,
                            side: a.side,
                        })
                    })
                    .collect::<Result<_>>()?,
            ),
        };
        keys.0
            .insert(m.key.clone(), meeting::create(tx, &input)?.id);
    }

    for a in &demo.agreements {
        let input = AgreementInput {
            mission_id: mission.id,
            title: a.title.clone(),
            our_organization_id: keys.opt(a.our_organization.as_ref())?,
            counterpart_organization_id: keys.opt(a.counterpart_organization.as_ref())?,
            meeting_id: keys.opt(a.meeting.as_ref())?,
            sector: a.sector.clone(),
            stage: a.stage,
            amount: a.amount.clone(),
            currency: a.currency.clone(),
            rate: Some(a.rate.clone()),
            rate_date: Some(a.rate_date.clone()),
            rate_source: a.rate_source.clone(),
            notes: a.notes.clone(),
        };
        agreement::create(tx, &input)?;
    }

    for f in &demo.follow_ups {
        let input = FollowUpInput {
            mission_id: Some(mission.id),
            title: f.title.clone(),
            due_on: f.due_on.clone(),
            owner_id: keys.opt(f.owner.as_ref())?,
            contact_id: keys.opt(f.contact.as_ref())?,
            organization_id: keys.opt(f.organization.as_ref())?,
            meeting_id: keys.opt(f.meeting.as_ref())?,
            agreement_id: None,
            notes: f.notes.clone(),
        };
        follow_up::create(tx, &input)?;
    }
    Ok(mission.id)
}
