// Which answer a type-as-you-search box shows, and what Enter opens: an
// answer to an older keystroke is dropped, and Enter pressed before the
// answer to the text typed has come opens the best hit of that answer
// when it comes (it opened the best hit for the text a keystroke before,
// or nothing).
export class Typeahead {
  private asked = 0
  private shownFor: string | null = null
  private enterPressed = false

  /** A new text is asked about; its answer comes with this token. */
  ask(): number {
    this.enterPressed = false
    return ++this.asked
  }

  /** The answer for `token` to `text` came: 'stale' to drop it, 'open' to
   * show it and open its best hit (Enter came first), else 'show'. */
  answer(token: number, text: string): 'stale' | 'show' | 'open' {
    if (token !== this.asked) return 'stale'
    this.shownFor = text
    const open = this.enterPressed
    this.enterPressed = false
    return open ? 'open' : 'show'
  }

  /** Whether `token` is the latest text's (a failed answer's error is shown
   * only then; nothing becomes shown by it). */
  current(token: number): boolean {
    return token === this.asked
  }

  /** The box was emptied: nothing shown, nothing to wait for. */
  clear() {
    this.ask()
    this.shownFor = null
  }

  /** Enter on `text`: true to open the highlighted hit now; false when
   * the hits shown answer other text (the answer to this opens itself). */
  enter(text: string): boolean {
    if (this.shownFor === text) return true
    this.enterPressed = true
    return false
  }
}
