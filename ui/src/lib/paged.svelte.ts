// A keyset-paged list: the first page reloads whenever what `fetch` reads
// changes (filters, order); `more()` appends the next page. A write keeps
// the reader's place: as many rows as were loaded are read again (up to
// KEEP_ROWS), page after page from the top, and replace the old ones at
// once (restoring one row of the trash sent the list back to its top).
// Each reload starts a new generation: a page asked for by an older one
// (another order's cursor) is dropped, never appended.
import { untrack } from 'svelte'
import { toAppError, type AppError } from './api'
import type { Cursor, Page } from './bindings'
import { session } from './session.svelte'

/** Most rows a write's reload reads again to keep the place (about twenty
 * pages, tens of milliseconds); a list scrolled further starts at its top. */
export const KEEP_ROWS = 2000

export function paged<T>(fetch: (after: Cursor | null) => Promise<Page<T>>) {
  // Rows are replaced, never changed in place: raw state, so the thousands
  // loaded while scrolling are not wrapped in proxies row by row (each
  // appended page used to walk every loaded row through one).
  let rows = $state.raw<T[]>([])
  const s = $state<{ next: Cursor | null; error: AppError | null; loading: boolean; generation: number }>({
    next: null,
    error: null,
    loading: true,
    generation: 0,
  })
  let asked = 0
  let busy = false
  // A new list (filters, order) asked for and not in yet: a write meanwhile
  // reads it fresh too, not as many rows as the old list had.
  let replacing = false

  // Run by the effect below whenever what `fetch` reads changes (what
  // `fetch` reads here is what the effect tracks) or data is written
  // (`keepPlace`).
  function reload(keepPlace = false) {
    const mine = ++asked
    // Not a dependency of the effect: every page shown would rerun it.
    const loaded = untrack(() => rows.length)
    if (!keepPlace) replacing = true
    const want = keepPlace && !replacing && loaded <= KEEP_ROWS ? loaded : 0
    // No next page until the first ones land: the old cursor points into
    // the list being replaced (another order, or rows since written), and
    // a page after it appended to the new first page would skip the rows
    // in between.
    busy = true
    s.next = null
    void readOn(mine, fetch(null), want)
  }

  // The first page, then the next ones until `want` rows are read; the
  // rows shown change once, when all are in. The list is the same one
  // when it kept its place: its generation (and its scroll) stays.
  async function readOn(mine: number, first: Promise<Page<T>>, want: number) {
    try {
      let page = await first
      let items = page.items
      while (mine === asked && page.next && items.length < want) {
        page = await fetch(page.next)
        items = items.concat(page.items)
      }
      if (mine !== asked) return
      rows = items
      s.next = page.next
      s.error = null
      s.loading = false
      if (want === 0) s.generation = mine
      busy = false
      replacing = false
    } catch (e: unknown) {
      if (mine !== asked) return
      s.error = toAppError(e)
      s.loading = false
      busy = false
      replacing = false
    }
  }

  let seenVersion: number | null = null
  $effect(() => {
    const version = session.version
    const written = seenVersion !== null && version !== seenVersion
    seenVersion = version
    reload(written)
  })

  return {
    /** Reads the first page again (the effect does so on every change);
     * `keepPlace`: as many rows as are loaded, for a write. */
    reload,
    get rows() {
      return rows
    },
    get next() {
      return s.next
    },
    get error() {
      return s.error
    },
    get loading() {
      return s.loading
    },
    /** Changes when the list is replaced (not when a page is appended). */
    get generation() {
      return s.generation
    },
    async more() {
      // One page at a time, and none for a list that was replaced meanwhile.
      if (busy || !s.next) return
      busy = true
      const mine = asked
      try {
        const page = await fetch(s.next)
        if (mine !== asked) return
        rows = rows.concat(page.items)
        s.next = page.next
      } catch (e) {
        if (mine === asked) s.error = toAppError(e)
      } finally {
        if (mine === asked) busy = false
      }
    },
  }
}
