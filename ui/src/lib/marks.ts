// Moments of the page's life as User Timing marks (`performance.mark`),
// which the benchmark (`make bench`) reads through WebDriver: the page
// measures itself, with no polling from outside and nothing to pay when
// nobody reads them.

/**
 * Marks `name` after the frame now being prepared has been painted, once
 * until the marks are cleared: the second frame callback runs only after
 * the first frame went to the screen.
 */
export function markPainted(name: string) {
  if (performance.getEntriesByName(name, 'mark').length > 0) return
  requestAnimationFrame(() =>
    requestAnimationFrame(() => {
      if (performance.getEntriesByName(name, 'mark').length === 0) performance.mark(name)
    }),
  )
}
