import { describe, expect, it } from 'vitest'
import { AppError, makeBackend, toAppError } from './api'

describe('backend', () => {
  it('returns the data of an ok result', async () => {
    const backend = makeBackend({ listMissions: async () => ({ status: 'ok', data: [1, 2] }) })
    await expect((backend as unknown as { listMissions: () => Promise<number[]> }).listMissions()).resolves.toEqual([1, 2])
  })

  it('throws the engine error with its code and field', async () => {
    const backend = makeBackend({
      createContact: async () => ({
        status: 'error',
        error: { code: 'invalid_email', message: 'email: "x" is not an e-mail address', field: 'email' },
      }),
    })
    const call = (backend as unknown as { createContact: () => Promise<unknown> }).createContact()
    await expect(call).rejects.toBeInstanceOf(AppError)
    await expect(call).rejects.toMatchObject({ code: 'invalid_email', field: 'email' })
  })

  it('turns a bare string from Tauri into an internal error', () => {
    const e = toAppError('invalid args `input` for command')
    expect(e.code).toBe('internal')
    expect(e.message).toContain('invalid args')
  })
})
