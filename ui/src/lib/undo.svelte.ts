// Ctrl+Z (and the notice's Undo button): takes back the last change made in
// this window, whatever it was, and says what it took back. The store keeps
// the stack, so an undo survives reloading the page.
import { api, toAppError } from './api'
import { t } from './i18n/index.svelte'
import { notice } from './notice.svelte'

/** An undo on its way: a second Ctrl+Z meanwhile is dropped. Undoing a
 *  new record deletes it for good, and an undo cannot be undone, so a held
 *  key (thirty repeats a second) must not run down the stack. */
let undoing = false

export async function undoLast() {
  if (undoing) return
  undoing = true
  try {
    const result = await api.undo()
    switch (result.outcome) {
      case 'nothing':
        notice.show(t('undo.nothing'))
        break
      case 'undone':
        // A file is taken off its record and put back, not trashed.
        if (result.entity === 'attachment' && result.op === 'delete') notice.show(t('undo.fileBack', { label: result.label }))
        else if (result.entity === 'attachment' && result.op === 'restore') notice.show(t('undo.fileOff', { label: result.label }))
        else notice.show(t(`undo.${result.op}`, { label: result.label }))
        break
      case 'stale':
        notice.show(t('undo.stale', { label: result.label }))
        break
      case 'failed':
        notice.show(t('undo.failed', { reason: result.reason }))
        break
    }
  } catch (e) {
    notice.fail(toAppError(e))
  } finally {
    undoing = false
  }
}

/** Inputs that take no typed text: Ctrl+Z on them is the window's (an
 * owner chosen in a select, a box ticked), not the field's. */
const NOT_TEXT = new Set(['checkbox', 'radio', 'button', 'submit', 'reset', 'range', 'color', 'file'])

/** True when a key event comes from a place that edits text, where Ctrl+Z
 * and other shortcuts belong to the field. */
export function inTextField(event: KeyboardEvent): boolean {
  const target = event.target as HTMLElement | null
  const field = target?.closest('input, textarea, [contenteditable]:not([contenteditable=false])')
  return field != null && !(field instanceof HTMLInputElement && NOT_TEXT.has(field.type))
}
