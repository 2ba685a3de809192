import {EscError, ExitCode} from '../errors.js'

/**
 * A file that does not have the layout KurrentDB expects. Carries the file so reports can name it;
 * exit code 5 (failed state) because the input exists but is not sound.
 */
export class FormatError extends EscError {
  readonly file: string
  readonly reason: string

  constructor(file: string, reason: string) {
    super(`${file}: ${reason}`, {exit: ExitCode.FailedState})
    this.name = 'FormatError'
    this.file = file
    this.reason = reason
  }
}

/** What `signal.throwIfAborted()` would throw, with a message naming the operation. */
export class AbortError extends Error {
  readonly code = 'ABORT_ERR'
  constructor(message = 'The operation was aborted') {
    super(message)
    this.name = 'AbortError'
  }
}

export function throwIfAborted(signal: AbortSignal | undefined, what: string): void {
  if (signal?.aborted) throw new AbortError(`${what} aborted`)
}
