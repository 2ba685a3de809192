import {Flags} from '@oclif/core'

import {parseDuration} from '../core/duration.js'
import {UsageError} from '../core/errors.js'

/**
 * A flag's value that does not parse. oclif rewrites the message of any error its flag parsers
 * throw into a multi-line "Parsing --x …" text; `reason` keeps the one line to show, and the base
 * command's parse() puts it back (BaseCommand.parse).
 */
export class FlagValueError extends UsageError {
  readonly reason: string

  constructor(message: string) {
    super(message)
    this.reason = message
  }
}

interface DurationFlagOptions {
  description: string
  /** As the user would type it (e.g. `60m`): shown in help, parsed once here. */
  default: string
  helpGroup?: string
  /** The shortest duration accepted, and the end of the message that refuses a shorter one. */
  min?: {ms: number; why: string}
  /** Show the default in help but leave the flag undefined when absent, so the command can tell a given value from the default. */
  defaultInHelpOnly?: boolean
}

/** A duration flag (`90s`, `15m`, `1h30m`) parsed to milliseconds; a bad value is a usage error (exit 2) at parse time. */
export function durationFlag(options: DurationFlagOptions) {
  return Flags.custom<number>({
    description: options.description,
    helpGroup: options.helpGroup,
    ...(options.defaultInHelpOnly ? {} : {default: parseDuration(options.default)}),
    defaultHelp: async () => options.default,
    async parse(input, _context, definition) {
      const flag = `--${definition.name}`
      let ms: number
      try {
        ms = parseDuration(input, flag)
      } catch (error) {
        throw new FlagValueError((error as Error).message)
      }
      if (options.min && ms < options.min.ms) throw new FlagValueError(`Invalid ${flag} '${input}': ${options.min.why}`)
      return ms
    },
  })()
}

interface TextFlagOptions {
  description: string
  /** What to give instead, ending the message that refuses an empty value: `give the backup a description`. */
  fix: string
}

/**
 * A required text flag that must say something: an empty or blank value (`--description ""`, a
 * variable that was never set) is a usage error (exit 2) at parse time, before anything is sent.
 */
export function nonBlankFlag(options: TextFlagOptions) {
  return Flags.custom<string>({
    description: options.description,
    required: true,
    async parse(input, _context, definition) {
      if (input.trim() === '') throw new FlagValueError(`--${definition.name} is empty: ${options.fix}`)
      return input
    },
  })()
}
