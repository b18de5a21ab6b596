// Dates, numbers and money for display, in a given language. Amounts
// arrive as integer minor units and are turned into an exact decimal string
// before formatting: no float arithmetic on money. Calendar dates are
// written from the month names below; instants, numbers and money go
// through Intl, one formatter per language and option kept for reuse (a
// formatter is costly to make, and lists format hundreds of values).

/** An Intl formatter made once per key: made per call, a list of 700
 * follow-ups made 700 of them. */
const formatters = new Map<string, unknown>()
function reuse<T>(key: string, make: () => T): T {
  let found = formatters.get(key) as T | undefined
  if (found === undefined) {
    found = make()
    formatters.set(key, found)
  }
  return found
}

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
    // An unknown currency throws here, before anything is kept.
    const fmt = reuse(`money|${locale}|${currency}|${digits}`, () =>
      new Intl.NumberFormat(locale, {
        style: 'currency',
        currency,
        minimumFractionDigits: digits,
        maximumFractionDigits: digits,
      }),
    )
    // Intl formats a decimal string exactly (no conversion to a double).
    return fmt.format(decimal as Intl.StringNumericLiteral)
  } catch {
    return `${decimal} ${currency}`
  }
}

const pad2 = (n: number) => String(n).padStart(2, '0')

/** CLDR's "medium" date in each language the app speaks (as Intl wrote it
 * with CLDR 48; format.test.ts pins each month's text), written here rather than by
 * Intl: the start page lists missions' dates, and the first Intl date
 * format loads the language's calendar data, 10–50 ms of the start in the
 * web view (`make bench`). A date also reads the same on every system,
 * whatever its ICU. Russian months are in the genitive ("13 мая"). */
const MEDIUM_DATES: Record<string, (y: number, month: number, d: number) => string> = {
  en: (y, month, d) =>
    `${['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'][month]} ${d}, ${y}`,
  ru: (y, month, d) =>
    `${d} ${['янв.', 'февр.', 'мар.', 'апр.', 'мая', 'июн.', 'июл.', 'авг.', 'сент.', 'окт.', 'нояб.', 'дек.'][month]} ${y} г.`,
  kk: (y, month, d) =>
    `${y} ж. ${pad2(d)} ${['қаң.', 'ақп.', 'нау.', 'сәу.', 'мам.', 'мау.', 'шіл.', 'там.', 'қыр.', 'қаз.', 'қар.', 'жел.'][month]}`,
}

/** A calendar date (YYYY-MM-DD) without shifting it through a time zone;
 * text that is not one is shown as it is. */
export function formatDate(isoDate: string, locale: string): string {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(isoDate)
  if (!match) return isoDate
  const [y, m, d] = match.slice(1).map(Number)
  if (m < 1 || m > 12 || d < 1 || d > 31) return isoDate
  const written = MEDIUM_DATES[locale]
  if (written) return written(y, m - 1, d)
  return reuse(`date|${locale}`, () => new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeZone: 'UTC' })).format(
    Date.UTC(y, m - 1, d),
  )
}

export function formatDateRange(start: string, end: string, locale: string): string {
  return start === end ? formatDate(start, locale) : `${formatDate(start, locale)} – ${formatDate(end, locale)}`
}

/** The HH:MM part of a wall-clock `YYYY-MM-DDTHH:MM`. */
export function localTime(wallClock: string): string {
  return wallClock.slice(11, 16)
}

/** A meeting's times, "10:00–11:00"; the end's date too when it falls on
 *  another day ("22:00–Oct 5, 2023 01:00"), or a meeting moved by its start
 *  date alone would look an hour long when it lasts two days. */
export function meetingTimes(startsLocal: string, endsLocal: string, locale: string): string {
  const endDay = endsLocal.slice(0, 10)
  const end = endDay === startsLocal.slice(0, 10) ? localTime(endsLocal) : `${formatDate(endDay, locale)} ${localTime(endsLocal)}`
  return `${localTime(startsLocal)}–${end}`
}

/** An exchange rate (the engine's exact decimal text, "0.0021") with the
 * language's decimal mark ("0,0021" in Russian and Kazakh), every digit
 * kept: a number would round it. */
export function formatRate(rate: string, locale: string): string {
  const mark = reuse(
    `decimal|${locale}`,
    () => new Intl.NumberFormat(locale).formatToParts(1.5).find((p) => p.type === 'decimal')?.value ?? '.',
  )
  return rate.replace('.', mark)
}

/** A file's size in megabytes, one decimal, in the language's digits. */
export function formatMegabytes(bytes: number, locale: string): string {
  return reuse(`mb|${locale}`, () => new Intl.NumberFormat(locale, { minimumFractionDigits: 1, maximumFractionDigits: 1 })).format(
    bytes / 1_048_576,
  )
}

/** A file's size for a person: kilobytes (whole, at least 1) under a
 *  megabyte, megabytes with one decimal above, in the language's words. */
export function formatFileSize(bytes: number, locale: string): string {
  const mb = bytes >= 1_048_576
  const fmt = reuse(`size|${locale}|${mb}`, () =>
    new Intl.NumberFormat(locale, { style: 'unit', unit: mb ? 'megabyte' : 'kilobyte', maximumFractionDigits: mb ? 1 : 0 }),
  )
  // An empty file is 0; any other at least 1.
  return fmt.format(mb ? bytes / 1_048_576 : bytes && Math.max(1, Math.round(bytes / 1024)))
}

/** A country's name in the language from its ISO code ("TM" →
 *  "Туркменистан"), as the web view's own ICU names it; what was given
 *  when it names no country. */
export function countryName(code: string, locale: string): string {
  return knownCountry(code, locale) ?? code
}

/** The country an ISO code names, in the language, if it names one: the
 *  forms show it under the code being typed. */
export function knownCountry(code: string, locale: string): string | undefined {
  const region = code.trim().toUpperCase()
  if (!/^[A-Z]{2}$/.test(region)) return undefined
  try {
    return reuse(`region|${locale}`, () => new Intl.DisplayNames([locale], { type: 'region', fallback: 'none' })).of(region)
  } catch {
    return undefined
  }
}

/** A count in the language's digits and grouping ("1,234", "1 234"). */
export function formatCount(count: number, locale: string): string {
  return reuse(`count|${locale}`, () => new Intl.NumberFormat(locale)).format(count)
}

/** The language's plural category for `count` (one, few, many, other...). */
export function pluralCategory(count: number, locale: string): Intl.LDMLPluralRule {
  return reuse(`plural|${locale}`, () => new Intl.PluralRules(locale)).select(count)
}

/** Splits a comma-separated field into trimmed, non-empty items; a
 * semicolon separates too, as the engine has it (`model::clean_list`). */
export function splitList(text: string): string[] {
  return text
    .split(/[,;]/)
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
  return reuse(`instant|${locale}`, () => new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short' })).format(
    at,
  )
}
