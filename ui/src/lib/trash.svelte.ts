// Deleting, and taking it back: every delete goes to the trash, and the last
// one can be undone (the notice's button or Ctrl+Z).
import { api, toAppError } from './api'
import type { Entity } from './bindings'
import { t } from './i18n/index.svelte'
import { notice } from './notice.svelte'

export async function deleteRecord(entity: Entity, id: string): Promise<boolean> {
  try {
    const item = await api.deleteRecord(entity, id)
    notice.show(t('trash.moved', { label: item.label }), true)
    return true
  } catch (e) {
    notice.fail(toAppError(e))
    return false
  }
}

export async function undoLastDelete() {
  try {
    const item = await api.undoLastDelete()
    notice.show(item ? t('trash.restored', { label: item.label }) : t('trash.nothingToUndo'))
  } catch (e) {
    notice.fail(toAppError(e))
  }
}

/** True when a key event comes from a place that edits text, where Ctrl+Z
 * and other shortcuts belong to the field. */
export function inTextField(event: KeyboardEvent): boolean {
  const target = event.target as HTMLElement | null
  return target?.closest('input, textarea, select, [contenteditable]') != null
}
