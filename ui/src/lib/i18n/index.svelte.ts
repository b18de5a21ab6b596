// The i18n layer: `t(key, params)` looks a message up in the current
// language's catalog, and the formatters use the same language through Intl,
// so dates, numbers and money follow the chosen language.
import { en, type Catalog, type MessageKey } from './en'
import { kk } from './kk'
import { ru } from './ru'

export type { MessageKey }

export const locales = ['en', 'ru', 'kk'] as const
export type Locale = (typeof locales)[number]
export const catalogs: Record<Locale, Catalog> = { en, ru, kk }

const LOCALE_KEY = 'mission-crm.locale'

/** The language chosen before (remembered), else the system's if we have it. */
function initialLocale(): Locale {
  const saved = typeof localStorage === 'undefined' ? null : localStorage.getItem(LOCALE_KEY)
  const system = typeof navigator === 'undefined' ? '' : navigator.language.slice(0, 2)
  const found = [saved, system].find((l): l is Locale => (locales as readonly string[]).includes(l ?? ''))
  return found ?? 'en'
}

const state = $state({ locale: initialLocale() })

export function locale(): Locale {
  return state.locale
}

/** Switches the language at once (no restart) and remembers it. */
export function setLocale(next: Locale) {
  state.locale = next
  document.documentElement.lang = next
  localStorage.setItem(LOCALE_KEY, next)
}

/** Looks up `key`, replacing `{name}` placeholders from `params`. */
export function translate(catalog: Catalog, key: MessageKey, params: Record<string, string | number> = {}): string {
  const message = catalog[key] ?? en[key] ?? key
  return message.replace(/\{(\w+)\}/g, (whole, name: string) =>
    name in params ? String(params[name]) : whole,
  )
}

export function t(key: MessageKey, params?: Record<string, string | number>): string {
  return translate(catalogs[state.locale] ?? en, key, params)
}

/** Picks the message for `count` by the language's plural rules (one, few,
 * many, other...), falling back to `other`; `{count}` is filled in. */
export function plural(
  count: number,
  keys: Partial<Record<Intl.LDMLPluralRule, MessageKey>> & { other: MessageKey },
): string {
  const rule = new Intl.PluralRules(state.locale).select(count)
  return t(keys[rule] ?? keys.other, { count: new Intl.NumberFormat(state.locale).format(count) })
}
