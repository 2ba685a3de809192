import {strict as assert} from 'node:assert'

import {firstSharedRun, offsetMinuteExample} from '../../../../src/lib/contract/schedule/index.js'

const from = new Date('2026-11-21T20:10:00Z') // a Saturday

describe('schedule: runs two schedules share', () => {
  it('finds the first minute both fire at', () => {
    assert.equal(firstSharedRun('0 */1 * * *', '0 3 * * *', from)?.toISOString(), '2026-11-22T03:00:00.000Z')
    assert.equal(firstSharedRun('0 3 * * *', '0 */1 * * *', from)?.toISOString(), '2026-11-22T03:00:00.000Z')
  })

  it('looks a whole week ahead (a weekly schedule against a daily one)', () => {
    assert.equal(firstSharedRun('0 3 * * *', '0 3 * * 5', from)?.toISOString(), '2026-11-27T03:00:00.000Z')
  })

  it('finds nothing when the minutes differ', () => {
    assert.equal(firstSharedRun('0 */1 * * *', '30 */1 * * *', from), undefined)
    assert.equal(firstSharedRun('0 */2 * * *', '0 1 * * *', from), undefined)
  })

  it('offers the schedule shifted by 15 minutes when its minute is a number', () => {
    assert.equal(offsetMinuteExample('0 */1 * * *'), '15 */1 * * *')
    assert.equal(offsetMinuteExample('50 3 * * *'), '5 3 * * *')
    assert.equal(offsetMinuteExample('*/90 * * * *'), undefined)
  })
})
