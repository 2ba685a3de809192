/** Levenshtein distance: insertions, deletions and substitutions, one each. */
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

/**
 * The choice nearest to `typed` by edit distance when it is a plausible typo: different from what
 * was typed and at most `max(atLeast, a third of its length)` edits away. Beyond about a third of
 * the word a suggestion is a guess that misleads more than it helps.
 */
export function nearestWord(typed: string, choices: readonly string[], atLeast: number): string | undefined {
  let best: string | undefined
  let bestDistance = Number.POSITIVE_INFINITY
  for (const choice of choices) {
    const d = editDistance(typed, choice)
    if (d < bestDistance) {
      best = choice
      bestDistance = d
    }
  }
  return best !== undefined && bestDistance > 0 && bestDistance <= Math.max(atLeast, Math.floor(typed.length / 3)) ? best : undefined
}
