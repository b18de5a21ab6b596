// One form's save: a busy flag (so Enter twice saves once) and the error to
// show, whether it came from saving or from loading what the form edits.
import { toAppError, type AppError } from './api'

export class Submission {
  saving = $state(false)
  error = $state<AppError | null>(null)

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
