import {Flags} from '@oclif/core'

import {formatBytes, parseSize} from '../engine/progress.js'
import {FlagValueError} from './base-flags.js'

// Apart from base-flags.ts: sizes are the engine's (parseSize), and the cloud commands, which
// import base-flags.ts, never load the engine.

interface SizeFlagOptions {
  description: string
  /** In bytes. */
  default: number
  /** As help shows it; default: the default in bytes. */
  defaultHelp?: string
  min?: number
}

/** A size flag (`1MiB`, `64KiB`, `4096`) parsed to bytes; a bad value is a usage error (exit 2) at parse time. */
export function sizeFlag(options: SizeFlagOptions) {
  return Flags.custom<number>({
    description: options.description,
    default: options.default,
    defaultHelp: async () => options.defaultHelp ?? String(options.default),
    async parse(input, _context, definition) {
      const flag = `--${definition.name}`
      const bytes = parseSize(input)
      if (bytes === undefined) throw new FlagValueError(`${flag} "${input}" is not a size; use e.g. 1MiB, 64KiB or 4096`)
      if (options.min !== undefined && bytes < options.min) {
        throw new FlagValueError(`${flag} "${input}" is too small; use at least ${formatBytes(options.min)} (${options.min})`)
      }
      return bytes
    },
  })()
}
