import { describe, expect, it, vi } from 'vitest'

vi.stubGlobal('localStorage', { getItem: () => null, setItem: () => {}, removeItem: () => {} })
vi.mock('./api', () => ({ api: {}, toAppError: (e: unknown) => e }))
// Outside a component no effect runs: the test calls `reload` where a
// write would have.
const { paged, KEEP_ROWS } = await import('./paged.svelte')

type Cursor = { key: string; id: string }
type Answer = { items: number[]; next: Cursor | null }

// Each fetch waits until the test answers it.
const asked: Array<{ after: Cursor | null; answer: (a: Answer) => void }> = []
const fetch = (after: Cursor | null) =>
  new Promise<Answer>((answer) => {
    asked.push({ after, answer })
  })
const cursor = (n: number): Cursor => ({ key: String(n), id: String(n) })
const page = (from: number, shift = 0): Answer => ({
  items: Array.from({ length: 100 }, (_, i) => from + i + shift),
  next: cursor(from + 99),
})
const settled = () => new Promise((resolve) => setTimeout(resolve, 0))

/** A list with rows 1..`rows` loaded, a page at a time. */
async function loaded(rows: number) {
  asked.length = 0
  const list = paged<number>(fetch as never)
  list.reload()
  asked.shift()?.answer(page(1))
  await settled()
  for (let from = 101; from <= rows; from += 100) {
    const more = list.more()
    asked.shift()?.answer(page(from))
    await more
  }
  return list
}

describe('paged', () => {
  it('asks for no next page after a reload until its first page is in', async () => {
    // Scrolled far down: rows 1..5000 loaded.
    const list = await loaded(5000)
    expect(list.rows.length).toBe(5000)

    // A write: the list reloads from its top, and the scroll asks for
    // more before the first page is in. A page after row 5000 appended to
    // rows 1..100 would skip the rows between.
    list.reload()
    expect(asked.map((a) => a.after)).toEqual([null])
    void list.more()
    expect(asked.length).toBe(1)

    asked.shift()?.answer(page(1))
    await settled()
    expect(list.rows).toEqual(page(1).items)
    void list.more()
    expect(asked.map((a) => a.after)).toEqual([cursor(100)])
  })

  it('keeps the place after a write: as many rows read again, shown at once', async () => {
    const list = await loaded(300)
    const generation = list.generation
    expect(list.rows.length).toBe(300)

    // A write (row 1 gone, say): three pages read again from the top, one
    // after the other; the old rows stay shown meanwhile and no next page
    // is asked for.
    list.reload(true)
    expect(asked.map((a) => a.after)).toEqual([null])
    asked.shift()?.answer(page(1, 1))
    await settled()
    void list.more()
    expect(asked.map((a) => a.after)).toEqual([cursor(100)])
    expect(list.rows[0]).toBe(1)
    asked.shift()?.answer(page(101, 1))
    await settled()
    expect(asked.map((a) => a.after)).toEqual([cursor(200)])
    asked.shift()?.answer(page(201, 1))
    await settled()
    expect(asked).toEqual([])
    expect(list.rows.length).toBe(300)
    expect(list.rows[0]).toBe(2)
    expect(list.generation).toBe(generation)

    // Scrolled past what a write reads again: back to the top, a new list.
    for (let from = 301; from <= KEEP_ROWS; from += 100) {
      const more = list.more()
      asked.shift()?.answer(page(from))
      await more
    }
    expect(list.rows.length).toBe(KEEP_ROWS)
    const more = list.more()
    asked.shift()?.answer(page(KEEP_ROWS + 1))
    await more
    list.reload(true)
    asked.shift()?.answer(page(1))
    await settled()
    expect(asked).toEqual([])
    expect(list.rows.length).toBe(100)
    expect(list.generation).not.toBe(generation)
  })

  it('reads a list being replaced fresh when a write comes before it', async () => {
    const list = await loaded(300)
    const generation = list.generation
    // Another order asked for; a write lands before its first page.
    list.reload()
    list.reload(true)
    expect(asked.map((a) => a.after)).toEqual([null, null])
    asked.shift()?.answer(page(1))
    asked.shift()?.answer(page(1001))
    await settled()
    // Only the first page of the new order: not three, and a new list
    // (its scroll back to the top).
    expect(asked).toEqual([])
    expect(list.rows[0]).toBe(1001)
    expect(list.rows.length).toBe(100)
    expect(list.generation).not.toBe(generation)
  })
})
