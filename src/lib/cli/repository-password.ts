import {readFile} from 'node:fs/promises'

import {AbortError, EscError, UsageError} from '../core/errors.js'
import type {Compression} from '../engine/repository/compress.js'
import {type CodecChoice, escCodecFactory} from '../engine/repository/crypt-codec.js'
import type {CodecFactory} from '../engine/repository/codec.js'

export interface RepositoryCodecFlags {
  encrypt?: boolean
  compress?: string
  'password-file'?: string
}

const WAYS = 'set ESC_BACKUP_PASSWORD, pass --password-file FILE, or run in a terminal to be asked'

/** The password in `path`: its first line (a trailing newline is not part of it). */
async function readPasswordFile(path: string): Promise<string> {
  const text = await readFile(path, 'utf8').catch(() => {
    throw new UsageError(`cannot read --password-file ${path}`)
  })
  const password = text.split(/\r?\n/)[0]
  if (!password) throw new UsageError(`--password-file ${path} is empty`)
  return password
}

/** Asks on the terminal without echoing what is typed. */
function prompt(question: string): Promise<string> {
  const stdin = process.stdin
  return new Promise((resolve, reject) => {
    let typed = ''
    process.stderr.write(question)
    stdin.setRawMode(true)
    stdin.resume()
    const done = (error?: Error) => {
      stdin.off('data', onData)
      stdin.setRawMode(false)
      stdin.pause()
      process.stderr.write('\n')
      if (error) reject(error)
      else resolve(typed)
    }
    const onData = (data: Buffer) => {
      for (const ch of data.toString('utf8')) {
        if (ch === '\r' || ch === '\n') return done()
        if (ch === '\u0003') return done(new AbortError('password prompt interrupted'))
        if (ch === '\u007f' || ch === '\b') typed = typed.slice(0, -1)
        else typed += ch
      }
    }
    stdin.on('data', onData)
  })
}

async function askTwice(): Promise<string> {
  const first = await prompt('New repository password: ')
  if (!first) throw new UsageError('the password is empty')
  if ((await prompt('Repository password again: ')) !== first) throw new UsageError('the two passwords differ; nothing was written')
  return first
}

/**
 * How this run opens or creates an S3 repository: the codec choice from the flags, and where the
 * password comes from (--password-file, ESC_BACKUP_PASSWORD, or a prompt on a terminal; asked only
 * when the repository is encrypted). The file is read at once, so that a wrong path is named before
 * anything is uploaded.
 */
export async function repositoryCodecs(flags: RepositoryCodecFlags): Promise<CodecFactory> {
  const fromFile = flags['password-file'] === undefined ? undefined : await readPasswordFile(flags['password-file'])
  const fromEnv = process.env.ESC_BACKUP_PASSWORD || undefined
  const terminal = process.stdin.isTTY === true && process.stderr.isTTY === true
  if (flags.encrypt && fromFile === undefined && fromEnv === undefined && !terminal)
    throw new UsageError(`--encrypt needs a password: ${WAYS}`)
  const choice: CodecChoice = {
    encrypt: flags.encrypt,
    compression: flags.compress as Compression | undefined,
    password: async (creating) => {
      const given = fromFile ?? fromEnv
      if (given !== undefined) return given
      if (!terminal)
        throw new EscError('this repository is encrypted, and no password was given', {
          kind: 'invalid-input',
          hint: {advice: 'backup-password'},
        })
      return creating ? askTwice() : prompt('Repository password: ')
    },
  }
  return escCodecFactory(choice)
}

/** --encrypt and --compress apply to repositories only: a local backup stays a plain data directory. */
export function refuseForLocalDirectory(flags: RepositoryCodecFlags): void {
  for (const flag of ['encrypt', 'compress'] as const) {
    if (flags[flag] !== undefined && flags[flag] !== false)
      throw new UsageError(
        `--${flag} applies to repositories (s3://bucket/prefix); a local backup directory stays a plain data directory a node can start on`,
      )
  }
}

/** How the objects of this run are stored, for the backup's summary. */
export function storageSummary(params: Record<string, unknown>, compress: string | undefined): string {
  const compression = compress ?? (typeof params.compression === 'string' ? params.compression : 'none')
  return [
    params.key ? 'encrypted (AES-256-GCM)' : 'not encrypted',
    compression === 'none' ? 'not compressed' : `compressed with ${compression}`,
  ].join(', ')
}
