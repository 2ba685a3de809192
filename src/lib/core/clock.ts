import {AbortError} from './errors.js'

/**
 * Time as the waiters see it. Injectable so tests drive waits with fake timers instead of sleeping;
 * the defaults read the globals at call time, so @sinonjs/fake-timers installed after import works.
 */
export interface WaitClock {
  now(): number
  /** Resolves after `ms`, or rejects with an AbortError as soon as `signal` aborts. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>
  /**
   * Like sleep, for the watchdog that stops a hung poll at the wait's deadline. Optional: a virtual
   * clock whose sleep returns at once leaves it out (the API client's request timeout still applies).
   */
  watchdog?(ms: number, signal?: AbortSignal): Promise<void>
}

export {AbortError, isAbortError} from './errors.js'

/** setTimeout turns longer delays into 1 ms (e.g. `--timeout 1000h` would end at once). */
const MAX_TIMER_MS = 2 ** 31 - 1

export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(new AbortError())
      return
    }
    let timer: ReturnType<typeof globalThis.setTimeout>
    const onAbort = () => {
      globalThis.clearTimeout(timer)
      reject(new AbortError())
    }
    // Longer sleeps are chained timers of at most MAX_TIMER_MS each.
    const arm = (left: number) => {
      timer = globalThis.setTimeout(
        () => {
          if (left > MAX_TIMER_MS) {
            arm(left - MAX_TIMER_MS)
            return
          }
          signal?.removeEventListener('abort', onAbort)
          resolve()
        },
        Math.min(MAX_TIMER_MS, Math.max(0, left)),
      )
    }
    arm(ms)
    signal?.addEventListener('abort', onAbort, {once: true})
  })
}

export const systemClock: WaitClock = {
  now: () => Date.now(),
  sleep,
  watchdog: sleep,
}
