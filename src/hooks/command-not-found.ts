import {type Hook, toConfiguredId} from '@oclif/core'

import {closest} from '../lib/cli/did-you-mean.js'
import {ExitCode} from '../lib/cli/error-exit.js'

export {closest, editDistance} from '../lib/cli/did-you-mean.js'

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
  const lines = [
    `Error: "${typed}" is not an ${opts.config.bin} command.${suggestion ? ` Did you mean "${toConfiguredId(suggestion, opts.config)}"?` : ''}`,
  ]
  lines.push(`  Run ${helpCommand} for a list of available commands.`)
  process.stderr.write(`${lines.join('\n')}\n`)
  this.exit(ExitCode.Usage)
}

export default hook
