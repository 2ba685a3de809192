// esc accepts its global flags anywhere after `esc`, as clap's `global = true` does: before the
// command (`esc --profile local mesdb backups list`) and between its words
// (`esc mesdb --json backups get -i X`). oclif resolves the command from the first words of argv,
// so global flags found among those words are moved to just after them.
// These are the global flags of src/lib/cli/base-cloud-command.ts (this file runs before any of
// esc's TypeScript loads); test/bin/global-flags.test.ts fails when the two lists diverge.
export const WITH_VALUE = new Set(['--fmt', '--refresh-token', '--profile', '--api-url'])
export const SWITCHES = new Set(['--debug', '--json', '--no-truncate', '--noninteractive'])

export function hoistGlobalFlags(argv) {
  const words = []
  const globals = []
  // Whether a global flag came before a word: only then does anything move.
  let moved = false
  let i = 0
  while (i < argv.length) {
    const arg = argv[i]
    const name = arg.split('=')[0]
    if (SWITCHES.has(arg) || (WITH_VALUE.has(name) && arg.includes('='))) {
      globals.push(arg)
      i += 1
    } else if (WITH_VALUE.has(arg) && i + 1 < argv.length) {
      globals.push(arg, argv[i + 1])
      i += 2
    } else if (arg.startsWith('-')) {
      break
    } else {
      if (globals.length > 0) moved = true
      words.push(arg)
      i += 1
    }
  }
  // With no command (`esc --debug`), or nothing out of place, argv stays as given so that oclif
  // reports it as typed.
  if (!moved || words.length === 0) return argv
  return [...words, ...globals, ...argv.slice(i)]
}

// `esc integrations create --description D slack --channel-id C …`: the official esc takes the
// flags of `create` before the sink's word; oclif needs the whole command id first, so they move
// after it.
const CREATE_SINKS = new Set(['slack', 'ops-genie', 'webhook'])

export function hoistIntegrationCreateFlags(argv) {
  if (argv[0] !== 'integrations' || argv[1] !== 'create') return argv
  const sink = argv.findIndex((arg, i) => i > 1 && CREATE_SINKS.has(arg) && !argv[i - 1].match(/^--[a-z-]+$/))
  if (sink <= 2) return argv
  return [...argv.slice(0, 2), argv[sink], ...argv.slice(2, sink), ...argv.slice(sink + 1)]
}
