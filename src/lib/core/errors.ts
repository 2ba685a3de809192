/**
 * What went wrong, in terms every layer shares. The CLI turns a kind into an exit code and the
 * local cloud into an HTTP status, each in one table of its own; an error itself carries neither.
 */
export const ERROR_KINDS = [
  /** Anything without a more specific kind. */
  'failure',
  /** An argument, option, environment variable or file content the caller gave is not acceptable. */
  'invalid-input',
  /** Credentials are missing, refused or unreadable. */
  'auth',
  /** A wait ran out of time. */
  'timeout',
  /** A resource or node is in a state the operation cannot proceed from. */
  'failed-state',
  /** Something the operation needs is not there. */
  'not-found',
  /** Another run or operation holds what this one needs. */
  'conflict',
  /** A service could not be reached. */
  'unavailable',
  /** The source cannot be copied safely while it runs. */
  'unsafe-source',
  /** A file does not have the layout KurrentDB expects. */
  'damaged-file',
  /** A backup would not restore: it is not whole, or its data fails verification. */
  'unsound-backup',
  /** A removal was refused because its target is not provably ours to remove. */
  'refused',
  /** The disk filled while writing. */
  'disk-full',
  /** The operation was stopped by a signal (Ctrl-C, SIGTERM, a shutdown). */
  'interrupted',
] as const
export type ErrorKind = (typeof ERROR_KINDS)[number]

/**
 * Advice that depends on how the operation was started (a CLI flag, an API field): the error names
 * the advice, whoever shows the error words it for its own users.
 */
export const ERROR_ADVICE = [
  /** Copy the source while it is stopped. */
  'offline',
  /** Move a non-empty restore target aside instead of refusing it. */
  'force',
  /** Back up a node that is behind its leader anyway. */
  'allow-lagging',
  /** Give the node's admin credentials. */
  'node-credentials',
  /** Back up without the node guard (the node cannot report scavenges). */
  'without-node-guard',
  /** Name the index directory explicitly (the default one is not the node's). */
  'index',
  /** Keep the index directory apart from the data directory. */
  'separate-index',
  /** Name the node's data directory. */
  'db',
  /** The local cloud's state is damaged: restore it, or use another state directory. */
  'state-dir',
  /** Give the password of an encrypted backup repository. */
  'backup-password',
] as const
export type ErrorAdvice = (typeof ERROR_ADVICE)[number]

export interface ErrorHint {
  advice: ErrorAdvice
}

export interface EscErrorOptions {
  kind?: ErrorKind
  /** Advice whose wording depends on the caller (see ErrorAdvice). */
  hint?: ErrorHint
  suggestions?: string[]
  cause?: unknown
  /** Extra lines printed only with --debug (request/response traces and the like). */
  debugDetails?: string[]
}

/**
 * An error the user can act on: printed as one `Error: …` line on stderr (plus suggestions),
 * never with a stack trace unless --debug. Its message names files, positions and causes; any
 * advice that names a flag comes from `hint`, rendered by the CLI.
 */
export class EscError extends Error {
  readonly kind: ErrorKind
  readonly hint?: ErrorHint
  readonly suggestions: string[]
  readonly debugDetails: string[]

  constructor(message: string, options: EscErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : {cause: options.cause})
    this.name = 'EscError'
    this.kind = options.kind ?? 'failure'
    if (options.hint) this.hint = options.hint
    this.suggestions = options.suggestions ?? []
    this.debugDetails = options.debugDetails ?? []
  }
}

export class UsageError extends EscError {
  constructor(message: string, options: Omit<EscErrorOptions, 'kind'> = {}) {
    super(message, {...options, kind: 'invalid-input'})
    this.name = 'UsageError'
  }
}

/**
 * The one abort error: what a sleep, a wait or an engine operation throws when its signal aborts.
 * `name` and `code` match the platform's AbortError so code written against those still works.
 */
export class AbortError extends EscError {
  readonly code = 'ABORT_ERR'
  constructor(message = 'The operation was aborted', options: Omit<EscErrorOptions, 'kind'> = {}) {
    super(message, {...options, kind: 'interrupted'})
    this.name = 'AbortError'
  }
}

/**
 * Whether `error` is an abort: ours (told by kind, so a copy of this module loaded a second time
 * still counts), or the platform's (fetch and `signal.throwIfAborted()` throw a DOMException,
 * which cannot be one of ours; its name is its type).
 */
export function isAbortError(error: unknown): boolean {
  return errorKind(error) === 'interrupted' || (error instanceof DOMException && error.name === 'AbortError')
}

export function throwIfAborted(signal: AbortSignal | undefined, what: string): void {
  if (signal?.aborted) throw new AbortError(`${what} aborted`)
}

const KINDS: ReadonlySet<string> = new Set(ERROR_KINDS)

/**
 * Whether `error` is an EscError. Told by its shape as well as its class: a module loaded lazily
 * (the engine, by the local cloud and the node commands) may come with its own copy of this one,
 * whose EscError is another class.
 */
export function isEscError(error: unknown): error is EscError {
  if (error instanceof EscError) return true
  if (!(error instanceof Error)) return false
  const {kind, suggestions, debugDetails} = error as Partial<EscError>
  return typeof kind === 'string' && KINDS.has(kind) && Array.isArray(suggestions) && Array.isArray(debugDetails)
}

/** The kind of `error`, `failure` for anything that is not an EscError. */
export function errorKind(error: unknown): ErrorKind {
  return isEscError(error) ? error.kind : 'failure'
}
