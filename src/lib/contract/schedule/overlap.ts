import {nextRuns} from './next-runs.js'

/**
 * Runs looked at per schedule: schedules run at most hourly and repeat within a week (day of month
 * and month are always `*`), so eight days of hourly runs cover every pairing.
 */
const RUNS_COMPARED = 8 * 24

/** The first time after `from` at which both schedules fire (UTC), or undefined if they never share a minute. */
export function firstSharedRun(a: string, b: string, from: Date): Date | undefined {
  const times = new Set(nextRuns(a, RUNS_COMPARED, from).map((d) => d.getTime()))
  const shared = nextRuns(b, RUNS_COMPARED, from).find((d) => times.has(d.getTime()))
  return shared
}

/** The schedule moved 15 minutes later, when its minute field is a plain number (else undefined). */
export function offsetMinuteExample(expression: string): string | undefined {
  const [minute, ...rest] = expression.trim().split(/\s+/)
  if (!/^\d+$/.test(minute)) return undefined
  return [String((Number(minute) + 15) % 60), ...rest].join(' ')
}
