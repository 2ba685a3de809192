import {Flags} from '@oclif/core'

import type {WaitClock} from '../../core/clock.js'

import {durationToFlag, parseDuration} from '../../core/duration.js'
import {UsageError} from '../../core/errors.js'
import {durationFlag} from '../base-flags.js'

export const DEFAULT_TIMEOUT = '60m'
export const DEFAULT_POLL_INTERVAL = '5s'
export const MIN_POLL_INTERVAL_MS = 1000

function timingFlags(timeoutOnly = '', pollOnly = '') {
  return {
    // Left undefined when absent (defaults filled in by waitTiming), so a value given without --wait can be refused.
    timeout: durationFlag({
      description: `How long to wait before giving up with exit code 4, e.g. 90s, 15m, 2h${timeoutOnly}`,
      default: DEFAULT_TIMEOUT,
      defaultInHelpOnly: true,
      helpGroup: 'WAIT',
      min: {ms: 1, why: 'it must be longer than 0s'},
    }),
    'poll-interval': durationFlag({
      description: `Longest time between two status checks while waiting (at least 1s, at most --timeout); the first checks come sooner (0.5s, 1s, 2s)${pollOnly}`,
      default: DEFAULT_POLL_INTERVAL,
      defaultInHelpOnly: true,
      helpGroup: 'WAIT',
      min: {ms: MIN_POLL_INTERVAL_MS, why: 'it must be at least 1s, to spare the API'},
    }),
  }
}

/**
 * `--timeout` and `--poll-interval` for commands that always wait, parsed to milliseconds: a
 * malformed or too short value is a usage error (exit 2) at parse time.
 */
export const waitTimingFlags = timingFlags()

/** `--wait` plus the timing flags, for commands that start an operation (the timing flags are refused without --wait). */
export function waitFlags(what: string, timeoutAlsoWith = '') {
  const flags = timingFlags(`; only with --wait${timeoutAlsoWith ? ` or ${timeoutAlsoWith}` : ''}`, '; only with --wait')
  return {
    wait: Flags.boolean({
      description: `Wait until ${what}; progress on stderr, the final result on stdout (exit 4 on timeout, 5 if it fails)`,
      helpGroup: 'WAIT',
    }),
    ...flags,
  }
}

export interface WaitTiming {
  timeoutMs: number
  pollIntervalMs: number
  /** The clock the wait polls and times out with (the command's; the system clock when absent). */
  clock?: WaitClock
}

/** For commands whose wait is optional: whether they wait, and the flag (if any) that also takes --timeout. */
export interface WaitMode {
  wait?: boolean
  timeoutAlsoWith?: {flag: string; given?: boolean}
}

/**
 * The parsed `--timeout` and `--poll-interval` (milliseconds), defaults filled in; the wait will use
 * `clock`. Usage errors: a poll interval longer than the timeout, and (given `mode`) a timing flag
 * that nothing would use.
 */
export function waitTiming(flags: {timeout?: number; 'poll-interval'?: number}, clock?: WaitClock, mode?: WaitMode): WaitTiming {
  if (mode && !mode.wait) {
    const also = mode.timeoutAlsoWith
    if (flags.timeout !== undefined && !also?.given) {
      throw also
        ? new UsageError(`--timeout applies only with --wait or ${also.flag}; add one of them or leave --timeout out`)
        : new UsageError('--timeout applies only with --wait; add --wait or leave --timeout out')
    }
    if (flags['poll-interval'] !== undefined) {
      throw new UsageError('--poll-interval applies only with --wait; add --wait or leave --poll-interval out')
    }
  }
  const timeoutMs = flags.timeout ?? parseDuration(DEFAULT_TIMEOUT)
  const pollIntervalMs = flags['poll-interval'] ?? parseDuration(DEFAULT_POLL_INTERVAL)
  if (flags['poll-interval'] !== undefined && pollIntervalMs > timeoutMs) {
    const timeout = durationToFlag(timeoutMs)
    throw new UsageError(
      `--poll-interval ${durationToFlag(pollIntervalMs)} is longer than --timeout ${timeout}; give a --poll-interval of at most ${timeout}`,
    )
  }
  return {timeoutMs, pollIntervalMs, ...(clock ? {clock} : {})}
}

/** The timing to suggest after a timeout: twice as long, since the last one was not enough. */
export function longerTiming(timing: WaitTiming): WaitTiming {
  return {...timing, timeoutMs: timing.timeoutMs * 2}
}

/** The flags to repeat in a re-attach command: only those that differ from the defaults. */
export function timingArgs(timing: WaitTiming): string[] {
  const args: string[] = []
  if (timing.timeoutMs !== parseDuration(DEFAULT_TIMEOUT)) args.push('--timeout', durationToFlag(timing.timeoutMs))
  if (timing.pollIntervalMs !== parseDuration(DEFAULT_POLL_INTERVAL)) {
    args.push('--poll-interval', durationToFlag(timing.pollIntervalMs))
  }
  return args
}
