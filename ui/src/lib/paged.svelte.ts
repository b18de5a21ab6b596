// A keyset-paged list: the first page reloads whenever what `fetch` reads
// changes (filters) or data is written; `more()` appends the next page.
import { toAppError, type AppError } from './api'
import type { Cursor, Page } from './bindings'
import { session } from './session.svelte'

export function paged<T>(fetch: (after: Cursor | null) => Promise<Page<T>>) {
  const s = $state<{ rows: T[]; next: Cursor | null; error: AppError | null; loading: boolean }>({
    rows: [],
    next: null,
    error: null,
    loading: true,
  })

  $effect(() => {
    void session.version
    let stale = false
    fetch(null).then(
      (page) => {
        if (stale) return
        s.rows = page.items
        s.next = page.next
        s.error = null
        s.loading = false
      },
      (e: unknown) => {
        if (stale) return
        s.error = toAppError(e)
        s.loading = false
      },
    )
    return () => {
      stale = true
    }
  })

  let busy = false

  return {
    get rows() {
      return s.rows
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
    async more() {
      // One page at a time, and none over data that changed meanwhile: a
      // write reloads from the first page instead.
      if (busy || !s.next) return
      busy = true
      const version = session.version
      try {
        const page = await fetch(s.next)
        if (version !== session.version) return
        s.rows = [...s.rows, ...page.items]
        s.next = page.next
      } catch (e) {
        s.error = toAppError(e)
      } finally {
        busy = false
      }
    },
  }
}
