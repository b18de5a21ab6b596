import { describe, expect, it } from 'vitest'
import { Typeahead } from './typeahead'

describe('typeahead', () => {
  it('opens the answer to what was typed when Enter came before it', () => {
    const box = new Typeahead()
    const sakh = box.ask()
    const sakhmetov = box.ask()
    expect(box.answer(sakh, 'sakh')).toBe('stale')
    // Enter on "sakhmetov" while "sakh"'s hits (or none) are shown.
    expect(box.enter('sakhmetov')).toBe(false)
    expect(box.answer(sakhmetov, 'sakhmetov')).toBe('open')
  })

  it('opens at once what is shown for the text typed', () => {
    const box = new Typeahead()
    expect(box.answer(box.ask(), 'kas')).toBe('show')
    expect(box.enter('kas')).toBe(true)
  })

  it('forgets an Enter once the text changes', () => {
    const box = new Typeahead()
    box.ask()
    expect(box.enter('ka')).toBe(false)
    const kas = box.ask()
    expect(box.answer(kas, 'kas')).toBe('show')
  })

  it('opens nothing for text emptied meanwhile', () => {
    const box = new Typeahead()
    box.answer(box.ask(), 'k')
    box.clear()
    expect(box.enter('')).toBe(false)
  })
})
