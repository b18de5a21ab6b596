import { describe, expect, it } from 'vitest'
import type { ErrorCode } from '../bindings'
import { en, type MessageKey } from './en'
import { kk } from './kk'
import { ru } from './ru'
import { translate } from './index.svelte'

describe('i18n', () => {
  it('fills placeholders', () => {
    expect(translate(en, 'missions.overdueOf.other', { count: 11 })).toBe('overdue of 11 open follow-ups')
  })

  it('has a message for every error code the engine can send', () => {
    // Typed as a Record, so a code added in Rust fails the type check here.
    const codes: Record<ErrorCode, true> = {
      required: true, invalid_email: true, invalid_phone: true, phone_needs_country: true, invalid_country: true, unknown_currency: true,
      invalid_amount: true, negative_amount: true, ambiguous_number: true, too_many_decimals: true, invalid_rate: true, rate_required: true, base_rate_is_one: true,
      invalid_date: true, invalid_time_zone: true,
      end_before_start: true, not_found: true, conflict: true, changed_since_loaded: true, not_empty: true, busy: true, storage: true, corrupt: true, invalid_file: true, cancelled: true, internal: true,
    }
    for (const code of Object.keys(codes)) expect(en).toHaveProperty([`error.${code}`])
  })

  const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort()

  for (const [name, catalog] of [['ru', ru], ['kk', kk]] as const) {
    it(`${name} has every English key, and no other`, () => {
      expect(Object.keys(catalog).sort()).toEqual(Object.keys(en).sort())
    })

    it(`${name} keeps every placeholder of each message`, () => {
      for (const key of Object.keys(en) as MessageKey[]) {
        expect([key, placeholders(catalog[key])]).toEqual([key, placeholders(en[key])])
      }
    })

    it(`${name} is a translation, not a copy of the English`, () => {
      const keys = Object.keys(en) as MessageKey[]
      const same = keys.filter((k) => catalog[k] === en[k])
      // Names of languages and products stay as they are; little else may.
      expect(same.length).toBeLessThan(keys.length * 0.05)
    })
  }
})
