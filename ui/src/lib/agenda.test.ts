import { describe, expect, it } from 'vitest'
import type { AgendaEntry } from './bindings'
import { agendaLines, lineKey } from './agenda'

const meeting = (id: string, startsLocal: string): AgendaEntry => ({
  id,
  kind: 'meeting',
  title: id,
  starts_local: startsLocal,
  ends_local: startsLocal,
  time_zone: 'Asia/Ashgabat',
  place: '',
  outcomes: '',
})

describe('the agenda', () => {
  it('heads each day, and keys every line apart when a day comes back', () => {
    // In time order across two zones: late on the 2nd in Almaty is already
    // the 3rd, and a meeting after it is back on the 2nd in Ashgabat's time.
    const lines = agendaLines([
      meeting('a', '2023-10-02T10:00'),
      meeting('b', '2023-10-03T00:30'),
      meeting('c', '2023-10-02T23:00'),
    ])
    expect(lines.map((l) => l.day ?? l.meeting?.id)).toEqual(['2023-10-02', 'a', '2023-10-03', 'b', '2023-10-02', 'c'])
    const keys = lines.map(lineKey)
    expect(new Set(keys).size).toBe(keys.length)
  })
})
