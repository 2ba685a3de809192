import {EscError, ExitCode} from '../core/errors.js'

/**
 * A file that does not have the layout KurrentDB expects. Carries the file so reports can name it;
 * exit code 5 (failed state) because the input exists but is not sound.
 */
export class FormatError extends EscError {
  readonly file: string
  readonly reason: string

  /** `message` replaces the default `<file>: <reason>` where a sentence reads better. */
  constructor(file: string, reason: string, message = `${file}: ${reason}`) {
    super(message, {exit: ExitCode.FailedState})
    this.name = 'FormatError'
    this.file = file
    this.reason = reason
  }
}

/**
 * A backup that would not restore (its manifest or its data fails verification). Nothing was
 * changed; whoever holds a record of this backup should mark it unusable.
 */
export class UnsoundBackupError extends EscError {
  constructor(message: string, readonly problems: {file: string; reason: string}[] = [], suggestions: string[] = []) {
    super(message, {exit: ExitCode.FailedState, suggestions})
    this.name = 'UnsoundBackupError'
  }
}

/**
 * The disk filled while writing: `code` stays 'ENOSPC' so callers (the local cloud's 507) can tell
 * it from other failures, and the message names the directory being written.
 */
export class DiskFullError extends EscError {
  readonly code = 'ENOSPC'
  constructor(message: string, cause?: unknown) {
    super(message, {exit: ExitCode.Failure, cause})
    this.name = 'DiskFullError'
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
