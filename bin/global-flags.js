// esc accepts its global flags anywhere after `esc`, including before the command
// (`esc --profile local mesdb backups list`). oclif resolves the command from the first words of
// argv, so global flags found before the command are moved to just after its words.
// These are the global flags of src/lib/cli/base-cloud-command.ts (this file runs before any of
// esc's TypeScript loads); test/bin/global-flags.test.ts fails when the two lists diverge.
export const WITH_VALUE = new Set(['--fmt', '--refresh-token', '--profile', '--api-url'])
export const SWITCHES = new Set(['--debug', '--json', '--no-truncate', '--noninteractive'])

export function hoistGlobalFlags(argv) {
  const leading = []
  let i = 0
  while (i < argv.length) {
    const arg = argv[i]
    const name = arg.split('=')[0]
    if (SWITCHES.has(arg)) {
      leading.push(arg)
      i += 1
    } else if (WITH_VALUE.has(name) && arg.includes('=')) {
      leading.push(arg)
      i += 1
    } else if (WITH_VALUE.has(arg) && i + 1 < argv.length) {
      leading.push(arg, argv[i + 1])
      i += 2
    } else break
  }
  if (leading.length === 0) return argv
  const rest = argv.slice(i)
  let words = 0
  while (words < rest.length && !rest[words].startsWith('-')) words++
  // With no command left (`esc --debug`), keep the flags where they were so oclif reports them.
  if (words === 0) return argv
  return [...rest.slice(0, words), ...leading, ...rest.slice(words)]
}
