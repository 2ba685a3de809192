import {strict as assert} from 'node:assert'

import {Slots} from '../../../src/lib/engine/slots.js'

describe('Slots', () => {
  it('runs at most n steps at once, in the order they asked, and frees a slot when a step throws', async () => {
    const slots = new Slots(2)
    let running = 0
    let most = 0
    const order: number[] = []
    const step = (i: number) =>
      slots.use(async () => {
        running++
        most = Math.max(most, running)
        order.push(i)
        await new Promise((r) => setTimeout(r, 5))
        running--
        if (i === 1) throw new Error('step 1 failed')
        return i
      })
    const results = await Promise.allSettled([0, 1, 2, 3, 4].map(step))
    assert.equal(most, 2)
    assert.deepEqual(order, [0, 1, 2, 3, 4])
    assert.deepEqual(
      results.map((r) => (r.status === 'fulfilled' ? r.value : String(r.reason))),
      [0, 'Error: step 1 failed', 2, 3, 4],
    )
  })
})
