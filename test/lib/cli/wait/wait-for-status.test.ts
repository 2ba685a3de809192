import {createFakeClock, installFakeClock, InstalledFakeClock} from './fake-clock.js'
import {strict as assert} from 'node:assert'

import {EscError} from '../../../../src/lib/core/errors.js'
import {waitForStatus, WaitOptions, WaitResult} from '../../../../src/lib/cli/wait/index.js'

type Item = {status: string}

function httpError(status: number): Error {
  return Object.assign(new Error(`HTTP ${status}`), {status})
}

/** A fetch that answers the scripted statuses in turn (an Error entry is thrown), repeating the last. */
function scripted(steps: Array<string | Error>) {
  const calls: number[] = []
  const fetch = async () => {
    calls.push(Date.now())
    const step = steps[Math.min(calls.length - 1, steps.length - 1)]
    if (step instanceof Error) throw step
    return {status: step}
  }
  return {fetch, calls}
}

function options(fetch: WaitOptions<Item>['fetch'], extra: Partial<WaitOptions<Item>> = {}): WaitOptions<Item> {
  return {
    fetch,
    statusOf: (item) => item.status,
    isDone: (item) => item.status === 'available',
    isFailed: (item) => item.status === 'defunct',
    timeoutMs: 60_000,
    pollIntervalMs: 5000,
    ...extra,
  }
}

