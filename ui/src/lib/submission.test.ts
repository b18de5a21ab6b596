import { describe, expect, it } from 'vitest'
import { AppError } from './api'
import { Submission } from './submission.svelte'

const stale = new AppError({ code: 'changed_since_loaded', message: 'changed', field: null })

describe('a save refused as stale', () => {
  it('is saved over the record as it is now, at the user’s word', async () => {
    const submit = new Submission()
    submit.loadedAt = '2026-12-01T10:00:00.000Z'
    const sentWith: string[] = []
    const save = () =>
      submit.run(async () => {
        sentWith.push(submit.loadedAt)
        if (submit.loadedAt !== '2026-12-01T10:05:00.000Z') throw stale
      })
    await save()
    expect(submit.error?.code).toBe('changed_since_loaded')

    await submit.staleActions(
      () => {},
      async () => ({ updated_at: '2026-12-01T10:05:00.000Z' }),
      save,
    ).onoverwrite()
    await new Promise((resolve) => setTimeout(resolve, 0))
    expect(sentWith).toEqual(['2026-12-01T10:00:00.000Z', '2026-12-01T10:05:00.000Z'])
    expect(submit.error).toBeNull()
  })

  it('is not saved when the record cannot be read again; that is said', async () => {
    const submit = new Submission()
    submit.error = stale
    let saved = false
    const gone = new AppError({ code: 'not_found', message: 'gone', field: null })
    submit.staleActions(
      () => {},
      () => Promise.reject(gone),
      async () => {
        saved = true
      },
    ).onoverwrite()
    await new Promise((resolve) => setTimeout(resolve, 0))
    expect(saved).toBe(false)
    expect(submit.error?.code).toBe('not_found')
  })

  it('can instead load the record as it is now, the refusal gone', () => {
    const submit = new Submission()
    submit.error = stale
    let loads = 0
    submit.staleActions(
      () => loads++,
      () => Promise.reject(new Error('not read')),
      async () => {},
    ).onreload()
    expect(loads).toBe(1)
    expect(submit.error).toBeNull()
  })
})
