// Loads data for a view and reloads it whenever what `load` reads changes
// (route, filters) or any write is committed (session.version).
import { toAppError, type AppError } from './api'
import { session } from './session.svelte'

export interface Resource<T> {
  readonly value: T | undefined
  readonly error: AppError | null
  readonly loading: boolean
}

export function resource<T>(load: () => Promise<T>): Resource<T> {
  // The value is replaced whole on each load, never changed in place: kept
  // raw, not made deeply reactive, which for a mission's 1,000 follow-ups
  // made a proxy and signals for every record and field the screen read.
  let value = $state.raw<T | undefined>(undefined)
  const r = $state<{ error: AppError | null; loading: boolean }>({
    error: null,
    loading: true,
  })
  $effect(() => {
    void session.version
    let stale = false
    r.loading = true
    load().then(
      (loaded) => {
        if (stale) return
        value = loaded
        r.error = null
        r.loading = false
      },
      (e: unknown) => {
        if (stale) return
        r.error = toAppError(e)
        r.loading = false
      },
    )
    return () => {
      stale = true
    }
  })
  return {
    get value() {
      return value
    },
    get error() {
      return r.error
    },
    get loading() {
      return r.loading
    },
  }
}
