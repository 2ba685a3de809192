import {EscError} from '../../core/errors.js'
import {acquire} from './locks.js'
import type {Repository, RepositoryManifest} from './repository.js'

/** One line of `backups list`. */
export interface BackupSummary {
  id: string
  time: string
  kind: 'full' | 'differential'
  /** Bytes of the files the backup restores. */
  sizeBytes: number
  /** Bytes this backup added to the repository. */
  uploadedBytes: number
  files: number
  checkpoints: {writer: number; chaser: number}
}

export function summarize(m: RepositoryManifest): BackupSummary {
  return {
    id: m.id,
    time: m.timings.finishedAt,
    kind: m.kind,
    sizeBytes: m.files.reduce((s, f) => s + f.size, 0),
    uploadedBytes: m.uploaded?.bytes ?? 0,
    files: m.files.length,
    checkpoints: {writer: m.checkpoints.writer, chaser: m.checkpoints.chaser},
  }
}

export async function listRepositoryBackups(repo: Repository): Promise<BackupSummary[]> {
  return (await repo.readManifests()).map((m) => summarize(m))
}

export interface ForgetResult {
  forgotten: string[]
  kept: string[]
  /** Objects removed by the prune; undefined when the prune was skipped (a backup is running). */
  pruned?: {objects: number; bytes: number}
  /** Why the prune was skipped. */
  skipped?: string
}

/**
 * Forgets backups (by id, or all but the newest `keepLast`), then prunes. Forgetting deletes the
 * manifests first: from then on the backups do not exist, whatever happens next. The prune runs
 * under the prune lock, and only when no backup holds its lock (a running backup may rely on an
 * object no manifest names yet); it removes the objects no remaining manifest names. Killed in
 * the middle it leaves objects behind (the next prune removes them), never a named one missing.
 */
export async function forgetBackups(
  repo: Repository,
  which: {id: string} | {keepLast: number},
  opts: {now?: () => Date; onDelete?: (key: string) => Promise<void> | void} = {},
): Promise<ForgetResult> {
  const now = opts.now ?? (() => new Date())
  const keys = await repo.manifestKeys()
  const ids = [...keys.keys()]
  let forget: string[]
  if ('id' in which) {
    if (!ids.includes(which.id)) {
      throw new EscError(`${repo.description} has no backup ${which.id}`, {
        kind: 'not-found',
        suggestions: ['`esc node backups list` shows the backups it has.'],
      })
    }
    forget = [which.id]
  } else {
    forget = ids.slice(0, Math.max(0, ids.length - which.keepLast))
  }
  await repo.deleteManifests(forget, keys)
  const kept = ids.filter((id) => !forget.includes(id))
  let release: () => Promise<void>
  try {
    release = await acquire(repo, 'prune', now)
  } catch (error) {
    if ((error as EscError).kind !== 'conflict') throw error
    return {forgotten: forget, kept, skipped: (error as Error).message}
  }
  try {
    // Read after the lock: a backup that finished before it is among the manifests.
    const remaining = await repo.readManifests()
    const named = new Set<string>()
    for (const m of remaining) for (const f of m.files) named.add(repo.objectKey(f.sha256))
    let objects = 0
    let bytes = 0
    for await (const o of repo.store.list('objects/')) {
      if (named.has(o.key)) continue
      await opts.onDelete?.(o.key)
      await repo.store.delete(o.key)
      objects++
      bytes += o.size
    }
    return {forgotten: forget, kept: remaining.map((m) => m.id), pruned: {objects, bytes}}
  } finally {
    await release().catch(() => undefined)
  }
}
