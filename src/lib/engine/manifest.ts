import {readFileSync} from 'node:fs'
import {open, rename} from 'node:fs/promises'
import {join} from 'node:path'

import {EscError} from '../core/errors.js'
import {isPlainRelativePath} from './contained-path.js'
import {UnsoundBackupError} from './format-error.js'
import {readRegularFile} from './regular-file.js'

export const MANIFEST_NAME = 'esc-backup.json'
export const MANIFEST_FORMAT = 'esc-kurrentdb-backup'
export const MANIFEST_FORMAT_VERSION = 1

export type ManifestFileKind =
  'chunk' | 'checkpoint' | 'indexmap' | 'ptable' | 'bloomfilter' | 'stream-existence' | 'scavenge-db' | 'duckdb'

export interface ManifestFile {
  /** Relative to the backup's data directory, with `/` separators (`index/<guid>` for index files). */
  path: string
  kind: ManifestFileKind
  size: number
  /**
   * Hex MD5. Completed chunks and PTables: the hash stored in their last 16 bytes (which covers
   * the rest of the file). Other files: MD5 of bytes `[0, hashedBytes ?? size)`.
   */
  md5: string
  /** Ongoing chunk: only the data up to writer.chk is hashed (the rest is pre-allocated zeros). */
  hashedBytes?: number
  /** Chunks: has a completed footer. */
  completed?: boolean
  /** The content hash was checked against the bytes written to the backup. */
  verified: boolean
  /** copied from the node, kept from the previous backup in this directory, or hard-linked from `linkFrom`. */
  origin: 'copied' | 'kept' | 'linked'
  /** Checkpoints: the value. */
  value?: number
}

export interface BackupManifest {
  format: typeof MANIFEST_FORMAT
  formatVersion: number
  complete: true
  id: string
  kind: 'full' | 'differential'
  /** Directory (relative to the backup directory) holding this backup's files. */
  dataDir: string
  tool: {name: string; version: string}
  source: {
    db: string
    index: string
    hostname: string
    offline: boolean
    duckdb: boolean
    nodeUrl?: string
    node?: Record<string, unknown>
  }
  chunkSize: number
  checkpoints: {writer: number; chaser: number; epoch: number; proposal: number; tag?: number}
  /** floor(writer / chunkSize): the chunk a restore ends in. */
  lastChunk: number
  index: {prepareCheckpoint: number; commitCheckpoint: number; tables: number; attempts: number} | null
  verification: 'md5' | 'skipped'
  warnings: string[]
  timings: {startedAt: string; finishedAt: string; durationMs: number; indexMs: number; logMs: number}
  stats: {
    files: number
    bytes: number
    filesCopied: number
    bytesCopied: number
    filesKept: number
    filesLinked: number
    bytesLinked: number
  }
  files: ManifestFile[]
}

/**
 * esc's version, from the nearest package.json named `esc` above this module: searched rather than
 * at a fixed depth, because the build bundles this module into a chunk that sits elsewhere in dist/.
 */
export function toolVersion(): string {
  for (let dir = new URL('.', import.meta.url); ; dir = new URL('..', dir)) {
    try {
      const pkg = JSON.parse(readFileSync(new URL('package.json', dir), 'utf8')) as {name?: string; version?: string}
      if (pkg.name === 'esc') return pkg.version ?? 'unknown'
    } catch {
      // no package.json here: keep looking upwards
    }
    if (dir.pathname === '/') return 'unknown'
  }
}

/** Total bytes a backup holds (hard links counted once per backup). */
export function backupSizeBytes(manifest: BackupManifest): number {
  return manifest.files.reduce((sum, f) => sum + f.size, 0)
}

export class NotABackupError extends EscError {
  constructor(dir: string, why: string) {
    super(`${dir} is not a complete esc backup: ${why}`, {
      kind: 'unsound-backup',
      suggestions: ['A directory without a complete esc-backup.json is not a backup; run `esc node backup` into it first.'],
    })
    this.name = 'NotABackupError'
  }
}

/** Largest manifest read: about 200 bytes per file, so millions of files; anything bigger is damage. */
const MAX_MANIFEST_BYTES = 256 * 1024 * 1024
const DATA_DIR_NAME = /^data-[0-9]{8}T[0-9]{6}Z-[0-9a-f]{6}$/
const FILE_KINDS: readonly string[] = [
  'chunk',
  'checkpoint',
  'indexmap',
  'ptable',
  'bloomfilter',
  'stream-existence',
  'scavenge-db',
  'duckdb',
]

/** Whether `name` is a data directory name the engine makes (`data-<time>-<random>`), and nothing else. */
export function isDataDirName(name: unknown): name is string {
  return typeof name === 'string' && DATA_DIR_NAME.test(name)
}

const isObject = (v: unknown): v is object => typeof v === 'object' && v !== null && !Array.isArray(v)
const isCount = (n: unknown): n is number => typeof n === 'number' && Number.isSafeInteger(n) && n >= 0

/**
 * Why a parsed manifest cannot be trusted, or undefined. Every path in it is used to read, write
 * and remove files, so each must be a plain name inside the backup (never `..`, absolute or odd).
 */
