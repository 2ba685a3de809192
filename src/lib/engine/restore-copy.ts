import {constants} from 'node:fs'
import {copyFile, mkdir, readFile, readdir, rename, rmdir, stat} from 'node:fs/promises'
import {dirname, join} from 'node:path'

import {writeFileAtomic} from '../core/atomic-write.js'
import type {ProgressTracker} from './backup-context.js'
import {fsyncFile, partialName, runPool} from './copy.js'
import {HashedCopier} from './hashed-copy.js'
import {AbortError, UnsoundBackupError} from './format-error.js'
import {type ManifestFile, fsyncDir} from './manifest.js'
import {PARALLEL_THRESHOLD, md5OfFile, readTail} from './md5.js'
import {HASHES_AHEAD} from './md5-pool.js'
import {assertRegularFile} from './regular-file.js'
import {traced} from './trace-timings.js'
import {Slots} from './slots.js'

/**
 * The copy of a restore: every file of the backup is copied once from the backup into the first
 * node's staging directory, that copy is hashed and flushed (and copied on to the other nodes), and
 * a hash that differs from the manifest stops the restore before anything reaches a final name (a
 * consumed backup directory, already verified, has its files moved in instead). Staging lives
 * inside each target directory, so it is on the target's filesystem (the space check holds, the
 * final renames cannot cross filesystems) and a target that is a mount point works; the final
 * renames put the staged entries in place.
 */
export const RESTORE_STAGING = '.esc-restore-staging'

export interface RestoreNode {
  db: string
  index: string
  /** The index directory is not inside the data directory (its own target, its own staging). */
  indexSeparate: boolean
  /** Otherwise: where it lies inside the data directory (from real paths: `--index` may go through a link). */
  indexInDb?: string
}

function stagingOf(node: RestoreNode): {db: string; index: string} {
  const db = join(node.db, RESTORE_STAGING)
  return {db, index: node.indexSeparate ? join(node.index, RESTORE_STAGING) : join(db, node.indexInDb ?? 'index')}
}

/** The staging directory a manifest path lands in, for a node. */
function stagingRootOf(node: RestoreNode, path: string): string {
  const staging = stagingOf(node)
  return path.startsWith('index/') ? staging.index : staging.db
}

/** Where a manifest path lands in a node's staging directory. */
function stagedPath(node: RestoreNode, path: string): string {
  return join(stagingRootOf(node, path), path.startsWith('index/') ? path.slice('index/'.length) : path)
}

const isOngoingChunk = (f: ManifestFile) => f.kind === 'chunk' && f.completed === false

/** Completed chunks and PTables end with the MD5 of everything before it. */
const carriesOwnMd5 = (f: ManifestFile) => (f.kind === 'chunk' && f.completed === true) || f.kind === 'ptable'

export interface StagedCopyOptions {
  backupDir: string
  dataDir: string
  files: ManifestFile[]
  nodes: RestoreNode[]
  concurrency: number
  progress: ProgressTracker
  signal?: AbortSignal
  /** The backup's files were verified when they were written and may be moved (see RestoreOptions). */
  consume?: boolean
}

