// A keyset-paged list: the first page reloads whenever what `fetch` reads
// changes (filters, order) or data is written; `more()` appends the next
// page. Each reload starts a new generation: a page asked for by an older
// one (another order's cursor) is dropped, never appended.
import { toAppError, type AppError } from './api'
import type { Cursor, Page } from './bindings'
import { session } from './session.svelte'

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

  // Run by the effect below whenever what `fetch` reads changes or data
  // is written (what `fetch` reads here is what the effect tracks).
  function reload() {
    const mine = ++asked
    // No next page until the first one lands: the old cursor points into
    // the list being replaced (another order, or rows since written), and
    // a page after it appended to the new first page would skip the rows
    // in between.
    busy = true
    s.next = null
    fetch(null).then(
      (page) => {
        if (mine !== asked) return
        rows = page.items
        s.next = page.next
        s.error = null
        s.loading = false
        s.generation = mine
        busy = false
      },
      (e: unknown) => {
        if (mine !== asked) return
        s.error = toAppError(e)
        s.loading = false
        busy = false
      },
    )
  }

  $effect(() => {
    void session.version
    reload()
  })

  return {
    /** Reads the first page again (the effect does so on every change). */
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
