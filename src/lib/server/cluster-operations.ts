import {clusterLocked, isUnsoundBackup} from './api/problems.js'
import {reason} from './background.js'
import {type ClusterChange, wrongStatus} from './cluster-changes.js'
import {newId} from './ids.js'
import type {OperationDeps} from './operation-deps.js'
import {restrictModes} from './owned-dirs.js'
import type {BackupRow} from './store/backups.js'
import {type ClusterRow, clusterSpec} from './store/clusters.js'

/** Provisions a new cluster: empty, or restored from `source` (an available backup). */
export function startProvision(deps: OperationDeps, cluster: ClusterRow, source?: BackupRow): void {
  const {store, layout} = deps
  const acquired = store.locks.tryAcquire({
    cluster_id: cluster.id,
    kind: source ? 'restore' : 'provision',
    resource_id: cluster.id,
    started: deps.now().toISOString(),
  })
  if (!acquired) throw clusterLocked()
  if (source) deps.readers.begin(source.id)
  deps.work.track(cluster.id, async (signal) => {
    try {
      if (source) {
        await deps.engine.restore({backupDir: layout.backupDir(source.id), db: layout.clusterData(cluster), signal})
      } else {
        await deps.engine.provision(layout.clusterData(cluster))
      }
      if (cluster.kind === 'managed') await restrictModes(layout.clusterDir(cluster.id))
      store.clusters.setStatus(cluster.id, 'available')
    } catch (error) {
      const details = signal.aborted ? 'interrupted: the local cloud was shut down during the restore' : reason(error)
      // A backup the engine found unsound would fail every restore: it is not offered again.
      if (source && !signal.aborted && isUnsoundBackup(error)) {
        store.backups.markDefunct(source.id, `found unsound by the restore into cluster ${cluster.id}: ${details}`)
        deps.log(`backup ${source.id} defunct: found unsound by a restore: ${details}`)
      }
      if (cluster.kind === 'managed') await deps.removeOwned('cluster', cluster.id)
      store.clusters.setStatus(cluster.id, 'defunct', source ? `restore of backup ${source.id} failed: ${details}` : details)
      deps.log(`cluster ${cluster.id} defunct: ${details}`)
      if (source) deps.events?.restoreDefunct(cluster, details, source.id)
    } finally {
      if (source) deps.readers.end(source.id)
      store.locks.release(cluster.id, cluster.id)
    }
  })
}

export async function deleteCluster(deps: OperationDeps, cluster: ClusterRow): Promise<void> {
  const {store} = deps
  const token = `delete-${cluster.id}`
  if (!store.locks.tryAcquire({cluster_id: cluster.id, kind: 'delete', resource_id: token, started: deps.now().toISOString()})) {
    throw clusterLocked()
  }
  try {
    await deps.stopWriter(cluster.id)
    // An attached cluster's data belongs to its node: only forget it.
    store.db.transaction(() => {
      if (cluster.kind === 'managed') store.removals.record('cluster', cluster.id, deps.now())
      store.clusters.markDeleted(cluster.id)
    })()
    if (cluster.kind === 'managed') {
      await deps.removeOwned('cluster', cluster.id)
      store.removals.done('cluster', cluster.id)
    }
  } finally {
    store.locks.release(cluster.id, token)
  }
}

/** Updates description, ACL and protected at once, refused (409) while another operation holds the lock. */
export function updateCluster(
  deps: OperationDeps,
  cluster: ClusterRow,
  body: {aclId?: string; description?: string; protected?: boolean},
): void {
  const {store} = deps
  const token = `update-${cluster.id}`
  store.db.transaction(() => {
    if (!store.locks.tryAcquire({cluster_id: cluster.id, kind: 'update', resource_id: token, started: deps.now().toISOString()})) {
      throw clusterLocked()
    }
    const spec = clusterSpec(store.clusters.get(cluster.id)!)
    store.clusters.setSpec(cluster.id, {
      ...spec,
      aclId: body.aclId ?? spec.aclId,
      description: body.description ?? spec.description,
      protected: body.protected ?? spec.protected,
    })
    store.locks.release(cluster.id, token)
  })()
}

/**
 * Starts a change of a cluster (expand, resize…): takes the lock and shows the busy status in one
 * transaction, then applies the change when it ends. On failure the cluster goes back to the
 * status it had, unchanged, with the reason as details. Returns the operation id.
 */
export function startChange(deps: OperationDeps, cluster: ClusterRow, change: ClusterChange): string {
  const {store} = deps
  const id = newId(deps.now().getTime())
  store.db.transaction(() => {
    const current = store.clusters.get(cluster.id)!
    if (!store.locks.tryAcquire({cluster_id: cluster.id, kind: change.kind, resource_id: id, started: deps.now().toISOString()})) {
      throw clusterLocked()
    }
    if (current.status !== change.from) throw wrongStatus(current, change)
    store.clusters.setStatus(cluster.id, change.busy)
  })()
  deps.work.track(id, async (signal) => {
    try {
      // A stopped cluster takes no writes: its live writer (demo data) stops with it.
      if (change.kind === 'stop') await deps.stopWriter(cluster.id)
      await deps.engine.changeCluster({kind: change.kind, db: deps.layout.clusterData(cluster), signal})
      store.db.transaction(() => {
        store.clusters.setSpec(cluster.id, change.apply(clusterSpec(store.clusters.get(cluster.id)!)))
        store.clusters.setStatus(cluster.id, change.to)
      })()
      deps.log(`cluster ${cluster.id}: ${change.kind} done (${change.to})`)
    } catch (error) {
      const details = signal.aborted ? 'interrupted: the local cloud was shut down during the change' : reason(error)
      store.clusters.setStatus(cluster.id, change.from, `${change.kind} failed: ${details}; nothing was changed`)
      deps.log(`cluster ${cluster.id}: ${change.kind} failed: ${details}`)
    } finally {
      store.locks.release(cluster.id, id)
    }
  })
  return id
}
