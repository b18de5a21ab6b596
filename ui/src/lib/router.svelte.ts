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

  constructor() {
    window.addEventListener('hashchange', () => {
      this.route = parseHash(window.location.hash)
    })
  }

  go(target: string) {
    window.location.hash = target
  }
}

export const router = new Router()
