// Hash routes: #/<section>[/<id>|/new][/edit]. Hash routing needs no server
// and survives a reload of the bundled page.
export const sections = ['missions', 'organizations', 'contacts', 'meetings', 'follow-ups', 'agreements', 'duplicates', 'trash', 'settings', 'import'] as const
export type Section = (typeof sections)[number]

export type Route =
  | { section: Section; mode: 'list' }
  | { section: Section; mode: 'new' }
  | { section: Section; mode: 'view' | 'edit'; id: string }

export function parseHash(hash: string): Route {
  const [section, id, action] = hash.replace(/^#\/?/, '').split('/')
  const known = (sections as readonly string[]).includes(section) ? (section as Section) : 'missions'
  if (!id) return { section: known, mode: 'list' }
  if (id === 'new') return { section: known, mode: 'new' }
  return { section: known, mode: action === 'edit' ? 'edit' : 'view', id }
}

export function href(section: Section, id?: string, action?: 'edit'): string {
  return `#/${section}${id ? `/${id}` : ''}${action ? `/${action}` : ''}`
}

class Router {
  route = $state<Route>(parseHash(window.location.hash))
  /** A form holds typed work not yet saved (its `oninput` says so):
   * leaving the page asks first. Reset when the page changes. */
  unsaved = false
  /** Where the user asked to go from unsaved work, while the window asks
   * whether to leave it (LeaveDialog; the web view shows no `confirm()`). */
  leaving = $state<string | null>(null)

  constructor() {
    window.addEventListener('hashchange', () => {
      this.route = parseHash(window.location.hash)
      this.unsaved = false
    })
    // Links are followed by the web view itself: held back, and asked.
    if (typeof document !== 'undefined') {
      document.addEventListener(
        'click',
        (e) => {
          const link = e.target instanceof Element ? e.target.closest('a[href^="#"]') : null
          const target = link?.getAttribute('href')
          if (target && this.unsaved) {
            e.preventDefault()
            this.leaving = target
          }
        },
        true,
      )
    }
  }

  /** Goes to `target`; from a form holding unsaved work, only once the user
   * says to leave it (Ctrl+K or a link away from a half-typed contact lost
   * it without a word). */
  go(target: string) {
    if (this.unsaved) this.leaving = target
    else window.location.hash = target
  }

  /** The answer to "leave this form?". */
  answer(leave: boolean) {
    const target = this.leaving
    this.leaving = null
    if (leave && target !== null) this.saved(target)
  }

  /** After a form's save: its work is kept, so it leaves without asking. */
  saved(target: string) {
    this.unsaved = false
    this.leaving = null // asked while the save was in flight: saved now
    window.location.hash = target
  }
}

export const router = new Router()
