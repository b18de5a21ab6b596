import { describe, expect, it, vi } from 'vitest'
import { countryName, formatDate, formatFileSize, knownCountry, meetingTimes, formatMegabytes, formatMoney, formatRate, minorToDecimal, splitList } from './format'

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

  it('writes each language the way CLDR 48 writes a medium date, every month', () => {
    const months = Array.from({ length: 12 }, (_, i) => `2026-${String(i + 1).padStart(2, '0')}-03`)
    const written = (locale: string) => months.map((d) => formatDate(d, locale)).join(' | ')
    expect(written('en')).toBe(
      'Jan 3, 2026 | Feb 3, 2026 | Mar 3, 2026 | Apr 3, 2026 | May 3, 2026 | Jun 3, 2026 | Jul 3, 2026 | Aug 3, 2026 | Sep 3, 2026 | Oct 3, 2026 | Nov 3, 2026 | Dec 3, 2026',
    )
    expect(written('ru')).toBe(
      '3 янв. 2026 г. | 3 февр. 2026 г. | 3 мар. 2026 г. | 3 апр. 2026 г. | 3 мая 2026 г. | 3 июн. 2026 г. | 3 июл. 2026 г. | 3 авг. 2026 г. | 3 сент. 2026 г. | 3 окт. 2026 г. | 3 нояб. 2026 г. | 3 дек. 2026 г.',
    )
    expect(written('kk')).toBe(
      '2026 ж. 03 қаң. | 2026 ж. 03 ақп. | 2026 ж. 03 нау. | 2026 ж. 03 сәу. | 2026 ж. 03 мам. | 2026 ж. 03 мау. | 2026 ж. 03 шіл. | 2026 ж. 03 там. | 2026 ж. 03 қыр. | 2026 ж. 03 қаз. | 2026 ж. 03 қар. | 2026 ж. 03 жел.',
    )
    expect(formatDate('2026-12-31', 'ru')).toBe('31 дек. 2026 г.')
  })

  it('needs no Intl for the languages the app speaks', () => {
    // The start page's dates must not wait for Intl's calendar data.
    const made = vi.spyOn(Intl, 'DateTimeFormat')
    try {
      for (const locale of ['en', 'ru', 'kk']) formatDate('2026-05-13', locale)
      expect(made).not.toHaveBeenCalled()
    } finally {
      made.mockRestore()
    }
  })

  it('agrees with Intl in English', () => {
    for (let m = 1; m <= 12; m++) {
      const day = `2026-${String(m).padStart(2, '0')}-17`
      const intl = new Intl.DateTimeFormat('en', { dateStyle: 'medium', timeZone: 'UTC' }).format(Date.UTC(2026, m - 1, 17))
      expect(formatDate(day, 'en')).toBe(intl)
    }
  })

  it('falls back to Intl for another language, and shows what is not a date as it is', () => {
    expect(formatDate('2023-10-01', 'de')).toBe('01.10.2023')
    for (const text of ['', '2023-13-01', '2023-10-00', '2023-10-01T10:00', 'soon']) {
      expect(formatDate(text, 'en')).toBe(text)
    }
  })
})

describe('lists', () => {
  it('splits comma-separated input and drops blanks', () => {
    expect(splitList(' textiles, , agriculture ')).toEqual(['textiles', 'agriculture'])
    expect(splitList('oil; gas,cotton')).toEqual(['oil', 'gas', 'cotton'])
  })
})

describe('rates and sizes', () => {
  it("writes a rate with the language's decimal mark, every digit kept", () => {
    expect(formatRate('0.0021', 'en')).toBe('0.0021')
    expect(formatRate('0.0021', 'ru')).toBe('0,0021')
    expect(formatRate('0.28571428', 'kk')).toBe('0,28571428')
    expect(formatRate('1', 'ru')).toBe('1')
  })

  it("writes megabytes in the language's digits", () => {
    expect(formatMegabytes(1_572_864, 'en')).toBe('1.5')
    expect(formatMegabytes(1_572_864, 'ru')).toBe('1,5')
    // A card's photo is not "0.0 MB".
    expect(formatFileSize(300, 'en')).toBe('1 kB')
    expect(formatFileSize(0, 'en')).toBe('0 kB')
    expect(formatFileSize(48_000, 'en')).toBe('47 kB')
    expect(formatFileSize(2_621_440, 'ru')).toBe('2,5 МБ')
  })
})

describe('countryName', () => {
  it('names a country in each language from its code, as typed in any case', () => {
    expect(countryName('TM', 'en')).toBe('Turkmenistan')
    expect(countryName('tm', 'ru')).toBe('Туркменистан')
    expect(countryName(' KZ ', 'kk')).toBe('Қазақстан')
  })

  it('gives back what names no country', () => {
    expect(countryName('QQ', 'en')).toBe('QQ')
    expect(countryName('Turkmenistan', 'en')).toBe('Turkmenistan')
    expect(countryName('', 'en')).toBe('')
    expect(knownCountry('Q', 'en')).toBeUndefined()
    expect(knownCountry('de', 'ru')).toBe('Германия')
  })
})

describe('meetingTimes', () => {
  it('gives the end its date when the meeting ends on another day', () => {
    expect(meetingTimes('2023-10-04T10:00', '2023-10-04T11:00', 'en')).toBe('10:00–11:00')
    expect(meetingTimes('2023-10-04T22:00', '2023-10-05T01:00', 'en')).toBe('22:00–Oct 5, 2023 01:00')
    expect(meetingTimes('2023-10-01T10:00', '2023-10-03T11:00', 'ru')).toBe('10:00–3 окт. 2023 г. 11:00')
  })
})
