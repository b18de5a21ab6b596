import { describe, expect, it } from 'vitest'
import { CaptureDrafts, type DraftFields } from './captureDraft'

const typed = (name: string, meeting = ''): DraftFields => ({ full_name: name, meeting_id: meeting })

describe('CaptureDrafts', () => {
  it('brings a draft back in its mission only', () => {
    const drafts = new CaptureDrafts()
    drafts.close('A', typed('Döwlet', 'a1'), true, false, false)
    expect(drafts.take('A', null)?.full_name).toBe('Döwlet')
    expect(drafts.take('B', null)).toBeNull()
  })

  it('does not bring a draft typed at one meeting into a capture at another', () => {
    const drafts = new CaptureDrafts()
    drafts.close('A', typed('Döwlet', 'a1'), true, false, false)
    expect(drafts.take('A', 'a2')).toBeNull()
    expect(drafts.take('A', 'a1')?.full_name).toBe('Döwlet')
    // One typed at no meeting may go to any.
    drafts.close('A', typed('Aman'), true, false, false)
    expect(drafts.take('A', 'a2')?.full_name).toBe('Aman')
  })

  it("keeps one mission's draft when a capture of another closes empty or saves", () => {
    const drafts = new CaptureDrafts()
    drafts.close('A', typed('Döwlet'), true, false, false)
    drafts.close('B', typed(''), false, false, false)
    drafts.close('B', typed('Saved'), true, true, false)
    expect(drafts.take('A', null)?.full_name).toBe('Döwlet')
  })

  it('keeps a draft a capture at another meeting did not bring back', () => {
    const drafts = new CaptureDrafts()
    drafts.close('A', typed('Döwlet', 'a1'), true, false, false)
    drafts.close('A', typed('', 'a2'), false, false, false)
    expect(drafts.take('A', 'a1')?.full_name).toBe('Döwlet')
  })

  it('lets a draft go once the capture that brought it back saves or is cleared and closed', () => {
    const drafts = new CaptureDrafts()
    drafts.close('A', typed('Döwlet'), true, false, false)
    drafts.close('A', typed('Döwlet'), true, true, true)
    expect(drafts.take('A', null)).toBeNull()
    drafts.close('A', typed('Aman'), true, false, false)
    drafts.close('A', typed(''), false, false, true)
    expect(drafts.take('A', null)).toBeNull()
  })
})
