import {renderLabel} from '../contract/labels/index.js'
import {ApiProblem, clusterLocked, isUnsoundBackup} from './api/problems.js'
import {type ClusterChange, wrongStatus} from './cluster-changes.js'
import type {Engine, LiveWriter} from './engine-adapter.js'
import {newId} from './ids.js'
import type {StateLayout} from './layout.js'
import {restrictModes, safeRemoveOwned} from './owned-dirs.js'
import type {BackupRow} from './store/backups.js'
import {type ClusterRow, clusterSpec, DEFAULT_PROVIDER, nodeGuardOf} from './store/clusters.js'
import type {Store} from './store/index.js'
import type {OwnedKind} from './store/removals.js'

export interface RunnerOptions {
  store: Store
  engine: Engine
  layout: StateLayout
  now?: () => Date
  log?: (message: string) => void
  /** Told of failures, to notify; must not throw or block. */
  events?: RunnerEvents
}

export interface RunnerEvents {
  backupDefunct(backup: BackupRow, cluster: ClusterRow, details: string): void
  restoreDefunct(cluster: ClusterRow, details: string, sourceBackupId?: string): void
  backupAvailable(backup: BackupRow, cluster: ClusterRow): void
}

export interface BackupStart {
  cluster: ClusterRow
  description: string
  jobId?: string
  /** Called with the outcome when the copy ends (scheduled runs record history and prune). */
  onDone?: (backup: BackupRow, error?: Error) => void | Promise<void>
}

const reason = (error: unknown) => (error instanceof Error ? error.message : String(error)) || 'unknown error'

/**
 * Runs the long operations (backups, restores, provisioning) in the background, at most one per
 * cluster: the lock is a row in `operations`, taken atomically with the resource it creates and
 * released on every outcome.
 */
export class OperationsRunner {
  private readonly running = new Map<string, {controller: AbortController; done: Promise<void>}>()
  /** Backups being read (by a restore, or linked from by a backup): deleting them must wait. */
  private readonly readingBackups = new Map<string, number>()
  private readonly writers = new Map<string, LiveWriter>()
  private readonly now: () => Date
  private readonly log: (message: string) => void

  constructor(private readonly options: RunnerOptions) {
    this.now = options.now ?? (() => new Date())
    this.log = options.log ?? (() => {})
  }

  private get store() {
    return this.options.store
  }

  /** Creates the backup row (status creating) and starts the copy; throws 409 when locked. */
  startBackup(start: BackupStart): BackupRow {
    const {cluster} = start
    // A cluster being changed (expand, resize…) shows a busy status: say why it is refused, the lock.
    if (this.store.locks.holder(cluster.id)) throw clusterLocked()
    if (cluster.status === 'stopped') throw new ApiProblem(409, `cannot back up cluster ${cluster.id}: cluster is stopped; start it first`)
    if (cluster.status !== 'available') {
      throw new ApiProblem(409, `cluster ${cluster.id} is ${cluster.status}; only an available cluster can be backed up`)
    }
    const id = newId(this.now().getTime())
    const spec = clusterSpec(cluster)
    const row = this.store.db.transaction(() => {
      const locked = !this.store.locks.tryAcquire({
        cluster_id: cluster.id,
        kind: 'backup',
        resource_id: id,
        started: this.now().toISOString(),
      })
      if (locked) throw clusterLocked()
      const index = this.store.clusters.nextBackupIndex(cluster.id)
      const description = renderLabel(start.description, {
        index,
        cluster: {id: cluster.id, description: spec.description, provider: spec.provider ?? DEFAULT_PROVIDER},
        date: this.now(),
      })
      this.store.backups.insert({
        id,
        organization_id: cluster.organization_id,
        project_id: cluster.project_id,
        cluster_id: cluster.id,
        cluster_description: spec.description,
        description,
        created: this.now().toISOString(),
        job_id: start.jobId ?? null,
        dir: this.options.layout.backupDir(id),
        cluster_spec: spec,
      })
      return this.store.backups.get(id)!
    })()
    this.track(id, (signal) => this.copy(row, cluster, signal, start.onDone))
    return row
  }

