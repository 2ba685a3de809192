import {strict as assert} from 'node:assert'

import {newerOnly} from '../../web/newer-only.js'

/** The views' polling: an answer that arrives after a newer one was shown must not replace it. */
describe('console: polled answers are shown newest-started last', () => {
  const deferred = <T>() => {
    let resolve!: (value: T) => void
    const promise = new Promise<T>((r) => (resolve = r))
    return {promise, resolve}
  }

  it('drops an older load that answers after a newer one', async () => {
    const shown: string[] = []
    const guard = newerOnly<string>((value) => shown.push(value))
    const old = deferred<string>()
    const fresh = deferred<string>()
    const first = guard(() => old.promise)
    const second = guard(() => fresh.promise)
    fresh.resolve('after the write')
    await second
    old.resolve('before the write')
    await first
    assert.deepEqual(shown, ['after the write'])
  })

  it('shows every answer that arrives in order', async () => {
    const shown: number[] = []
    const guard = newerOnly<number>((value) => shown.push(value))
    await guard(async () => 1)
    await guard(async () => 2)
    assert.deepEqual(shown, [1, 2])
  })

  it('passes a failure on unless a newer load has already answered', async () => {
    const guard = newerOnly<number>(() => undefined)
    await assert.rejects(
      guard(async () => Promise.reject(new Error('down'))),
      /down/,
    )
    const old = deferred<number>()
    const first = guard(() => old.promise)
    await guard(async () => 2)
    old.resolve(Promise.reject(new Error('stale')) as unknown as number)
    assert.equal(await first, undefined)
  })
})
