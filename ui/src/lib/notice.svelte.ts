// The one line of feedback at the corner of the window: what just happened,
// an error if it failed, and whether it can be undone.
import type { AppError } from './api'

class Notice {
  text = $state<string | null>(null)
  error = $state<AppError | null>(null)
  /** The write this notice names can be undone while the session has seen
   * no change past this version (`session.version`, one per committed
   * write): after another write, Undo would take back that one instead. */
  undoUntil = $state<number | null>(null)

  show(text: string, undoUntil: number | null = null) {
    this.text = text
    this.error = null
    this.undoUntil = undoUntil
  }

  fail(error: AppError) {
    this.error = error
    this.undoUntil = null
  }

  dismiss() {
    this.text = null
    this.error = null
    this.undoUntil = null
  }
}

export const notice = new Notice()
