/// <reference types="vitest/config" />
import { defineConfig, type Plugin } from 'vite'
import { svelte } from '@sveltejs/vite-plugin-svelte'

// The start page's font files (Latin, both weights) are asked for by the
// HTML itself, beside the script: otherwise WebKit finds them only when it
// first lays text out, after the app has mounted, and the first frame
// waits for them (~25–50 ms of the start, docs/BENCHMARKS.md). Other
// scripts' faces load later (App.svelte).
function preloadStartFonts(): Plugin {
  let base = '/'
  return {
    name: 'preload-start-fonts',
    apply: 'build',
    configResolved(config) {
      base = config.base
    },
    transformIndexHtml: {
      order: 'post',
      handler(_html, ctx) {
        const fonts = Object.keys(ctx.bundle ?? {}).filter((f) => /noto-sans-latin-\d+-normal-.*\.woff2$/.test(f))
        return fonts.map((f) => ({
          tag: 'link',
          attrs: { rel: 'preload', href: `${base}${f}`, as: 'font', type: 'font/woff2', crossorigin: '' },
          injectTo: 'head' as const,
        }))
      },
    },
  }
}

// The web view loads only what this build bundles: no CDN, no remote fonts.
export default defineConfig({
  plugins: [svelte(), preloadStartFonts()],
  clearScreen: false,
  server: {
    port: 5173,
    strictPort: true,
    // Fonts live in ../assets (shared with the report generator later).
    fs: { allow: ['..'] },
  },
  build: {
    target: 'safari15',
    // Inline assets would need `data:` for fonts in the CSP; keep them files.
    assetsInlineLimit: 0,
    rolldownOptions: {
      treeshake: {
        // The generated bindings import a type from @tauri-apps/api's window
        // modules, which leaves a bare import behind: ~17 KB of window API
        // the app never calls, parsed before the first paint. The package's
        // modules only define functions and classes.
        moduleSideEffects: [{ test: /node_modules[\\/]@tauri-apps[\\/]api[\\/]/, sideEffects: false }],
      },
    },
  },
  test: {
    include: ['src/**/*.test.ts', 'tests/**/*.test.ts'],
    environment: 'node',
  },
})
