import './styles/fonts.css'
import './styles/app.css'
import { mount } from 'svelte'
import App from './App.svelte'
import { startLocale } from './lib/i18n/index.svelte'

// For the benchmark's breakdown of the start (see ui/src/lib/marks.ts):
// imports run first, so this is when every module has been evaluated.
performance.mark('modules-evaluated')

const target = document.getElementById('app')
if (!target) throw new Error('index.html has no #app element')

// Mounted at once in English; else after the chosen language's catalog.
void startLocale().then(() => {
  mount(App, { target })
  performance.mark('app-mounted')
})
