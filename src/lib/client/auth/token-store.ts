import {readFile, rm, stat, writeFile} from 'node:fs/promises'
import {join} from 'node:path'

import {writeFileAtomic} from '../../core/atomic-write.js'
import {tokensDir} from '../config/paths.js'
import {EscError} from '../../core/errors.js'
import {type Keychain, KEYCHAIN_SERVICE, openKeychain} from './keychain.js'
import {audienceHost, parseToken, serializeToken, type StoredToken} from './token.js'

export type TokenSource = 'keychain' | 'file'

export interface LoadedToken {
  token: StoredToken
  source: TokenSource
  /** When the token was obtained, if known (used for the expiry of opaque tokens). */
  obtainedAtMs?: number
}

export interface TokenStore {
  /** Where the file fallback lives: `<configDir>/tokens/<audience host>`. */
  readonly filePath: string
  load(): Promise<LoadedToken | undefined>
  save(token: StoredToken): Promise<TokenSource>
  delete(): Promise<boolean>
}

export interface TokenStoreOptions {
  env?: NodeJS.ProcessEnv
  keychain?: Keychain
  debug?: (line: string) => void
  warn?: (line: string) => void
  /** Never use the keychain: the token goes to the file the official esc reads. */
  fileOnly?: boolean
}

/**
 * Keychain first, file second. Reads try both (a token written by the official esc sits in the
 * file); writes go to the keychain when it takes them, else to the file with mode 0600.
 * The keychain entry holds esc's token JSON plus `obtained_at` (ms); only this CLI reads it.
 */
export function openTokenStore(configDir: string, audience: string, options: TokenStoreOptions = {}): TokenStore {
  const debug = options.debug ?? (() => {})
  const warn = options.warn ?? ((line: string) => process.stderr.write(`${line}\n`))
  const keychain = options.fileOnly ? NO_KEYCHAIN : (options.keychain ?? openKeychain(options.env ?? process.env, debug))
  const account = audienceHost(audience)
  const filePath = join(tokensDir(configDir), account)
  // The official esc writes its token file with the default umask (0644). Warning on every run would
  // drown the output, so the warning is given once and remembered next to the file; our own writes
  // are 0600 and clear the mark, so a later 0644 file from the official esc is reported again.
  const warnedMark = join(tokensDir(configDir), `.${account}.mode-warned`)

  async function warnOnce(line: string): Promise<void> {
    if (
      await stat(warnedMark).then(
        () => true,
        () => false,
      )
    )
      return
    warn(line)
    await writeFile(warnedMark, '', {mode: 0o600}).catch(() => debug(`cannot write ${warnedMark}; the warning may repeat`))
  }

  async function loadFile(): Promise<LoadedToken | undefined> {
    let text: string
    let mtimeMs: number
    let mode: number
    try {
      const info = await stat(filePath)
      mtimeMs = info.mtimeMs
      mode = info.mode
      text = await readFile(filePath, 'utf8')
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined
      throw new EscError(`cannot read token file ${filePath}: ${(error as Error).message}`, {kind: 'auth'})
    }
    if (process.platform !== 'win32' && (mode & 0o077) !== 0) {
      const octal = (mode & 0o777).toString(8).padStart(4, '0')
      await warnOnce(`Warning: token file ${filePath} is readable by other users (mode ${octal}); restrict it with: chmod 600 ${filePath}`)
    }
    try {
      return {token: parseToken(text), source: 'file', obtainedAtMs: mtimeMs}
    } catch (error) {
      throw new EscError(`can't load token file ${filePath} as it is malformed: ${(error as Error).message}`, {
        kind: 'auth',
        suggestions: ['Run `esc access tokens create` to replace it'],
      })
    }
  }

  return {
    filePath,
    async load() {
      const fromKeychain = parseKeychainEntry(await keychain.get(account), debug)
      if (fromKeychain) {
        // The official esc only writes the file: a file newer than our keychain entry wins.
        const fileMtime = await stat(filePath).then(
          (info) => info.mtimeMs,
          () => undefined,
        )
        if (fileMtime === undefined || fromKeychain.obtainedAtMs === undefined || fileMtime <= fromKeychain.obtainedAtMs) {
          debug(`token loaded from the keychain (service ${KEYCHAIN_SERVICE}, account ${account})`)
          return fromKeychain
        }
        debug(`${filePath} is newer than the keychain entry; using it`)
      }
      const fromFile = await loadFile()
      if (fromFile) debug(`token loaded from ${filePath}`)
      return fromFile
    },
    async save(token) {
      const payload = serializeToken(token).replace(/}$/, `,"obtained_at":${Date.now()}}`)
      if (await keychain.set(account, payload)) {
        debug(`token saved in the keychain (service ${KEYCHAIN_SERVICE}, account ${account})`)
        return 'keychain'
      }
      await writeFileAtomic(filePath, serializeToken(token), {mode: 0o600, dirMode: 0o700})
      await rm(warnedMark, {force: true})
      debug(`token saved to ${filePath}`)
      return 'file'
    },
    async delete() {
      const fromKeychain = await keychain.delete(account)
      // Logged out: a token file written later deserves its own warning.
      await rm(warnedMark, {force: true})
      let fromFile = true
      try {
        await rm(filePath)
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error
        fromFile = false
      }
      return fromKeychain || fromFile
    },
  }
}

const NO_KEYCHAIN: Keychain = {get: async () => undefined, set: async () => false, delete: async () => false}

/** The keychain entry: esc's token JSON plus `obtained_at` (ms since epoch). */
function parseKeychainEntry(secret: string | undefined, debug: (line: string) => void): LoadedToken | undefined {
  if (secret === undefined) return undefined
  try {
    const raw = JSON.parse(secret) as Record<string, unknown>
    const token = parseToken(secret)
    return typeof raw.obtained_at === 'number' ? {token, source: 'keychain', obtainedAtMs: raw.obtained_at} : {token, source: 'keychain'}
  } catch {
    debug('keychain entry is malformed; ignoring it')
    return undefined
  }
}
