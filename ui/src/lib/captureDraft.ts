// What a quick capture closed unsaved held, kept while the app runs (a
// reflex Esc after typing half a capture threw it all away): one per
// mission, each with the meeting it was typed at.

export type DraftFields = Record<string, string> & { meeting_id: string }

export class CaptureDrafts {
  #byMission = new Map<string, DraftFields>()

  /** The draft a capture of `missionId` brings back. Started from a meeting
   * (`meetingId`), not one typed at another meeting: its person would be
   * filed under this one. */
  take(missionId: string, meetingId: string | null): DraftFields | null {
    const draft = this.#byMission.get(missionId)
    if (!draft) return null
    if (meetingId && draft.meeting_id && draft.meeting_id !== meetingId) return null
    return draft
  }

  /** A capture closed: what it holds is kept if anything was typed and it
   * was not saved; else the draft it brought back (`owned`) goes, and a
   * draft it did not bring back (another meeting's) stays. */
  close(missionId: string, fields: DraftFields, typed: boolean, saved: boolean, owned: boolean) {
    if (typed && !saved) this.#byMission.set(missionId, { ...fields })
    else if (owned) this.#byMission.delete(missionId)
  }
}
