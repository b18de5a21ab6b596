import { afterEach, describe, expect, it } from 'vitest'
import type { RowProblem } from './bindings'
import { setLocale } from './i18n/index.svelte'
import { rowIssueText } from './rowIssue'

const problem = (issue: RowProblem['issue'], reason = 'English reason'): RowProblem => ({
  line: 2,
  name: 'Tom',
  reason,
  issue,
  skipped: false,
})

describe('rowIssueText', () => {
  afterEach(async () => {
    await setLocale('en')
  })

  it('words each issue in the language in use, with the value at fault', async () => {
    await setLocale('ru')
    expect(rowIssueText(problem({ kind: 'no_name' }))).toBe('нет имени')
    expect(rowIssueText(problem({ kind: 'bad_email', value: 'x@' }))).toContain('x@')
    expect(rowIssueText(problem({ kind: 'bad_email', value: 'x@' }))).not.toContain('English')
    expect(rowIssueText(problem({ kind: 'known', name: 'Мерген', by: 'phone' }))).toBe(
      'уже есть в адресной книге: Мерген (совпадает телефон)',
    )
    expect(rowIssueText(problem({ kind: 'namesakes', name: 'Мерген Атаев' }))).toBe(
      'не обновлено: в адресной книге несколько человек с именем Мерген Атаев, и неясно, кто из них',
    )
    expect(rowIssueText(problem({ kind: 'bad_phone', value: '8 701', needs_country: true }))).not.toBe(
      rowIssueText(problem({ kind: 'bad_phone', value: '8 701', needs_country: false })),
    )
  })

  it('falls back to the English reason a problem kept before issues had', () => {
    expect(rowIssueText(problem(undefined, 'left out: "x" is not an e-mail address'))).toBe(
      'left out: "x" is not an e-mail address',
    )
    expect(rowIssueText(problem(null))).toBe('English reason')
  })
})
