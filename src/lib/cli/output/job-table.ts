import type {HistoryItem, Job} from '../../contract/models.js'
import {nextRuns} from '../../contract/schedule/index.js'
import {isActiveJob} from '../jobs/active.js'
import {type Column, jobKind, type ResourceKind} from './kinds.js'

/** The latest run of each job (by start time), from one project-wide history listing. */
export function lastRunByJob(items: HistoryItem[]): Map<string, HistoryItem> {
  const last = new Map<string, HistoryItem>()
  for (const item of items) {
    const seen = last.get(item.jobId)
    if (!seen || Date.parse(item.startTime) > Date.parse(seen.startTime)) last.set(item.jobId, item)
  }
  return last
}

const nextRun: Column<Job> = {
  header: 'Next run',
  cell(j, f) {
    if (!isActiveJob(j)) return '—'
    try {
      const [next] = nextRuns(j.schedule, 1, f.now())
      return next ? f.date(next.toISOString().replace('.000Z', 'Z')) : '—'
    } catch {
      return '?' // a schedule this CLI does not understand (made elsewhere)
    }
  },
}

/**
 * The jobs table with when each job runs next and how its last run ended (`?` when the history
 * could not be read: `lastRuns` undefined). Only the table changes; other formats stay esc's.
 */
export function jobTableKind(lastRuns: Map<string, HistoryItem> | undefined): ResourceKind<Job> {
  const lastResult: Column<Job> = {
    header: 'Last result',
    cell(j, f) {
      if (!lastRuns) return '?'
      const run = lastRuns.get(j.id)
      return run ? `${run.status} (${f.relative(run.startTime)})` : '—'
    },
  }
  const columns = jobKind.columns.flatMap((c) => {
    if (c.header === 'Schedule') return [c, nextRun]
    if (c.header === 'Status') return [c, lastResult]
    return [c]
  })
  return {...jobKind, columns}
}
