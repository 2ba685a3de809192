import {formatUtcRunTime, nextRuns} from '../src/lib/contract/schedule/index.js'

export {formatUtcRunTime, nextRuns}

const pad2 = (n: string) => n.padStart(2, '0')

/** A cron schedule in words for the common shapes; other shapes fall back to their next runs. */
export function scheduleInWords(expression: string): string {
  const [minute, hour, dom, month, dow] = expression.trim().split(/\s+/)
  const everyDay = dom === '*' && month === '*' && dow === '*'
  if (everyDay && /^\d+$/.test(minute ?? '') && /^\d+$/.test(hour ?? '')) return `every day at ${pad2(hour)}:${pad2(minute)} UTC`
  if (everyDay && /^\d+$/.test(minute ?? '') && hour === '*') return `every hour at minute ${minute}`
  const step = /^\*\/(\d+)$/.exec(hour ?? '')
  if (everyDay && /^\d+$/.test(minute ?? '') && step) return `every ${step[1]} hours at minute ${minute}`
  return 'custom schedule (see its next runs)'
}

/** The longest gap between two of the next runs: a last backup older than that (plus slack) is late. */
export function longestGapMs(expression: string, now: Date): number | undefined {
  try {
    const runs = nextRuns(expression, 8, now)
    let gap = 0
    for (let i = 1; i < runs.length; i++) gap = Math.max(gap, runs[i].getTime() - runs[i - 1].getTime())
    return gap
  } catch {
    return undefined
  }
}

/** The next five runs, or the one-line reason the schedule is refused (the CLI's own check). */
export function checkSchedule(expression: string, now: Date): {runs: Date[]} | {error: string} {
  try {
    return {runs: nextRuns(expression, 5, now)}
  } catch (e) {
    return {error: (e as Error).message}
  }
}
