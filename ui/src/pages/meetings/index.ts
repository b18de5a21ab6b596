// The section's screens as one chunk, loaded when the section is first
// opened (App.svelte): not part of what the window evaluates at start.
export { default as list } from './Agenda.svelte'
export { default as view } from './MeetingView.svelte'
export { default as form } from './MeetingForm.svelte'
