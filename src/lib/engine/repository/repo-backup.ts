import {mkdtemp, rm} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

import {EscError} from '../../core/errors.js'
import {backupNode} from '../backup.js'
import {runPool} from '../copy.js'
import {defaultIndexDir} from '../layout.js'
import {AbortError, throwIfAborted} from '../format-error.js'
import type {BackupOptions} from '../types.js'
import {BACKUP_LOCK_MS, acquire} from './locks.js'
import type {Repository, RepositoryFile, RepositoryManifest} from './repository.js'
import {identity, immutable, layOutSkeleton} from './skeleton.js'
import {sha256OfFile, uploadFile} from './transfer.js'

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
 * The staging holds only what the repository cannot vouch for: completed chunks and PTables its
 * newest backup names with the node's name, size and footer MD5 are laid out as skeletons (see
 * layOutSkeleton), which the engine keeps rather than copies. So a differential run copies
 * locally the checkpoints, the ongoing chunk, the index map, bloom filters and new files; a first
 * run copies everything.
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
    const backupDir = join(staging, 'backup')
    if (previous) await layOutSkeleton(previous, {db: opts.db, index: opts.index ?? defaultIndexDir(opts.db)}, backupDir)
    const local = await backupNode({...opts, backupDir, full: !previous})
    const dataDir = join(backupDir, local.dataDir)
    const known = new Map((previous?.files ?? []).filter(immutable).map((f) => [identity(f), f.sha256]))
    const files: RepositoryFile[] = []
    for (const f of local.files) {
      throwIfAborted(opts.signal, 'backup')
      const vouched = immutable(f) ? known.get(identity(f)) : undefined
      // A kept file is a skeleton: its bytes are not the node's, only the repository's hash is.
      if (f.origin === 'kept' && !vouched) throw new EscError(`internal: ${f.path} was kept but the repository does not hold it`)
      files.push({...f, sha256: vouched ?? (await sha256OfFile(join(dataDir, f.path), opts.signal))})
    }
    const staged = local.files.filter((f) => f.origin !== 'kept')
    const present = await repo.objectKeys()
    const toUpload = new Map<string, RepositoryFile>()
    for (const f of files) if (!present.has(repo.objectKey(f.sha256))) toUpload.set(repo.objectKey(f.sha256), f)
    const total = [...toUpload.values()].reduce((s, f) => s + f.size, 0)
    let done = 0
    log(`uploading ${toUpload.size} of ${files.length} files to ${repo.description}`)
    await runPool(
      [...toUpload.values()],
      opts.concurrency ?? 4,
      async (f) => {
        await uploadFile(repo, join(dataDir, f.path), f.sha256, f.size, opts.signal)
        done += f.size
        opts.onProgress?.({bytesDone: done, bytesTotal: total, file: f.path})
      },
      opts.signal,
    )
    throwIfAborted(opts.signal, 'backup')
    // Past this age a prune may already ignore our lock and have removed objects we found present.
    if (now().getTime() - started.getTime() >= BACKUP_LOCK_MS) {
      throw new EscError(`the backup ran longer than its lock is honoured (24 hours); no backup was recorded in ${repo.description}`)
    }
    const uploadedFiles = files.filter((f) => toUpload.get(repo.objectKey(f.sha256)) === f)
    const manifest: RepositoryManifest = {
      ...local,
      kind: previous ? 'differential' : 'full',
      files: files.map((f) => ({...f, origin: toUpload.get(repo.objectKey(f.sha256)) === f ? 'copied' : 'kept'})),
      stats: {
        ...local.stats,
        filesCopied: uploadedFiles.length,
        bytesCopied: total,
        filesKept: files.length - uploadedFiles.length,
        filesLinked: 0,
        bytesLinked: 0,
      },
      timings: {...local.timings, finishedAt: now().toISOString(), durationMs: now().getTime() - started.getTime()},
      uploaded: {objects: toUpload.size, bytes: total},
      staged: {files: staged.length, bytes: staged.reduce((s, f) => s + f.size, 0)},
    }
    await repo.writeManifest(manifest)
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
