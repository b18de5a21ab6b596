// One write per button at a time: a second click while the first one's
// write is in flight does nothing. A double-clicked Delete trashed the
// record, then failed ("does not exist") and replaced the notice's Undo
// with that error; a double-clicked "Mark done" wrote twice, so the first
// Ctrl+Z seemed to do nothing.
const running = new Set<string>()

/** Runs `work` unless work under the same `key` is still running (then undefined). */
export async function once<T>(key: string, work: () => Promise<T>): Promise<T | undefined> {
  if (running.has(key)) return undefined
  running.add(key)
  try {
    return await work()
  } finally {
    running.delete(key)
  }
}
