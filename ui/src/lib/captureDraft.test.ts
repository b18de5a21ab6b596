import { describe, expect, it } from 'vitest'
import { CaptureDrafts, type DraftFields } from './captureDraft'

const typed = (name: string, meeting = ''): DraftFields => ({ full_name: name, meeting_id: meeting })

describe('CaptureDrafts', () => {
  it('brings a draft back in its mission only', () => {
    const drafts = new CaptureDrafts()
    drafts.close('A', typed('Döwlet', 'a1'), true, false, null)
    expect(drafts.take('A', null)?.fields.full_name).toBe('Döwlet')
    expect(drafts.take('B', null)).toBeNull()
  })

  it('does not bring a draft typed at one meeting into a capture at another', () => {
    const drafts = new CaptureDrafts()
    drafts.close('A', typed('Döwlet', 'a1'), true, false, null)
    expect(drafts.take('A', 'a2')).toBeNull()
    expect(drafts.take('A', 'a1')?.fields.full_name).toBe('Döwlet')
    // One typed at no meeting may go to any.
    drafts.close('A', typed('Aman'), true, false, null)
    expect(drafts.take('A', 'a2')?.fields.full_name).toBe('Aman')
  })

  it("keeps one mission's draft when a capture of another closes empty or saves", () => {
    const drafts = new CaptureDrafts()
    drafts.close('A', typed('Döwlet'), true, false, null)
    drafts.close('B', typed(''), false, false, null)
    drafts.close('B', typed('Saved'), true, true, null)
    expect(drafts.take('A', null)?.fields.full_name).toBe('Döwlet')
  })

  it("keeps a draft through a capture at another meeting, typed in or not", () => {
    const drafts = new CaptureDrafts()
    drafts.close('A', typed('Döwlet', 'a1'), true, false, null)
    drafts.close('A', typed('', 'a2'), false, false, null)
    drafts.close('A', typed('Jeren', 'a2'), true, false, null)
    expect(drafts.take('A', 'a1')?.fields.full_name).toBe('Döwlet')
    expect(drafts.take('A', 'a2')?.fields.full_name).toBe('Jeren')
    // Ctrl+N from nowhere brings the newest.
    expect(drafts.take('A', null)?.fields.full_name).toBe('Jeren')
  })

  it('lets a draft go once the capture that brought it back saves or is cleared and closed', () => {
    const drafts = new CaptureDrafts()
    drafts.close('A', typed('Döwlet'), true, false, null)
    const back = drafts.take('A', null)
    drafts.close('A', typed('Döwlet'), true, true, back?.key ?? null)
    expect(drafts.take('A', null)).toBeNull()
    drafts.close('A', typed('Aman'), true, false, null)
    drafts.close('A', typed(''), false, false, drafts.take('A', null)?.key ?? null)
    expect(drafts.take('A', null)).toBeNull()
  })

  it('keeps a draft when another, typed elsewhere, is moved to its meeting', () => {
    const drafts = new CaptureDrafts()
    drafts.close('A', typed('Döwlet', 'a1'), true, false, null)
    // Ctrl+N, the meeting changed to a1, something else typed, Esc.
    drafts.close('A', typed('Jeren', 'a1'), true, false, null)
    expect(drafts.take('A', 'a1')?.fields.full_name).toBe('Jeren')
    drafts.close('A', typed('Jeren', 'a1'), true, true, drafts.take('A', 'a1')?.key ?? null)
    expect(drafts.take('A', 'a1')?.fields.full_name).toBe('Döwlet')
  })

  it('moves a draft brought back to the meeting chosen when it is closed again', () => {
    const drafts = new CaptureDrafts()
    drafts.close('A', typed('Aman'), true, false, null)
    const back = drafts.take('A', 'a2')
    drafts.close('A', typed('Aman Orazow', 'a2'), true, false, back?.key ?? null)
    expect(drafts.take('A', 'a2')?.fields.full_name).toBe('Aman Orazow')
    expect(drafts.take('A', 'a3')).toBeNull()
  })
})
