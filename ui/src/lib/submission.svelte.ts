// One form's save: a busy flag (so Enter twice saves once), the error to
// show, whether it came from saving or from loading what the form edits,
// and, for an edit, the record's `updated_at` as the form loaded it.
import { toAppError, type AppError } from './api'

export class Submission {
  saving = $state(false)
  error = $state<AppError | null>(null)
  /** Sent with an edit's save: a record written since (the command line,
   * an undo, an import) is not saved over but refused as stale. */
  loadedAt = ''

  /** After a stale refusal, at the user's word: the form's values saved
   * over the record as it is now (`current` reads it again). */
  async overwrite(current: () => Promise<{ updated_at: string }>, save: () => Promise<void>) {
    try {
      this.loadedAt = (await current()).updated_at
    } catch (e) {
      this.fail(e)
      return
    }
    await save()
  }

  /** ErrorNotice's two ways on after a stale refusal: `load` puts the
   * record as it is now into the form (what was typed is dropped); the
   * other saves over it. */
  staleActions(load: () => void, current: () => Promise<{ updated_at: string }>, save: () => Promise<void>) {
    return {
      onreload: () => {
        this.error = null
        load()
      },
      onoverwrite: () => void this.overwrite(current, save),
    }
  }

  /** Shows `e` as the form's error. */
  fail = (e: unknown) => {
    this.error = toAppError(e)
  }

  /** Runs `work` unless a save is already running; its failure is shown. */
  async run(work: () => Promise<unknown>) {
    if (this.saving) return
    this.saving = true
    this.error = null
    try {
      await work()
    } catch (e) {
      this.fail(e)
    } finally {
      this.saving = false
    }
  }
}
