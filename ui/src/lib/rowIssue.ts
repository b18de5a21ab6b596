// An import row's problem in the interface's language. The engine sends
// what the problem is and the value at fault (`RowIssue`); problems kept
// with imports made before it did have only the English `reason`.
import type { RowProblem } from './bindings'
import { t } from './i18n/index.svelte'

export function rowIssueText(p: RowProblem): string {
  const issue = p.issue
  if (!issue) return p.reason
  switch (issue.kind) {
    case 'no_name':
      return t('import.issue.noName')
    case 'bad_email':
      return t('import.issue.badEmail', { value: issue.value })
    case 'bad_phone':
      return t(issue.needs_country ? 'import.issue.phoneNeedsCountry' : 'import.issue.badPhone', { value: issue.value })
    case 'known':
      return t('import.issue.known', { name: issue.name, why: t(`duplicates.reason.${issue.by}`) })
    case 'namesakes':
      return t('import.issue.namesakes', { name: issue.name })
  }
}
