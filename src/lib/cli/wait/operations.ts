import type {Backup, Cluster} from '../../contract/models.js'
import {systemClock, type WaitClock} from '../../core/clock.js'
import {withInterrupt} from './interrupt.js'
import {waitOutcomeError} from './outcome.js'
import {createProgress, ProgressStream} from './progress.js'
import {isTransientError} from './transient.js'
import {waitForStatus, WaitResult} from './wait-for-status.js'

/** A backup is usable once `available`; these statuses mean it never will be. */
export const BACKUP_FAILED_STATUSES = new Set(['defunct', 'deleted', 'deleting'])
/** A cluster is ready once `available`; these mean it failed or is going away. `inconsistent` may recover, so it is waited on. */
export const CLUSTER_FAILED_STATUSES = new Set([
  'defunct',
  'deleted',
  'deleting',
  'deleting instances',
  'instances deleted',
  'deleting disks',
])

/** Why a backup or cluster failed, when the API says (the local cloud's `details` extension). */
const detailsOf = (value: Backup | Cluster) =>
  typeof value.details === 'string' && value.details.trim() ? value.details.trim() : undefined

export const backupStatus = {
  statusOf: (b: Backup) => String(b.status),
  isDone: (b: Backup) => b.status === 'available',
  isFailed: (b: Backup) => BACKUP_FAILED_STATUSES.has(String(b.status)),
  details: (b: Backup) => detailsOf(b),
}

/** The statuses a cluster wait can end on: `available` after most operations, `stopped` after a stop. */
export const CLUSTER_WAIT_TARGETS = ['available', 'stopped'] as const
export type ClusterWaitTarget = (typeof CLUSTER_WAIT_TARGETS)[number]

/** How a cluster wait reads the cluster: done at `target` (default `available`). */
export const clusterStatusUntil = (target: ClusterWaitTarget) => ({
  statusOf: (c: Cluster) => String(c.status),
  isDone: (c: Cluster) => c.status === target,
  isFailed: (c: Cluster) => CLUSTER_FAILED_STATUSES.has(String(c.status)),
  details: (c: Cluster) => detailsOf(c),
})

export const clusterStatus = clusterStatusUntil('available')

export interface OperationWait<R, T> {
  /** e.g. `backup c1ev…` (progress lines and messages). */
  label: string
  /** Command that re-attaches, shown on timeout and Ctrl-C. */
  reattach: string
  /** Command that re-attaches after a timeout, with a longer one (default: `reattach`). */
  reattachAfterTimeout?: string
  timeoutMs: number
  /** The --timeout the user gave, when timeoutMs is what is left of it (shown in the timeout message). */
  requestedTimeoutMs?: number
  pollIntervalMs: number
  /** One poll: the raw API response (the printer needs it for `--fmt api`)… */
  fetch: (signal: AbortSignal) => Promise<R>
  /** …and the object inside it. */
  select: (response: R) => T
  statusOf: (value: T) => string
  isDone: (value: T) => boolean
  isFailed: (value: T) => boolean
  /** Explains a failure (e.g. a history item's details). */
  details?: (value: T) => string | undefined
  /** Prints the final object to stdout; called when the operation ends, successfully or not. */
  print: (response: R) => Promise<void>
  stream?: ProgressStream
  interactive?: boolean
  /** Polls, timeout and elapsed times (default: the system clock). */
  clock?: WaitClock
}

/**
 * Waits for an operation with progress on stderr, prints the final object, and throws the error
 * that gives the documented exit code (5 failed, 4 timeout, 130 interrupted). Returns the final
 * response when the operation succeeded.
 */
export async function awaitOperation<R, T>(op: OperationWait<R, T>): Promise<R> {
  const clock = op.clock ?? systemClock
  const progress = createProgress({label: op.label, stream: op.stream, interactive: op.interactive, now: () => clock.now()})
  let result: WaitResult<R>
  try {
    result = await withInterrupt((signal) =>
      waitForStatus<R>({
        fetch: op.fetch,
        statusOf: (r) => op.statusOf(op.select(r)),
        isDone: (r) => op.isDone(op.select(r)),
        isFailed: (r) => op.isFailed(op.select(r)),
        timeoutMs: op.timeoutMs,
        pollIntervalMs: op.pollIntervalMs,
        clock,
        signal,
        onStatusChange: (status) => progress.update(status),
        onPollError: (error, n) => progress.warn(`status check failed (${n} in a row, retrying): ${errorText(error)}`),
      }),
    )
  } catch (error) {
    // Status checks kept failing (network down, 5xx): the wait gave up, not the operation. Say how
    // to pick it up again; without this a script's `-q` never learns the id.
    if (isTransientError(error)) progress.warn(`giving up on status checks; it goes on in the cloud. Re-attach with: ${op.reattach}`)
    throw error
  } finally {
    progress.stop()
  }
  const final = result.value
  if (final !== undefined && (result.outcome === 'done' || result.outcome === 'failed')) await op.print(final)
  const error = waitOutcomeError(result, {
    label: op.label,
    reattach: op.reattach,
    reattachAfterTimeout: op.reattachAfterTimeout,
    timeoutMs: op.requestedTimeoutMs ?? op.timeoutMs,
    details: final === undefined ? undefined : op.details?.(op.select(final)),
  })
  if (error) throw error
  return final as R
}

function errorText(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).split('\n')[0]
}
