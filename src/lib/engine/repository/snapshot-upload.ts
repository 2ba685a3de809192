import {join} from 'node:path'

import {backupNode} from '../backup.js'
import {runPool} from '../copy.js'
import {throwIfAborted} from '../format-error.js'
import {sha256OfFileParallel} from '../sha256-pool.js'
import type {BackupManifest} from '../manifest.js'
import {traced} from '../trace-timings.js'
import type {BackupOptions} from '../types.js'
import type {Repository, RepositoryFile} from './repository.js'
import {identity, immutable, layOutSkeleton} from './skeleton.js'
import {uploadFile} from './transfer.js'
import type {UploadSlots} from './upload-slots.js'

export interface Snapshot {
  /** The local engine's manifest of the snapshot (kept files are skeletons). */
  local: BackupManifest
  /** Every file of the snapshot that the local engine copied, with its SHA-256 and stored. */
  staged: RepositoryFile[]
}

export interface SnapshotOptions {
  repo: Repository
  backup: Omit<BackupOptions, 'backupDir' | 'linkFrom' | 'full'>
  source: {db: string; index: string}
  /** The repository's newest backup, whose layout the skeleton follows. */
  previous: BackupManifest | undefined
  /** Immutable files to lay out as skeletons (kept, not copied): those the repository holds or is being given. */
  skeletons: ReadonlyArray<Omit<RepositoryFile, 'sha256'> & {sha256?: string}>
  present: Set<string>
  slots: UploadSlots
  concurrency: number
  signal?: AbortSignal
  onUploaded: (f: RepositoryFile) => void
  log: (line: string) => void
}

/**
 * Takes the node's consistent snapshot with the local engine (checkpoints, the ongoing chunk, the
 * index map, bloom filters and whatever changed under the run) into `backupDir`, over skeletons of
 * the immutable files, then hashes every file it copied and uploads those the repository lacks.
 * The kept files are not hashed here: their SHA-256 is the repository's (or the direct upload's).
 */
export async function snapshotAndUpload(backupDir: string, opts: SnapshotOptions): Promise<Snapshot> {
  const {repo} = opts
  await traced('repo-backup:skeleton', () => layOutSkeleton(opts.previous, opts.skeletons, opts.source, backupDir))
  const local = await traced('repo-backup:local', () => backupNode({...opts.backup, signal: opts.signal, backupDir, full: false}))
  const dataDir = join(backupDir, local.dataDir)
  const known = new Map(opts.skeletons.filter((f) => f.sha256).map((f) => [identity(f), f.sha256!]))
  throwIfAborted(opts.signal, 'backup')
  // Hashed at once on the worker threads (they queue there), not one file after another.
  const staged: RepositoryFile[] = await Promise.all(
    local.files
      .filter((f) => f.origin !== 'kept')
      .map(async (f) => {
        const sha256 =
          (immutable(f) ? known.get(identity(f)) : undefined) ??
          (await traced(`sha256 ${f.path}`, () => sha256OfFileParallel(join(dataDir, f.path))))
        return {...f, sha256}
      }),
  )
  throwIfAborted(opts.signal, 'backup')
  const toUpload = new Map<string, RepositoryFile>()
  for (const f of staged) {
    const key = repo.objectKey(f.sha256)
    if (opts.present.has(key)) continue
    opts.present.add(key)
    toUpload.set(key, f)
  }
  opts.log(`uploading ${toUpload.size} of ${local.files.length} files to ${repo.description}`)
  await traced('repo-backup:upload-staged', () =>
    runPool(
      [...toUpload.entries()],
      opts.concurrency,
      async ([key, f]) => {
        try {
          await opts.slots.run(() =>
            traced(`upload ${f.path}`, () => uploadFile(repo, join(dataDir, f.path), f.sha256, f.size, opts.signal)),
          )
        } catch (error) {
          opts.present.delete(key)
          throw error
        }
        opts.onUploaded(f)
      },
      opts.signal,
    ),
  )
  return {local, staged}
}
