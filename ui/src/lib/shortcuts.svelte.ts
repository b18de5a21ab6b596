// Keyboard shortcuts of the whole window: Ctrl+N opens quick capture from
// anywhere; Ctrl+K searches; Ctrl+Z outside text fields undoes the last
// change; ? lists them.
import { inTextField, undoLast } from './undo.svelte'

class Capture {
  open = $state(false)
  meetingId = $state<string | null>(null)

  start(meetingId: string | null = null) {
    this.meetingId = meetingId
    this.open = true
  }
}

export const capture = new Capture()

/** The search palette (Ctrl+K). */
export const palette = $state({ open: false })

/** The shortcuts overlay (`?`). */
export const help = $state({ open: false })

export function onShortcut(event: KeyboardEvent) {
  if (event.key === '?' && !event.ctrlKey && !event.metaKey && !inTextField(event)) {
    event.preventDefault()
    help.open = !help.open
    return
  }
  const ctrl = (event.ctrlKey || event.metaKey) && !event.shiftKey && !event.altKey
  if (!ctrl) return
  const key = event.key.toLowerCase()
  if (key === 'n') {
    event.preventDefault()
    capture.start()
  } else if (key === 'k') {
    event.preventDefault()
    palette.open = true
  } else if (key === 'z' && !inTextField(event)) {
    event.preventDefault()
    void undoLast()
  }
}
