import {strict as assert} from 'node:assert'
import {EventEmitter} from 'node:events'

import {exitCodeOf, ExitCode} from '../../../../src/lib/cli/error-exit.js'
import {httpStatusOf, isTransientError, waitOutcomeError, withInterrupt} from '../../../../src/lib/cli/wait/index.js'
import {EscError} from '../../../../src/lib/core/errors.js'

const target = {label: 'backup b1', reattach: 'esc mesdb backups wait -i b1', timeoutMs: 3_600_000}
const base = {elapsedMs: 1, polls: 1}

describe('wait: outcomes', () => {
  it('succeeds when done', () => {
    assert.equal(waitOutcomeError({...base, outcome: 'done', status: 'available'}, target), undefined)
  })

  it('exits 5 with status and details when failed', () => {
    const error = waitOutcomeError({...base, outcome: 'failed', status: 'defunct'}, {...target, details: 'snapshot timed out'})
    assert.equal(exitCodeOf(error), ExitCode.FailedState)
    assert.equal(error?.message, "The backup b1 ended with status 'defunct': snapshot timed out")
  })

  it('exits 4 on timeout with the last status and the re-attach command', () => {
    const error = waitOutcomeError({...base, outcome: 'timeout', status: 'creating'}, target)
    assert.equal(exitCodeOf(error), ExitCode.Timeout)
    assert.equal(error?.message, "Timed out after 1h 00m waiting for the backup b1 (last status: 'creating'); it continues in the cloud")
    assert.deepEqual(error?.suggestions, ['Re-attach with: esc mesdb backups wait -i b1'])
  })

  it('exits 130 when interrupted and says the operation continues', () => {
    const error = waitOutcomeError({...base, outcome: 'interrupted'}, target)
    assert.equal(exitCodeOf(error), ExitCode.Interrupted)
    assert.match(error!.message, /continues in the cloud$/)
    assert.deepEqual(error?.suggestions, ['Re-attach with: esc mesdb backups wait -i b1'])
  })
})

describe('wait: transient errors', () => {
  it('finds the HTTP status in the usual error shapes', () => {
    assert.equal(httpStatusOf({status: 404}), 404)
    assert.equal(httpStatusOf({statusCode: 503}), 503)
    assert.equal(httpStatusOf({response: {statusCode: 423}}), 423)
    assert.equal(httpStatusOf(new Error('x', {cause: {status: 409}})), 409)
    assert.equal(httpStatusOf(new Error('ECONNREFUSED')), undefined)
    assert.equal(httpStatusOf('nope'), undefined)
  })

  it('retries network errors, 5xx, 408, 409, 423, 429 only', () => {
    for (const status of [500, 502, 503, 408, 409, 423, 429]) assert.equal(isTransientError({status}), true, String(status))
    for (const status of [400, 401, 403, 404, 422]) assert.equal(isTransientError({status}), false, String(status))
    assert.equal(isTransientError(new Error('socket hang up')), true)
    assert.equal(isTransientError(new EscError('no token', {kind: 'auth'})), false)
  })
})

describe('wait: withInterrupt', () => {
  it('aborts the signal on SIGINT and removes its handler afterwards', async () => {
    const proc = new EventEmitter()
    const aborted = await withInterrupt(async (signal) => {
      proc.emit('SIGINT')
      return signal.aborted
    }, proc)
    assert.equal(aborted, true)
    assert.equal(proc.listenerCount('SIGINT'), 0)
  })

  it('aborts the signal on SIGTERM too (how CI systems cancel a job)', async () => {
    const proc = new EventEmitter()
    const aborted = await withInterrupt(async (signal) => {
      proc.emit('SIGTERM')
      return signal.aborted
    }, proc)
    assert.equal(aborted, true)
    assert.equal(proc.listenerCount('SIGTERM'), 0)
  })

  it('removes its handlers when the body throws', async () => {
    const proc = new EventEmitter()
    await assert.rejects(
      withInterrupt(async () => {
        throw new Error('boom')
      }, proc),
      /boom/,
    )
    assert.equal(proc.listenerCount('SIGINT'), 0)
    assert.equal(proc.listenerCount('SIGTERM'), 0)
  })
})
