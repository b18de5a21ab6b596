// Dates, numbers and money for display, in a given language, through Intl.
// Amounts arrive as integer minor units and are turned into an exact decimal
// string before formatting: no float arithmetic on money.

/** 300000000 minor units with 2 digits → "3000000.00", exactly. */
export function minorToDecimal(minor: number, digits: number): string {
  const negative = minor < 0
  const text = Math.abs(Math.trunc(minor)).toString().padStart(digits + 1, '0')
  const whole = digits ? text.slice(0, -digits) : text
  const fraction = digits ? `.${text.slice(-digits)}` : ''
  return `${negative ? '-' : ''}${whole}${fraction}`
}

/** Formats minor units; `digits` comes from the engine (ISO 4217), which
 * is the authority on minor units (Intl's CLDR data differs for some). */
export function formatMoney(minor: number, currency: string, digits: number, locale: string): string {
  const decimal = minorToDecimal(minor, digits)
  try {
    const fmt = new Intl.NumberFormat(locale, {
      style: 'currency',
      currency,
      minimumFractionDigits: digits,
      maximumFractionDigits: digits,
    })
    // Intl formats a decimal string exactly (no conversion to a double).
    return fmt.format(decimal as Intl.StringNumericLiteral)
  } catch {
    return `${decimal} ${currency}`
  }
}

/** A calendar date (YYYY-MM-DD) without shifting it through a time zone. */
export function formatDate(isoDate: string, locale: string): string {
  const [y, m, d] = isoDate.split('-').map(Number)
  if (!y || !m || !d) return isoDate
  return new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeZone: 'UTC' }).format(Date.UTC(y, m - 1, d))
}

export function formatDateRange(start: string, end: string, locale: string): string {
  return start === end ? formatDate(start, locale) : `${formatDate(start, locale)} – ${formatDate(end, locale)}`
}

/** The HH:MM part of a wall-clock `YYYY-MM-DDTHH:MM`. */
export function localTime(wallClock: string): string {
  return wallClock.slice(11, 16)
}

/** Splits a comma-separated field into trimmed, non-empty items. */
export function splitList(text: string): string[] {
  return text
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0)
}

/** Today's date on this computer's calendar, as YYYY-MM-DD. */
export function todayLocal(now: Date = new Date()): string {
  const pad = (n: number) => String(n).padStart(2, '0')
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`
}

/** An instant (RFC 3339, UTC) as a date and time on this computer's clock. */
export function formatInstant(iso: string, locale: string): string {
  const at = new Date(iso)
  if (Number.isNaN(at.getTime())) return iso
  return new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short' }).format(at)
}
