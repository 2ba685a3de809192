import {nearestWord} from '../../core/nearest.js'

/** The token name or format nearest to `typed` (any case), when near enough to be a plausible typo. */
export function nearest(typed: string, choices: readonly string[]): string | undefined {
  return nearestWord(typed.toLowerCase(), choices, 1)
}