export function manifestProblem(m: Partial<BackupManifest>): string | undefined {
  if (m.format !== MANIFEST_FORMAT) return `its format is ${JSON.stringify(m.format)}, not ${MANIFEST_FORMAT}`
  if ((m.formatVersion ?? 0) > MANIFEST_FORMAT_VERSION) return `its format version ${m.formatVersion} is newer than this esc understands`
  if (m.complete !== true || !Array.isArray(m.files)) return 'it is incomplete'
  if (!isDataDirName(m.dataDir)) return `dataDir ${JSON.stringify(m.dataDir)} is not the name of a data directory (data-<time>-<id>)`
  if (!isCount(m.chunkSize) || m.chunkSize === 0) return `chunkSize ${JSON.stringify(m.chunkSize)} is not a positive integer`
  if (typeof m.id !== 'string' || m.id === '') return `id ${JSON.stringify(m.id)} is not a backup id`
  if (!isCount(m.lastChunk)) return `lastChunk ${JSON.stringify(m.lastChunk)} is not a chunk number`
  const cp = m.checkpoints as Record<string, unknown> | null | undefined
  if (!isObject(cp)) return `checkpoints ${JSON.stringify(cp)} is not an object`
  for (const name of ['writer', 'chaser'] as const)
    if (!isCount(cp[name])) return `checkpoints.${name} ${JSON.stringify(cp[name])} is not a log position`
  // What reports print: a manifest without them is damaged, not a reason to crash.
  for (const key of ['source', 'stats', 'timings'] as const) {
    if (!isObject(m[key])) return `${key} ${JSON.stringify(m[key])} is not an object`
  }
  const seen = new Set<string>()
  for (const [i, f] of m.files.entries()) {
    if (!f || typeof f !== 'object') return `files[${i}] is not an object`
    if (!isPlainRelativePath(f.path)) return `files[${i}].path ${JSON.stringify(f.path)} is not a plain relative path inside the backup`
    if (seen.has(f.path)) return `files[${i}].path ${f.path} is listed twice`
    seen.add(f.path)
    if (!FILE_KINDS.includes(f.kind)) return `files[${i}].kind ${JSON.stringify(f.kind)} is unknown`
    if (!isCount(f.size)) return `files[${i}].size ${JSON.stringify(f.size)} is not a byte count`
    if (f.hashedBytes !== undefined && (!isCount(f.hashedBytes) || f.hashedBytes > f.size))
      return `files[${i}].hashedBytes is not a byte count within its size`
    if (typeof f.md5 !== 'string' || !/^[0-9a-f]{32}$/.test(f.md5)) return `files[${i}].md5 is not an MD5`
  }
  return undefined
}

/**
 * Reads and checks the manifest. Missing: NotABackupError (the directory holds no backup). Present
 * but unreadable, from another tool or with an unsafe path: UnsoundBackupError, so that no caller
 * mistakes a damaged backup for an empty directory and removes what is there.
 */
export async function readManifest(dir: string): Promise<BackupManifest> {
  const path = join(dir, MANIFEST_NAME)
  let text: string
  try {
    text = (await readRegularFile(path, MAX_MANIFEST_BYTES)).toString('utf8')
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw new NotABackupError(dir, `${MANIFEST_NAME} is missing`)
    throw unsoundManifest(path, (error as Error).message)
  }
  let parsed: Partial<BackupManifest>
  try {
    parsed = JSON.parse(text) as Partial<BackupManifest>
  } catch {
    throw unsoundManifest(path, 'it is not valid JSON')
  }
  const problem = parsed && typeof parsed === 'object' ? manifestProblem(parsed) : 'it is not a JSON object'
  if (problem) throw unsoundManifest(path, problem)
  return parsed as BackupManifest
}

function unsoundManifest(path: string, why: string): UnsoundBackupError {
  return new UnsoundBackupError(
    `${path} is not a sound backup manifest: ${why}; nothing was changed`,
    [{file: MANIFEST_NAME, reason: why}],
    ['Keep this directory as it is for inspection, and back up into a new directory.'],
  )
}

/** The manifest, or undefined when the directory holds none; a damaged manifest still throws. */
export async function tryReadManifest(dir: string): Promise<BackupManifest | undefined> {
  try {
    return await readManifest(dir)
  } catch (error) {
    if (error instanceof NotABackupError) return undefined
    throw error
  }
}

/** Writes the manifest last and atomically: temp file, fsync, rename, fsync of the directory. */
export async function writeManifest(dir: string, manifest: BackupManifest): Promise<void> {
  const target = join(dir, MANIFEST_NAME)
  const tmp = `${target}.${process.pid}.tmp`
  const fh = await open(tmp, 'w')
  try {
    await fh.writeFile(JSON.stringify(manifest, null, 2) + '\n')
    await fh.sync()
  } finally {
    await fh.close()
  }
  await rename(tmp, target)
  await fsyncDir(dir)
}

export async function fsyncDir(dir: string): Promise<void> {
  const fh = await open(dir, 'r')
  try {
    await fh.sync()
  } finally {
    await fh.close()
  }
}
