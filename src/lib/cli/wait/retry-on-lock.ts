import {EscError} from '../../core/errors.js'
import {formatDuration} from '../../core/duration.js'
import {isAbortError, systemClock, WaitClock} from '../../core/clock.js'
import {httpStatusOf} from './transient.js'

/** The API refuses an operation on a cluster that another operation (a backup, a resize…) holds. */
export function isClusterLockedError(error: unknown): boolean {
  const status = httpStatusOf(error)
  return status === 409 || status === 423
}

export interface RetryOnLockOptions {
  timeoutMs: number
  clock?: WaitClock
  /** First wait after a refusal; doubles each time up to maxDelayMs. Defaults 2s and 30s. */
  initialDelayMs?: number
  maxDelayMs?: number
  isLocked?: (error: unknown) => boolean
  onRetry?: (error: unknown, attempt: number, delayMs: number) => void
  signal?: AbortSignal
  /** Names the operation in errors, e.g. `backup of cluster c1…`. */
  what?: string
}

/**
 * Runs `attempt` until it succeeds, retrying with exponential backoff while it fails because the
 * cluster is locked (e.g. a CI backup racing a scheduled one). Other errors are thrown at once.
 * When the timeout passes, throws an EscError with exit 4; on interrupt, exit 130.
 */
export async function retryOnLock<T>(attempt: () => Promise<T>, options: RetryOnLockOptions): Promise<T> {
  const clock = options.clock ?? systemClock
  const isLocked = options.isLocked ?? isClusterLockedError
  const maxDelay = options.maxDelayMs ?? 30_000
  const what = options.what ?? 'operation'
  const deadline = clock.now() + options.timeoutMs
  let delay = options.initialDelayMs ?? 2000
  for (let tries = 1; ; tries++) {
    try {
      return await attempt()
    } catch (error) {
      if (!isLocked(error)) throw error
      const remaining = deadline - clock.now()
      if (remaining <= 0) {
        throw new EscError(
          `The cluster was still locked by another operation after ${formatDuration(options.timeoutMs)} (${tries} attempts); the ${what} was not started`,
          {kind: 'timeout', cause: error, suggestions: ['Retry later or raise --timeout']},
        )
      }
      const wait = Math.min(delay, remaining)
      options.onRetry?.(error, tries, wait)
      try {
        await clock.sleep(wait, options.signal)
      } catch (sleepError) {
        if (isAbortError(sleepError)) {
          throw new EscError(`Interrupted while waiting for the cluster lock; the ${what} was not started`, {
            kind: 'interrupted',
          })
        }
        throw sleepError
      }
      delay = Math.min(delay * 2, maxDelay)
    }
  }
}
