// The agenda as lines of one list: each day's heading before its first
// meeting, then the meetings, each line with a key of its own.
import type { AgendaEntry } from './bindings'

/** A day's heading, keyed by the meeting it heads (meetings typed in two
 * zones can bring a day back after another), or a meeting. */
export type AgendaLine = { day: string; first: string; meeting?: undefined } | { day?: undefined; meeting: AgendaEntry }

/** The meetings (in order of start) with a heading before each day's first. */
export function agendaLines(meetings: AgendaEntry[]): AgendaLine[] {
  const lines: AgendaLine[] = []
  let day = ''
  for (const meeting of meetings) {
    const starts = meeting.starts_local.slice(0, 10)
    if (starts !== day) {
      day = starts
      lines.push({ day, first: meeting.id })
    }
    lines.push({ meeting })
  }
  return lines
}

export function lineKey(line: AgendaLine): string {
  return line.meeting ? line.meeting.id : `day:${line.first}`
}
