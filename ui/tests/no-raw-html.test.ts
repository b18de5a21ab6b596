// User text reaches the page only as text: no component may insert HTML.
// Svelte escapes `{value}`; `{@html}`, `innerHTML`, `outerHTML`,
// `insertAdjacentHTML` and `document.write` would not, so any use fails here.
import { readdirSync, readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'

const SRC = fileURLToPath(new URL('../src', import.meta.url))
const FORBIDDEN = [/\{@html\b/, /\.innerHTML\b/, /\.outerHTML\s*=/, /insertAdjacentHTML/, /document\.write\(/]

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name: string) => {
    const path = join(dir, name)
    if (statSync(path).isDirectory()) return files(path)
    return /\.(svelte|ts)$/.test(name) && !name.endsWith('.test.ts') && name !== 'bindings.ts' ? [path] : []
  })
}

describe('the UI', () => {
  it('never inserts HTML', () => {
    const sources = files(SRC)
    expect(sources.length).toBeGreaterThan(20)
    const offenders = sources.flatMap((path) => {
      const text = readFileSync(path, 'utf8')
      return FORBIDDEN.filter((re) => re.test(text)).map((re) => `${path}: ${re}`)
    })
    expect(offenders).toEqual([])
  })
})
