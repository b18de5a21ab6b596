import { describe, expect, it } from 'vitest'
import { AppError } from './api'
import { showsDetail } from './errorDetail'

const error = (code: AppError['code']) => new AppError({ code, message: 'phone: "12345" is not a valid number', field: 'phone' })

describe('showsDetail', () => {
  it('shows the engine’s English in English', () => {
    expect(showsDetail(error('invalid_phone'), 'en')).toBe(true)
  })

  it('leaves it out in another language where the message says it all', () => {
    expect(showsDetail(error('invalid_phone'), 'ru')).toBe(false)
    expect(showsDetail(error('ambiguous_number'), 'kk')).toBe(false)
  })

  it('keeps it where the message is general and the English the only account', () => {
    expect(showsDetail(error('conflict'), 'ru')).toBe(true)
    expect(showsDetail(error('invalid_file'), 'kk')).toBe(true)
  })
})
