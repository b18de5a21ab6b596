// Deleting: every delete goes to the trash, and the notice offers to take
// it back (undo.svelte.ts).
import { api, toAppError } from './api'
import type { Entity } from './bindings'
import { t } from './i18n/index.svelte'
import { notice } from './notice.svelte'
import { once } from './once'
import { session } from './session.svelte'

export async function deleteRecord(entity: Entity, id: string): Promise<boolean> {
  const done = await once(`delete:${entity}:${id}`, async () => {
    try {
      // The delete is the next change the session sees.
      const until = session.version + 1
      const item = await api.deleteRecord(entity, id)
      notice.show(t('trash.moved', { label: item.label }), until)
      return true
    } catch (e) {
      notice.fail(toAppError(e))
      return false
    }
  })
  return done ?? false
}
