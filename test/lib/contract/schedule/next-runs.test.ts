import {strict as assert} from 'node:assert'

import {formatLocalRunTime, formatRunTime, formatUtcRunTime, nextRuns, ScheduleError} from '../../../../src/lib/contract/schedule/index.js'

const from = new Date('2026-11-21T20:10:00Z') // a Saturday

describe('schedule: next runs', () => {
  it('lists hourly runs on the hour, in UTC', () => {
    assert.deepEqual(
      nextRuns('0 */1 * * *', 3, from).map((d) => d.toISOString()),
      ['2026-11-21T21:00:00.000Z', '2026-11-21T22:00:00.000Z', '2026-11-21T23:00:00.000Z'],
    )
  })

  it('treats day of week 7 as Sunday', () => {
    assert.deepEqual(
      nextRuns('30 13 * * 7', 2, from).map((d) => d.toISOString()),
      ['2026-11-22T13:30:00.000Z', '2026-11-29T13:30:00.000Z'],
    )
    assert.deepEqual(nextRuns('30 13 * * 0', 1, from), nextRuns('30 13 * * 7', 1, from))
  })

  it('steps hours from midnight', () => {
    assert.deepEqual(
      nextRuns('0 */5 * * *', 3, from).map((d) => d.toISOString()),
      ['2026-11-22T00:00:00.000Z', '2026-11-22T05:00:00.000Z', '2026-11-22T10:00:00.000Z'],
    )
  })

  it('runs strictly after the start time', () => {
    assert.equal(nextRuns('0 12 * * *', 1, new Date('2026-11-21T12:00:00Z'))[0].toISOString(), '2026-11-22T12:00:00.000Z')
  })

  it('validates the schedule first', () => {
    assert.throws(() => nextRuns('*/5 * * * *', 5, from), ScheduleError)
  })

  it('formats run times in UTC and in a given zone', () => {
    const run = new Date('2026-11-21T21:00:00Z')
    assert.equal(formatUtcRunTime(run), '2026-11-21 21:00 UTC')
    assert.equal(formatLocalRunTime(run, 'Europe/Berlin'), '2026-11-21 22:00 Europe/Berlin')
    assert.equal(formatLocalRunTime(run, 'America/New_York'), '2026-11-21 16:00 America/New_York')
  })

  it('shows the local time next to UTC unless the local zone is UTC', () => {
    const run = new Date('2026-11-21T21:00:00Z')
    assert.equal(formatRunTime(run, 'Europe/Berlin'), '2026-11-21 21:00 UTC (2026-11-21 22:00 Europe/Berlin)')
    assert.equal(formatRunTime(run, 'UTC'), '2026-11-21 21:00 UTC')
    assert.equal(formatRunTime(run, 'Etc/UTC'), '2026-11-21 21:00 UTC')
  })
})
