import { describe, expect, it } from 'vitest'
import { changedLabels } from './history'

describe('changedLabels', () => {
  it('names a messenger change as messengers, not Telegram', () => {
    expect(changedLabels(['messengers'])).toEqual(['field.messengers'])
  })

  it('says each label once and leaves out fields no form shows', () => {
    expect(changedLabels(['organization_id', 'organization_name', 'sort_name', 'updated_at'])).toEqual([
      'field.organization',
    ])
  })
})
