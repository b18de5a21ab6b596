import { describe, expect, it } from 'vitest'
import { en } from './en'
import { translate } from './index.svelte'

describe('i18n', () => {
  it('fills placeholders', () => {
    expect(translate(en, 'missions.meetingsCount', { count: 11 })).toBe('11 meetings')
  })

  it('has a message for every error code the engine can send', () => {
    const codes = ['required', 'invalid_email', 'invalid_phone', 'invalid_country', 'unknown_currency', 'invalid_amount',
      'negative_amount', 'invalid_rate', 'invalid_date', 'invalid_time_zone', 'end_before_start', 'not_found', 'busy',
      'storage', 'corrupt', 'internal']
    for (const code of codes) expect(en).toHaveProperty(`error.${code}`)
  })
})
