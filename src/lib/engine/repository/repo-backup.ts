import {mkdtemp} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import {dirname, join} from 'node:path'

import {EscError} from '../../core/errors.js'
import {removeInside} from '../contained-path.js'
import {runPool} from '../copy.js'
import {defaultIndexDir} from '../layout.js'
import {AbortError, throwIfAborted} from '../format-error.js'
import {traced} from '../trace-timings.js'
import type {BackupOptions} from '../types.js'
import {BACKUP_LOCK_MS, acquire} from './locks.js'
import type {Repository, RepositoryFile, RepositoryManifest} from './repository.js'
import {candidateEntry, immutableCandidates, uploadImmutable} from './direct-upload.js'
import {identity, immutable} from './skeleton.js'
import {type Snapshot, snapshotAndUpload} from './snapshot-upload.js'
import {UploadSlots} from './upload-slots.js'

export interface RepositoryBackupOptions extends Omit<BackupOptions, 'backupDir' | 'linkFrom' | 'full'> {
  repository: Repository
  /** Where the verified local copy is staged before it is uploaded (default: the system's temp directory). */
  stagingRoot?: string
  /** Injected for tests. */
  now?: () => Date
}

/**
 * Backs a node up into a repository. The node is copied and verified by the local engine into a
 * staging directory (the same checks, hot-backup ordering and node guard as a local backup), then
 * every file the repository lacks is uploaded under its content address, and the manifest is
 * written last. A run that stops anywhere before that leaves no backup and changes none: objects
 * are only ever added, never rewritten.
 *
 * Nothing the repository holds is copied locally, and no completed chunk or PTable is: those
 * never change once written, so they go from the node straight to the store (verified against
 * their footer MD5 on the way: uploadImmutablesDirect), and are then laid out as skeletons (see
 * layOutSkeleton) that the local engine keeps rather than copies. The staging directory holds what
 * must be a consistent snapshot: the checkpoints, the ongoing chunk, the index map, bloom filters
 * and index checkpoints, plus anything that changed under the run (the engine copies it then).
 */
