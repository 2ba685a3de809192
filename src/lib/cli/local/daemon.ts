import {appendFileSync} from 'node:fs'
import {chmod, mkdir, writeFile} from 'node:fs/promises'

import {redactUrlCredentials} from '../../core/url-credentials.js'
import {LocalCloud} from '../../server/cloud.js'
import {type Engine, lazyEngine} from '../../server/engine-adapter.js'
import {StateLayout} from '../../server/layout.js'
import {withBackupStore} from '../../server/repository-engine.js'
import {ServerLock, readServerInfo, removeServerInfo, writeServerInfo} from '../../server/server-lock.js'
import type {StartBannerFacts} from './banner.js'
import {writeLocalProfile} from './local-profile.js'

export interface ServeOptions {
  dir: string
  host: string
  port: number
  /** The profile to point at this server (default `local`). */
  profile?: string
  env?: NodeJS.ProcessEnv
  /** Tests: a fake engine. */
  engine?: Engine
  /** A repository (s3://bucket/prefix) for every backup of every cluster, instead of the state directory. */
  backupStore?: string
  /** How long running copies and requests get to reach a safe point (default 10 s). */
  shutdownGraceMs?: number
  /** After this long the process exits whatever still runs (default 20 s); the next start recovers. */
  shutdownCapMs?: number
  /** How the process ends once stopped (tests observe it instead). */
  exit?: (code: number) => void
}

/** A local cloud listening in this process: what to tell the user (startBanner), and how it ends. */
export interface RunningServer extends StartBannerFacts {
  /** Resolves after a graceful shutdown. */
  stopped: Promise<void>
  /** What a signal does: a graceful shutdown, or an immediate exit when one is already under way. */
  stop: (reason: string) => void
}

export class AlreadyRunningError extends Error {}

const LOOPBACK = new Set(['127.0.0.1', '::1', 'localhost'])
export const isLoopback = (host: string) => LOOPBACK.has(host) || /^127\.\d+\.\d+\.\d+$/.test(host)

type Log = (message: string) => void

/**
 * Runs the local cloud in this process until SIGINT/SIGTERM. Returns once listening, with what
 * the user is to be told; `stopped` resolves after a graceful shutdown.
 */
export async function serve(options: ServeOptions): Promise<RunningServer> {
  const env = options.env ?? process.env
  const layout = new StateLayout(options.dir)
  const lock = await lockStateDir(layout)
  const log = serverLog(layout)
  const {cloud, url} = await openAndListen(layout, lock, log, options, env)
  const report = cloud.recovery
  if (report.defunctBackups.length + report.defunctClusters.length + report.failedRuns.length > 0) {
    log(
      `crash recovery: defunct backups ${report.defunctBackups.join(',') || '-'}, defunct clusters ${report.defunctClusters.join(',') || '-'}, failed runs ${report.failedRuns.join(',') || '-'}`,
    )
  }
  const profile = await publish(layout, cloud, url, env, options.profile)
  log(`listening on ${url} (pid ${process.pid})`)
  const {stopped, stop} = stopOnSignals(cloud, layout, lock, log, options)
  return {
    url,
    pid: process.pid,
    stateDir: layout.root,
    adminCredentialsFile: layout.adminCredentials,
    profile,
    recovery: report,
    bootstrap: cloud.bootstrap,
    stopped,
    stop,
  }
}

/** Creates the state directory (this user's only) and takes its lock, or says who holds it. */
async function lockStateDir(layout: StateLayout): Promise<ServerLock> {
  // Everything the server creates (state, logs, cluster data, backups) is for this user only.
  process.umask(0o077)
  await mkdir(layout.root, {recursive: true, mode: 0o700})
  await chmod(layout.root, 0o700)
  const lock = ServerLock.tryAcquire(layout)
  if (lock) return lock
  const info = await readServerInfo(layout)
  throw new AlreadyRunningError(`a local cloud is already running on ${layout.root}${info ? ` (pid ${info.pid}, ${info.url})` : ''}`)
}

/** server.log: URL credentials never reach it; a write that fails (a full disk) never takes a request down. */
function serverLog(layout: StateLayout): Log {
  return (message) => {
    try {
      appendFileSync(layout.logFile, `${new Date().toISOString()} ${redactUrlCredentials(message)}\n`, {mode: 0o600})
    } catch {
      // Nothing better to do: the disk is full or the log is gone.
    }
  }
}

