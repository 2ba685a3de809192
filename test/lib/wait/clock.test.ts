import {strict as assert} from 'node:assert'

import {isAbortError, sleep, systemClock} from '../../../src/lib/wait/index.js'
import {installFakeClock, InstalledFakeClock} from './fake-clock.js'

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
