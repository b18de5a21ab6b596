import { describe, expect, it } from 'vitest'
import { addNotes } from './notes'

describe('addNotes', () => {
  it('keeps both, one after the other', () => {
    expect(addNotes('Met at the Ashgabat forum.', 'Prefers WhatsApp.')).toBe('Met at the Ashgabat forum.\nPrefers WhatsApp.')
  })

  it('keeps one that holds the other once', () => {
    expect(addNotes('Met at expo', 'Met at expo. Likes tea')).toBe('Met at expo. Likes tea')
    expect(addNotes('Met at expo. Likes tea', 'Likes tea')).toBe('Met at expo. Likes tea')
    expect(addNotes('  ', 'Likes tea')).toBe('Likes tea')
  })
})
