// Runs esc through oclif, with a fast path for the common case: a plain invocation of one of esc's
// own commands (`esc mesdb backups list …`) loads only esc's own plugin, not @oclif/plugin-help
// and @oclif/plugin-autocomplete (their package.json and manifests, and oclif's plugin discovery).
// Those plugins only contribute the `help` and `autocomplete` commands, so the run is the same.
//
// Everything else takes oclif's normal path, unchanged: no arguments, a flag first (`esc --debug`),
// `help`/`autocomplete`, `--help`/`-h` anywhere before `--`, a topic (`esc mesdb`), anything that
// is not one of esc's commands (the command_not_found hook's suggestions include the plugins'
// commands), and any run with user-installed plugins (<dataDir>/package.json), which could add or
// replace commands. ESC_STARTUP_FAST_PATH=0 forces the normal path (tests compare the two).
import {existsSync} from 'node:fs'
import {dirname, join} from 'node:path'
import {fileURLToPath} from 'node:url'

import {loadOclifCore} from './oclif-core.js'

/** First words of the commands that @oclif/plugin-help and @oclif/plugin-autocomplete add (test/bin checks their manifests). */
export const PLUGIN_COMMAND_WORDS = new Set(['help', 'autocomplete'])
const HELP_FLAGS = new Set(['--help', '-h'])

/** True when argv must take oclif's normal path whatever the command. */
export function needsNormalPath(argv) {
  if (process.env.ESC_STARTUP_FAST_PATH === '0') return true
  if (argv.length === 0 || argv[0].startsWith('-') || PLUGIN_COMMAND_WORDS.has(argv[0])) return true
  for (const arg of argv) {
    if (arg === '--') break
    if (HELP_FLAGS.has(arg)) return true
  }
  return false
}

/**
 * The command id oclif derives from argv with topicSeparator ' ' (collateSpacedCmdIDFromArgs in
 * @oclif/core's help/util.js, which the package does not export): words join the id while they
 * extend a known id, or until a flag, an `=` argument, or a command that takes positional args.
 */
export function commandIdFromArgv(config, argv) {
  const usable = new Set(config.commandIDs.flatMap((id) => id.split(':').map((_, i, a) => a.slice(0, i + 1).join(':'))))
  const words = []
  const idWith = (s) => (s ? [...words, s] : words).filter(Boolean).join(':')
  const hasArgs = () => {
    const id = idWith()
    if (!id) return false
    const cmd = config.findCommand(id)
    return Boolean(cmd && (cmd.strict === false || Object.keys(cmd.args ?? {}).length > 0))
  }
  if (argv[0].includes(':') || argv.length === 1) return argv[0]
  for (const arg of argv) {
    if (usable.has(idWith(arg))) words.push(arg)
    else if (arg.includes('=') || arg.startsWith('-') || hasArgs()) break
    else words.push(arg)
  }
  return idWith() || argv[0]
}

/** oclif's own root: the directory of esc's package.json (bin/..). */
const root = dirname(dirname(fileURLToPath(import.meta.url)))

/** Runs argv (already through hoistGlobalFlags) as `esc` would; `dir` is bin/run.js's import.meta.url. */
export async function dispatch(argv, dir) {
  const {Config, Plugin, execute} = await loadOclifCore()
  if (!needsNormalPath(argv)) {
    const plugin = new Plugin({isRoot: true, root})
    await plugin.load()
    const loadOptions = {root, plugins: new Map([[plugin.name, plugin]])}
    const config = await Config.load(loadOptions)
    const userPlugins = existsSync(join(config.dataDir, 'package.json'))
    if (!userPlugins && config.findCommand(commandIdFromArgv(config, argv))) {
      // oclif's own run with the same options: its Config.load reuses the loaded plugin (esc's
      // package.json and manifest are not read again).
      return execute({args: argv, loadOptions})
    }
  }
  return execute({args: argv, dir})
}
