import {UsageError} from '../../core/errors.js'

/** Retry and timeout policy of the API client (docs/cli.md "Timeouts and retries"). */
export const CONNECT_TIMEOUT_MS = 10_000
export const REQUEST_TIMEOUT_MS = 60_000
export const MAX_RETRIES = 3
export const BACKOFF_BASE_MS = 500
export const BACKOFF_MAX_MS = 8000
/** A Retry-After longer than this is not waited for: the error is reported instead. */
export const RETRY_AFTER_MAX_MS = 60_000

export const RETRYABLE_STATUSES = new Set([429, 502, 503, 504])
export const RETRYABLE_METHODS = new Set(['GET', 'DELETE'])

/** How the API client waits between retries (commands pass their own; tests a recording one). */
export function sleepBetweenRetries(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms))
}

/** Exponential backoff with "equal jitter": half fixed, half random. */
export function backoffDelay(retry: number, random: () => number): number {
  const ceiling = Math.min(BACKOFF_MAX_MS, BACKOFF_BASE_MS * 2 ** retry)
  return Math.round(ceiling / 2 + random() * (ceiling / 2))
}

/** Retry-After as milliseconds: delta-seconds or an HTTP date. Undefined when absent or unreadable. */
export function parseRetryAfter(value: string | undefined, now: number): number | undefined {
  if (value === undefined) return undefined
  const v = value.trim()
  if (/^\d+$/.test(v)) return Number(v) * 1000
  const date = Date.parse(v)
  if (Number.isNaN(date)) return undefined
  return Math.max(0, date - now)
}

/** The longest delay setTimeout takes (2^31-1 ms, a little over 596 h). */
const MAX_REQUEST_TIMEOUT_MS = 2 ** 31 - 1

/**
 * Reads ESC_HTTP_TIMEOUT: plain seconds (`30`), or a duration with unit (`500ms`, `30s`, `2m`).
 */
export function requestTimeoutFromEnv(env: NodeJS.ProcessEnv = process.env): number {
  const raw = env.ESC_HTTP_TIMEOUT
  if (raw === undefined || raw.trim() === '') return REQUEST_TIMEOUT_MS
  const ms = parseDurationMs(raw)
  const suggestions = ['Use seconds (60) or a duration with a unit: 500ms, 30s, 2m']
  if (ms === undefined) throw new UsageError(`ESC_HTTP_TIMEOUT="${raw}" is not a duration`, {suggestions})
  if (ms <= 0) throw new UsageError(`ESC_HTTP_TIMEOUT="${raw}" must be at least 1ms`, {suggestions})
  // Node's timers turn longer delays into 1 ms: every request would time out at once.
  if (ms > MAX_REQUEST_TIMEOUT_MS) throw new UsageError(`ESC_HTTP_TIMEOUT="${raw}" is too long: at most 596h`, {suggestions})
  return ms
}

// Not lib/duration.ts's parser: that would be one more module on every API command's start-up
// (budgeted), and ESC_HTTP_TIMEOUT also takes plain seconds.
export function parseDurationMs(text: string): number | undefined {
  const m = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h)?\s*$/i.exec(text)
  if (!m) return undefined
  const n = Number(m[1])
  const unit = (m[2] ?? 's').toLowerCase()
  const factor = unit === 'ms' ? 1 : unit === 's' ? 1000 : unit === 'm' ? 60_000 : 3_600_000
  return Math.round(n * factor)
}

export function formatMs(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000} s` : `${ms} ms`
}
