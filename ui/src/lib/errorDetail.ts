// Whether an engine error's own text (English, naming the value at fault)
// is shown under its message in the interface's language. Always in
// English. In another language only for the codes whose message is general
// (a conflict, a file that cannot be read...): there the English is the
// only account of what happened. A typing mistake's message says it all,
// and the English beside it only repeats it in another language.
import type { AppError } from './api'
import type { ErrorCode } from './bindings'

const SAID_IN_FULL: ReadonlySet<ErrorCode> = new Set<ErrorCode>([
  'required',
  'invalid_email',
  'invalid_phone',
  'phone_needs_country',
  'invalid_country',
  'unknown_currency',
  'invalid_amount',
  'negative_amount',
  'ambiguous_number',
  'too_many_decimals',
  'invalid_rate',
  'rate_required',
  'base_rate_is_one',
  'invalid_date',
  'invalid_time_zone',
  'end_before_start',
  // Its English names the two instants, which add nothing.
  'changed_since_loaded',
  'not_empty',
])

export function showsDetail(error: AppError, locale: string): boolean {
  return locale === 'en' || !SAID_IN_FULL.has(error.code)
}
