import { describe, expect, it } from 'vitest'
import { formatDate, formatMoney, minorToDecimal, splitList } from './format'

describe('money', () => {
  it('turns minor units into an exact decimal', () => {
    expect(minorToDecimal(300000000, 2)).toBe('3000000.00')
    expect(minorToDecimal(5, 2)).toBe('0.05')
    expect(minorToDecimal(700, 0)).toBe('700')
    // 2^53 - 1 cents: a float division would round this.
    expect(minorToDecimal(9007199254740991, 2)).toBe('90071992547409.91')
  })

  it('formats for the language with the currency', () => {
    expect(formatMoney(300000000, 'USD', 2, 'en')).toBe('$3,000,000.00')
    expect(formatMoney(15000000000, 'KZT', 2, 'en')).toMatch(/KZT\s?150,000,000\.00/)
    // ISO 4217 gives IQD 3 decimals where CLDR shows 0: the engine's digits win.
    expect(formatMoney(1500, 'IQD', 3, 'en')).toMatch(/1\.500/)
  })
})

describe('dates', () => {
  it('shows a calendar date without a time-zone shift', () => {
    expect(formatDate('2023-10-01', 'en')).toBe('Oct 1, 2023')
  })
})

describe('lists', () => {
  it('splits comma-separated input and drops blanks', () => {
    expect(splitList(' textiles, , agriculture ')).toEqual(['textiles', 'agriculture'])
  })
})
