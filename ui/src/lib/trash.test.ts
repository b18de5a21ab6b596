import { describe, expect, it, vi } from 'vitest'

// The backend's delete, held open until the test lets it answer; a second
// delete of the same record fails, as the engine's does.
const pending: Array<() => void> = []
let deleted = 0
const deleteRecord = vi.fn(
  () =>
    new Promise((resolve, reject) => {
      pending.push(() => {
        deleted += 1
        if (deleted > 1) reject({ code: 'not_found', message: 'contact not found' })
        else resolve({ entity: 'contact', id: 'c1', label: 'Aýna', deleted_at: '', merged_into: null })
      })
    }),
)
vi.mock('./api', () => ({ api: { deleteRecord }, toAppError: (e: unknown) => e }))
vi.stubGlobal('localStorage', { getItem: () => null, setItem: () => {}, removeItem: () => {} })

const trash = await import('./trash.svelte')
const { notice } = await import('./notice.svelte')

describe('deleteRecord', () => {
  it('deletes once when clicked twice, keeping the notice and its Undo', async () => {
    const first = trash.deleteRecord('contact', 'c1')
    const second = trash.deleteRecord('contact', 'c1')
    while (pending.length > 0) pending.shift()?.()
    expect(await first).toBe(true)
    expect(await second).toBe(false)
    expect(deleteRecord).toHaveBeenCalledTimes(1)
    expect(notice.error).toBeNull()
  })
})
