/**
 * Runs an esc command in-process, from the TypeScript sources, and captures what it printed.
 *
 *   const r = await runCli(['mesdb', 'backups', 'get', '--id', 'b1'], {env: {ESC_ACCESS_TOKEN: 't'}})
 *   assert.equal(r.exitCode, 0); assert.equal(r.stdout, '…'); assert.equal(r.stderr, '')
 *
 *   const r = await runCommand(BackupsWait, ['--id', 'b1'], {env, clock: virtualClock})
 *
 * - runCommand takes the command class itself (imported by the test); runCli finds it by its words.
 *   Both create the command and set its clocks on the instance (BaseCommand.clocks): `clock` is
 *   what waits poll and time out with (default: the system clock); retries of API calls never
 *   sleep (the delays asked for are returned in `sleeps`). Nothing is shared through globals, so it
 *   does not matter that the test and oclif may each load their own copy of a module.
 * - Commands are discovered from src/commands (the built oclif.manifest.json is ignored, so new
 *   commands work without a build).
 * - stdout is reported as not a TTY (so the default format is `cli`), unless `tty: true`.
 * - `env` entries are set for the run and restored after (`undefined` deletes a variable).
 * - Never calls process.exit: the exit code comes from oclif's ExitError.
 */
import {Config, Errors, Help, Plugin} from '@oclif/core'
import {readFileSync} from 'node:fs'
import {fileURLToPath} from 'node:url'
import path from 'node:path'

import type {CommandClocks} from '../../src/lib/cli/base-command.js'
import {systemClock, type WaitClock} from '../../src/lib/core/clock.js'

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..')

export interface RunOptions {
  env?: Record<string, string | undefined>
  /** Pretend stdout is a terminal (default false). */
  tty?: boolean
  /** Text fed to stdin-reading commands is not supported; prompts must be avoided with --noninteractive. */
  /** The clock the command's waits use (e.g. a virtual one whose sleep returns at once). */
  clock?: WaitClock
}

/** A command class as oclif loads it, or as a test imports it. */
export interface CommandClass {
  new (argv: string[], config: Config): {clocks?: CommandClocks; id?: string}
  id?: string
}

export interface RunResult {
  stdout: string
  stderr: string
  exitCode: number
  /** Delays (ms) the API client would have slept between retries. */
  sleeps: number[]
  /** A non-exit error that escaped the command (should not happen; commands catch everything). */
  error?: Error
}

let configPromise: Promise<Config> | undefined

/** One oclif Config for the whole test process: discovering commands from sources is the slow part. */
export function loadConfig(): Promise<Config> {
  configPromise ??= (async () => {
    process.env.NODE_ENV ??= 'test'
    // Point command discovery at the sources: oclif's own dist→src mapping needs ts-node or a tsx
    // registration that fails under mocha's tsx loader, and the built manifest may be stale.
    const pjson = JSON.parse(readFileSync(path.join(repoRoot, 'package.json'), 'utf8'))
    pjson.oclif = {...pjson.oclif, commands: './src/commands', plugins: []}
    const root = new Plugin({root: repoRoot, isRoot: true, pjson, ignoreManifest: true, errorOnManifestCreate: false})
    await root.load()
    return Config.load({root: repoRoot, plugins: new Map([[root.name, root]])})
  })()
  return configPromise
}

export async function runCli(argv: string[], options: RunOptions = {}): Promise<RunResult> {
  const config = await loadConfig()
  const [id, ...args] = splitCommand(config, argv)
  if (args.includes('--help') || args.includes('-h')) {
    // oclif handles --help in its runner, not in the command.
    return capture(options, () => new Help(config, config.pjson.oclif.helpOptions).showHelp([id]))
  }
  const command = (await config.findCommand(id)!.load()) as unknown as CommandClass
  return runCommand(command, args, options, id)
}

/** Runs `Command` with `argv` (flags and arguments only) as oclif would, with the clocks of `options`. */
export async function runCommand(Command: CommandClass, argv: string[], options: RunOptions = {}, id = Command.id): Promise<RunResult> {
  const config = await loadConfig()
  const sleeps: number[] = []
  const result = await capture(options, async () => {
    const command = new Command(argv, config)
    if (id) command.id = id
    command.clocks = {
      wait: options.clock ?? systemClock,
      retrySleep: async (ms) => void sleeps.push(ms),
    }
    await (command as unknown as {_run(): Promise<unknown>})._run()
  })
  return {...result, sleeps}
}

/** Runs `body` with env set, stdout/stderr captured and the exit code taken from oclif's ExitError. */
async function capture(options: RunOptions, body: () => Promise<unknown>): Promise<RunResult> {
  const saved: Record<string, string | undefined> = {}
  for (const [k, v] of Object.entries(options.env ?? {})) {
    saved[k] = process.env[k]
    if (v === undefined) delete process.env[k]
    else process.env[k] = v
  }
  let stdout = ''
  let stderr = ''
  const origOut = process.stdout.write
  const origErr = process.stderr.write
  const ttyDescriptor = Object.getOwnPropertyDescriptor(process.stdout, 'isTTY')
  const writer = (append: (s: string) => void) =>
    ((chunk: unknown, encoding?: unknown, cb?: unknown) => {
      append(typeof chunk === 'string' ? chunk : Buffer.from(chunk as Uint8Array).toString('utf8'))
      const done = typeof encoding === 'function' ? encoding : cb
      if (typeof done === 'function') done()
      return true
    }) as typeof process.stdout.write
  process.stdout.write = writer((s) => (stdout += s))
  process.stderr.write = writer((s) => (stderr += s))
  Object.defineProperty(process.stdout, 'isTTY', {value: options.tty ?? false, configurable: true, writable: true})
  let exitCode = 0
  let error: Error | undefined
  try {
    await body()
  } catch (error_) {
    const e = error_ as Error & {oclif?: {exit?: number}}
    if (e instanceof Errors.ExitError || typeof e.oclif?.exit === 'number') {
      exitCode = e.oclif?.exit ?? 1
    } else {
      error = e
      exitCode = 1
      stderr += `[run-cli] uncaught: ${e.stack ?? e.message}\n`
    }
  } finally {
    process.stdout.write = origOut
    process.stderr.write = origErr
    if (ttyDescriptor) Object.defineProperty(process.stdout, 'isTTY', ttyDescriptor)
    else delete (process.stdout as {isTTY?: boolean}).isTTY
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k]
      else process.env[k] = v
    }
  }
  return {stdout, stderr, exitCode, sleeps: [], error}
}

/** `['mesdb', 'backups', 'get', '--id', 'x']` → `['mesdb:backups:get', '--id', 'x']` (longest known id wins). */
function splitCommand(config: Config, argv: string[]): string[] {
  for (let n = argv.length; n > 0; n--) {
    const id = argv.slice(0, n).join(':')
    if (config.findCommand(id)) return [id, ...argv.slice(n)]
  }
  throw new Error(`run-cli: no command matches ${JSON.stringify(argv)}`)
}
