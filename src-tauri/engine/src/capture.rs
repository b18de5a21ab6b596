//! Quick capture after a meeting: a person (new or known), their
//! organization (known, or created on the spot), a note and a follow-up, all
//! linked to the meeting, written in one transaction — everything or nothing.

use chrono::Days;
use serde::{Deserialize, Serialize};
use specta::Type;

use crate::error::{Error, ErrorCode, Result};
use crate::id::Id;
use crate::model::contact::{self, Contact, ContactInput, Email, Phone};
use crate::model::follow_up::{self, FollowUp, FollowUpInput};
use crate::model::note::{self, Note};
use crate::model::organization::{self, OrganizationInput, OrganizationKind};
use crate::model::{meeting, mission, sort_key, Side};
use crate::store::{Entity, Tx};

#[derive(Debug, Clone, Default, Serialize, Deserialize, Type)]
pub struct CaptureInput {
    pub mission_id: Id,
    /// The meeting this came out of, if any: the person joins its attendees.
    pub meeting_id: Option<Id>,
    /// A person already known, or else...
    pub contact_id: Option<Id>,
    /// ...the full name of a new one.
    pub full_name: String,
    pub position: String,
    pub email: String,
    pub phone: String,
    /// An organization already known, or else...
    pub organization_id: Option<Id>,
    /// ...its name (or its name in Latin letters) as typed: the mission's
    /// organization of that name, else one of the host country or of none,
    /// else a new one; one not in the mission yet joins it on the host side.
    pub organization_name: String,
    pub note: String,
    /// Empty: no follow-up.
    pub follow_up: String,
    /// YYYY-MM-DD; defaults to a week from today.
    pub due_on: Option<String>,
    pub owner_id: Option<Id>,
}

#[derive(Debug, Clone, Serialize, Type)]
pub struct CaptureResult {
    pub contact: Contact,
    pub note: Option<Note>,
    pub follow_up: Option<FollowUp>,
}

pub fn save(tx: &mut Tx<'_>, input: &CaptureInput) -> Result<CaptureResult> {
    let m = mission::get(&tx.db(), input.mission_id)?;
    let meeting = match input.meeting_id {
        Some(id) => Some(meeting::get(&tx.db(), id)?),
        None => None,
    };
    // The person, note and follow-up are filed under `m`: a meeting of
    // another mission would leave them split between the two.
    if meeting.as_ref().is_some_and(|mt| mt.mission_id != m.id) {
        return Err(Error::invalid(
            ErrorCode::Conflict,
            "meeting_id",
            "that meeting belongs to another mission",
        ));
    }
    // Today where the mission is, not in UTC: a capture at 01:30 in
    // Ashgabat (UTC+5) was dated the day before. Met on the meeting's own
    // day when it came out of one.
    let today = m.today(tx)?;
    let met_on = meeting
        .as_ref()
        .and_then(|mt| mt.starts_local.get(..10))
        .map_or_else(|| today.to_string(), str::to_owned);
    let organization_id = match (input.organization_id, input.organization_name.trim()) {
        (Some(id), _) => Some(id),
        (None, "") => None,
        // A name typed is the organization of that name if the address
        // book has one (case, ё and accents aside, as an import matches)
        // in this mission or of its host country, not in it yet: a second
        // one of the same name split the counterpart's agreements and
        // meetings between the two.
        (None, typed) => {
            let name = typed.split_whitespace().collect::<Vec<_>>().join(" ");
            let found =
                organization::met_in_mission(&tx.db(), &sort_key(&name), m.id, &m.host_country)?;
            let id = match found {
                Some(id) => id,
                None => {
                    organization::create(
                        tx,
                        &OrganizationInput {
                            name,
                            kind: OrganizationKind::Company,
                            country: Some(m.host_country.clone()),
                            ..OrganizationInput::default()
                        },
                    )?
                    .id
                }
            };
            // Met here, so it takes part: on the host side unless it is
            // on a side already.
            if organization::side_in(&tx.db(), m.id, id)?.is_none() {
                organization::set_participation(tx, m.id, id, Side::Host)?;
            }
            Some(id)
        }
    };
    let contact = match input.contact_id {
        Some(id) => contact::get(&tx.db(), id)?,
        None if input.full_name.trim().is_empty() => {
            return Err(Error::invalid(
                ErrorCode::Required,
                "full_name",
                "whom did you meet? a name is required",
            ))
        }
        None => contact::create(
            tx,
            &ContactInput {
                full_name: input.full_name.clone(),
                position: input.position.clone(),
                organization_id,
                emails: vec![Email {
                    address: input.email.clone(),
                    label: String::new(),
                }],
                phones: vec![Phone {
                    number: input.phone.clone(),
                    label: String::new(),
                }],
                phone_region: Some(m.phone_region.clone()),
                met_on: Some(met_on),
                ..ContactInput::default()
            },
        )?,
    };
    if let Some(meeting_id) = input.meeting_id {
        // On their organization's side of the mission (a delegate from
        // another company of the delegation, met at a B2B session, is not
        // a host and not a contact made), else the host's.
        let side = match contact.organization_id.or(organization_id) {
            Some(o) => organization::side_in(&tx.db(), m.id, o)?,
            None => None,
        };
        meeting::add_attendee(tx, meeting_id, contact.id, side.unwrap_or(Side::Host))?;
    }
    let note = match input.note.trim() {
        "" => None,
        text => Some(note::add(tx, Entity::Contact, contact.id, text)?),
    };
    let follow_up = match input.follow_up.trim() {
        "" => None,
        title => {
            let due_on = match input.due_on.as_deref().map(str::trim) {
                Some(d) if !d.is_empty() => d.to_owned(),
                _ => today
                    .checked_add_days(Days::new(7))
                    .map(|d| d.to_string())
                    .unwrap_or_default(),
            };
            Some(follow_up::create(
                tx,
                &FollowUpInput {
                    mission_id: Some(m.id),
                    title: title.to_owned(),
                    due_on,
                    owner_id: input.owner_id,
                    contact_id: Some(contact.id),
                    organization_id: contact.organization_id.or(organization_id),
                    meeting_id: input.meeting_id,
                    agreement_id: None,
                    notes: String::new(),
                },
            )?)
        }
    };
    let contact = contact::get(&tx.db(), contact.id)?;
    Ok(CaptureResult {
        contact,
        note,
        follow_up,
    })
}
