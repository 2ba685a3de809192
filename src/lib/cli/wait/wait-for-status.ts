import {isAbortError, systemClock, WaitClock} from '../../core/clock.js'
import {isTransientError} from './transient.js'

export type WaitOutcome = 'done' | 'failed' | 'timeout' | 'interrupted'

export interface WaitResult<T> {
  outcome: WaitOutcome
  /** The last value fetched (undefined only when no poll ever succeeded). */
  value?: T
  /** Status of `value` as `statusOf` names it. */
  status?: string
  elapsedMs: number
  polls: number
}

export interface WaitOptions<T> {
  /** One poll. Receives a signal that aborts on interrupt. */
  fetch: (signal: AbortSignal) => Promise<T>
  /** The status shown in progress and passed to onStatusChange. */
  statusOf: (value: T) => string
  isDone: (value: T) => boolean
  isFailed: (value: T) => boolean
  timeoutMs: number
  pollIntervalMs: number
  /** Default: the system clock. */
  clock?: WaitClock
  /** Failed polls in a row that are tolerated before the last error is thrown. Default 10. */
  maxConsecutiveErrors?: number
  /** Which poll errors are worth repeating. Default: isTransientError. */
  isRetryable?: (error: unknown) => boolean
  onStatusChange?: (status: string, value: T, elapsedMs: number) => void
  onPollError?: (error: unknown, consecutiveErrors: number) => void
  /** Aborting it (Ctrl-C) ends the wait with outcome `interrupted`. */
  signal?: AbortSignal
}

export const DEFAULT_MAX_CONSECUTIVE_ERRORS = 10

/** The first pauses between polls: most operations end within seconds, and a full interval would hide that. */
export const EARLY_POLL_DELAYS_MS = [500, 1000, 2000]

/** The pause after poll number `polls` (1-based): the early schedule, then the interval, never above the interval. */
export function pollDelayMs(polls: number, pollIntervalMs: number): number {
  return Math.min(EARLY_POLL_DELAYS_MS[polls - 1] ?? pollIntervalMs, pollIntervalMs)
}

/**
 * Polls `fetch` until `isDone` or `isFailed` holds, the timeout passes or `signal` aborts.
 * The first poll happens at once; the next ones 0.5s, 1s and 2s after the previous answer, then every
 * `pollIntervalMs` (which also caps the early pauses). A poll
 * that is still running at the deadline does not hold the wait past it. Non-transient poll errors,
 * and transient ones beyond `maxConsecutiveErrors` in a row, are thrown.
 */
export async function waitForStatus<T>(options: WaitOptions<T>): Promise<WaitResult<T>> {
  const clock = options.clock ?? systemClock
  const maxErrors = options.maxConsecutiveErrors ?? DEFAULT_MAX_CONSECUTIVE_ERRORS
  const isRetryable = options.isRetryable ?? isTransientError
  const start = clock.now()
  const deadline = start + options.timeoutMs
  const controller = new AbortController()
  const onAbort = () => controller.abort()
  options.signal?.addEventListener('abort', onAbort, {once: true})
  if (options.signal?.aborted) controller.abort()

  let value: T | undefined
  let status: string | undefined
  let polls = 0
  let consecutiveErrors = 0
  const result = (outcome: WaitOutcome): WaitResult<T> => ({outcome, value, status, elapsedMs: clock.now() - start, polls})

  try {
    for (;;) {
      if (controller.signal.aborted) return result('interrupted')
      const poll = await pollUntil(options.fetch(controller.signal), deadline, clock, controller.signal)
      polls += 1
      if (poll.kind === 'interrupted') return result('interrupted')
      if (poll.kind === 'deadline') return result('timeout')
      if (poll.kind === 'error') {
        consecutiveErrors += 1
        if (!isRetryable(poll.error) || consecutiveErrors > maxErrors) throw poll.error
        options.onPollError?.(poll.error, consecutiveErrors)
      } else {
        consecutiveErrors = 0
        value = poll.value
        const nextStatus = options.statusOf(poll.value)
        if (nextStatus !== status) {
          status = nextStatus
          options.onStatusChange?.(nextStatus, poll.value, clock.now() - start)
        }
        if (options.isDone(poll.value)) return result('done')
        if (options.isFailed(poll.value)) return result('failed')
      }
      const remaining = deadline - clock.now()
      if (remaining <= 0) return result('timeout')
      try {
        await clock.sleep(Math.min(pollDelayMs(polls, options.pollIntervalMs), remaining), controller.signal)
      } catch (error) {
        if (isAbortError(error) || controller.signal.aborted) return result('interrupted')
        throw error
      }
    }
  } finally {
    options.signal?.removeEventListener('abort', onAbort)
  }
}

type Poll<T> = {kind: 'value'; value: T} | {kind: 'error'; error: unknown} | {kind: 'deadline'} | {kind: 'interrupted'}

/**
 * Settles with the poll's answer or error; with `deadline` if the deadline passes first (when the
 * clock has a watchdog); with `interrupted` as soon as `signal` aborts, even if the poll ignores it.
 */
async function pollUntil<T>(poll: Promise<T>, deadline: number, clock: WaitClock, signal: AbortSignal): Promise<Poll<T>> {
  const local = new AbortController()
  let onAbort = () => {}
  const interrupted = new Promise<Poll<T>>((resolve) => {
    onAbort = () => resolve({kind: 'interrupted'})
    signal.addEventListener('abort', onAbort, {once: true})
  })
  const answer = poll.then(
    (value): Poll<T> => ({kind: 'value', value}),
    (error: unknown): Poll<T> => (signal.aborted || isAbortError(error) ? {kind: 'interrupted'} : {kind: 'error', error}),
  )
  const racers = [answer, interrupted]
  if (clock.watchdog) {
    racers.push(
      clock.watchdog(Math.max(0, deadline - clock.now()), local.signal).then(
        (): Poll<T> => ({kind: 'deadline'}),
        () => new Promise<Poll<T>>(() => {}),
      ),
    )
  }
  try {
    return await Promise.race(racers)
  } finally {
    local.abort()
    signal.removeEventListener('abort', onAbort)
  }
}
