import {open as openFile, mkdir, stat, truncate} from 'node:fs/promises'
import {dirname, join} from 'node:path'

import {readTail} from '../md5.js'
import {dataDirName, newBackupId} from '../backup-dir.js'
import {type BackupManifest, MANIFEST_FORMAT, MANIFEST_FORMAT_VERSION, type ManifestFile, toolVersion, writeManifest} from '../manifest.js'
import type {RepositoryFile} from './repository.js'

/** Files that never change once complete: their footer hash identifies their bytes. */
export const immutable = (f: {kind: string; completed?: boolean}) => (f.kind === 'chunk' && f.completed === true) || f.kind === 'ptable'

/** The identity of an immutable file: what the local engine compares before it keeps one. */
export const identity = (f: {path: string; size: number; md5: string}) => `${f.path}\0${f.size}\0${f.md5}`

/**
 * Bytes at each end of a skeleton file: more than any header and footer the engine reads
 * (chunk header and footer 128 bytes each; PTable header 128, footer 128 plus its 16-byte hash).
 */
const ENDS = 4096

/**
 * Lays out, in `backupDir`, a local "previous backup" made of skeletons of immutable files the
 * repository holds (named in its newest backup) or is being given straight from the node (whose
SHA-256 is not known yet: the upload may still refuse them) and the node still
 * has unchanged (same name, size and footer MD5): each a sparse file of the node's file's size
 * holding only its first and last 4 KiB. The local engine then keeps them (it compares exactly
 * size and footer, under its own snapshot rules) instead of copying them, so a backup to a
 * repository neither copies nor stores locally what the repository has; the checkpoints, the
 * ongoing chunk, the index map, bloom filters and whatever changed meanwhile are copied as for
 * any backup.
 *
 * A skeleton's bytes are never hashed nor uploaded: the caller takes the SHA-256 of every kept
 * file from the repository or from the direct upload, and refuses a kept file neither vouches for.
 */
export async function layOutSkeleton(
  base: BackupManifest | undefined,
  vouched: ReadonlyArray<Omit<RepositoryFile, 'sha256'> & {sha256?: string}>,
  source: {db: string; index: string},
  backupDir: string,
): Promise<void> {
  const manifest = base ? {...base, files: []} : emptyManifest(source)
  const dataDir = join(backupDir, manifest.dataDir)
  await mkdir(dataDir, {recursive: true})
  const files: ManifestFile[] = []
  for (const f of vouched.filter(immutable)) {
    const src = f.path.startsWith('index/') ? join(source.index, f.path.slice('index/'.length)) : join(source.db, f.path)
    const now = await readTail(src, 16).catch(() => undefined)
    if (!now || now.size !== f.size || now.tail.toString('hex') !== f.md5) continue
    await copyEnds(src, join(dataDir, f.path), f.size)
    const {sha256: _sha256, ...entry} = f
    files.push(entry)
  }
  await writeManifest(backupDir, {...manifest, files})
}

/** A manifest for a repository without backups: only what the engine reads of a previous backup. */
function emptyManifest(source: {db: string; index: string}): BackupManifest {
  const at = new Date().toISOString()
  return {
    format: MANIFEST_FORMAT,
    formatVersion: MANIFEST_FORMAT_VERSION,
    complete: true,
    id: 'skeleton',
    kind: 'full',
    dataDir: dataDirName(newBackupId()),
    tool: {name: 'esc', version: toolVersion()},
    source: {...source, hostname: '', offline: false, duckdb: false},
    chunkSize: 1,
    checkpoints: {writer: 0, chaser: 0, epoch: -1, proposal: -1},
    lastChunk: 0,
    index: null,
    verification: 'md5',
    warnings: [],
    timings: {startedAt: at, finishedAt: at, durationMs: 0, indexMs: 0, logMs: 0},
    stats: {files: 0, bytes: 0, filesCopied: 0, bytesCopied: 0, filesKept: 0, filesLinked: 0, bytesLinked: 0},
    files: [],
  }
}
/** A sparse copy of `src` holding only its first and last ENDS bytes (the whole file when it is small). */
async function copyEnds(src: string, dst: string, size: number): Promise<void> {
  await mkdir(dirname(dst), {recursive: true})
  const input = await openFile(src, 'r')
  const output = await openFile(dst, 'w')
  try {
    const ranges =
      size <= 2 * ENDS
        ? [[0, size]]
        : [
            [0, ENDS],
            [size - ENDS, ENDS],
          ]
    for (const [at, length] of ranges) {
      const buf = Buffer.alloc(length)
      const {bytesRead} = await input.read(buf, 0, length, at)
      await output.write(buf, 0, bytesRead, at)
    }
  } finally {
    await input.close()
    await output.close()
  }
  if ((await stat(dst)).size < size) await truncate(dst, size)
}
