// Deleting, and taking it back: every delete goes to the trash, the last
// one can be undone (button or Ctrl+Z), and the notice says what happened.
import { api, toAppError, type AppError } from './api'
import type { Entity } from './bindings'
import { t } from './i18n/index.svelte'

class Trash {
  notice = $state<string | null>(null)
  canUndo = $state(false)
  error = $state<AppError | null>(null)

  async delete(entity: Entity, id: string): Promise<boolean> {
    this.error = null
    try {
      const item = await api.deleteRecord(entity, id)
      this.notice = t('trash.moved', { label: item.label })
      this.canUndo = true
      return true
    } catch (e) {
      this.error = toAppError(e)
      return false
    }
  }

  async undo() {
    this.error = null
    try {
      const item = await api.undoLastDelete()
      this.notice = item ? t('trash.restored', { label: item.label }) : t('trash.nothingToUndo')
      this.canUndo = false
    } catch (e) {
      this.error = toAppError(e)
    }
  }

  dismiss() {
    this.notice = null
    this.error = null
  }
}

export const trash = new Trash()

/** Ctrl+Z (Cmd+Z) outside text fields undoes the last delete; inside a
 * field it stays the field's own undo. */
export function onUndoKey(event: KeyboardEvent) {
  const target = event.target as HTMLElement | null
  const inField = target?.closest('input, textarea, select, [contenteditable]') != null
  if ((event.ctrlKey || event.metaKey) && !event.shiftKey && event.key.toLowerCase() === 'z' && !inField) {
    event.preventDefault()
    void trash.undo()
  }
}
