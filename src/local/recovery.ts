import {readdir, rm} from 'node:fs/promises'
import {join} from 'node:path'

import {isId} from './ids.js'
import type {StateLayout} from './layout.js'
import {HistoryStatus} from './models.js'
import type {Store} from './store/index.js'

export interface RecoveryReport {
  defunctBackups: string[]
  defunctClusters: string[]
  failedRuns: string[]
  removedDirectories: string[]
  releasedLocks: number
}

const CRASHED = 'interrupted: the local cloud stopped while this was in progress'

/**
 * Crash recovery, run at start before anything else: work left in progress by a crash (kill -9)
 * becomes defunct/failed, its partial directories go, the locks are released. Nothing that was
 * available changes.
 */
export async function recover(store: Store, layout: StateLayout, now: () => Date = () => new Date()): Promise<RecoveryReport> {
  const report: RecoveryReport = {defunctBackups: [], defunctClusters: [], failedRuns: [], removedDirectories: [], releasedLocks: 0}
  const remove = async (dir: string) => {
    await rm(dir, {recursive: true, force: true})
    report.removedDirectories.push(dir)
  }

  for (const backup of store.backups.withStatus('creating')) {
    store.backups.markDefunct(backup.id, CRASHED)
    await remove(layout.backupDir(backup.id))
    report.defunctBackups.push(backup.id)
  }
  for (const cluster of store.clusters.withStatus('provisioning')) {
    const restoring = JSON.parse(cluster.spec).sourceBackupId as string | undefined
    store.clusters.setStatus(cluster.id, 'defunct', restoring ? `restore of backup ${restoring} failed: ${CRASHED}` : CRASHED)
    if (cluster.kind === 'managed') await remove(layout.clusterDir(cluster.id))
    report.defunctClusters.push(cluster.id)
  }
  for (const op of store.locks.all()) {
    // A delete that crashed half-way: finish it (the cluster was going away anyway).
    const cluster = op.kind === 'delete' ? store.clusters.get(op.cluster_id) : undefined
    if (cluster && !cluster.deleted) {
      store.clusters.markDeleted(cluster.id)
      if (cluster.kind === 'managed') await remove(layout.clusterDir(cluster.id))
    }
  }
  report.releasedLocks = store.locks.all().length
  store.locks.clear()
  for (const item of store.history.withStatus(HistoryStatus.Running)) {
    store.history.finish(item.id, HistoryStatus.Failed, CRASHED, now().toISOString())
    report.failedRuns.push(item.id)
  }
  // Backup directories without a backup row are leftovers of a crash between copy and insert/delete.
  const backupsRoot = join(layout.root, 'backups')
  const entries = await readdir(backupsRoot).catch(() => [] as string[])
  for (const name of entries) {
    if (!isId(name) || !store.backups.get(name)) await remove(join(backupsRoot, name))
  }
  return report
}
