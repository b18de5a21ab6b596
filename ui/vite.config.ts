/// <reference types="vitest/config" />
import { defineConfig } from 'vite'
import { svelte } from '@sveltejs/vite-plugin-svelte'

// The web view loads only what this build bundles: no CDN, no remote fonts.
export default defineConfig({
  plugins: [svelte()],
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
  },
  test: {
    include: ['src/**/*.test.ts', 'tests/**/*.test.ts'],
    environment: 'node',
  },
})
