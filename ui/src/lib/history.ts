// What a timeline entry says changed: the model's field names (as the
// engine's history records them) under the labels the forms give them.
import type { MessageKey } from './i18n/index.svelte'

const labels: Record<string, MessageKey> = {
  name: 'field.name',
  name_latin: 'field.nameLatin',
  full_name: 'field.fullName',
  full_name_latin: 'field.fullNameLatin',
  position: 'field.position',
  organization_id: 'field.organization',
  organization_name: 'field.organization',
  emails: 'field.email',
  phones: 'field.phone',
  // Every messenger a contact has, not only Telegram (the form's first).
  messengers: 'field.messengers',
  languages: 'field.languages',
  met_on: 'field.metOn',
  met_place: 'field.metPlace',
  notes: 'field.notes',
  tags: 'field.tags',
  kind: 'field.kind',
  country: 'field.country',
  city: 'field.city',
  website: 'field.website',
  sectors: 'field.sectors',
  stage: 'field.stage',
  title: 'field.title',
  status: 'field.status',
  due_on: 'field.due',
  amount_minor: 'field.amount',
  currency: 'field.currency',
  rate: 'field.rate',
  place: 'field.place',
  outcomes: 'meetings.outcomes',
  starts_at: 'meetings.starts',
  ends_at: 'meetings.ends',
  attendees: 'meetings.attendees',
  organization_ids: 'meetings.organizations',
}

/** The labels of the fields an entry changed, each once, in order; fields
 *  no form shows (sort keys, timestamps) are left out. */
export function changedLabels(changed: string[]): MessageKey[] {
  return [...new Set(changed.map((f) => labels[f]).filter((k) => k !== undefined))]
}
