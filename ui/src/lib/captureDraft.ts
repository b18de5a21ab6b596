// What a quick capture closed unsaved held, kept while the app runs (a
// reflex Esc after typing half a capture threw it all away): each with its
// mission and meeting, so a capture at one meeting neither brings back nor
// overwrites one typed at another.

export type DraftFields = Record<string, string> & { meeting_id: string }

/** A draft brought back, and where it is kept (for closing). */
export interface Draft {
  key: number
  fields: DraftFields
}

interface Kept {
  missionId: string
  fields: DraftFields
}

export class CaptureDrafts {
  /** By when each was kept: a higher key is newer. */
  #kept = new Map<number, Kept>()
  #count = 0

  /** The draft a capture of `missionId` brings back: started from a
   * meeting (`meetingId`), the newest typed there, else one typed at no
   * meeting (not one of another meeting: its person would be filed under
   * this one); started from nowhere (Ctrl+N), the mission's newest. */
  take(missionId: string, meetingId: string | null): Draft | null {
    const newest = (at: (meeting: string) => boolean): Draft | null => {
      let found: Draft | null = null
      for (const [key, kept] of this.#kept) {
        if (kept.missionId === missionId && at(kept.fields.meeting_id)) found = { key, fields: kept.fields }
      }
      return found
    }
    if (!meetingId) return newest(() => true)
    return newest((m) => m === meetingId) ?? newest((m) => m === '')
  }

  /** A capture closed: the draft it brought back (`owned`) goes, and what
   * it holds is kept as a draft of its own if anything was typed and it was
   * not saved. No other draft is touched. */
  close(missionId: string, fields: DraftFields, typed: boolean, saved: boolean, owned: number | null) {
    if (owned !== null) this.#kept.delete(owned)
    if (typed && !saved) this.#kept.set(++this.#count, { missionId, fields: { ...fields } })
  }
}
