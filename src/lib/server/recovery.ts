import {readdir} from 'node:fs/promises'
import {join} from 'node:path'

import {BUSY_STATUSES, statusBefore} from './cluster-changes.js'
import type {StateLayout} from './layout.js'
import {HistoryStatus} from './models.js'
import {ownerOf, safeRemoveOwned} from './owned-dirs.js'
import type {Store} from './store/index.js'
import type {OwnedKind} from './store/removals.js'

export interface RecoveryReport {
  defunctBackups: string[]
  defunctClusters: string[]
  failedRuns: string[]
  /** Clusters whose change (expand, resize…) the crash interrupted: back to their status before it. */
  interruptedChanges: string[]
  removedDirectories: string[]
  /** Entries of backups/ and clusters/ left alone: not recorded by the store, or refused as unsafe. */
  keptDirectories: string[]
  releasedLocks: number
}

const CRASHED = 'interrupted: the local cloud stopped while this was in progress'

/**
 * Crash recovery, run at start before anything else: work left in progress by a crash (kill -9)
 * becomes defunct/failed, its partial directories go, the locks are released. Nothing that was
 * available changes. Only directories the store recorded (a backup still creating, a restore still
 * provisioning, a recorded removal) are removed, through safeRemoveOwned; anything else found in
 * backups/ or clusters/ is kept and logged.
 */
export async function recover(
  store: Store,
  layout: StateLayout,
  now: () => Date = () => new Date(),
  log: (message: string) => void = () => {},
  /** A backup store's forget (the engine's): a backup this removes is forgotten there first. */
  forget?: (backupDir: string) => Promise<void>,
): Promise<RecoveryReport> {
  const report: RecoveryReport = {
    defunctBackups: [],
    defunctClusters: [],
    failedRuns: [],
    interruptedChanges: [],
    removedDirectories: [],
    keptDirectories: [],
    releasedLocks: 0,
  }
  const remove = async (kind: OwnedKind, id: string): Promise<boolean> => {
    const dir = join(ownerOf(layout, kind), id)
    try {
      if (await safeRemoveOwned(store, layout, kind, id)) {
        report.removedDirectories.push(dir)
        log(`crash recovery: removed ${dir}`)
      }
      return true
    } catch (error) {
      report.keptDirectories.push(dir)
      log(`crash recovery: kept ${dir}: ${(error as Error).message}`)
      return false
    }
  }

  // The directory holds what names the backup's copy in a backup store: forget that copy first,
  // or keep the directory (and say so) for a later delete or start to try again.
  const forgotten = async (id: string): Promise<boolean> => {
    const dir = join(ownerOf(layout, 'backup'), id)
    try {
      await forget?.(dir)
      return true
    } catch (error) {
      report.keptDirectories.push(dir)
      log(`crash recovery: kept ${dir}: could not forget backup ${id} in the backup store: ${(error as Error).message}`)
      return false
    }
  }

  for (const backup of store.backups.withStatus('creating')) {
    store.backups.markDefunct(backup.id, CRASHED)
    if (await forgotten(backup.id)) await remove('backup', backup.id)
    report.defunctBackups.push(backup.id)
  }
  for (const cluster of store.clusters.withStatus('provisioning')) {
    const restoring = JSON.parse(cluster.spec).sourceBackupId as string | undefined
    store.clusters.setStatus(cluster.id, 'defunct', restoring ? `restore of backup ${restoring} failed: ${CRASHED}` : CRASHED)
    if (cluster.kind === 'managed') await remove('cluster', cluster.id)
    report.defunctClusters.push(cluster.id)
  }
  // A change of a cluster (expand, resize…) that crashed was not applied: back to where it started.
  for (const cluster of store.clusters.inStatus(BUSY_STATUSES)) {
    const kind = store.locks.holder(cluster.id)?.kind ?? 'change'
    store.clusters.setStatus(cluster.id, statusBefore(cluster.status)!, `${kind} failed: ${CRASHED}; nothing was changed`)
    report.interruptedChanges.push(cluster.id)
  }
  for (const op of store.locks.all()) {
    // A delete that crashed half-way: finish it (the cluster was going away anyway).
    const cluster = op.kind === 'delete' ? store.clusters.get(op.cluster_id) : undefined
    if (cluster && !cluster.deleted) {
      store.clusters.markDeleted(cluster.id)
      if (cluster.kind === 'managed') store.removals.record('cluster', cluster.id, now())
    }
  }
  report.releasedLocks = store.locks.all().length
  store.locks.clear()
  for (const item of store.history.withStatus(HistoryStatus.Running)) {
    store.history.finish(item.id, HistoryStatus.Failed, CRASHED, now().toISOString())
    report.failedRuns.push(item.id)
  }
  // Removals recorded before a crash (a deleted backup's or cluster's directory): finish them.
  for (const removal of store.removals.all()) {
    if (removal.kind === 'backup' && !(await forgotten(removal.id))) continue
    if (await remove(removal.kind, removal.id)) store.removals.done(removal.kind, removal.id)
  }
  // Anything else is not the store's to remove: report it, keep it.
  for (const kind of ['backup', 'cluster'] as const) {
    const owner = ownerOf(layout, kind)
    const known = (name: string) => (kind === 'backup' ? store.backups.get(name) : store.clusters.get(name))
    for (const name of await readdir(owner).catch(() => [] as string[])) {
      const dir = join(owner, name)
      if (known(name) || report.keptDirectories.includes(dir)) continue
      report.keptDirectories.push(dir)
      log(`crash recovery: kept ${dir}: the local cloud has no record of it (remove it yourself if it is not needed)`)
    }
  }
  return report
}
