import {UsageError} from './errors.js'

const UNIT_MS: Record<string, number> = {ms: 1, s: 1000, m: 60_000, h: 3_600_000}
const PART = /(\d+(?:\.\d+)?)(ms|s|m|h)/gy

/**
 * Parses a human duration such as `90s`, `15m`, `2h`, `1h30m` or `500ms` into milliseconds.
 * A bare number is refused: `--timeout 10` could mean seconds or minutes, so the unit is required.
 * `what` names the input in the error message (e.g. `--timeout`).
 */
export function parseDuration(value: string, what = 'duration'): number {
  const text = value.trim().toLowerCase()
  const invalid = () =>
    new UsageError(`Invalid ${what} '${value}': expected a number with a unit (ms, s, m or h), e.g. 90s, 15m, 2h or 1h30m`)
  if (text === '') throw invalid()
  PART.lastIndex = 0
  let total = 0
  let consumed = 0
  let match: RegExpExecArray | null
  while ((match = PART.exec(text)) !== null) {
    total += Number(match[1]) * UNIT_MS[match[2]]
    consumed = PART.lastIndex
  }
  if (consumed !== text.length) throw invalid()
  return Math.round(total)
}

/**
 * How a duration is spelled, kept per place so that no command's output changed when the
 * formatters were merged:
 * - `padded` (waits, timeouts, retries): `42s`, `5m 03s`, `2h 05m`, cut down to the second;
 * - `compact` (node backup/restore: "took …", ETA): `5m03s`, `2h05m`, rounded to the second;
 * - `unpadded` (the tables' Duration column): `5m 3s`, `2h 5m`, cut down to the second.
 */
export type DurationStyle = 'padded' | 'compact' | 'unpadded'

const STYLES: Record<DurationStyle, {separator: string; width: number; toSeconds: (s: number) => number}> = {
  padded: {separator: ' ', width: 2, toSeconds: Math.floor},
  compact: {separator: '', width: 2, toSeconds: Math.round},
  unpadded: {separator: ' ', width: 1, toSeconds: Math.floor},
}

/**
 * Formats milliseconds for people: seconds, minutes with seconds, or hours with minutes (seconds
 * are noise once a duration reaches an hour). Negative values show as `0s`.
 */
export function formatDuration(ms: number, style: DurationStyle = 'padded'): string {
  const {separator, width, toSeconds} = STYLES[style]
  const totalSeconds = Math.max(0, toSeconds(ms / 1000))
  const hours = Math.floor(totalSeconds / 3600)
  const minutes = Math.floor((totalSeconds % 3600) / 60)
  const seconds = totalSeconds % 60
  const two = (n: number) => String(n).padStart(width, '0')
  if (hours > 0) return `${hours}h${separator}${two(minutes)}m`
  if (minutes > 0) return `${minutes}m${separator}${two(seconds)}s`
  return `${seconds}s`
}

/**
 * The shortest exact spelling of a duration in the syntax parseDuration accepts (for help text and
 * re-attach hints): 3600000 → `1h`, 90000 → `90s`, 1500 → `1500ms`.
 */
export function durationToFlag(ms: number): string {
  if (ms % UNIT_MS.h === 0 && ms > 0) return `${ms / UNIT_MS.h}h`
  if (ms % UNIT_MS.m === 0 && ms > 0) return `${ms / UNIT_MS.m}m`
  if (ms % UNIT_MS.s === 0) return `${ms / UNIT_MS.s}s`
  return `${ms}ms`
}
