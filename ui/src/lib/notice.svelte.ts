// The one line of feedback at the corner of the window: what just happened,
// an error if it failed, and whether it can be undone.
import type { AppError } from './api'

class Notice {
  text = $state<string | null>(null)
  error = $state<AppError | null>(null)
  canUndo = $state(false)

  show(text: string, canUndo = false) {
    this.text = text
    this.error = null
    this.canUndo = canUndo
  }

  fail(error: AppError) {
    this.error = error
    this.canUndo = false
  }

  dismiss() {
    this.text = null
    this.error = null
    this.canUndo = false
  }
}

export const notice = new Notice()
