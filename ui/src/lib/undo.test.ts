import { beforeEach, describe, expect, it, vi } from 'vitest'

// The backend's undo, held open until the test lets it answer.
const pending: Array<() => void> = []
const undo = vi.fn(
  () =>
    new Promise((resolve) => {
      pending.push(() => resolve({ outcome: 'nothing' }))
    }),
)
vi.mock('./api', () => ({ api: { undo }, toAppError: (e: unknown) => e }))
// The session (imported by the shortcuts) remembers the mission there.
vi.stubGlobal('localStorage', { getItem: () => null, setItem: () => {}, removeItem: () => {} })

const { undoLast } = await import('./undo.svelte')
const { onShortcut } = await import('./shortcuts.svelte')

function ctrlZ(repeat: boolean): KeyboardEvent {
  return {
    key: 'z',
    code: 'KeyZ',
    ctrlKey: true,
    metaKey: false,
    shiftKey: false,
    altKey: false,
    repeat,
    target: null,
    preventDefault: () => {},
  } as unknown as KeyboardEvent
}

describe('undo', () => {
  beforeEach(() => {
    undo.mockClear()
    pending.length = 0
  })

  it('takes back one change per press, not one per repeat of a held key', async () => {
    onShortcut(ctrlZ(false))
    pending.shift()?.()
    await Promise.resolve()
    for (let i = 0; i < 5; i++) onShortcut(ctrlZ(true))
    expect(undo).toHaveBeenCalledTimes(1)
  })

  it('takes nothing back behind an open dialog, which hides the change', () => {
    vi.stubGlobal('document', { querySelector: (css: string) => (css === 'dialog[open]' ? {} : null) })
    try {
      onShortcut(ctrlZ(false))
      expect(undo).not.toHaveBeenCalled()
    } finally {
      vi.unstubAllGlobals()
      vi.stubGlobal('localStorage', { getItem: () => null, setItem: () => {}, removeItem: () => {} })
    }
  })

  it('drops a press while an undo is on its way', async () => {
    const first = undoLast()
    const second = undoLast()
    expect(undo).toHaveBeenCalledTimes(1)
    pending.shift()?.()
    await Promise.all([first, second])
    // Once it has answered, the next press undoes again.
    const third = undoLast()
    expect(undo).toHaveBeenCalledTimes(2)
    pending.shift()?.()
    await third
  })
})
