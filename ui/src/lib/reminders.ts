// Follow-ups that fell due while the app runs, as the backend announces them
// (it also shows a system notification): a line in the notice, with a link
// to the follow-ups when there are several.
import type { Reminder } from './bindings'
import { t } from './i18n/index.svelte'
import { notice } from './notice.svelte'

export function showReminders(due: Reminder[]) {
  if (due.length === 0) return
  if (due.length === 1) {
    const [r] = due
    notice.show(t(r.overdue ? 'reminder.overdue' : 'reminder.today', { title: r.title }))
  } else {
    notice.show(t('reminder.many', { count: due.length, title: due[0].title }))
  }
}
