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

export interface EscErrorOptions {
  exit?: ExitCode
  suggestions?: string[]
  cause?: unknown
  /** Extra lines printed only with --debug (request/response traces and the like). */
  debugDetails?: string[]
}

/**
 * An error the user can act on: printed as one `Error: …` line on stderr (plus suggestions),
 * never with a stack trace unless --debug.
 */
export class EscError extends Error {
  readonly exit: ExitCode
  readonly suggestions: string[]
  readonly debugDetails: string[]

  constructor(message: string, options: EscErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : {cause: options.cause})
    this.name = 'EscError'
    this.exit = options.exit ?? ExitCode.Failure
    this.suggestions = options.suggestions ?? []
    this.debugDetails = options.debugDetails ?? []
  }
}

export class UsageError extends EscError {
  constructor(message: string, options: Omit<EscErrorOptions, 'exit'> = {}) {
    super(message, {...options, exit: ExitCode.Usage})
    this.name = 'UsageError'
  }
}
