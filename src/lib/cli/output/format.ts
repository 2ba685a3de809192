import {UsageError} from '../../core/errors.js'

import {ESC_OUTPUT_FORMATS} from '../../client/config/profiles.js'

export {ESC_OUTPUT_FORMATS} from '../../client/config/profiles.js'
/** What `--fmt` takes: esc's formats plus ours. */
export const OUTPUT_FORMATS = [...ESC_OUTPUT_FORMATS, 'table'] as const
export type OutputFormat = (typeof OUTPUT_FORMATS)[number]

export function isOutputFormat(value: string): value is OutputFormat {
  return (OUTPUT_FORMATS as readonly string[]).includes(value)
}

export interface FormatInputs {
  /** `--fmt` */
  flag?: string
  /** `--json` */
  json?: boolean
  /** `fmt` of the selected profile */
  profile?: string
  /** Is stdout a terminal? */
  isTTY?: boolean
}

/**
 * `--fmt` > `--json` (only when the format would be cli) > profile `fmt` > `table` on a terminal
 * when nothing is configured > `cli` (esc's default, so scripts and pipes see esc's output).
 */
export function resolveFormat(i: FormatInputs): OutputFormat {
  let configured: OutputFormat | undefined
  if (i.flag) {
    if (!isOutputFormat(i.flag))
      throw new UsageError(`--fmt ${i.flag} is not an output format`, {suggestions: [`Use one of: ${OUTPUT_FORMATS.join(', ')}`]})
    configured = i.flag
  } else if (i.profile) {
    if (!isOutputFormat(i.profile)) {
      throw new UsageError(`the profile's fmt "${i.profile}" is not an output format`, {
        suggestions: [`Fix it with \`esc profiles set -p <profile> -n fmt -v <${OUTPUT_FORMATS.join('|')}>\``],
      })
    }
    configured = i.profile
  }
  if (i.json && (configured === undefined || configured === 'cli')) return 'cli-json'
  return configured ?? (i.isTTY ? 'table' : 'cli')
}
