// List filters with every field the store accepts, so a caller names only
// the ones it sets (the generated types make each field explicit).
import type { ContactFilter, OrganizationFilter } from './bindings'

export function organizationFilter(f: Partial<OrganizationFilter>): OrganizationFilter {
  return { mission_id: null, side: null, sector: null, tag: null, sort: null, after: null, limit: null, ...f }
}

export function contactFilter(f: Partial<ContactFilter>): ContactFilter {
  return { organization_id: null, mission_id: null, side: null, tag: null, sort: null, after: null, limit: null, ...f }
}
