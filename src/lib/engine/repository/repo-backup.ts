import {mkdtemp, rm} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

import {EscError} from '../../core/errors.js'
import {backupNode} from '../backup.js'
import {runPool} from '../copy.js'
import {defaultIndexDir} from '../layout.js'
import {AbortError, throwIfAborted} from '../format-error.js'
import {traceSpan, traced} from '../trace-timings.js'
import type {BackupOptions} from '../types.js'
import {BACKUP_LOCK_MS, acquire} from './locks.js'
import type {Repository, RepositoryFile, RepositoryManifest} from './repository.js'
import {identity, immutable, layOutSkeleton} from './skeleton.js'
import {sha256OfFile, uploadFile} from './transfer.js'
import {uploadImmutablesDirect} from './direct-upload.js'

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
    const direct = await traced('repo-backup:direct', () => uploadImmutablesDirect(repo, source, {
      known: new Set(previousFiles.filter((f) => present.has(repo.objectKey(f.sha256))).map((f) => identity(f))),
      present,
      concurrency: opts.concurrency ?? 4,
      signal: opts.signal,
      onUploaded: progress,
    }))
    const vouched = [...previousFiles.filter((f) => present.has(repo.objectKey(f.sha256))), ...direct]
    const backupDir = join(staging, 'backup')
    await traced('repo-backup:skeleton', () => layOutSkeleton(previous, vouched, source, backupDir))
    const local = await traced('repo-backup:local', () => backupNode({...opts, backupDir, full: false}))
    const dataDir = join(backupDir, local.dataDir)
    const known = new Map(vouched.map((f) => [identity(f), f.sha256]))
    const files: RepositoryFile[] = []
    for (const f of local.files) {
      throwIfAborted(opts.signal, 'backup')
      const sha256 = immutable(f) ? known.get(identity(f)) : undefined
      // A kept file is a skeleton: its bytes are not the node's, only the repository's hash is.
      if (f.origin === 'kept' && !sha256) throw new EscError(`internal: ${f.path} was kept but the repository does not hold it`)
      files.push({...f, sha256: sha256 ?? (await traced(`sha256 ${f.path}`, () => sha256OfFile(join(dataDir, f.path), opts.signal)))})
    }
    const staged = local.files.filter((f) => f.origin !== 'kept')
    const toUpload = new Map<string, RepositoryFile>()
    for (const f of files) if (!present.has(repo.objectKey(f.sha256))) toUpload.set(repo.objectKey(f.sha256), f)
    log(`uploading ${toUpload.size} of ${files.length} files to ${repo.description}`)
    const endUpload = traceSpan('repo-backup:upload-staged')
    await runPool(
      [...toUpload.values()],
      opts.concurrency ?? 4,
      async (f) => {
        await traced(`upload ${f.path}`, () => uploadFile(repo, join(dataDir, f.path), f.sha256, f.size, opts.signal))
        progress(f)
      },
      opts.signal,
    )
    endUpload()
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
    await rm(staging, {recursive: true, force: true})
    await release().catch(() => undefined)
  }
}
