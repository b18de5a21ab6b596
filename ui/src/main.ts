import './styles/fonts.css'
import './styles/app.css'
import { mount } from 'svelte'
import App from './App.svelte'

// For the benchmark's breakdown of the start (see ui/src/lib/marks.ts):
// imports run first, so this is when every module has been evaluated.
performance.mark('modules-evaluated')

const target = document.getElementById('app')
if (!target) throw new Error('index.html has no #app element')

const app = mount(App, { target })
performance.mark('app-mounted')
export default app
