import {Cron} from 'croner'

import {validateSchedule} from './validate.js'

/**
 * The next `count` run times of a schedule strictly after `from`, evaluated in UTC (Kurrent runs
 * schedules in UTC). Validates the schedule first (throws ScheduleError, exit 2).
 */
export function nextRuns(expression: string, count: number, from: Date = new Date()): Date[] {
  validateSchedule(expression)
  const cron = new Cron(expression.trim(), {timezone: 'UTC', paused: true})
  return cron.nextRuns(count, from)
}

const pad2 = (n: number) => String(n).padStart(2, '0')

/** `2026-11-21 21:00 UTC` */
export function formatUtcRunTime(date: Date): string {
  return `${date.getUTCFullYear()}-${pad2(date.getUTCMonth() + 1)}-${pad2(date.getUTCDate())} ${pad2(date.getUTCHours())}:${pad2(date.getUTCMinutes())} UTC`
}

/**
 * `2026-11-21 22:00 Europe/Berlin` in the given (default: this machine's) time zone, so a user can
 * check a schedule against their own clock.
 */
export function formatLocalRunTime(date: Date, timeZone?: string): string {
  const zone = timeZone ?? Intl.DateTimeFormat().resolvedOptions().timeZone ?? 'UTC'
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-CA', {
      timeZone: zone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    })
      .formatToParts(date)
      .map((p) => [p.type, p.value]),
  )
  return `${parts.year}-${parts.month}-${parts.day} ${parts.hour}:${parts.minute} ${zone}`
}

/** `2026-11-21 21:00 UTC (2026-11-21 22:00 Europe/Berlin)`; the UTC time alone when the local zone is UTC. */
export function formatRunTime(date: Date, timeZone?: string): string {
  const local = formatLocalRunTime(date, timeZone)
  return /\s(UTC|Etc\/UTC|Etc\/GMT|GMT|Etc\/Universal|Universal)$/.test(local)
    ? formatUtcRunTime(date)
    : `${formatUtcRunTime(date)} (${local})`
}