export async function backupToRepository(opts: RepositoryBackupOptions): Promise<RepositoryManifest> {
  const repo = opts.repository
  const now = opts.now ?? (() => new Date())
  const log = opts.log ?? (() => undefined)
  const started = now()
  const release = await acquire(repo, 'backup', now)
  const staging = await mkdtemp(join(opts.stagingRoot ?? tmpdir(), 'esc-repo-backup-'))
  try {
    const previous = await repo.latest().catch((error: Error) => {
      log(`warning: the newest backup in ${repo.description} cannot be read (${error.message}); every file is hashed anew`, 'warning')
      return undefined
    })
    const source = {db: opts.db, index: opts.index ?? defaultIndexDir(opts.db)}
    const present = await repo.objectKeys()
    // Objects this run stored, by key: counted once, whichever file needed them first.
    const uploadedBy = new Map<string, RepositoryFile>()
    let done = 0
    const progress = (f: RepositoryFile) => {
      uploadedBy.set(repo.objectKey(f.sha256), f)
      done += f.size
      opts.onProgress?.({bytesDone: done, bytesTotal: done, file: f.path})
    }
    const previousFiles = (previous?.files ?? []).filter(immutable)
    const held = previousFiles.filter((f) => present.has(repo.objectKey(f.sha256)))
    const heldIds = new Set(held.map((f) => identity(f)))
    const candidates = (await immutableCandidates(source)).filter((c) => !heldIds.has(identity(c)))
    const concurrency = opts.concurrency ?? 4
    const slots = new UploadSlots(concurrency)
    // One failure stops the other half of the run too (and a Ctrl-C both).
    const inner = new AbortController()
    const stop = () => inner.abort()
    if (opts.signal?.aborted) stop()
    else opts.signal?.addEventListener('abort', stop, {once: true})
    const direct: RepositoryFile[] = []
    const snapshotOpts = {
      repo,
      backup: opts,
      source,
      previous,
      present,
      slots,
      concurrency,
      signal: inner.signal,
      onUploaded: progress,
      log,
    }
    let snap: Snapshot
    try {
      // The completed chunks and PTables go straight from the node to the store while the local
      // engine takes the snapshot over skeletons of them (and its files are hashed and uploaded):
      // the two share the upload slots, so memory is bounded as if they ran one after the other.
      ;[, snap] = await together(
        inner,
        traced('repo-backup:direct', () =>
          runPool(
            candidates,
            concurrency,
            async (c) => {
              const f = await uploadImmutable(repo, c, {present, slots, signal: inner.signal, onUploaded: progress})
              if (f) direct.push(f)
            },
            inner.signal,
          ),
        ),
        snapshotAndUpload(join(staging, 'backup'), {...snapshotOpts, skeletons: [...held, ...candidates.map((c) => candidateEntry(c))]}),
      )
      throwIfAborted(inner.signal, 'backup')
      const vouched = new Map([...held, ...direct].map((f) => [identity(f), f.sha256]))
      if (snap.local.files.some((f) => f.origin === 'kept' && !vouched.has(identity(f)))) {
        // A file the direct upload refused (changed, damaged or gone) was kept as a skeleton: the
        // snapshot is taken again over what the repository now holds, so the local engine decides
        // about that file under its own rules, as for any file it copies.
        snap = await snapshotAndUpload(join(staging, 'again'), {...snapshotOpts, skeletons: [...held, ...direct]})
      }
    } finally {
      opts.signal?.removeEventListener('abort', stop)
    }
    const local = snap.local
    const vouched = new Map([...held, ...direct].map((f) => [identity(f), f.sha256]))
    const copiedBy = new Map(snap.staged.map((f) => [f.path, f.sha256]))
    const files: RepositoryFile[] = local.files.map((f) => {
      const sha256 = f.origin === 'kept' ? vouched.get(identity(f)) : copiedBy.get(f.path)
      // A kept file is a skeleton: its bytes are not the node's, only the repository's hash is.
      if (!sha256) throw new EscError(`internal: ${f.path} was kept but the repository does not hold it`)
      return {...f, sha256}
    })
    const staged = local.files.filter((f) => f.origin !== 'kept')
    throwIfAborted(opts.signal, 'backup')
    // Past this age a prune may already ignore our lock and have removed objects we found present.
    if (now().getTime() - started.getTime() >= BACKUP_LOCK_MS) {
      throw new EscError(`the backup ran longer than its lock is honoured (24 hours); no backup was recorded in ${repo.description}`)
    }
    const firstNeed = (f: RepositoryFile) => uploadedBy.get(repo.objectKey(f.sha256))?.path === f.path
    const copied = files.filter((f) => firstNeed(f))
    const uploaded = [...uploadedBy.values()]
    const manifest: RepositoryManifest = {
      ...local,
      kind: previous ? 'differential' : 'full',
      files: files.map((f) => ({...f, origin: firstNeed(f) ? 'copied' : 'kept'})),
      stats: {
        ...local.stats,
        filesCopied: copied.length,
        bytesCopied: copied.reduce((s, f) => s + f.size, 0),
        filesKept: files.length - copied.length,
        filesLinked: 0,
        bytesLinked: 0,
      },
      timings: {...local.timings, finishedAt: now().toISOString(), durationMs: now().getTime() - started.getTime()},
      // Every object this run stored, also one a file changed under the run no longer needs (a prune removes it).
      uploaded: {objects: uploaded.length, bytes: uploaded.reduce((s, f) => s + f.size, 0)},
      staged: {files: staged.length, bytes: staged.reduce((s, f) => s + f.size, 0)},
    }
    await traced('repo-backup:manifest', () => repo.writeManifest(manifest))
    return manifest
  } catch (error) {
    // Whatever stopped at the abort (the local copy, an upload, a check): the repository is unchanged.
    if (opts.signal?.aborted) throw new AbortError(`backup aborted; no backup was recorded in ${repo.description}`)
    throw error
  } finally {
    // Through the one containment check: the run's own temp directory, never the node's data.
    await removeInside(staging, dirname(staging), [opts.db, opts.index ?? defaultIndexDir(opts.db)])
    await release().catch(() => undefined)
  }
}

/**
 * Runs both steps at once; the first to fail aborts `inner` (so that the other stops early), and
 * its error, not the other's abort, is what is thrown once both have settled.
 */
async function together<A, B>(inner: AbortController, a: Promise<A>, b: Promise<B>): Promise<[A, B]> {
  let first: {error: unknown} | undefined
  const fail = (error: unknown) => {
    first ??= {error}
    inner.abort()
    throw error
  }
  const settled = await Promise.allSettled([a.catch(fail), b.catch(fail)])
  if (first) throw first.error
  return [(settled[0] as PromiseFulfilledResult<A>).value, (settled[1] as PromiseFulfilledResult<B>).value]
}