  private async copy(row: BackupRow, cluster: ClusterRow, signal: AbortSignal, onDone: BackupStart['onDone']): Promise<void> {
    const {layout} = this.options
    const backupDir = layout.backupDir(row.id)
    const previous = this.store.backups.latestAvailable(cluster.id)
    // The previous backup is read (hard-linked from) during the copy: it must not be deleted meanwhile.
    if (previous) this.beginRead(previous.id)
    let failure: Error | undefined
    const started = Date.now()
    try {
      const {sizeBytes} = await this.options.engine.backup({
        db: layout.clusterData(cluster),
        index: cluster.index_dir ?? undefined,
        backupDir,
        linkFrom: previous && layout.backupDir(previous.id),
        nodeGuard: nodeGuardOf(cluster),
        signal,
      })
      await restrictModes(backupDir)
      this.store.backups.complete(row.id, sizeBytes, this.now().toISOString())
      this.options.events?.backupAvailable(this.store.backups.get(row.id)!, cluster)
      this.log(
        `backup ${row.id} of cluster ${cluster.id} available (${sizeBytes} bytes in ${Date.now() - started} ms${previous ? `, linked from ${previous.id}` : ''})`,
      )
    } catch (error) {
      failure = error instanceof Error ? error : new Error(String(error))
      const details = signal.aborted ? 'interrupted: the local cloud was shut down during the copy' : reason(error)
      failure.message = details
      await this.removeOwned('backup', row.id)
      this.store.backups.markDefunct(row.id, details)
      this.log(`backup ${row.id} of cluster ${cluster.id} defunct: ${details}`)
      this.options.events?.backupDefunct(this.store.backups.get(row.id)!, cluster, details)
    } finally {
      if (previous) this.endRead(previous.id)
      this.store.locks.release(cluster.id, row.id)
    }
    await onDone?.(this.store.backups.get(row.id)!, failure)
  }

  /** Provisions a new cluster: empty, or restored from `source` (an available backup). */
  startProvision(cluster: ClusterRow, source?: BackupRow): void {
    const acquired = this.store.locks.tryAcquire({
      cluster_id: cluster.id,
      kind: source ? 'restore' : 'provision',
      resource_id: cluster.id,
      started: this.now().toISOString(),
    })
    if (!acquired) throw clusterLocked()
    if (source) this.beginRead(source.id)
    const {layout} = this.options
    this.track(cluster.id, async (signal) => {
      try {
        if (source) {
          await this.options.engine.restore({backupDir: layout.backupDir(source.id), db: layout.clusterData(cluster), signal})
        } else {
          await this.options.engine.provision(layout.clusterData(cluster))
        }
        if (cluster.kind === 'managed') await restrictModes(layout.clusterDir(cluster.id))
        this.store.clusters.setStatus(cluster.id, 'available')
      } catch (error) {
        const details = signal.aborted ? 'interrupted: the local cloud was shut down during the restore' : reason(error)
        // A backup the engine found unsound would fail every restore: it is not offered again.
        if (source && !signal.aborted && isUnsoundBackup(error)) {
          this.store.backups.markDefunct(source.id, `found unsound by the restore into cluster ${cluster.id}: ${details}`)
          this.log(`backup ${source.id} defunct: found unsound by a restore: ${details}`)
        }
        if (cluster.kind === 'managed') await this.removeOwned('cluster', cluster.id)
        this.store.clusters.setStatus(cluster.id, 'defunct', source ? `restore of backup ${source.id} failed: ${details}` : details)
        this.log(`cluster ${cluster.id} defunct: ${details}`)
        if (source) this.options.events?.restoreDefunct(cluster, details, source.id)
      } finally {
        if (source) this.endRead(source.id)
        this.store.locks.release(cluster.id, cluster.id)
      }
    })
  }

  async deleteBackup(row: BackupRow): Promise<void> {
    if (row.status === 'creating') throw new ApiProblem(409, `backup ${row.id} is still being created`)
    if (this.readingBackups.has(row.id))
      throw new ApiProblem(409, `backup ${row.id} is being read by a restore or a backup linking from it; retry when that has finished`)
    // The removal is recorded with the row's delete: a crash in between leaves it to recovery.
    this.store.db.transaction(() => {
      this.store.removals.record('backup', row.id, this.now())
      this.store.backups.delete(row.id)
    })()
    // A backup store's copy goes first: the directory holds the pointer to it.
    await this.options.engine.forget?.({backupDir: this.options.layout.backupDir(row.id)}).catch((error: unknown) => {
      this.log(`backup ${row.id}: could not forget it in the backup store: ${reason(error)}`)
    })
    // Other backups hard-link the same chunks: removing this directory leaves their links whole.
    await this.removeOwned('backup', row.id)
    this.store.removals.done('backup', row.id)
  }

  /** Removes a backup's or managed cluster's directory through safeRemoveOwned; a refusal is logged, never thrown. */
  async removeOwned(kind: OwnedKind, id: string): Promise<void> {
    try {
      await safeRemoveOwned(this.store, this.options.layout, kind, id)
    } catch (error) {
      this.log(`kept the directory of ${kind} ${id}: ${reason(error)}`)
    }
  }

  async deleteCluster(cluster: ClusterRow): Promise<void> {
    const token = `delete-${cluster.id}`
    if (!this.store.locks.tryAcquire({cluster_id: cluster.id, kind: 'delete', resource_id: token, started: this.now().toISOString()})) {
      throw clusterLocked()
    }
    try {
      await this.stopWriter(cluster.id)
      // An attached cluster's data belongs to its node: only forget it.
      this.store.db.transaction(() => {
        if (cluster.kind === 'managed') this.store.removals.record('cluster', cluster.id, this.now())
        this.store.clusters.markDeleted(cluster.id)
      })()
      if (cluster.kind === 'managed') {
        await this.removeOwned('cluster', cluster.id)
        this.store.removals.done('cluster', cluster.id)
      }
    } finally {
      this.store.locks.release(cluster.id, token)
    }
  }

