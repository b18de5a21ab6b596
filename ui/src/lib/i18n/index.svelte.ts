// The i18n layer: `t(key, params)` looks a message up in the current
// language's catalog, and the formatters use the same language through Intl,
// so dates, numbers and money follow the chosen language.
import { en, type Catalog, type MessageKey } from './en'

export type { MessageKey }

export const catalogs: Record<string, Catalog> = { en }
export type Locale = 'en'
export const locales: readonly Locale[] = ['en']

const state = $state({ locale: 'en' as Locale })

export function locale(): Locale {
  return state.locale
}

export function setLocale(next: Locale) {
  state.locale = next
  document.documentElement.lang = next
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
