import {readFile} from 'node:fs/promises'
import {join, resolve} from 'node:path'

import {UsageError} from '../../core/errors.js'

/** The configuration file `esc local start` reads from its state directory when --config names none. */
export const CONFIG_FILE = 'config.toml'

/** What the configuration file may set: the options of `esc local start` that describe a cloud, not one run. */
export interface FileSettings {
  backupStore?: string
  port?: number
  profile?: string
}

export interface StartSettings {
  backupStore: string | undefined
  port: number
  profile: string
}

export const DEFAULT_PORT = 2180
export const DEFAULT_PROFILE = 'local'

/**
 * A flag (or the environment variable oclif reads for it) wins over the file, the file over the
 * default. The host is not read from the file: an address beyond loopback is given on the command
 * line each time, where it is seen.
 */
export function startSettings(flags: {'backup-store'?: string; port?: number; profile?: string}, file: FileSettings): StartSettings {
  return {
    backupStore: flags['backup-store'] ?? file.backupStore,
    port: flags.port ?? file.port ?? DEFAULT_PORT,
    profile: flags.profile ?? file.profile ?? DEFAULT_PROFILE,
  }
}

/**
 * Reads the configuration file: `explicit` (--config) must exist, `<stateDir>/config.toml` may be
 * absent. Anything wrong in it is one line naming the file and the key: the cloud does not start
 * on a configuration it would half ignore.
 */
export async function readStartConfig(stateDir: string, explicit?: string): Promise<FileSettings> {
  const file = explicit === undefined ? join(stateDir, CONFIG_FILE) : resolve(explicit)
  let text: string
  try {
    text = await readFile(file, 'utf8')
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    if (code === 'ENOENT' && explicit === undefined) return {}
    if (code === 'ENOENT') throw new UsageError(`--config ${file}: no such file; give the path of the local cloud's configuration file`)
    throw new UsageError(`cannot read ${file}: ${(error as Error).message}`)
  }
  return checkSettings(file, await parseToml(file, text))
}

async function parseToml(file: string, text: string): Promise<Record<string, unknown>> {
  const {parse} = await import('smol-toml')
  try {
    return parse(text) as Record<string, unknown>
  } catch (error) {
    // smol-toml's message goes on with an excerpt of the file: one line, and where.
    const {line, column} = error as {line?: unknown; column?: unknown}
    const where = typeof line === 'number' && typeof column === 'number' ? ` at line ${line} column ${column}` : ''
    throw new UsageError(`${file} is not valid TOML (${(error as Error).message.split('\n')[0]}${where}): fix it, or remove it`)
  }
}

const KEYS = ['backup-store', 'port', 'profile']

async function checkSettings(file: string, doc: Record<string, unknown>): Promise<FileSettings> {
  const unknown = Object.keys(doc).find((key) => !KEYS.includes(key))
  if (unknown !== undefined)
    throw new UsageError(`${file}: unknown key ${unknown}; the keys are ${KEYS.slice(0, -1).join(', ')} and ${KEYS.at(-1)}`)
  const settings: FileSettings = {}
  const port = doc.port
  if (port !== undefined) {
    if (typeof port !== 'number' || !Number.isInteger(port) || port < 0 || port > 65_535) {
      throw new UsageError(`${file}: port must be an integer from 0 to 65535`)
    }
    settings.port = port
  }
  const profile = doc.profile
  if (profile !== undefined) {
    if (typeof profile !== 'string' || profile.trim() === '')
      throw new UsageError(`${file}: profile must be the name of a profile of settings.toml`)
    settings.profile = profile
  }
  const store = doc['backup-store']
  if (store !== undefined) {
    if (typeof store !== 'string') throw new UsageError(`${file}: backup-store must be a string: s3://bucket/prefix`)
    if (!store.startsWith('s3://')) throw new UsageError(`${file}: backup-store ${store} is not an S3 URL: give s3://bucket/prefix`)
    const {parseS3Url} = await import('../../engine/repository/s3-url.js')
    try {
      parseS3Url(store)
    } catch (error) {
      throw new UsageError(`${file}: backup-store: ${(error as Error).message}`)
    }
    settings.backupStore = store
  }
  return settings
}