  /** Updates description, ACL and protected at once, refused (409) while another operation holds the lock. */
  updateCluster(cluster: ClusterRow, body: {aclId?: string; description?: string; protected?: boolean}): void {
    const token = `update-${cluster.id}`
    this.store.db.transaction(() => {
      if (!this.store.locks.tryAcquire({cluster_id: cluster.id, kind: 'update', resource_id: token, started: this.now().toISOString()})) {
        throw clusterLocked()
      }
      const spec = clusterSpec(this.store.clusters.get(cluster.id)!)
      this.store.clusters.setSpec(cluster.id, {
        ...spec,
        aclId: body.aclId ?? spec.aclId,
        description: body.description ?? spec.description,
        protected: body.protected ?? spec.protected,
      })
      this.store.locks.release(cluster.id, token)
    })()
  }

  /**
   * Starts a change of a cluster (expand, resize…): takes the lock and shows the busy status in one
   * transaction, then applies the change when it ends. On failure the cluster goes back to the
   * status it had, unchanged, with the reason as details. Returns the operation id.
   */
  startChange(cluster: ClusterRow, change: ClusterChange): string {
    const id = newId(this.now().getTime())
    this.store.db.transaction(() => {
      const current = this.store.clusters.get(cluster.id)!
      if (!this.store.locks.tryAcquire({cluster_id: cluster.id, kind: change.kind, resource_id: id, started: this.now().toISOString()})) {
        throw clusterLocked()
      }
      if (current.status !== change.from) throw wrongStatus(current, change)
      this.store.clusters.setStatus(cluster.id, change.busy)
    })()
    this.track(id, async (signal) => {
      try {
        // A stopped cluster takes no writes: its live writer (demo data) stops with it.
        if (change.kind === 'stop') await this.stopWriter(cluster.id)
        await this.options.engine.changeCluster({kind: change.kind, db: this.options.layout.clusterData(cluster), signal})
        this.store.db.transaction(() => {
          this.store.clusters.setSpec(cluster.id, change.apply(clusterSpec(this.store.clusters.get(cluster.id)!)))
          this.store.clusters.setStatus(cluster.id, change.to)
        })()
        this.log(`cluster ${cluster.id}: ${change.kind} done (${change.to})`)
      } catch (error) {
        const details = signal.aborted ? 'interrupted: the local cloud was shut down during the change' : reason(error)
        this.store.clusters.setStatus(cluster.id, change.from, `${change.kind} failed: ${details}; nothing was changed`)
        this.log(`cluster ${cluster.id}: ${change.kind} failed: ${details}`)
      } finally {
        this.store.locks.release(cluster.id, id)
      }
    })
    return id
  }

  private beginRead(backupId: string): void {
    this.readingBackups.set(backupId, (this.readingBackups.get(backupId) ?? 0) + 1)
  }

  private endRead(backupId: string): void {
    const readers = (this.readingBackups.get(backupId) ?? 1) - 1
    if (readers > 0) this.readingBackups.set(backupId, readers)
    else this.readingBackups.delete(backupId)
  }

  addWriter(clusterId: string, writer: LiveWriter): void {
    this.writers.set(clusterId, writer)
  }

  async stopWriter(clusterId: string): Promise<void> {
    const writer = this.writers.get(clusterId)
    this.writers.delete(clusterId)
    await writer?.stop()
  }

  /** Resolves when no operation is running (tests, shutdown). */
  async idle(): Promise<void> {
    while (this.running.size > 0) await Promise.allSettled([...this.running.values()].map((op) => op.done))
  }

  get activeCount(): number {
    return this.running.size
  }

  /**
   * Shutdown: asks running copies to stop at their next safe point and waits up to `graceMs`;
   * whatever is still running then is left to crash recovery on the next start.
   */
  async shutdown(graceMs = 10_000): Promise<void> {
    for (const op of this.running.values()) op.controller.abort()
    let timer: NodeJS.Timeout | undefined
    await Promise.race([
      this.idle(),
      new Promise<void>((resolve) => {
        timer = setTimeout(resolve, graceMs)
      }),
    ])
    clearTimeout(timer)
    await Promise.allSettled([...this.writers.keys()].map((id) => this.stopWriter(id)))
  }

  private track(key: string, work: (signal: AbortSignal) => Promise<void>): void {
    const controller = new AbortController()
    const done = work(controller.signal)
      .catch((error) => this.log(`operation ${key} failed unexpectedly: ${reason(error)}`))
      .finally(() => this.running.delete(key))
    this.running.set(key, {controller, done})
  }
}
