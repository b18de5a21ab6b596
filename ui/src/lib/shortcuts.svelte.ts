// Keyboard shortcuts of the whole window: Ctrl+N opens quick capture from
// anywhere; Ctrl+K searches; Ctrl+Z outside text fields undoes the last
// change; ? lists them.
import { CaptureDrafts } from './captureDraft'
import { t } from './i18n/index.svelte'
import { notice } from './notice.svelte'
import { session } from './session.svelte'
import { shortcutLetter } from './keys'
import { inTextField, undoLast } from './undo.svelte'

class Capture {
  open = $state(false)
  meetingId = $state<string | null>(null)
  /** The meeting's mission when that is not the current one. */
  missionId = $state<string | null>(null)
  /** What captures closed unsaved held, for the next one in their mission. */
  readonly drafts = new CaptureDrafts()

  start(meetingId: string | null = null, missionId: string | null = null) {
    this.meetingId = meetingId
    this.missionId = missionId
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
  const key = shortcutLetter(event.key, event.code)
  if (key === 'n') {
    event.preventDefault()
    // A capture is filed under a mission: without one its form could not
    // be saved, and said nothing.
    if (session.currentMission) capture.start()
    else notice.show(t('capture.needsMission'))
  } else if (key === 'k') {
    event.preventDefault()
    palette.open = true
  } else if (key === 'z' && !inTextField(event)) {
    event.preventDefault()
    // Not behind a dialog (a capture, the leave question): it would take
    // back a change the user cannot see.
    if (typeof document !== 'undefined' && document.querySelector('dialog[open]')) return
    // One undo per press: a held key repeats (see `undoLast`).
    if (!event.repeat) void undoLast()
  }
}
