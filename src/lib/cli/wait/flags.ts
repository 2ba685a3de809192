import {Flags} from '@oclif/core'

import type {WaitClock} from '../../core/clock.js'

import {durationToFlag, parseDuration} from '../../core/duration.js'
import {UsageError} from '../../core/errors.js'

export const DEFAULT_TIMEOUT = '60m'
export const DEFAULT_POLL_INTERVAL = '5s'
export const MIN_POLL_INTERVAL_MS = 1000

/** `--timeout` and `--poll-interval`, shared by every command that waits (they imply nothing alone). */
export const waitTimingFlags = {
  timeout: Flags.string({
    description: 'How long to wait before giving up with exit code 4, e.g. 90s, 15m, 2h',
    default: DEFAULT_TIMEOUT,
    helpGroup: 'WAIT',
  }),
  'poll-interval': Flags.string({
    description: 'Time between two status checks while waiting (at least 1s)',
    default: DEFAULT_POLL_INTERVAL,
    helpGroup: 'WAIT',
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

/** Reads `--timeout` and `--poll-interval` (usage error, exit 2, when malformed or too short); the wait will use `clock`. */
export function waitTiming(flags: {timeout?: string; 'poll-interval'?: string}, clock?: WaitClock): WaitTiming {
  const timeoutMs = parseDuration(flags.timeout ?? DEFAULT_TIMEOUT, '--timeout')
  const pollIntervalMs = parseDuration(flags['poll-interval'] ?? DEFAULT_POLL_INTERVAL, '--poll-interval')
  if (timeoutMs <= 0) throw new UsageError(`Invalid --timeout '${flags.timeout}': it must be longer than 0s`)
  if (pollIntervalMs < MIN_POLL_INTERVAL_MS) {
    throw new UsageError(`Invalid --poll-interval '${flags['poll-interval']}': it must be at least 1s, to spare the API`)
  }
  return {timeoutMs, pollIntervalMs, ...(clock ? {clock} : {})}
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
