import {renderLabel} from '../contract/labels/index.js'
import {ApiProblem, clusterLocked} from './api/problems.js'
import {reason} from './background.js'
import {newId} from './ids.js'
import type {OperationDeps} from './operation-deps.js'
import {restrictModes} from './owned-dirs.js'
import type {BackupRow} from './store/backups.js'
import {type ClusterRow, clusterSpec, DEFAULT_PROVIDER, nodeGuardOf} from './store/clusters.js'

export interface BackupStart {
  cluster: ClusterRow
  description: string
  jobId?: string
  /** Called with the outcome when the copy ends (scheduled runs record history and prune). */
  onDone?: (backup: BackupRow, error?: Error) => void | Promise<void>
}

/** Creates the backup row (status creating) and starts the copy; throws 409 when locked. */
export function startBackup(deps: OperationDeps, start: BackupStart): BackupRow {
  const {cluster} = start
  const {store, now} = deps
  // A cluster being changed (expand, resize…) shows a busy status: say why it is refused, the lock.
  if (store.locks.holder(cluster.id)) throw clusterLocked()
  if (cluster.status === 'stopped') throw new ApiProblem(409, `cannot back up cluster ${cluster.id}: cluster is stopped; start it first`)
  if (cluster.status !== 'available') {
    throw new ApiProblem(409, `cluster ${cluster.id} is ${cluster.status}; only an available cluster can be backed up`)
  }
  const id = newId(now().getTime())
  const spec = clusterSpec(cluster)
  const row = store.db.transaction(() => {
    const locked = !store.locks.tryAcquire({
      cluster_id: cluster.id,
      kind: 'backup',
      resource_id: id,
      started: now().toISOString(),
    })
    if (locked) throw clusterLocked()
    const index = store.clusters.nextBackupIndex(cluster.id)
    const description = renderLabel(start.description, {
      index,
      cluster: {id: cluster.id, description: spec.description, provider: spec.provider ?? DEFAULT_PROVIDER},
      date: now(),
    })
    store.backups.insert({
      id,
      organization_id: cluster.organization_id,
      project_id: cluster.project_id,
      cluster_id: cluster.id,
      cluster_description: spec.description,
      description,
      created: now().toISOString(),
      job_id: start.jobId ?? null,
      dir: deps.layout.backupDir(id),
      cluster_spec: spec,
    })
    return store.backups.get(id)!
  })()
  deps.work.track(id, (signal) => copy(deps, row, cluster, signal, start.onDone))
  return row
}

async function copy(
  deps: OperationDeps,
  row: BackupRow,
  cluster: ClusterRow,
  signal: AbortSignal,
  onDone: BackupStart['onDone'],
): Promise<void> {
  const {layout, store} = deps
  const backupDir = layout.backupDir(row.id)
  const previous = store.backups.latestAvailable(cluster.id)
  // The previous backup is read (hard-linked from) during the copy: it must not be deleted meanwhile.
  if (previous) deps.readers.begin(previous.id)
  let failure: Error | undefined
  const started = Date.now()
  try {
    const {sizeBytes} = await deps.engine.backup({
      db: layout.clusterData(cluster),
      index: cluster.index_dir ?? undefined,
      backupDir,
      linkFrom: previous && layout.backupDir(previous.id),
      nodeGuard: nodeGuardOf(cluster),
      signal,
    })
    await restrictModes(backupDir)
    store.backups.complete(row.id, sizeBytes, deps.now().toISOString())
    deps.events?.backupAvailable(store.backups.get(row.id)!, cluster)
    deps.log(
      `backup ${row.id} of cluster ${cluster.id} available (${sizeBytes} bytes in ${Date.now() - started} ms${previous ? `, linked from ${previous.id}` : ''})`,
    )
  } catch (error) {
    failure = error instanceof Error ? error : new Error(String(error))
    const details = signal.aborted ? 'interrupted: the local cloud was shut down during the copy' : reason(error)
    failure.message = details
    // A failure after the backup store had the manifest leaves a copy there: forget it first (the
    // directory names it). Where the store cannot be reached, the directory stays for a later delete.
    const forgotten = await (deps.engine.forget?.({backupDir}) ?? Promise.resolve()).then(
      () => true,
      (error: unknown) => {
        deps.log(`backup ${row.id}: could not forget it in the backup store: ${reason(error)}; its directory is kept`)
        return false
      },
    )
    if (forgotten) await deps.removeOwned('backup', row.id)
    store.backups.markDefunct(row.id, details)
    deps.log(`backup ${row.id} of cluster ${cluster.id} defunct: ${details}`)
    deps.events?.backupDefunct(store.backups.get(row.id)!, cluster, details)
  } finally {
    if (previous) deps.readers.end(previous.id)
    store.locks.release(cluster.id, row.id)
  }
  await onDone?.(store.backups.get(row.id)!, failure)
}

export async function deleteBackup(deps: OperationDeps, row: BackupRow): Promise<void> {
  const {store} = deps
  if (row.status === 'creating') throw new ApiProblem(409, `backup ${row.id} is still being created`)
  if (deps.readers.isRead(row.id))
    throw new ApiProblem(409, `backup ${row.id} is being read by a restore or a backup linking from it; retry when that has finished`)
  // The removal is recorded with the row's delete: a crash in between leaves it to recovery.
  store.db.transaction(() => {
    store.removals.record('backup', row.id, deps.now())
    store.backups.delete(row.id)
  })()
  // A backup store's copy goes first: the directory holds the pointer to it.
  await deps.engine.forget?.({backupDir: deps.layout.backupDir(row.id)}).catch((error: unknown) => {
    deps.log(`backup ${row.id}: could not forget it in the backup store: ${reason(error)}`)
  })
  // Other backups hard-link the same chunks: removing this directory leaves their links whole.
  await deps.removeOwned('backup', row.id)
  store.removals.done('backup', row.id)
}
