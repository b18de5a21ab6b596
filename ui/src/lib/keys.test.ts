import { describe, expect, it } from 'vitest'
import { shortcutLetter } from './keys'

describe('shortcutLetter', () => {
  it('reads a Cyrillic layout by the key pressed', () => {
    // Russian ЙЦУКЕН: N types т, K types л, Z types я; Kazakh likewise.
    expect(shortcutLetter('т', 'KeyN')).toBe('n')
    expect(shortcutLetter('Л', 'KeyK')).toBe('k')
    expect(shortcutLetter('я', 'KeyZ')).toBe('z')
  })

  it("keeps a Latin layout's own letter", () => {
    expect(shortcutLetter('n', 'KeyN')).toBe('n')
    expect(shortcutLetter('K', 'KeyK')).toBe('k')
    // AZERTY: the key typing Z sits where QWERTY has W.
    expect(shortcutLetter('z', 'KeyW')).toBe('z')
  })

  it('leaves other keys as they are', () => {
    expect(shortcutLetter('Enter', 'Enter')).toBe('enter')
    expect(shortcutLetter('?', 'Slash')).toBe('?')
  })
})