describe('wait: waitForStatus', () => {
  let clock: InstalledFakeClock

  beforeEach(() => {
    clock = installFakeClock(1_000_000, ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date'])
  })
  afterEach(() => clock.uninstall())

  /** Runs the fake timers to the end. A rejection is held as a settled outcome meanwhile, so it is never unhandled while the timers run. */
  async function run(opts: WaitOptions<Item>): Promise<WaitResult<Item>> {
    const settled = waitForStatus(opts).then(
      (value) => ({value}),
      (error: unknown) => ({error}),
    )
    await clock.runAllAsync()
    const outcome = await settled
    if ('error' in outcome) throw outcome.error
    return outcome.value
  }

  it('polls at once, then early and backing off (0.5s, 1s, 2s), then every interval, until done; reports each status change once', async () => {
    const {fetch, calls} = scripted(['creating', 'creating', 'creating', 'creating', 'creating', 'available'])
    const changes: Array<[string, number]> = []
    const result = await run(options(fetch, {onStatusChange: (status, _v, elapsed) => changes.push([status, elapsed])}))
    assert.equal(result.outcome, 'done')
    assert.deepEqual(result.value, {status: 'available'})
    assert.equal(result.status, 'available')
    assert.equal(result.polls, 6)
    assert.equal(result.elapsedMs, 13_500)
    assert.deepEqual(
      calls.map((t) => t - 1_000_000),
      [0, 500, 1500, 3500, 8500, 13_500],
    )
    assert.deepEqual(changes, [
      ['creating', 0],
      ['available', 13_500],
    ])
  })

  it('sees a quick operation done after half a second, not a full interval', async () => {
    const {fetch} = scripted(['creating', 'available'])
    const result = await run(options(fetch))
    assert.equal(result.outcome, 'done')
    assert.equal(result.elapsedMs, 500)
  })

  it('never waits longer than the poll interval between polls, even early on', async () => {
    const {fetch, calls} = scripted(['creating'])
    await run(options(fetch, {pollIntervalMs: 1000, timeoutMs: 4000}))
    assert.deepEqual(
      calls.map((t) => t - 1_000_000),
      [0, 500, 1500, 2500, 3500, 4000],
    )
  })

  it('ends failed on a failed status', async () => {
    const {fetch} = scripted(['creating', 'defunct'])
    const result = await run(options(fetch))
    assert.equal(result.outcome, 'failed')
    assert.equal(result.status, 'defunct')
  })

  it('times out at the deadline with the last status, polling one last time at the deadline', async () => {
    const {fetch, calls} = scripted(['creating'])
    const result = await run(options(fetch, {timeoutMs: 12_000}))
    assert.equal(result.outcome, 'timeout')
    assert.equal(result.status, 'creating')
    assert.equal(result.elapsedMs, 12_000)
    assert.deepEqual(
      calls.map((t) => t - 1_000_000),
      [0, 500, 1500, 3500, 8500, 12_000],
    )
  })

  it('does not let a hanging poll hold the wait past the deadline', async () => {
    const result = await run(options(() => new Promise<Item>(() => {}), {timeoutMs: 30_000}))
    assert.equal(result.outcome, 'timeout')
    assert.equal(result.value, undefined)
    assert.equal(result.elapsedMs, 30_000)
  })

  it('tolerates 10 failed polls in a row', async () => {
    const errors: number[] = []
    const steps = [...Array.from({length: 10}, () => httpError(503)), 'available']
    const {fetch} = scripted(steps)
    const result = await run(options(fetch, {timeoutMs: 3_600_000, onPollError: (_e, n) => errors.push(n)}))
    assert.equal(result.outcome, 'done')
    assert.deepEqual(errors, [1, 2, 3, 4, 5, 6, 7, 8, 9, 10])
  })

  it('resets the count after a good poll', async () => {
    const steps = [
      ...Array.from({length: 10}, () => new Error('ECONNRESET')),
      'creating',
      ...Array.from({length: 10}, () => new Error('ECONNRESET')),
      'available',
    ]
    const result = await run(options(scripted(steps).fetch, {timeoutMs: 3_600_000}))
    assert.equal(result.outcome, 'done')
  })

  it('gives up on the 11th failed poll in a row with its error', async () => {
    const last = httpError(502)
    const steps = [...Array.from({length: 10}, () => httpError(503)), last]
    const promise = waitForStatus(options(scripted(steps).fetch, {timeoutMs: 3_600_000}))
    const settled = promise.then(
      () => assert.fail('should throw'),
      (error: unknown) => error,
    )
    await clock.runAllAsync()
    assert.equal(await settled, last)
  })

  it('throws a permanent error at once (404, auth)', async () => {
    const gone = httpError(404)
    const {fetch, calls} = scripted([gone])
    await assert.rejects(run(options(fetch)), (error) => error === gone)
    assert.equal(calls.length, 1)
    const auth = new EscError('token refused', {kind: 'auth'})
    await assert.rejects(run(options(scripted([auth]).fetch)), (error) => error === auth)
  })

  it('ends interrupted when the signal aborts during the pause', async () => {
    const controller = new AbortController()
    const {fetch, calls} = scripted(['creating'])
    const promise = waitForStatus(options(fetch, {signal: controller.signal}))
    await clock.tickAsync(7000)
    controller.abort()
    const result = await promise
    assert.equal(result.outcome, 'interrupted')
    assert.equal(result.status, 'creating')
    assert.equal(calls.length, 4)
  })

  it('ends interrupted when the signal aborts during a poll that ignores it', async () => {
    const controller = new AbortController()
    const promise = waitForStatus(options(() => new Promise<Item>(() => {}), {signal: controller.signal}))
    await clock.tickAsync(1000)
    controller.abort()
    assert.equal((await promise).outcome, 'interrupted')
  })

  it('passes its signal to the poll, which may reject with an AbortError', async () => {
    const controller = new AbortController()
    let seen: AbortSignal | undefined
    const fetch = (signal: AbortSignal) =>
      new Promise<Item>((_resolve, reject) => {
        seen = signal
        signal.addEventListener('abort', () => reject(Object.assign(new Error('aborted'), {name: 'AbortError'})))
      })
    const promise = waitForStatus(options(fetch, {signal: controller.signal}))
    await clock.tickAsync(10)
    controller.abort()
    assert.equal((await promise).outcome, 'interrupted')
    assert.equal(seen?.aborted, true)
  })

  it('does not poll at all when already interrupted', async () => {
    const {fetch, calls} = scripted(['creating'])
    const result = await run(options(fetch, {signal: AbortSignal.abort()}))
    assert.equal(result.outcome, 'interrupted')
    assert.equal(calls.length, 0)
  })

  it('uses an injected clock instead of the global timers', async () => {
    const own = createFakeClock(0)
    const injected = {
      now: () => own.now,
      sleep: (ms: number, signal?: AbortSignal) =>
        new Promise<void>((resolve) => {
          const id = own.setTimeout(resolve, ms)
          signal?.addEventListener('abort', () => own.clearTimeout(id))
        }),
    }
    const {fetch} = scripted(['creating', 'creating', 'creating', 'creating', 'available'])
    const promise = waitForStatus(options(fetch, {clock: injected, pollIntervalMs: 2000}))
    await own.runAllAsync()
    const result = await promise
    assert.equal(result.outcome, 'done')
    assert.equal(result.elapsedMs, 5500)
    assert.equal(clock.now, 1_000_000, 'the global fake clock did not move')
  })

  it('works with a virtual clock whose sleep returns at once (no watchdog)', async () => {
    let now = 0
    const slept: number[] = []
    const virtual = {
      now: () => now,
      sleep: async (ms: number) => {
        slept.push(ms)
        now += ms
      },
    }
    const {fetch, calls} = scripted(['creating'])
    const result = await waitForStatus(options(fetch, {clock: virtual, timeoutMs: 12_000}))
    assert.equal(result.outcome, 'timeout')
    assert.equal(result.elapsedMs, 12_000)
    assert.equal(calls.length, 6)
    assert.deepEqual(slept, [500, 1000, 2000, 5000, 3500])
  })

  it('ends interrupted during a poll that ignores the signal, even without a watchdog', async () => {
    const controller = new AbortController()
    const virtual = {now: () => 0, sleep: async () => {}}
    const promise = waitForStatus(options(() => new Promise<Item>(() => {}), {clock: virtual, signal: controller.signal}))
    await clock.tickAsync(1)
    controller.abort()
    assert.equal((await promise).outcome, 'interrupted')
  })
})
