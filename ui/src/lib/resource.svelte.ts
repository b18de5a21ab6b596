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
  const r = $state<{ value: T | undefined; error: AppError | null; loading: boolean }>({
    value: undefined,
    error: null,
    loading: true,
  })
  $effect(() => {
    void session.version
    let stale = false
    r.loading = true
    load().then(
      (value) => {
        if (stale) return
        r.value = value
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
  return r
}
