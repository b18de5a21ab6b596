// The i18n layer: the language in use (chosen, remembered, its catalog
// loaded on demand), `t(key, params)` to look a message up in its catalog,
// and `plural`; the formatters (../format) take the same language, so
// dates, numbers and money follow it.
import { formatCount, pluralCategory } from '../format'
import { en, type Catalog, type MessageKey } from './en'

export type { MessageKey }

export const locales = ['en', 'ru', 'kk'] as const
export type Locale = (typeof locales)[number]

/** English is in the start script (every message falls back to it); the
 * other catalogs load when their language is chosen, or before the first
 * screen when it was chosen before: in the start script, the two a user
 * does not read were a sixth of what is parsed before the first paint. */
const catalogs: Record<Locale, () => Promise<Catalog>> = {
  en: async () => en,
  ru: async () => (await import('./ru')).ru,
  kk: async () => (await import('./kk')).kk,
}

const LOCALE_KEY = 'mission-crm.locale'

/** The language chosen before (remembered), else the system's if we have it. */
function initialLocale(): Locale {
  const saved = typeof localStorage === 'undefined' ? null : localStorage.getItem(LOCALE_KEY)
  const system = typeof navigator === 'undefined' ? '' : navigator.language.slice(0, 2)
  const found = [saved, system].find((l): l is Locale => (locales as readonly string[]).includes(l ?? ''))
  return found ?? 'en'
}

// Raw: a catalog is read, never changed, and needs no deep proxy.
let state = $state.raw<{ locale: Locale; catalog: Catalog }>({ locale: 'en', catalog: en })
/** The language asked for last: a slower earlier load does not win. */
let wanted: Locale = 'en'

export function locale(): Locale {
  return state.locale
}

/** True once `next` is in use; false if a later choice overtook it or its
 * catalog did not load (the language in use stays). */
async function use(next: Locale): Promise<boolean> {
  wanted = next
  const catalog = await catalogs[next]().catch(() => null)
  if (wanted !== next || !catalog) return false
  state = { locale: next, catalog }
  if (typeof document !== 'undefined') document.documentElement.lang = next
  return true
}

/** Loads the language chosen before (or the system's); the app mounts after
 * it, so the first screen is in that language. A catalog that cannot load
 * leaves English. */
export async function startLocale(): Promise<void> {
  await use(initialLocale())
}

/** Switches the language at once (no restart) and remembers it; false if
 * it did not switch (see `use`). */
export async function setLocale(next: Locale): Promise<boolean> {
  const switched = await use(next)
  if (switched && typeof localStorage !== 'undefined') localStorage.setItem(LOCALE_KEY, next)
  return switched
}

/** Looks up `key`, replacing `{name}` placeholders from `params`. */
export function translate(catalog: Catalog, key: MessageKey, params: Record<string, string | number> = {}): string {
  const message = catalog[key] ?? en[key] ?? key
  return message.replace(/\{(\w+)\}/g, (whole, name: string) =>
    name in params ? String(params[name]) : whole,
  )
}

/** A message in the language in use; numbers among `params` (counts:
 * rows imported, records exported) are written as the language writes
 * them ("120 000" in Russian, not "120000"). */
export function t(key: MessageKey, params?: Record<string, string | number>): string {
  const written = params
    ? Object.fromEntries(
        Object.entries(params).map(([name, value]) => [name, typeof value === 'number' ? formatCount(value, state.locale) : value]),
      )
    : undefined
  return translate(state.catalog, key, written)
}

/** Picks the message for `count` by the language's plural rules (one, few,
 * many, other...), falling back to `other`; `{count}` is filled in, and
 * any other `params`. */
export function plural(
  count: number,
  keys: Partial<Record<Intl.LDMLPluralRule, MessageKey>> & { other: MessageKey },
  params: Record<string, string | number> = {},
): string {
  const rule = pluralCategory(count, state.locale)
  return t(keys[rule] ?? keys.other, { ...params, count: formatCount(count, state.locale) })
}
