// Two people's notes as a merge keeps them: the engine's rule
// (`contact::add_notes`), so the merge screen shows what will be saved.

/** `theirs` after `mine` on a line of its own, unless one holds the other. */
export function addNotes(mine: string, theirs: string): string {
  const [a, b] = [mine.trim(), theirs.trim()]
  if (b === '' || a.includes(b)) return a
  if (a === '' || b.includes(a)) return b
  return `${a}\n${b}`
}
