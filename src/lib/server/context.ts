import type {Engine} from './engine-adapter.js'
import type {Identity} from './identity.js'
import type {JobRunner} from './jobs.js'
import type {Notifier} from './notify/notifier.js'
import type {OverdueWatch} from './notify/overdue.js'
import type {StateLayout} from './layout.js'
import type {OperationsRunner} from './operations.js'
import type {Scheduler} from './scheduler.js'
import type {Store} from './store/index.js'

/** Everything a route handler may use; built once per server by LocalCloud. */
export interface LocalCloudContext {
  store: Store
  identity: Identity
  runner: OperationsRunner
  jobs: JobRunner
  scheduler: Scheduler
  notifier: Notifier
  overdue: OverdueWatch
  layout: StateLayout
  engine: Engine
  now: () => Date
  log: (message: string) => void
  startedAt: Date
}
