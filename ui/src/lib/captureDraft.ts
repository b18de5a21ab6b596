// What a quick capture closed unsaved held, kept while the app runs (a
// reflex Esc after typing half a capture threw it all away): one per
// mission and meeting, so a capture at one meeting neither brings back nor
// overwrites one typed at another.

export type DraftFields = Record<string, string> & { meeting_id: string }

/** A draft brought back, and where it is kept (for closing). */
export interface Draft {
  key: string
  fields: DraftFields
}

const keyOf = (missionId: string, meetingId: string) => `${missionId}\u0000${meetingId}`

export class CaptureDrafts {
  #kept = new Map<string, { fields: DraftFields; at: number }>()
  #count = 0

  /** The draft a capture of `missionId` brings back. Started from a meeting
   * (`meetingId`): the one typed there, else one typed at no meeting (not
   * one of another meeting: its person would be filed under this one).
   * Started from nowhere (Ctrl+N): the mission's newest. */
  take(missionId: string, meetingId: string | null): Draft | null {
    const found = (key: string) => {
      const kept = this.#kept.get(key)
      return kept ? { key, fields: kept.fields } : null
    }
    if (meetingId) return found(keyOf(missionId, meetingId)) ?? found(keyOf(missionId, ''))
    let newest: Draft | null = null
    let at = -1
    for (const [key, kept] of this.#kept) {
      if (key.startsWith(keyOf(missionId, '')) && kept.at > at) {
        newest = { key, fields: kept.fields }
        at = kept.at
      }
    }
    return newest
  }

  /** A capture closed: what it holds is kept, under the meeting now chosen,
   * if anything was typed and it was not saved; the draft it brought back
   * (`owned`) goes either way, and no other. */
  close(missionId: string, fields: DraftFields, typed: boolean, saved: boolean, owned: string | null) {
    if (owned) this.#kept.delete(owned)
    if (typed && !saved) this.#kept.set(keyOf(missionId, fields.meeting_id), { fields: { ...fields }, at: ++this.#count })
  }
}
