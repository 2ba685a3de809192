import {installFakeClock, InstalledFakeClock} from './fake-clock.js'
import {strict as assert} from 'node:assert'

import {EscError} from '../../../../src/lib/core/errors.js'
import {exitCodeOf, ExitCode} from '../../../../src/lib/cli/error-exit.js'
import {isClusterLockedError, retryOnLock} from '../../../../src/lib/cli/wait/index.js'

const locked = (status = 423) => Object.assign(new Error('Cluster is locked'), {status})

describe('wait: retryOnLock', () => {
  let clock: InstalledFakeClock

  beforeEach(() => {
    clock = installFakeClock(0, ['setTimeout', 'clearTimeout', 'Date'])
  })
  afterEach(() => clock.uninstall())

  function attempts(outcomes: Array<Error | string>) {
    const times: number[] = []
    const attempt = async () => {
      times.push(Date.now())
      const next = outcomes[Math.min(times.length - 1, outcomes.length - 1)]
      if (next instanceof Error) throw next
      return next
    }
    return {attempt, times}
  }

  it('recognizes 409 and 423 as a locked cluster', () => {
    assert.equal(isClusterLockedError(locked(409)), true)
    assert.equal(isClusterLockedError(locked(423)), true)
    assert.equal(isClusterLockedError({response: {statusCode: 423}}), true)
    assert.equal(isClusterLockedError(locked(400)), false)
    assert.equal(isClusterLockedError(new Error('boom')), false)
  })

  it('retries with doubling delays until the lock is released', async () => {
    const {attempt, times} = attempts([locked(), locked(409), locked(), 'c1ev3l5o0aeu6ojco7b0'])
    const retries: Array<[number, number]> = []
    const promise = retryOnLock(attempt, {timeoutMs: 600_000, onRetry: (_e, n, delay) => retries.push([n, delay])})
    await clock.runAllAsync()
    assert.equal(await promise, 'c1ev3l5o0aeu6ojco7b0')
    assert.deepEqual(times, [0, 2000, 6000, 14_000])
    assert.deepEqual(retries, [
      [1, 2000],
      [2, 4000],
      [3, 8000],
    ])
  })

  it('caps the delay', async () => {
    const outcomes = [...Array.from({length: 7}, () => locked()), 'ok']
    const {attempt, times} = attempts(outcomes)
    const promise = retryOnLock(attempt, {timeoutMs: 3_600_000, maxDelayMs: 10_000})
    await clock.runAllAsync()
    await promise
    const gaps = times.slice(1).map((t, i) => t - times[i])
    assert.deepEqual(gaps, [2000, 4000, 8000, 10_000, 10_000, 10_000, 10_000])
  })

  it('throws other errors at once', async () => {
    const boom = Object.assign(new Error('bad request'), {status: 400})
    const {attempt, times} = attempts([boom])
    await assert.rejects(retryOnLock(attempt, {timeoutMs: 60_000}), (error) => error === boom)
    assert.equal(times.length, 1)
  })

  it('gives up with exit 4 once the timeout has passed', async () => {
    const {attempt, times} = attempts([locked()])
    const promise = retryOnLock(attempt, {timeoutMs: 10_000, what: 'backup'})
    const settled = promise.catch((error: unknown) => error)
    await clock.runAllAsync()
    const error = await settled
    assert.ok(error instanceof EscError)
    assert.equal(exitCodeOf(error), ExitCode.Timeout)
    assert.match(error.message, /^The cluster was still locked by another operation after 10s \(4 attempts\); the backup was not started$/)
    assert.deepEqual(times, [0, 2000, 6000, 10_000])
  })

  it('stops with exit 130 when interrupted', async () => {
    const controller = new AbortController()
    const {attempt} = attempts([locked()])
    const settled = retryOnLock(attempt, {timeoutMs: 60_000, signal: controller.signal}).catch((error: unknown) => error)
    await clock.tickAsync(500)
    controller.abort()
    const error = await settled
    assert.ok(error instanceof EscError)
    assert.equal(exitCodeOf(error), ExitCode.Interrupted)
  })
})
