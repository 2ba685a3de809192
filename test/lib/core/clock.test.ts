import {strict as assert} from 'node:assert'

import {isAbortError, sleep, systemClock} from '../../../src/lib/cli/wait/index.js'
import {installFakeClock, InstalledFakeClock} from '../cli/wait/fake-clock.js'

describe('wait: sleep', () => {
  let clock: InstalledFakeClock

  beforeEach(() => {
    clock = installFakeClock(0, ['setTimeout', 'clearTimeout', 'Date'])
  })
  afterEach(() => clock.uninstall())

  it('resolves after the delay', async () => {
    let done = false
    const slept = sleep(5000).then(() => (done = true))
    await clock.tickAsync(4999)
    assert.equal(done, false)
    await clock.tickAsync(1)
    await slept
    assert.equal(done, true)
    assert.equal(systemClock.now(), 5000)
  })

  it('sleeps longer than setTimeout allows (2^31-1 ms, about 24.8 days) instead of waking at once', async () => {
    const longMs = 1000 * 3600 * 1000 // --timeout 1000h
    let done = false
    const slept = sleep(longMs).then(() => (done = true))
    await clock.tickAsync(1000)
    assert.equal(done, false, 'woke after 1 s')
    await clock.tickAsync(longMs - 1001)
    assert.equal(done, false)
    await clock.tickAsync(1)
    await slept
    assert.equal(done, true)
    const controller = new AbortController()
    const aborted = sleep(longMs, controller.signal)
    await clock.tickAsync(2 ** 31 + 5)
    controller.abort()
    await assert.rejects(aborted, (error) => isAbortError(error))
  })

  it('rejects with an AbortError when aborted, before or during the sleep', async () => {
    await assert.rejects(sleep(1000, AbortSignal.abort()), (error) => isAbortError(error))
    const controller = new AbortController()
    const slept = sleep(1000, controller.signal)
    await clock.tickAsync(10)
    controller.abort()
    await assert.rejects(slept, (error) => isAbortError(error))
    assert.equal(clock.now, 10)
  })

  it('treats only AbortErrors as aborts', () => {
    assert.equal(isAbortError(new Error('x')), false)
    assert.equal(isAbortError('AbortError'), false)
  })
})
