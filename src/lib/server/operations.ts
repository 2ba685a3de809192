import {BackgroundWork, BackupReaders, reason} from './background.js'
import {type BackupStart, deleteBackup, startBackup} from './backup-operation.js'
import type {ClusterChange} from './cluster-changes.js'
import {deleteCluster, startChange, startProvision, updateCluster} from './cluster-operations.js'
import type {Engine, LiveWriter} from './engine-adapter.js'
import type {StateLayout} from './layout.js'
import type {OperationDeps, RunnerEvents} from './operation-deps.js'
import {safeRemoveOwned} from './owned-dirs.js'
import type {BackupRow} from './store/backups.js'
import type {ClusterRow} from './store/clusters.js'
import type {Store} from './store/index.js'
import type {OwnedKind} from './store/removals.js'

export type {BackupStart} from './backup-operation.js'
export type {RunnerEvents} from './operation-deps.js'

export interface RunnerOptions {
  store: Store
  engine: Engine
  layout: StateLayout
  now?: () => Date
  log?: (message: string) => void
  /** Told of failures, to notify; must not throw or block. */
  events?: RunnerEvents
}

/**
 * Runs the long operations (backups, restores, provisioning, cluster changes) in the background,
 * at most one per cluster: the lock is a row in `operations`, taken atomically with the resource it
 * creates and released on every outcome. The operations themselves live in backup-operation.ts and
 * cluster-operations.ts; this class holds what they share and what shutdown needs.
 */
export class OperationsRunner {
  private readonly work: BackgroundWork
  private readonly writers = new Map<string, LiveWriter>()
  private readonly deps: OperationDeps

  constructor(private readonly options: RunnerOptions) {
    const log = options.log ?? (() => {})
    this.work = new BackgroundWork(log)
    this.deps = {
      store: options.store,
      engine: options.engine,
      layout: options.layout,
      now: options.now ?? (() => new Date()),
      log,
      events: options.events,
      work: this.work,
      readers: new BackupReaders(),
      removeOwned: (kind, id) => this.removeOwned(kind, id),
      stopWriter: (clusterId) => this.stopWriter(clusterId),
    }
  }

  /** Creates the backup row (status creating) and starts the copy; throws 409 when locked. */
  startBackup(start: BackupStart): BackupRow {
    return startBackup(this.deps, start)
  }

  /** Provisions a new cluster: empty, or restored from `source` (an available backup). */
  startProvision(cluster: ClusterRow, source?: BackupRow): void {
    startProvision(this.deps, cluster, source)
  }

  deleteBackup(row: BackupRow): Promise<void> {
    return deleteBackup(this.deps, row)
  }

  /** Removes a backup's or managed cluster's directory through safeRemoveOwned; a refusal is logged, never thrown. */
  async removeOwned(kind: OwnedKind, id: string): Promise<void> {
    try {
      await safeRemoveOwned(this.options.store, this.options.layout, kind, id)
    } catch (error) {
      this.deps.log(`kept the directory of ${kind} ${id}: ${reason(error)}`)
    }
  }

  deleteCluster(cluster: ClusterRow): Promise<void> {
    return deleteCluster(this.deps, cluster)
  }

  /** Updates description, ACL and protected at once, refused (409) while another operation holds the lock. */
  updateCluster(cluster: ClusterRow, body: {aclId?: string; description?: string; protected?: boolean}): void {
    updateCluster(this.deps, cluster, body)
  }

  /** Starts a change of a cluster (expand, resize…); returns the operation id. */
  startChange(cluster: ClusterRow, change: ClusterChange): string {
    return startChange(this.deps, cluster, change)
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
  idle(): Promise<void> {
    return this.work.idle()
  }

  get activeCount(): number {
    return this.work.size
  }

  /**
   * Shutdown: asks running copies to stop at their next safe point and waits up to `graceMs`;
   * whatever is still running then is left to crash recovery on the next start.
   */
  async shutdown(graceMs = 10_000): Promise<void> {
    this.work.abortAll()
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
}
