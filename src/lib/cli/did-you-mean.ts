/** Did-you-mean for mistyped commands (the command_not_found hook) and flags (the base command). */
import {nearestWord} from '../core/nearest.js'

export {editDistance} from '../core/nearest.js'

/** The known word nearest to `typed`, if near enough to be a plausible typo (two edits are always allowed). */
export function closest(typed: string, words: string[]): string | undefined {
  return nearestWord(typed, words, 2)
}

/**
 * The flag (a name without dashes) meant by a nonexistent `--typed`: a near typo, else the one flag
 * that ends with what was typed (`--cluster-id` for `--source-cluster-id`).
 */
export function closestFlag(typed: string, names: string[]): string | undefined {
  const near = closest(typed, names)
  if (near) return near
  const endings = names.filter((name) => name.endsWith(`-${typed}`))
  return endings.length === 1 ? endings[0] : undefined
}
