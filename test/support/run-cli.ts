/**
 * Runs an esc command in-process, from the TypeScript sources, and captures what it printed.
 *
 *   const r = await runCli(['mesdb', 'backups', 'get', '--id', 'b1'], {env: {ESC_TOKEN: 't'}})
 *   assert.equal(r.exitCode, 0); assert.equal(r.stdout, '…'); assert.equal(r.stderr, '')
 *
 * - Commands are discovered from src/commands (the built oclif.manifest.json is ignored, so new
 *   commands work without a build).
 * - stdout is reported as not a TTY (so the default format is `cli`), unless `tty: true`.
 * - `env` entries are set for the run and restored after (`undefined` deletes a variable).
 * - Retries sleep for 0 ms (the real delays are recorded in `sleeps`).
 * - Never calls process.exit: the exit code comes from oclif's ExitError.
 */
import {Config, Errors, Help, Plugin} from '@oclif/core'
import {readFileSync} from 'node:fs'
import {fileURLToPath} from 'node:url'
import path from 'node:path'

import {retryClock} from '../../src/lib/client/api/timing.js'

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..')

export interface RunOptions {
  env?: Record<string, string | undefined>
  /** Pretend stdout is a terminal (default false). */
  tty?: boolean
  /** Text fed to stdin-reading commands is not supported; prompts must be avoided with --noninteractive. */
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
  const saved: Record<string, string | undefined> = {}
  for (const [k, v] of Object.entries(options.env ?? {})) {
    saved[k] = process.env[k]
    if (v === undefined) delete process.env[k]
    else process.env[k] = v
  }
  let stdout = ''
  let stderr = ''
  const sleeps: number[] = []
  const origOut = process.stdout.write
  const origErr = process.stderr.write
  const ttyDescriptor = Object.getOwnPropertyDescriptor(process.stdout, 'isTTY')
  const origSleep = retryClock.sleep
  const capture = (append: (s: string) => void) =>
    ((chunk: unknown, encoding?: unknown, cb?: unknown) => {
      append(typeof chunk === 'string' ? chunk : Buffer.from(chunk as Uint8Array).toString('utf8'))
      const done = typeof encoding === 'function' ? encoding : cb
      if (typeof done === 'function') done()
      return true
    }) as typeof process.stdout.write
  process.stdout.write = capture((s) => (stdout += s))
  process.stderr.write = capture((s) => (stderr += s))
  Object.defineProperty(process.stdout, 'isTTY', {value: options.tty ?? false, configurable: true, writable: true})
  retryClock.sleep = async (ms) => void sleeps.push(ms)
  let exitCode = 0
  let error: Error | undefined
  try {
    const [id, ...args] = splitCommand(config, argv)
    if (args.includes('--help') || args.includes('-h')) {
      // oclif handles --help in its runner, not in runCommand.
      await new Help(config, config.pjson.oclif.helpOptions).showHelp([id])
    } else {
      await config.runCommand(id, args)
    }
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
    retryClock.sleep = origSleep
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k]
      else process.env[k] = v
    }
  }
  return {stdout, stderr, exitCode, sleeps, error}
}

/** `['mesdb', 'backups', 'get', '--id', 'x']` → `['mesdb:backups:get', '--id', 'x']` (longest known id wins). */
function splitCommand(config: Config, argv: string[]): string[] {
  for (let n = argv.length; n > 0; n--) {
    const id = argv.slice(0, n).join(':')
    if (config.findCommand(id)) return [id, ...argv.slice(n)]
  }
  throw new Error(`run-cli: no command matches ${JSON.stringify(argv)}`)
}
