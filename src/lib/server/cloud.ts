import {chmod, mkdir} from 'node:fs/promises'
import type {AddressInfo} from 'node:net'

import type {FastifyInstance} from 'fastify'

import {EscError} from '../core/errors.js'
import {redactUrlCredentials} from '../core/url-credentials.js'
import {buildApp} from './api/app.js'
import type {LocalCloudContext} from './context.js'
import {type Engine, lazyEngine} from './engine-adapter.js'
import {type BootstrapCredentials, Identity} from './identity.js'
import {JobRunner} from './jobs.js'
import {StateLayout} from './layout.js'
import {backupAvailable, backupDefunct, restoreDefunct, runRefused} from './notify/messages.js'
import {Notifier} from './notify/notifier.js'
import {OverdueWatch} from './notify/overdue.js'
import {OperationsRunner, type RunnerEvents} from './operations.js'
import {recover, type RecoveryReport} from './recovery.js'
import {Scheduler} from './scheduler.js'
import {clusterSpec} from './store/clusters.js'
import {type Defaults, Store} from './store/index.js'

export interface LocalCloudOptions {
  dir: string
  engine?: Engine
  now?: () => Date
  log?: (message: string) => void
  accessTokenTtlSeconds?: number
  /** Start the cron scheduler (tests of routes may leave it off). Default true. */
  schedule?: boolean
}

/** The state database, or an error that names it (SQLite's own says only "file is not a database"). */
function openStore(file: string, now: () => Date): Store {
  try {
    return new Store(file, now)
  } catch (error) {
    throw new EscError(`${file}: ${(error as Error).message}`, {kind: 'damaged-file', hint: {advice: 'state-dir'}, cause: error})
  }
}

/** What recovery calls to forget a backup's copy in a backup store (nothing without one). */
function forgetWith(engine: Engine): ((backupDir: string) => Promise<void>) | undefined {
  return engine.forget && ((backupDir) => engine.forget!({backupDir}))
}

/** The local cloud assembled: state, identity, runner, scheduler and the HTTP app. */
export class LocalCloud {
  private constructor(
    readonly ctx: LocalCloudContext,
    readonly app: FastifyInstance,
    readonly defaults: Defaults,
    readonly recovery: RecoveryReport,
    /** Set on the very first start only: the credentials to print once. */
    readonly bootstrap: BootstrapCredentials | undefined,
  ) {}

  static async open(options: LocalCloudOptions): Promise<LocalCloud> {
    const layout = new StateLayout(options.dir)
    await mkdir(layout.root, {recursive: true, mode: 0o700})
    await chmod(layout.root, 0o700)
    await mkdir(`${layout.root}/backups`, {recursive: true, mode: 0o700})
    await mkdir(`${layout.root}/clusters`, {recursive: true, mode: 0o700})
    const now = options.now ?? (() => new Date())
    // Whatever is logged, URL credentials are not.
    const sink = options.log ?? (() => {})
    const log = (message: string) => sink(redactUrlCredentials(message))
    const store = openStore(layout.database, now)
    await chmod(layout.database, 0o600)
    try {
      const engine = options.engine ?? lazyEngine()
      const recovery = await recover(store, layout, now, log, forgetWith(engine))
      const defaults = store.ensureDefaults(now())
      const identity = new Identity(store, {accessTokenTtlSeconds: options.accessTokenTtlSeconds, now: () => now().getTime()})
      const bootstrap = await identity.bootstrap()
      const watch: {overdue?: OverdueWatch} = {}
      const notifier = new Notifier(store, {now, log, onPoll: () => watch.overdue?.check()})
      const overdue = (watch.overdue = new OverdueWatch(store, notifier, now))
      const events: RunnerEvents = {
        backupDefunct: (backup, cluster, details) =>
          notifier.notify(backup.organization_id, backup.project_id, backupDefunct(backup, cluster, details, now())),
        backupAvailable: (backup, cluster) =>
          notifier.notify(backup.organization_id, backup.project_id, backupAvailable(backup, cluster, now())),
        restoreDefunct: (cluster, details, sourceId) =>
          notifier.notify(cluster.organization_id, cluster.project_id, restoreDefunct(cluster, details, sourceId, now())),
      }
      const runner = new OperationsRunner({store, engine, layout, now, log, events})
      const jobs = new JobRunner(store, runner, now, log, (job, details) => {
        const cluster = store.clusters.get(job.cluster_id)
        const description = cluster && !cluster.deleted ? clusterSpec(cluster).description : undefined
        notifier.notify(job.organization_id, job.project_id, runRefused(job, details, now(), description))
      })
      const scheduler = new Scheduler(store, jobs, now)
      const ctx: LocalCloudContext = {
        store,
        identity,
        runner,
        jobs,
        scheduler,
        notifier,
        overdue,
        layout,
        engine,
        now,
        log,
        startedAt: now(),
      }
      const app = buildApp(ctx)
      await app.ready()
      if (options.schedule !== false) scheduler.start()
      notifier.start()
      return new LocalCloud(ctx, app, defaults, recovery, bootstrap)
    } catch (error) {
      store.close()
      throw error
    }
  }

  /** Listens on host:port (port 0: a free one) and returns the base URL. */
  async listen(host: string, port: number): Promise<string> {
    await this.app.listen({host, port})
    const address = this.app.server.address() as AddressInfo
    const shownHost = address.family === 'IPv6' ? `[${address.address}]` : address.address
    return `http://${shownHost}:${address.port}`
  }

  /** Graceful stop: no new requests, running copies stopped at a safe point, state closed. */
  async close(graceMs = 10_000): Promise<void> {
    this.ctx.scheduler.stop()
    await this.ctx.notifier.stop()
    // Stop listening at once; requests still in flight get the same grace as running copies.
    const closing = this.app.close()
    let timer: NodeJS.Timeout | undefined
    const grace = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, graceMs)
    })
    await Promise.all([this.ctx.runner.shutdown(graceMs), Promise.race([closing, grace])])
    clearTimeout(timer)
    // Whatever did not reach a safe point in time is marked defunct now, as after a crash.
    if (this.ctx.runner.activeCount > 0) {
      await recover(this.ctx.store, this.ctx.layout, this.ctx.now, this.ctx.log, forgetWith(this.ctx.engine))
    }
    this.ctx.store.close()
  }
}
