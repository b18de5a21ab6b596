import { describe, expect, it, vi } from 'vitest'

vi.stubGlobal('window', { location: { hash: '' }, addEventListener: () => {} })
const { parseHash, href } = await import('./router.svelte')

describe('routes', () => {
  it('parses list, new, view and edit', () => {
    expect(parseHash('#/contacts')).toEqual({ section: 'contacts', mode: 'list' })
    expect(parseHash('#/contacts/new')).toEqual({ section: 'contacts', mode: 'new' })
    expect(parseHash('#/contacts/abc')).toEqual({ section: 'contacts', mode: 'view', id: 'abc' })
    expect(parseHash('#/contacts/abc/edit')).toEqual({ section: 'contacts', mode: 'edit', id: 'abc' })
  })

  it('falls back to missions for unknown or empty hashes', () => {
    expect(parseHash('')).toEqual({ section: 'missions', mode: 'list' })
    expect(parseHash('#/nope')).toEqual({ section: 'missions', mode: 'list' })
  })

  it('builds what it parses', () => {
    expect(parseHash(href('organizations', 'x', 'edit'))).toEqual({ section: 'organizations', mode: 'edit', id: 'x' })
  })
})
