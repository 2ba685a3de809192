import type {HistoryItem} from '../../contract/models.js'

/** History statuses are not enumerated by the API; these words mean a run did not succeed. */
const FAILED_STATUS = /fail|error|defunct|cancel|abort|timed.?out/i

/** Which history item a `jobs run` produced: the one it named, else the newest one that was not there before. */
export interface RunMarker {
  historyId?: string
  /** Ids of the job's history items listed just before the run. */
  before: Set<string>
}

export function findRunItem(items: HistoryItem[], marker: RunMarker): HistoryItem | undefined {
  if (marker.historyId) return items.find((item) => item.id === marker.historyId)
  return items.filter((item) => !marker.before.has(item.id)).sort((a, b) => Date.parse(b.startTime) - Date.parse(a.startTime))[0]
}

/** Status of a run for progress lines: `starting` until its history item shows up. */
export function runStatus(item: HistoryItem | undefined): string {
  return item ? String(item.status) : 'starting'
}

export function isRunFailed(item: HistoryItem | undefined): boolean {
  return item !== undefined && FAILED_STATUS.test(String(item.status))
}

/** A run is over when its item has an end time (or a failed status); then it succeeded unless failed. */
export function isRunDone(item: HistoryItem | undefined): boolean {
  return item !== undefined && Boolean(item.endTime) && !isRunFailed(item)
}
