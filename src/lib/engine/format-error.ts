import {EscError, type ErrorHint} from '../core/errors.js'

export {AbortError, throwIfAborted} from '../core/errors.js'

/**
 * A file that does not have the layout KurrentDB expects. Carries the file so reports can name it;
 * its kind is 'damaged-file': the input exists but is not sound.
 */
export class FormatError extends EscError {
  readonly file: string
  readonly reason: string

  /** `message` replaces the default `<file>: <reason>` where a sentence reads better. */
  constructor(file: string, reason: string, message = `${file}: ${reason}`, hint?: ErrorHint) {
    super(message, {kind: 'damaged-file', hint})
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
  constructor(
    message: string,
    readonly problems: {file: string; reason: string}[] = [],
    suggestions: string[] = [],
  ) {
    super(message, {kind: 'unsound-backup', suggestions})
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
    super(message, {kind: 'disk-full', cause})
    this.name = 'DiskFullError'
  }
}
