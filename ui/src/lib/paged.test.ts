import { describe, expect, it, vi } from 'vitest'

vi.stubGlobal('localStorage', { getItem: () => null, setItem: () => {}, removeItem: () => {} })
vi.mock('./api', () => ({ api: {}, toAppError: (e: unknown) => e }))
// Outside a component no effect runs: the test calls `reload` where a
// write would have.
const { paged, KEEP_ROWS, PAGE } = await import('./paged.svelte')

type Cursor = { key: string; id: string }
type Answer = { items: number[]; next: Cursor | null }

// Each fetch waits until the test answers it.
const asked: Array<{ after: Cursor | null; limit: number; answer: (a: Answer) => void; fail: (e: unknown) => void }> = []
const fetch = (after: Cursor | null, limit: number) =>
  new Promise<Answer>((answer, fail) => {
    asked.push({ after, limit, answer, fail })
  })
const cursor = (n: number): Cursor => ({ key: String(n), id: String(n) })
const page = (from: number, shift = 0, length = 100): Answer => ({
  items: Array.from({ length }, (_, i) => from + i + shift),
  next: cursor(from + length - 1),
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

    // Another order: the list reads its top, and the scroll asks for more
    // before the first page is in. A page after row 5000 appended to rows
    // 1..100 would skip the rows between.
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

  it('keeps the place after a write: the rows loaded read again at once', async () => {
    const list = await loaded(300)
    const generation = list.generation

    // A write (row 1 gone, say): the 300 rows read again in one read, the
    // old ones shown meanwhile, no next page asked for.
    list.refresh()
    expect(asked.map((a) => [a.after, a.limit])).toEqual([[null, 300]])
    void list.more()
    expect(asked.length).toBe(1)
    expect(list.rows[0]).toBe(1)
    asked.shift()?.answer(page(1, 1, 300))
    await settled()
    expect(list.rows.length).toBe(300)
    expect(list.rows[0]).toBe(2)
    expect(list.generation).toBe(generation)

    // Writes while it reads (an import beside the window): one more read
    // after it, not one each, and none abandoned.
    list.refresh()
    list.refresh()
    list.refresh()
    expect(asked.length).toBe(1)
    asked.shift()?.answer(page(1, 2, 300))
    await settled()
    expect(asked.map((a) => a.limit)).toEqual([300])
    asked.shift()?.answer(page(1, 3, 300))
    await settled()
    expect(asked).toEqual([])
    expect(list.rows[0]).toBe(4)

    // A read that fails keeps the rows and the place.
    list.refresh()
    asked.shift()?.fail(new Error('busy'))
    await settled()
    expect(list.rows[0]).toBe(4)
    expect(list.error).toBeNull()
    expect(list.generation).toBe(generation)
  })

  it('starts at the top after a write when scrolled past what one read brings', async () => {
    const list = await loaded(KEEP_ROWS + PAGE)
    const generation = list.generation
    list.refresh()
    expect(asked.map((a) => [a.after, a.limit])).toEqual([[null, PAGE]])
    asked.shift()?.answer(page(1))
    await settled()
    expect(list.rows.length).toBe(PAGE)
    expect(list.generation).not.toBe(generation)
  })

  it('reads a new list fresh when a write comes before its first page', async () => {
    const list = await loaded(300)
    const generation = list.generation
    // Another order asked for; a write lands before its first page.
    list.reload()
    list.refresh()
    expect(asked.map((a) => a.after)).toEqual([null])
    asked.shift()?.answer(page(1001))
    await settled()
    // Then the new list's first page is read again, not the old list's 300.
    expect(asked.map((a) => [a.after, a.limit])).toEqual([[null, PAGE]])
    asked.shift()?.answer(page(1001))
    await settled()
    expect(list.rows.length).toBe(100)
    expect(list.rows[0]).toBe(1001)
    expect(list.generation).not.toBe(generation)
  })
})