/** Opens the state and listens; on failure, releases what it took (the lock, the unseen bootstrap credentials). */
async function openAndListen(
  layout: StateLayout,
  lock: ServerLock,
  log: Log,
  options: ServeOptions,
  env: NodeJS.ProcessEnv,
): Promise<{cloud: LocalCloud; url: string}> {
  let cloud: LocalCloud
  try {
    const ttl = Number(env.ESC_LOCAL_TOKEN_TTL ?? 3600)
    cloud = await LocalCloud.open({
      dir: layout.root,
      log,
      engine: options.backupStore ? withBackupStore(options.engine ?? lazyEngine(), options.backupStore, log) : options.engine,
      accessTokenTtlSeconds: Number.isFinite(ttl) && ttl > 0 ? ttl : 3600,
    })
  } catch (error) {
    lock.release()
    throw error
  }
  try {
    return {cloud, url: await cloud.listen(options.host, options.port)}
  } catch (error) {
    if (cloud.bootstrap) cloud.ctx.identity.forgetBootstrap(cloud.bootstrap)
    await cloud.close(0)
    lock.release()
    throw listenError(error, options)
  }
}

/** A taken port names the port and the fix; other listen errors pass as they are. */
function listenError(error: unknown, options: ServeOptions): unknown {
  if ((error as NodeJS.ErrnoException).code !== 'EADDRINUSE') return error
  return new Error(
    `port ${options.port} on ${options.host} is already in use; stop what uses it or pick another with --port (0 picks a free one)`,
  )
}

/**
 * Tells the other esc commands where the server is: the admin credentials (first start),
 * server.json, and the profile (`local` unless named). A profile that cannot be written is returned, not thrown:
 * a settings.toml or token store the server cannot write must not take the server down.
 */
async function publish(layout: StateLayout, cloud: LocalCloud, url: string, env: NodeJS.ProcessEnv, profile: string | undefined) {
  if (cloud.bootstrap) {
    await writeFile(
      layout.adminCredentials,
      `${JSON.stringify({clientId: cloud.bootstrap.clientId, clientSecret: cloud.bootstrap.clientSecret}, null, 2)}\n`,
      {mode: 0o600},
    )
  }
  await writeServerInfo(layout, {pid: process.pid, url, startedAt: cloud.ctx.startedAt.toISOString(), dir: layout.root})
  return writeLocalProfile({
    url,
    organizationId: cloud.defaults.organizationId,
    projectId: cloud.defaults.projectId,
    identity: cloud.ctx.identity,
    env,
    profile,
  }).catch((error: Error) => error)
}

/** SIGINT/SIGTERM stop the server gracefully; a second signal, or a shutdown past the cap, ends the process at once. */
function stopOnSignals(
  cloud: LocalCloud,
  layout: StateLayout,
  lock: ServerLock,
  log: Log,
  options: ServeOptions,
): {stopped: Promise<void>; stop: (reason: string) => void} {
  const exit = options.exit ?? ((code: number) => process.exit(code))
  const graceMs = options.shutdownGraceMs ?? 10_000
  const capMs = options.shutdownCapMs ?? 20_000
  let stop!: (reason: string) => void
  const stopped = new Promise<void>((resolve) => {
    let stopping = false
    const onSigint = () => stop('SIGINT')
    const onSigterm = () => stop('SIGTERM')
    stop = (reason: string) => {
      if (stopping) {
        // Second signal: leave at once; the next start's crash recovery tidies up.
        exit(130)
        return
      }
      stopping = true
      // Whatever hangs (a copy deaf to its abort, a writer that never stops), the process ends:
      // `esc local stop` waits for the process, and must not wait for ever.
      const cap = setTimeout(() => {
        log(`${reason}: shutdown did not finish within ${capMs / 1000} s; exiting (the next start recovers what was left in progress)`)
        try {
          cloud.ctx.store.locks.clear()
        } catch {
          // The store may already be closed.
        }
        lock.release()
        exit(1)
      }, capMs)
      cap.unref()
      void (async () => {
        log(`${reason}: stopping`)
        await cloud.close(graceMs).catch((error) => log(`shutdown error: ${(error as Error).message}`))
        await removeServerInfo(layout).catch(() => {})
        lock.release()
        clearTimeout(cap)
        process.off('SIGINT', onSigint)
        process.off('SIGTERM', onSigterm)
        log('stopped')
        resolve()
        // A hung operation (a blocked read on the thread pool) would keep the process alive: end it.
        exit(0)
      })()
    }
    process.once('SIGINT', onSigint)
    process.once('SIGTERM', onSigterm)
  })
  return {stopped, stop}
}
