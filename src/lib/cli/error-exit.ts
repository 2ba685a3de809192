import {type ErrorAdvice, type ErrorKind, errorKind, type EscError} from '../core/errors.js'

/**
 * Exit codes are part of the CLI's contract (README "Exit codes"): scripts branch on them.
 */
export const ExitCode = {
  Ok: 0,
  Failure: 1,
  Usage: 2,
  Auth: 3,
  Timeout: 4,
  FailedState: 5,
  Interrupted: 130,
  /** The Rust esc's `exit(-1)`, kept where it used it: `profiles default get`, `access tokens create` and `access tokens display`. */
  EscLegacy: 255,
} as const
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode]

/** The one place an error's kind becomes an exit code. */
export const EXIT_CODE_BY_KIND: Readonly<Record<ErrorKind, ExitCode>> = {
  failure: ExitCode.Failure,
  'invalid-input': ExitCode.Usage,
  auth: ExitCode.Auth,
  timeout: ExitCode.Timeout,
  'failed-state': ExitCode.FailedState,
  'not-found': ExitCode.Failure,
  conflict: ExitCode.Failure,
  unavailable: ExitCode.Failure,
  'unsafe-source': ExitCode.Failure,
  // The input exists but is not sound: the same verdict as a resource in a failed state.
  'damaged-file': ExitCode.FailedState,
  'unsound-backup': ExitCode.FailedState,
  refused: ExitCode.Failure,
  'disk-full': ExitCode.Failure,
  interrupted: ExitCode.Interrupted,
}

/**
 * How advice is worded for a person at the command line. `inline` advice ends the error's own line
 * (after "; "); the rest is printed as a suggestion line under it.
 */
export const ADVICE_TEXT: Readonly<Record<ErrorAdvice, {text: string; inline?: boolean}>> = {
  offline: {text: 'Stop the node (POST /admin/shutdown) and run again with --offline, or use volume snapshots.'},
  force: {text: 'restore onto an empty directory or pass --force to move the current contents aside', inline: true},
  'allow-lagging': {text: 'Back up an up-to-date node, or pass --allow-lagging to back up this one anyway.'},
  'node-credentials': {text: 'Pass --username/--password (or ESC_NODE_USERNAME/ESC_NODE_PASSWORD) of an $admins or $ops user.'},
  'without-node-guard': {text: 'Make sure no scavenge runs, then back up without --node-url.'},
  index: {text: "check the node's index, or back up with --index pointing at the right directory", inline: true},
  'separate-index': {text: 'give --index a directory of its own', inline: true},
  db: {text: "Point --db at the node's data directory (the one holding chunk-*.* and *.chk)."},
  'state-dir': {text: 'restore it from a copy, or start with a new --dir', inline: true},
  'backup-password': {text: 'Set ESC_BACKUP_PASSWORD, pass --password-file FILE, or run in a terminal to be asked for it.'},
}

/** The exit code esc ends with for `error`; an error that is not ours is a plain failure. */
export function exitCodeOf(error: unknown): ExitCode {
  return EXIT_CODE_BY_KIND[errorKind(error)]
}

/** The `Error: …` line and the suggestion lines a person sees for `error`. */
export function describeError(error: EscError): {message: string; suggestions: string[]} {
  const advice = error.hint ? ADVICE_TEXT[error.hint.advice] : undefined
  if (!advice) return {message: error.message, suggestions: error.suggestions}
  if (advice.inline) return {message: `${error.message}; ${advice.text}`, suggestions: error.suggestions}
  return {message: error.message, suggestions: [advice.text, ...error.suggestions]}
}
