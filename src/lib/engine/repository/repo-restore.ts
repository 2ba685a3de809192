import {mkdir, mkdtemp} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import {dirname, join, resolve} from 'node:path'

import {removeInside} from '../contained-path.js'
import {runPool} from '../copy.js'
import {isAbortError} from '../../core/errors.js'
import {AbortError, UnsoundBackupError} from '../format-error.js'
import {writeManifest} from '../manifest.js'
import {resolveNodes, restoreBackup} from '../restore.js'
import {checkFreeSpace, restoreNeeds} from '../restore-space.js'
import {traced} from '../trace-timings.js'
import type {ProgressEvent, RestoreOptions, RestoreResult, VerifyProblem, VerifyReport} from '../types.js'
import {verifyDirectory} from '../verify.js'
import type {Repository, RepositoryManifest} from './repository.js'
import {downloadFile} from './transfer.js'

export interface FetchOptions {
  concurrency?: number
  signal?: AbortSignal
  onProgress?: (p: ProgressEvent) => void
  /** Where the downloaded copy is staged (default: restore: the target's parent directory; verify: the temp directory). */
  stagingRoot?: string
}

/** The backup `id`, or the newest one; a repository without backups is refused by name. */
export async function pickBackup(repo: Repository, id?: string): Promise<RepositoryManifest> {
  if (id) return repo.readManifest(id)
  const latest = await repo.latest()
  if (!latest) throw new UnsoundBackupError(`${repo.description} holds no backup yet`, [{file: repo.description, reason: 'no backup'}])
  return latest
}

/**
 * Downloads a backup's objects in parallel into `dir` as a local backup (its manifest and data
 * directory), checking each object's SHA-256 after decoding. Problems are collected, one per file,
 * rather than stopping at the first, so that verify names them all.
 */
async function fetchInto(repo: Repository, manifest: RepositoryManifest, dir: string, opts: FetchOptions): Promise<VerifyProblem[]> {
  const problems: VerifyProblem[] = []
  const total = manifest.files.reduce((s, f) => s + f.size, 0)
  let done = 0
  await runPool(
    manifest.files,
    opts.concurrency ?? 4,
    async (f) => {
      try {
        await traced(`download ${f.path}`, () => downloadFile(repo, f, join(dir, manifest.dataDir, f.path), opts.signal))
      } catch (error) {
        if (!(error instanceof UnsoundBackupError)) throw error
        problems.push(...error.problems)
      }
      done += f.size
      opts.onProgress?.({bytesDone: done, bytesTotal: total, file: f.path})
    },
    opts.signal,
  )
  // The pool stops starting files on an abort and returns: a partial copy must not look complete.
  if (opts.signal?.aborted) throw new AbortError(`download of backup ${manifest.id} from ${repo.description} interrupted`)
  await writeManifest(dir, manifest)
  return problems
}

/**
 * Restores a backup from a repository: downloads and checks every object into a staging
 * directory, then restores from it with the local restore (its target rules, the moving aside of a
 * non-empty target, space check, truncate.chk, undo on failure), which moves the downloaded files
 * into the first node. Nothing is written to the target unless every object is sound.
 */
export async function restoreFromRepository(
  repo: Repository,
  id: string | undefined,
  opts: Omit<RestoreOptions, 'backupDir'> & FetchOptions,
): Promise<RestoreResult & {id: string}> {
  const manifest = await traced('repo-restore:manifest', () => pickBackup(repo, id))
  // Downloaded next to the (first) target: the same filesystem (often not the temp directory's, which
  // may be in memory), so the space a restore needs is where it is checked. Several nodes share one
  // download: the local restore writes the same verified data to each.
  const firstDb = opts.db ?? opts.nodes?.[0]?.db
  if (firstDb === undefined) throw new TypeError('restoreFromRepository needs db or nodes')
  const root = opts.stagingRoot ?? dirname(resolve(firstDb))
  // Checked before the download too, not only by the local restore once it is on disk: a restore
  // that cannot fit is refused before it spends the time of a download. The download is counted on
  // its own filesystem; the first node then takes its files without new space there.
  const files = manifest.files.filter((f) => f.path !== 'truncate.chk')
  const nodes = await resolveNodes(opts)
  const needs = await restoreNeeds(nodes, files, root)
  needs.push({target: root, bytes: files.reduce((s, f) => s + f.size, 0), download: true})
  await checkFreeSpace(needs, opts.freeSpace)
  await mkdir(root, {recursive: true})
  const staging = await mkdtemp(join(root, '.esc-restore-download-'))
  try {
    opts.log?.(`downloading backup ${manifest.id} from ${repo.description}`)
    const problems = await traced('repo-restore:download', () => fetchInto(repo, manifest, staging, opts)).catch((error: unknown) => {
      if (!isAbortError(error) && !opts.signal?.aborted) throw error
      const where = nodes.map((n) => n.db).join(', ')
      throw new AbortError(
        `restore interrupted while downloading backup ${manifest.id} from ${repo.description}; nothing was written to ${where}`,
      )
    })
    if (problems.length > 0) {
      throw new UnsoundBackupError(`backup ${manifest.id} in ${repo.description} is not sound; nothing was restored`, problems, [
        ...problems.slice(0, 5).map((p) => `${p.file}: ${p.reason}`),
      ])
    }
    // The download is this restore's own and every file passed its SHA-256: the local restore moves
    // it into the first node rather than writing and hashing every byte a second time.
    const result = await traced('repo-restore:local', () => restoreBackup({...opts, backupDir: staging, consumeBackupDir: true}))
    return {...result, id: manifest.id}
  } finally {
    // Through the one containment check: the download's own directory, never a node's data.
    await removeInside(
      staging,
      root,
      nodes.flatMap((n) => [n.db, n.index]),
    )
  }
}

/** Verifies a backup in a repository: every object's hash, then the same checks as a local backup's. */
export async function verifyRepositoryBackup(
  repo: Repository,
  id: string | undefined,
  opts: FetchOptions = {},
): Promise<VerifyReport & {id: string}> {
  const manifest = await pickBackup(repo, id)
  const staging = await mkdtemp(join(opts.stagingRoot ?? tmpdir(), 'esc-repo-verify-'))
  try {
    const problems = await fetchInto(repo, manifest, staging, opts)
    const report = await verifyDirectory(staging, {signal: opts.signal})
    // Files whose object failed are missing from the copy: the object's own reason says why.
    const failed = new Set(problems.map((p) => p.file))
    report.problems = [...problems, ...report.problems.filter((p) => !failed.has(p.file))]
    report.ok = report.problems.length === 0
    return {...report, dir: `${repo.description}#${manifest.id}`, id: manifest.id}
  } finally {
    await removeInside(staging, dirname(staging))
  }
}
