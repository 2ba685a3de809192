import {EscError} from '../../core/errors.js'
import type {LockInfo, Repository} from './repository.js'

/**
 * How long a lock is honoured. A lock older than this is taken for the leftover of a run that was
 * killed: a prune takes seconds to minutes, a backup at most hours. A backup that runs longer than
 * BACKUP_LOCK_MS could see a prune remove objects it found present, so it stops before writing its
 * manifest when it has run that long (see backupToRepository).
 */
export const PRUNE_LOCK_MS = 60 * 60 * 1000
export const BACKUP_LOCK_MS = 24 * 60 * 60 * 1000

export function isLive(lock: LockInfo, now: Date): boolean {
  const age = now.getTime() - (lock.modified?.getTime() ?? now.getTime())
  return age < (lock.kind === 'prune' ? PRUNE_LOCK_MS : BACKUP_LOCK_MS)
}

/**
 * Takes a lock of `kind`, then looks for a live lock of the other kind: a backup and a prune never
 * run at once. Both write before they look, so of two that start together at least one sees the
 * other (and both may step back: safe, and rare).
 */
export async function acquire(repo: Repository, kind: LockInfo['kind'], now: () => Date): Promise<() => Promise<void>> {
  const mine = await repo.lock(kind, now())
  const other = kind === 'backup' ? 'prune' : 'backup'
  const blocking = (await repo.locks()).filter((l) => l.kind === other && l.key !== mine.key && isLive(l, now()))
  if (blocking.length > 0) {
    await mine.release().catch(() => undefined)
    const what = other === 'prune' ? 'objects are being pruned' : 'a backup is running'
    throw new EscError(
      `${what} in ${repo.description} (lock ${blocking[0].key}, taken ${blocking[0].modified?.toISOString() ?? 'at an unknown time'}); try again once it is done`,
      {
        kind: 'conflict',
        suggestions: [
          `If no such run is alive (it was killed), the lock is ignored after ${other === 'prune' ? '1 hour' : '24 hours'}, or remove ${blocking[0].key} from the repository.`,
        ],
      },
    )
  }
  return mine.release
}
