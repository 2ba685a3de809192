import {strict as assert} from 'node:assert'

import {UsageError} from '../../../../src/lib/core/errors.js'
import {exitCodeOf, ExitCode} from '../../../../src/lib/cli/error-exit.js'
import {ScheduleError, validateSchedule} from '../../../../src/lib/contract/schedule/index.js'

function refusal(expression: string): ScheduleError {
  try {
    validateSchedule(expression)
  } catch (error) {
    assert.ok(error instanceof ScheduleError, `expected a ScheduleError, got ${String(error)}`)
    assert.ok(error instanceof UsageError)
    assert.equal(exitCodeOf(error), ExitCode.Usage)
    return error
  }
  assert.fail(`'${expression}' should be refused`)
}

describe('schedule: validation', () => {
  for (const ok of ['0 */1 * * *', '0 12 * * 1', '30 13 * * 0', '15 * * * *', '0 0 * * 7', '59 23 * * *', '0 */5 * * *', ' 0  3 * * * ']) {
    it(`accepts '${ok}'`, () => {
      assert.doesNotThrow(() => validateSchedule(ok))
    })
  }

  it('expands the fields and measures the gap between runs', () => {
    const hourly = validateSchedule('0 */1 * * *')
    assert.equal(hourly.minMinutesBetweenRuns, 60)
    assert.equal(hourly.hours.length, 24)
    const weekly = validateSchedule('30 13 * * 7')
    assert.deepEqual(weekly.daysOfWeek, [0])
    assert.equal(weekly.minMinutesBetweenRuns, 7 * 24 * 60)
    assert.equal(validateSchedule('0 */5 * * *').minMinutesBetweenRuns, 4 * 60)
  })

  it('names the field count rule', () => {
    const error = refusal('0 */1 * *')
    assert.equal(error.field, undefined)
    assert.equal(
      error.message,
      "Invalid schedule '0 */1 * *': expected 5 fields (minute hour day-of-month month day-of-week), got 4; e.g. '0 */1 * * *' for every hour",
    )
    assert.match(refusal('0 0 0 * * *').message, /got 6/)
    assert.match(refusal('').message, /got 0/)
  })

  const fieldCases: Array<[string, string, RegExp]> = [
    ['60 * * * *', 'minute', /minute '60' must be '\*', a number from 0 to 59 or '\*\/n' with n from 1 to 59$/],
    ['a * * * *', 'minute', /minute 'a' must be/],
    ['*/0 * * * *', 'minute', /minute '\*\/0' must be/],
    ['0-5 * * * *', 'minute', /minute '0-5' must be/],
    ['0 24 * * *', 'hour', /hour '24' must be '\*', a number from 0 to 23 or '\*\/n' with n from 1 to 23$/],
    ['0 */24 * * *', 'hour', /hour '\*\/24' must be/],
    ['0 1,13 * * *', 'hour', /hour '1,13' must be/],
    ['0 0 1 * *', 'day-of-month', /day-of-month '1' must be '\*': Kurrent schedules run every day or on one day of the week$/],
    ['0 0 ? * *', 'day-of-month', /day-of-month '\?' must be '\*'/],
    ['0 0 * 1 *', 'month', /month '1' must be '\*'/],
    ['0 0 * * 8', 'day-of-week', /day-of-week '8' must be '\*' or a single day from 0 to 7 \(0 and 7 are Sunday\)$/],
    ['0 0 * * 1-5', 'day-of-week', /day-of-week '1-5' must be/],
    ['0 0 * * MON', 'day-of-week', /day-of-week 'MON' must be/],
  ]
  for (const [expression, field, message] of fieldCases) {
    it(`refuses '${expression}' naming the ${field} field`, () => {
      const error = refusal(expression)
      assert.equal(error.field, field)
      assert.ok(error.message.startsWith(`Invalid schedule '${expression}': `))
      assert.match(error.message, message)
    })
  }

  const tooOften: Array<[string, number]> = [
    ['* * * * *', 1],
    ['*/1 * * * *', 1],
    ['*/30 * * * *', 30],
    ['*/45 * * * *', 15],
    ['*/45 3 * * *', 45],
    ['*/59 * * * *', 1],
  ]
  for (const [expression, gap] of tooOften) {
    it(`refuses '${expression}': runs ${gap} minutes apart`, () => {
      const error = refusal(expression)
      assert.equal(error.field, 'minute')
      assert.match(error.message, new RegExp(`runs backups ${gap} minutes? apart; scheduled backups must be at least 60 minutes apart`))
    })
  }
})