/** Copies and verifies every file into each node's staging directory, with truncate.chk; all flushed. */
export async function stageVerifiedCopy(opts: StagedCopyOptions): Promise<void> {
  // A failure in one lane stops the others at their next file.
  const failed = new AbortController()
  const stop = () => failed.abort()
  opts.signal?.addEventListener('abort', stop, {once: true})
  const dirs = new Set<string>()
  try {
    // Read first: a consumed backup directory no longer holds chaser.chk once its files are moved.
    const chaser = await readFile(join(opts.dataDir, 'chaser.chk'))
    for (const node of opts.nodes) {
      const staging = stagingOf(node)
      for (const d of [staging.db, staging.index]) {
        await mkdir(d, {recursive: true})
        dirs.add(d)
      }
    }
    // `concurrency` kernel copies at once, and more files whose hash is pending: the MD5 workers
    // hash several files in one pass (md5-pool.ts).
    const copySlots = new Slots(opts.concurrency)
    const early = new EarlyFlush()
    // The backup read from is never removed, whatever goes wrong while copying from it.
    const copier = new HashedCopier([opts.backupDir, opts.dataDir])
    await runPool(
      // The ongoing chunk first: the hashing lanes take files in order, and its shorter hash then
      // frees a lane early instead of running alone at the end.
      [...opts.files].sort((a, b) => Number(isOngoingChunk(b)) - Number(isOngoingChunk(a))),
      opts.concurrency + HASHES_AHEAD,
      async (f) => {
        if (failed.signal.aborted) throw new AbortError('restore interrupted')
        const dsts = opts.nodes.map((n) => stagedPath(n, f.path))
        for (const d of dsts) {
          await mkdir(dirname(d), {recursive: true})
          dirs.add(dirname(d))
        }
        try {
          const src = join(opts.dataDir, f.path)
          if (!opts.consume || !(await moveOneFile(src, dsts, f, opts.backupDir)))
            await copyOneFile(
              src,
              dsts,
              f,
              opts.backupDir,
              {copySlots, early, copier, owner: stagingRootOf(opts.nodes[0], f.path)},
              failed.signal,
            )
        } catch (error) {
          stop()
          throw error
        }
        opts.progress.advance(f.size, f.path)
      },
      failed.signal,
    )
    if (opts.signal?.aborted) throw new AbortError('restore interrupted')
    // The rest is flushed together at the end, many at once: one fsync per small file as it was
    // copied cost a journal commit and a device flush each, and made a three-node restore several
    // times slower.
    await traced('restore:flush', () =>
      runPool(
        opts.files.flatMap((f) => opts.nodes.map((n) => stagedPath(n, f.path))).filter((p) => !early.flushed.has(p)),
        8,
        (path) => fsyncFile(path),
        opts.signal,
      ),
    )
    if (opts.signal?.aborted) throw new AbortError('restore interrupted')
    // truncate.chk := chaser.chk (8 bytes, fsynced): the node truncates to the backup's chaser on start.
    for (const node of opts.nodes) {
      const truncateChk = join(stagingOf(node).db, 'truncate.chk')
      await writeFileAtomic(truncateChk, chaser, {tempPath: partialName(truncateChk)})
    }
    for (const d of dirs) await fsyncDir(d)
  } finally {
    opts.signal?.removeEventListener('abort', stop)
  }
}

/**
 * One file into the first node's staging directory: large ones hashed as they are written where
 * they can be, small ones by a kernel copy read back to be hashed; then, at once, its flush and
 * kernel copies of it to the other nodes.
 */
async function copyOneFile(
  src: string,
  dsts: string[],
  f: ManifestFile,
  backupDir: string,
  {copySlots, early, copier, owner}: {copySlots: Slots; early: EarlyFlush; copier: HashedCopier; owner: string},
  signal?: AbortSignal,
): Promise<void> {
  const st = await assertRegularFile(src)
  if (signal?.aborted) throw new AbortError('restore interrupted')
  const [first, ...others] = dsts
  const hashEnd = carriesOwnMd5(f) ? f.size - 16 : (f.hashedBytes ?? f.size)
  let size: number
  let hashed: Promise<Buffer> | undefined
  if (st.size === f.size && f.size > PARALLEL_THRESHOLD) {
    // Large files are hashed as they are written where they can be (hashed-copy.ts).
    const md5 = await traced(`copy ${f.path}`, () => copier.copy(src, first, owner, hashEnd, signal))
    if (signal?.aborted) throw new AbortError('restore interrupted')
    size = (await stat(first)).size
    hashed = md5 ? Promise.resolve(md5) : traced(`check ${f.path}`, () => md5OfFile(first, hashEnd, signal))
  } else {
    // COPYFILE_EXCL: the staging directory is new; nothing in it is ever written through.
    await copySlots.use(() => traced(`copy ${f.path}`, () => copyFile(src, first, constants.COPYFILE_EXCL)))
    if (signal?.aborted) throw new AbortError('restore interrupted')
    size = (await stat(first)).size
    hashed = size === f.size ? traced(`check ${f.path}`, () => md5OfFile(first, hashEnd, signal)) : undefined
  }
  await Promise.all([
    hashed,
    early.flush(first, size),
    ...others.map(async (d) => {
      await copyFile(first, d, constants.COPYFILE_EXCL)
      await early.flush(d, size)
    }),
  ])
  const reason =
    size === f.size ? mismatch(f, await hashed!, (await readTail(first, 16)).tail) : `size ${size} differs from the manifest's ${f.size}`
  if (reason) throw new UnsoundBackupError(`the backup in ${backupDir} is not sound: ${f.path}: ${reason}`, [{file: f.path, reason}])
}

