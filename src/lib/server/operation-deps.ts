import type {BackgroundWork, BackupReaders} from './background.js'
import type {Engine} from './engine-adapter.js'
import type {StateLayout} from './layout.js'
import type {BackupRow} from './store/backups.js'
import type {ClusterRow} from './store/clusters.js'
import type {Store} from './store/index.js'
import type {OwnedKind} from './store/removals.js'

export interface RunnerEvents {
  backupDefunct(backup: BackupRow, cluster: ClusterRow, details: string): void
  restoreDefunct(cluster: ClusterRow, details: string, sourceBackupId?: string): void
  backupAvailable(backup: BackupRow, cluster: ClusterRow): void
}

/** What the backup and cluster operations share: the state, the engine, and the runner's bookkeeping. */
export interface OperationDeps {
  store: Store
  engine: Engine
  layout: StateLayout
  now: () => Date
  log: (message: string) => void
  events?: RunnerEvents
  work: BackgroundWork
  readers: BackupReaders
  /** Removes a backup's or managed cluster's directory; a refusal is logged, never thrown. */
  removeOwned(kind: OwnedKind, id: string): Promise<void>
  stopWriter(clusterId: string): Promise<void>
}
