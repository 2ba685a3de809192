import {open as openFile, mkdir, stat, truncate} from 'node:fs/promises'
import {dirname, join} from 'node:path'

import {readTail} from '../md5.js'
import {type BackupManifest, writeManifest} from '../manifest.js'
import type {RepositoryFile, RepositoryManifest} from './repository.js'

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
 * Lays out, in `backupDir`, a local "previous backup" made of skeletons of the immutable files the
 * repository's newest backup holds and the node still has unchanged (same name, size and footer
 * MD5): each a sparse file of the node's file's size holding only its first and last 4 KiB. The
 * local engine then keeps them (it compares exactly size and footer) instead of copying them, so a
 * differential backup to a repository neither copies nor stores locally what the repository has;
 * the checkpoints, the ongoing chunk, the index map and new files are copied as for any backup.
 *
 * A skeleton's bytes are never hashed nor uploaded: the caller takes the SHA-256 of every kept
 * file from the repository's manifest, and refuses a kept file the repository does not vouch for.
 * Returns how many skeletons were laid out.
 */
export async function layOutSkeleton(
  previous: RepositoryManifest,
  source: {db: string; index: string},
  backupDir: string,
): Promise<number> {
  const dataDir = join(backupDir, previous.dataDir)
  const files: RepositoryFile[] = []
  for (const f of previous.files.filter(immutable)) {
    const src = f.path.startsWith('index/') ? join(source.index, f.path.slice('index/'.length)) : join(source.db, f.path)
    const now = await readTail(src, 16).catch(() => undefined)
    if (!now || now.size !== f.size || now.tail.toString('hex') !== f.md5) continue
    await copyEnds(src, join(dataDir, f.path), f.size)
    files.push(f)
  }
  await mkdir(dataDir, {recursive: true})
  const manifest: BackupManifest = {...previous, files}
  await writeManifest(backupDir, manifest)
  return files.length
}

/** A sparse copy of `src` holding only its first and last ENDS bytes (the whole file when it is small). */
async function copyEnds(src: string, dst: string, size: number): Promise<void> {
  await mkdir(dirname(dst), {recursive: true})
  const input = await openFile(src, 'r')
  const output = await openFile(dst, 'w')
  try {
    const ranges = size <= 2 * ENDS ? [[0, size]] : [[0, ENDS], [size - ENDS, ENDS]]
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