/**
 * One already-verified file: renamed into the first node's staging directory (no second write, no
 * second hash), then copied to the other nodes. False when the rename would cross filesystems (an
 * index directory elsewhere): the caller copies and verifies it instead.
 */
async function moveOneFile(src: string, dsts: string[], f: ManifestFile, backupDir: string): Promise<boolean> {
  const [first, ...others] = dsts
  const st = await assertRegularFile(src)
  if (st.size !== f.size) {
    const reason = `size ${st.size} differs from the manifest's ${f.size}`
    throw new UnsoundBackupError(`the backup in ${backupDir} is not sound: ${f.path}: ${reason}`, [{file: f.path, reason}])
  }
  try {
    await rename(src, first)
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EXDEV') return false
    throw error
  }
  await Promise.all(others.map((d) => copyFile(first, d, constants.COPYFILE_EXCL)))
  return true
}

function mismatch(f: ManifestFile, md5: Buffer, tail: Buffer): string | undefined {
  if (carriesOwnMd5(f)) {
    if (!md5.equals(tail)) return `MD5 ${md5.toString('hex')} differs from the stored ${tail.toString('hex')}`
    if (tail.toString('hex') !== f.md5) return 'stored MD5 differs from the manifest (replaced file?)'
    return undefined
  }
  return md5.toString('hex') === f.md5 ? undefined : `MD5 ${md5.toString('hex')} differs from the manifest's ${f.md5}`
}

/**
 * Moves the staged entries to their final names (the index first, the data directory with its
 * checkpoints last) and flushes the directories. Until the caller removes the markers, a crash in
 * between leaves targets that say they are incomplete.
 */
export async function promoteStaged(nodes: RestoreNode[]): Promise<void> {
  for (const node of nodes) {
    const staging = stagingOf(node)
    const pairs: [string, string][] = node.indexSeparate
      ? [
          [staging.index, node.index],
          [staging.db, node.db],
        ]
      : [[staging.db, node.db]]
    for (const [from, to] of pairs) {
      for (const name of await readdir(from)) await rename(join(from, name), join(to, name))
      await rmdir(from)
      await fsyncDir(to)
    }
  }
}

/**
 * Large staged files are flushed as soon as they are copied, a few at a time, while the MD5
 * workers hash them: the device writes while the CPU hashes, instead of a flush of everything
 * after the last hash (measured: about 1 s of 3 for 2.4 GB). A staged file that later fails its
 * check is removed with the staging directory; flushing it first does no harm.
 */
class EarlyFlush {
  /** Below this, files wait for the flush at the end (one journal commit for many). */
  static readonly MIN_BYTES = 16 * 1024 * 1024
  readonly flushed = new Set<string>()
  private readonly slots = new Slots(2)

  async flush(path: string, size: number): Promise<void> {
    if (size < EarlyFlush.MIN_BYTES) return
    await this.slots.use(() => traced(`fsync ${path}`, () => fsyncFile(path)))
    this.flushed.add(path)
  }
}
