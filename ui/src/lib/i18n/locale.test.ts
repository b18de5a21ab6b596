// Choosing a language: its catalog loads on demand (only English is in the
// start script), and the language chosen last is the one shown. Apart from
// i18n.test.ts, which imports every catalog up front.
import { afterAll, describe, expect, it, vi } from 'vitest'
import { locale, setLocale, startLocale, t } from './index.svelte'

describe('choosing a language', () => {
  afterAll(() => {
    vi.unstubAllGlobals()
  })

  it('starts in the system language when none was chosen, else English', async () => {
    // Not whatever this machine's Node reports (Node 21+ has a navigator).
    vi.stubGlobal('localStorage', undefined)
    vi.stubGlobal('navigator', { language: 'de-DE' })
    await startLocale()
    expect(locale()).toBe('en')
    expect(t('nav.missions')).toBe('Missions')
  })

  it('loads the chosen catalog, and the last choice wins over a slower load', async () => {
    await setLocale('kk')
    expect(t('nav.missions')).toBe('Миссиялар')
    // Russian has not loaded yet and takes longer than Kazakh, loaded above.
    const russian = setLocale('ru')
    const kazakh = setLocale('kk')
    await Promise.all([russian, kazakh])
    expect(locale()).toBe('kk')
    expect(t('nav.missions')).toBe('Миссиялар')
    await setLocale('ru')
    expect(t('nav.missions')).toBe('Миссии')
    expect(await setLocale('en')).toBe(true)
    expect(t('nav.missions')).toBe('Missions')
  })

  it('starts in the system language when it has a catalog', async () => {
    vi.stubGlobal('navigator', { language: 'ru-RU' })
    await startLocale()
    expect(locale()).toBe('ru')
    expect(t('nav.missions')).toBe('Миссии')
  })

  it('writes counts in a message as the language does', async () => {
    await setLocale('ru')
    // "120000" read as it was sent; Russian groups digits with a space.
    expect(t('import.running', { rows: 120000 })).toMatch(/120\s000/)
    await setLocale('en')
    expect(t('import.running', { rows: 120000 })).toContain('120,000')
  })
})
