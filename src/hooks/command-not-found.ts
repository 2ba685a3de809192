import {type Hook, toConfiguredId} from '@oclif/core'

import {ExitCode} from '../lib/cli/error-exit.js'

/**
 * Did-you-mean for a mistyped command. Replaces @oclif/plugin-not-found, which offers to run its
 * guess (risky when the guess is `delete`) and exits 127 — not one of esc's exit codes — where a
 * mistyped command is a usage error (2) like any other.
 */
const hook: Hook.CommandNotFound = async function (opts) {
  const visible = opts.config.commands.filter((c) => !c.hidden).map((c) => c.id)
  const typed = toConfiguredId(opts.id, opts.config)
  const suggestion = closest(opts.id, visible)
  const topic = opts.id.split(':')[0]
  const helpCommand = `${opts.config.bin} help${opts.config.findTopic(topic) ? ` ${topic}` : ''}`
  const lines = [`Error: "${typed}" is not an ${opts.config.bin} command.${suggestion ? ` Did you mean "${toConfiguredId(suggestion, opts.config)}"?` : ''}`]
  lines.push(`  Run ${helpCommand} for a list of available commands.`)
  process.stderr.write(`${lines.join('\n')}\n`)
  this.exit(ExitCode.Usage)
}

export default hook

/** The known id nearest to `typed` by edit distance, if it is near enough to be a plausible typo. */
export function closest(typed: string, ids: string[]): string | undefined {
  let best: string | undefined
  let bestDistance = Number.POSITIVE_INFINITY
  for (const id of ids) {
    const d = editDistance(typed, id)
    if (d < bestDistance) {
      best = id
      bestDistance = d
    }
  }
  // Beyond about a third of the word, a "suggestion" is a guess that misleads more than it helps.
  return best !== undefined && bestDistance <= Math.max(2, Math.floor(typed.length / 3)) ? best : undefined
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
