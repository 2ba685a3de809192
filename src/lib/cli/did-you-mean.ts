/** Did-you-mean for mistyped commands (the command_not_found hook) and flags (the base command). */

/** The known word nearest to `typed` by edit distance, if it is near enough to be a plausible typo. */
export function closest(typed: string, words: string[]): string | undefined {
  let best: string | undefined
  let bestDistance = Number.POSITIVE_INFINITY
  for (const word of words) {
    const d = editDistance(typed, word)
    if (d < bestDistance) {
      best = word
      bestDistance = d
    }
  }
  // Beyond about a third of the word, a "suggestion" is a guess that misleads more than it helps.
  return best !== undefined && bestDistance <= Math.max(2, Math.floor(typed.length / 3)) ? best : undefined
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

export function editDistance(a: string, b: string): number {
  let previous = Array.from({length: b.length + 1}, (_, j) => j)
  for (let i = 1; i <= a.length; i++) {
    const current = [i]
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1))
    }
    previous = current
  }
  return previous[b.length]
}
