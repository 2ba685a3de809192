import {strict as assert} from 'node:assert'

import {durationToFlag, formatDuration, parseDuration} from '../../../src/lib/core/duration.js'
import {UsageError} from '../../../src/lib/core/errors.js'
import {exitCodeOf, ExitCode} from '../../../src/lib/cli/error-exit.js'

describe('duration', () => {
  describe('parseDuration', () => {
    it('reads seconds, minutes, hours and milliseconds', () => {
      assert.equal(parseDuration('90s'), 90_000)
      assert.equal(parseDuration('15m'), 900_000)
      assert.equal(parseDuration('2h'), 7_200_000)
      assert.equal(parseDuration('250ms'), 250)
    })

    it('reads compound and fractional durations, case-insensitively', () => {
      assert.equal(parseDuration('1h30m'), 5_400_000)
      assert.equal(parseDuration('1m30s'), 90_000)
      assert.equal(parseDuration('1.5s'), 1500)
      assert.equal(parseDuration(' 2H '), 7_200_000)
    })

    for (const bad of ['10', '', 'abc', '5 m', '5d', '-5s', 'm5', '5s!']) {
      it(`refuses '${bad}' with a usage error naming the input`, () => {
        assert.throws(
          () => parseDuration(bad, '--timeout'),
          (error: unknown) =>
            error instanceof UsageError &&
            exitCodeOf(error) === ExitCode.Usage &&
            error.message.startsWith(`Invalid --timeout '${bad}'`) &&
            error.message.includes('90s, 15m, 2h'),
        )
      })
    }
  })

  describe('formatDuration', () => {
    it('shows seconds, minutes with seconds, hours with minutes', () => {
      assert.equal(formatDuration(0), '0s')
      assert.equal(formatDuration(999), '0s')
      assert.equal(formatDuration(42_000), '42s')
      assert.equal(formatDuration(303_000), '5m 03s')
      assert.equal(formatDuration(7_500_000), '2h 05m')
      assert.equal(formatDuration(-5), '0s')
    })

    it('has the compact style of node backup/restore (rounded to the second, no space)', () => {
      assert.equal(formatDuration(1_499, 'compact'), '1s')
      assert.equal(formatDuration(59_600, 'compact'), '1m00s')
      assert.equal(formatDuration(303_000, 'compact'), '5m03s')
      assert.equal(formatDuration(7_500_000, 'compact'), '2h05m')
    })

    it("has the unpadded style of the tables' Duration column", () => {
      assert.equal(formatDuration(1_999, 'unpadded'), '1s')
      assert.equal(formatDuration(300_000, 'unpadded'), '5m 0s')
      assert.equal(formatDuration(303_000, 'unpadded'), '5m 3s')
      assert.equal(formatDuration(7_500_000, 'unpadded'), '2h 5m')
    })
  })

  describe('durationToFlag', () => {
    it('spells a duration in the shortest exact unit, parseable back', () => {
      for (const [ms, text] of [
        [3_600_000, '1h'],
        [5_400_000, '90m'],
        [90_000, '90s'],
        [1500, '1500ms'],
        [0, '0s'],
      ] as const) {
        assert.equal(durationToFlag(ms), text)
        assert.equal(parseDuration(text), ms)
      }
    })
  })
})
