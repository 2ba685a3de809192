import {UsageError} from '../../core/errors.js'

/** Kurrent runs scheduled backups at most once an hour (docs "Scheduled Backups"). */
export const MIN_MINUTES_BETWEEN_RUNS = 60

export const SCHEDULE_FIELDS = ['minute', 'hour', 'day-of-month', 'month', 'day-of-week'] as const
export type ScheduleField = (typeof SCHEDULE_FIELDS)[number]

/** The expanded form of a valid schedule: the values each field matches (day of week 0 = Sunday). */
export interface Schedule {
  expression: string
  minutes: number[]
  hours: number[]
  daysOfWeek: number[]
  /** Shortest time between two consecutive runs, in minutes (over a whole week, wrapping around). */
  minMinutesBetweenRuns: number
}

export class ScheduleError extends UsageError {
  constructor(
    readonly expression: string,
    readonly field: ScheduleField | undefined,
    readonly reason: string,
  ) {
    super(`Invalid schedule '${expression}': ${reason}`)
    this.name = 'ScheduleError'
  }
}

const range = (from: number, to: number) => Array.from({length: to - from + 1}, (_, i) => from + i)

/** `*`, a number in [0, max] or `*\/n` with n in [1, max]. */
function expandStepField(expression: string, field: 'minute' | 'hour', value: string, max: number): number[] {
  if (value === '*') return range(0, max)
  const step = /^\*\/(\d{1,2})$/.exec(value)
  if (step && Number(step[1]) >= 1 && Number(step[1]) <= max) {
    return range(0, max).filter((v) => v % Number(step[1]) === 0)
  }
  if (/^\d{1,2}$/.test(value) && Number(value) <= max) return [Number(value)]
  throw new ScheduleError(expression, field, `${field} '${value}' must be '*', a number from 0 to ${max} or '*/n' with n from 1 to ${max}`)
}

function expandDayOfWeek(expression: string, value: string): number[] {
  if (value === '*') return range(0, 6)
  if (/^\d$/.test(value) && Number(value) <= 7) return [Number(value) % 7]
  throw new ScheduleError(expression, 'day-of-week', `day-of-week '${value}' must be '*' or a single day from 0 to 7 (0 and 7 are Sunday)`)
}

function requireStar(expression: string, field: 'day-of-month' | 'month', value: string): void {
  if (value !== '*') {
    throw new ScheduleError(expression, field, `${field} '${value}' must be '*': Kurrent schedules run every day or on one day of the week`)
  }
}

/** Shortest gap between runs over one week, including the wrap from the end of the week to its start. */
function minGapMinutes(minutes: number[], hours: number[], days: number[]): number {
  const times: number[] = []
  for (const d of days) for (const h of hours) for (const m of minutes) times.push((d * 24 + h) * 60 + m)
  times.sort((a, b) => a - b)
  const week = 7 * 24 * 60
  let gap = times[0] + week - times.at(-1)!
  for (let i = 1; i < times.length; i++) gap = Math.min(gap, times[i] - times[i - 1])
  return gap
}

/**
 * Checks a schedule against Kurrent's semi-cron subset: five fields; minute and hour
 * `*`, a number or `*\/n`; day of month and month `*`; day of week `*` or 0–7; and at least 60 minutes
 * between runs. Throws a ScheduleError (a UsageError, exit 2) naming the field, the value and the rule.
 */
export function validateSchedule(expression: string): Schedule {
  const fields = expression.trim().split(/\s+/).filter(Boolean)
  if (fields.length !== SCHEDULE_FIELDS.length) {
    throw new ScheduleError(
      expression,
      undefined,
      `expected 5 fields (${SCHEDULE_FIELDS.join(' ')}), got ${fields.length}; e.g. '0 */1 * * *' for every hour`,
    )
  }
  const [minute, hour, dayOfMonth, month, dayOfWeek] = fields
  const minutes = expandStepField(expression, 'minute', minute, 59)
  const hours = expandStepField(expression, 'hour', hour, 23)
  requireStar(expression, 'day-of-month', dayOfMonth)
  requireStar(expression, 'month', month)
  const daysOfWeek = expandDayOfWeek(expression, dayOfWeek)
  const gap = minGapMinutes(minutes, hours, daysOfWeek)
  if (gap < MIN_MINUTES_BETWEEN_RUNS) {
    // With dom/month fixed to `*`, only a minute field matching several values can run twice an hour.
    throw new ScheduleError(
      expression,
      'minute',
      `minute '${minute}' runs backups ${gap} minute${gap === 1 ? '' : 's'} apart; scheduled backups must be at least ` +
        `${MIN_MINUTES_BETWEEN_RUNS} minutes apart (use a single minute, e.g. '0 */1 * * *')`,
    )
  }
  return {expression, minutes, hours, daysOfWeek, minMinutesBetweenRuns: gap}
}
