import {readFileSync} from 'node:fs'
import {open, readFile, rename} from 'node:fs/promises'
import {join} from 'node:path'

import {EscError, ExitCode} from '../errors.js'

export const MANIFEST_NAME = 'esc-backup.json'
export const MANIFEST_FORMAT = 'esc-kurrentdb-backup'
export const MANIFEST_FORMAT_VERSION = 1

export type ManifestFileKind = 'chunk' | 'checkpoint' | 'indexmap' | 'ptable' | 'bloomfilter' | 'stream-existence' | 'scavenge-db' | 'duckdb'

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
  stats: {files: number; bytes: number; filesCopied: number; bytesCopied: number; filesKept: number; filesLinked: number; bytesLinked: number}
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
      exit: ExitCode.FailedState,
      suggestions: ['A directory without a complete esc-backup.json is not a backup; run `esc node backup` into it first.'],
    })
    this.name = 'NotABackupError'
  }
}

/** Reads and checks the manifest; throws NotABackupError when it is missing, partial or from another tool. */
export async function readManifest(dir: string): Promise<BackupManifest> {
  let text: string
  try {
    text = await readFile(join(dir, MANIFEST_NAME), 'utf8')
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw new NotABackupError(dir, `${MANIFEST_NAME} is missing`)
    throw error
  }
  let parsed: Partial<BackupManifest>
  try {
    parsed = JSON.parse(text) as Partial<BackupManifest>
  } catch {
    throw new NotABackupError(dir, `${MANIFEST_NAME} is not valid JSON`)
  }
  if (parsed.format !== MANIFEST_FORMAT) throw new NotABackupError(dir, `${MANIFEST_NAME} has format ${String(parsed.format)}`)
  if (parsed.complete !== true || !Array.isArray(parsed.files) || typeof parsed.dataDir !== 'string') {
    throw new NotABackupError(dir, `${MANIFEST_NAME} is incomplete`)
  }
  if ((parsed.formatVersion ?? 0) > MANIFEST_FORMAT_VERSION) {
    throw new NotABackupError(dir, `manifest format ${parsed.formatVersion} is newer than this esc understands`)
  }
  return parsed as BackupManifest
}

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
