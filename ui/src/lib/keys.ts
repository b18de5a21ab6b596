// Which key a keyboard event names, whatever the layout.

/** The Latin letter a shortcut's key stands for. With a Russian or Kazakh
 * layout on (as after typing a Cyrillic name) the N key reads 'т': the key's
 * place on the keyboard (`KeyN`) names it then. A Latin layout's own letter
 * wins, so Ctrl+Z stays where an AZERTY keyboard has Z. */
export function shortcutLetter(key: string, code: string): string {
  const letter = key.toLowerCase()
  if (/^[a-z]$/.test(letter)) return letter
  const place = /^Key([A-Z])$/.exec(code)
  return place ? place[1].toLowerCase() : letter
}
