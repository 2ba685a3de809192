import {strict as assert} from 'node:assert'

import {ADVICE_TEXT, describeError, EXIT_CODE_BY_KIND, exitCodeOf, ExitCode} from '../../../src/lib/cli/error-exit.js'
import {AbortError, ERROR_ADVICE, ERROR_KINDS, EscError, UsageError} from '../../../src/lib/core/errors.js'

const DOCUMENTED = new Set<number>(Object.values(ExitCode))

describe('error-exit', () => {
  it('gives every kind a documented exit code', () => {
    for (const kind of ERROR_KINDS) {
      assert.ok(DOCUMENTED.has(EXIT_CODE_BY_KIND[kind]), `${kind} → ${EXIT_CODE_BY_KIND[kind]}`)
      assert.equal(exitCodeOf(new EscError('x', {kind})), EXIT_CODE_BY_KIND[kind])
    }
    assert.deepEqual(Object.keys(EXIT_CODE_BY_KIND).sort(), [...ERROR_KINDS].sort())
  })

  it('keeps the exit codes the README documents', () => {
    assert.equal(exitCodeOf(new EscError('x')), 1)
    assert.equal(exitCodeOf(new UsageError('x')), 2)
    assert.equal(exitCodeOf(new EscError('x', {kind: 'auth'})), 3)
    assert.equal(exitCodeOf(new EscError('x', {kind: 'timeout'})), 4)
    assert.equal(exitCodeOf(new EscError('x', {kind: 'failed-state'})), 5)
    assert.equal(exitCodeOf(new EscError('x', {kind: 'damaged-file'})), 5)
    assert.equal(exitCodeOf(new EscError('x', {kind: 'unsound-backup'})), 5)
    assert.equal(exitCodeOf(new EscError('x', {kind: 'disk-full'})), 1)
    assert.equal(exitCodeOf(new AbortError()), 130)
    assert.equal(exitCodeOf(new Error('not ours')), 1)
  })

  it('words every advice with the flag a person passes', () => {
    for (const advice of ERROR_ADVICE) assert.match(ADVICE_TEXT[advice].text, /--[a-z]/, advice)
  })

  it('puts inline advice at the end of the error line, other advice on the first suggestion line', () => {
    assert.deepEqual(describeError(new UsageError('/x is not empty', {hint: {advice: 'force'}})), {
      message: '/x is not empty; restore onto an empty directory or pass --force to move the current contents aside',
      suggestions: [],
    })
    assert.deepEqual(
      describeError(new EscError('hot copy is not safe', {kind: 'unsafe-source', hint: {advice: 'offline'}, suggestions: ['more']})),
      {
        message: 'hot copy is not safe',
        suggestions: ['Stop the node (POST /admin/shutdown) and run again with --offline, or use volume snapshots.', 'more'],
      },
    )
    assert.deepEqual(describeError(new EscError('plain', {suggestions: ['s']})), {message: 'plain', suggestions: ['s']})
  })
})
