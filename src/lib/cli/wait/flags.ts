import {Flags} from '@oclif/core'

import type {WaitClock} from '../../core/clock.js'

import {durationToFlag, parseDuration} from '../../core/duration.js'
import {durationFlag} from '../base-flags.js'

export const DEFAULT_TIMEOUT = '60m'
export const DEFAULT_POLL_INTERVAL = '5s'
export const MIN_POLL_INTERVAL_MS = 1000

/**
 * `--timeout` and `--poll-interval`, shared by every command that waits (they imply nothing alone),
 * parsed to milliseconds: a malformed or too short value is a usage error (exit 2) at parse time.
 */
export const waitTimingFlags = {
  timeout: durationFlag({
    description: 'How long to wait before giving up with exit code 4, e.g. 90s, 15m, 2h',
    default: DEFAULT_TIMEOUT,
    helpGroup: 'WAIT',
    min: {ms: 1, why: 'it must be longer than 0s'},
  }),
  'poll-interval': durationFlag({
    description: 'Time between two status checks while waiting (at least 1s)',
    default: DEFAULT_POLL_INTERVAL,
    helpGroup: 'WAIT',
    min: {ms: MIN_POLL_INTERVAL_MS, why: 'it must be at least 1s, to spare the API'},
  }),
}

/** `--wait` plus the timing flags, for commands that start an operation. */
export function waitFlags(what: string) {
  return {
    wait: Flags.boolean({
      description: `Wait until ${what}; progress on stderr, the final result on stdout (exit 4 on timeout, 5 if it fails)`,
      helpGroup: 'WAIT',
    }),
    ...waitTimingFlags,
  }
}

export interface WaitTiming {
  timeoutMs: number
  pollIntervalMs: number
  /** The clock the wait polls and times out with (the command's; the system clock when absent). */
  clock?: WaitClock
}

/** The parsed `--timeout` and `--poll-interval` (milliseconds), defaults filled in; the wait will use `clock`. */
export function waitTiming(flags: {timeout?: number; 'poll-interval'?: number}, clock?: WaitClock): WaitTiming {
  return {
    timeoutMs: flags.timeout ?? parseDuration(DEFAULT_TIMEOUT),
    pollIntervalMs: flags['poll-interval'] ?? parseDuration(DEFAULT_POLL_INTERVAL),
    ...(clock ? {clock} : {}),
  }
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
