// A keyset-paged list: its first page is read whenever what `fetch` reads
// changes (filters, order), and `more()` appends the next. A write keeps
// the reader's place: the rows loaded are read again in one read (up to
// KEEP_ROWS, the store's largest page: one moment, no row twice) and
// replace the old at once (restoring one row of the trash sent the list
// back to its top). Each new list starts a new generation: a page asked
// for by an older one (another order's cursor) is dropped, never appended.
import { untrack } from 'svelte'
import { toAppError, type AppError } from './api'
import type { Cursor, Page } from './bindings'
import { session } from './session.svelte'

/** Rows a page brings. */
export const PAGE = 100
/** Most rows a write's re-read reads (the store's largest page); a list
 * scrolled further starts again at its top. */
export const KEEP_ROWS = 1000

export function paged<T>(fetch: (after: Cursor | null, limit: number) => Promise<Page<T>>) {
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
  // A read under way (a first page, a next one, a write's re-read): one at
  // a time, so no page lands on a list another read replaced.
  let busy = false
  // A write came while a read was under way: read again after it (a CLI
  // import writes every second; each re-read started anew never landed).
  let written = false

  function settle() {
    busy = false
    if (written) {
      written = false
      refresh()
    }
  }

  // A new list (filters, order): its first page, from its top. Run by the
  // effect below, which tracks what `fetch` reads here.
  function reload() {
    const mine = ++asked
    // No next page until the first one lands: the old cursor points into
    // the list being replaced, and a page after it appended to the new
    // first page would skip the rows in between.
    busy = true
    written = false
    s.next = null
    fetch(null, PAGE).then(
      (page) => {
        if (mine !== asked) return
        rows = page.items
        s.next = page.next
        s.error = null
        s.loading = false
        s.generation = mine
        settle()
      },
      (e: unknown) => {
        if (mine !== asked) return
        s.error = toAppError(e)
        s.loading = false
        settle()
      },
    )
  }

  // Data written: the same list read again, as many rows as are loaded,
  // the place kept (same generation). A read that fails keeps the rows
  // shown; the next write reads again.
  function refresh() {
    if (busy) {
      written = true
      return
    }
    const loaded = untrack(() => rows.length)
    if (s.error || loaded === 0 || loaded > KEEP_ROWS) return reload()
    const mine = asked
    busy = true
    fetch(null, Math.max(loaded, PAGE)).then(
      (page) => {
        if (mine !== asked) return
        rows = page.items
        s.next = page.next
        settle()
      },
      () => {
        if (mine === asked) settle()
      },
    )
  }

  $effect(() => {
    reload()
  })
  let seenVersion: number | null = null
  $effect(() => {
    const version = session.version
    if (seenVersion !== null && version !== seenVersion) untrack(refresh)
    seenVersion = version
  })

  return {
    /** Reads the list again from its top, as a new list. */
    reload,
    /** Reads the rows loaded again, keeping the place (after a write). */
    refresh,
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
        const page = await fetch(s.next, PAGE)
        if (mine !== asked) return
        rows = rows.concat(page.items)
        s.next = page.next
      } catch (e) {
        if (mine === asked) s.error = toAppError(e)
      } finally {
        if (mine === asked) settle()
      }
    },
  }
}
