// What the web view parses before the first paint: the start page's script
// is one file, in English only, without code the app never calls. Built
// here, by the build the app ships (`vite build`, in its own process: under
// vitest the build would be a development one, chunked differently), into
// a temporary folder, so the test holds whatever the sources become.
import { execFileSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

const ROOT = fileURLToPath(new URL('..', import.meta.url))
let out = ''
let html = ''
let script = ''

beforeAll(() => {
  out = mkdtempSync(join(tmpdir(), 'mission-crm-ui-'))
  const vite = join(ROOT, 'node_modules', 'vite', 'bin', 'vite.js')
  const env = { ...process.env, NODE_ENV: 'production' }
  execFileSync(process.execPath, [vite, 'build', '--logLevel', 'error', '--outDir', out, '--emptyOutDir'], {
    cwd: ROOT,
    env,
    stdio: ['ignore', 'ignore', 'inherit'],
  })
  html = readFileSync(join(out, 'index.html'), 'utf8')
  const src = /<script type="module"[^>]* src="\/([^"]+)"/.exec(html)?.[1]
  if (!src) throw new Error(`index.html has no module script:\n${html}`)
  script = readFileSync(join(out, src), 'utf8')
}, 60_000)

afterAll(() => {
  if (out) rmSync(out, { recursive: true, force: true })
})

describe('the start script', () => {
  it('is one file: no chunk is fetched before it runs', () => {
    expect(html.match(/<script/g)).toHaveLength(1)
    expect(html).not.toContain('modulepreload')
  })

  // Checked as booleans: a failure would otherwise print the whole script.
  it('holds the English catalog only; the others load when chosen', () => {
    expect(script.includes('`Missions`') || script.includes('"Missions"'), 'English is in it').toBe(true)
    expect(script.includes('Миссии'), 'Russian is not').toBe(false)
    expect(script.includes('Миссиялар'), 'Kazakh is not').toBe(false)
  })

  it("leaves out @tauri-apps/api's window API, which the app never calls", () => {
    expect(script.includes('plugin:window|')).toBe(false)
  })
})
