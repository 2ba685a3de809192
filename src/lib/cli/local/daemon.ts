import {appendFileSync} from 'node:fs'
import {writeFile} from 'node:fs/promises'

import {redactUrlCredentials} from '../../core/url-credentials.js'
import {LocalCloud} from '../../server/cloud.js'
import type {Engine} from '../../server/engine-adapter.js'
import {StateLayout} from '../../server/layout.js'
import {writeLocalProfile} from './local-profile.js'
import {ServerLock, readServerInfo, removeServerInfo, writeServerInfo} from '../../server/server-lock.js'

export interface ServeOptions {
  dir: string
  host: string
  port: number
  env?: NodeJS.ProcessEnv
  /** Tests: a fake engine. */
  engine?: Engine
  /** How long running copies and requests get to reach a safe point (default 10 s). */
  shutdownGraceMs?: number
  /** After this long the process exits whatever still runs (default 20 s); the next start recovers. */
  shutdownCapMs?: number
  /** How the process ends once stopped (tests observe it instead). */
  exit?: (code: number) => void
}

export class AlreadyRunningError extends Error {}

const LOOPBACK = new Set(['127.0.0.1', '::1', 'localhost'])
export const isLoopback = (host: string) => LOOPBACK.has(host) || /^127\.\d+\.\d+\.\d+$/.test(host)

/** A taken port names the port and the fix; other listen errors pass as they are. */
function listenError(error: unknown, options: ServeOptions): unknown {
  if ((error as NodeJS.ErrnoException).code !== 'EADDRINUSE') return error
  return new Error(`port ${options.port} on ${options.host} is already in use; stop what uses it or pick another with --port (0 picks a free one)`)
}

/**
 * Runs the local cloud in this process until SIGINT/SIGTERM. Returns once listening, with the
 * text to show the user; `stopped` resolves after a graceful shutdown.
 */
export async function serve(options: ServeOptions): Promise<{banner: string; url: string; stopped: Promise<void>; stop: (reason: string) => void}> {
  const env = options.env ?? process.env
  const layout = new StateLayout(options.dir)
  // Everything the server creates (state, logs, cluster data, backups) is for this user only.
  process.umask(0o077)
  const {mkdir, chmod} = await import('node:fs/promises')
  await mkdir(layout.root, {recursive: true, mode: 0o700})
  await chmod(layout.root, 0o700)
  const lock = ServerLock.tryAcquire(layout)
  if (!lock) {
    const info = await readServerInfo(layout)
    throw new AlreadyRunningError(`a local cloud is already running on ${layout.root}${info ? ` (pid ${info.pid}, ${info.url})` : ''}`)
  }
  // URL credentials never reach server.log; a log write that fails (a full disk) never takes a request down.
  const log = (message: string) => {
    try {
      appendFileSync(layout.logFile, `${new Date().toISOString()} ${redactUrlCredentials(message)}\n`, {mode: 0o600})
    } catch {
      // Nothing better to do: the disk is full or the log is gone.
    }
  }
  let cloud: LocalCloud
  try {
    const ttl = Number(env.ESC_LOCAL_TOKEN_TTL ?? 3600)
    cloud = await LocalCloud.open({dir: layout.root, log, engine: options.engine, accessTokenTtlSeconds: Number.isFinite(ttl) && ttl > 0 ? ttl : 3600})
  } catch (error) {
    lock.release()
    throw error
  }
  let url: string
  try {
    url = await cloud.listen(options.host, options.port)
  } catch (error) {
    if (cloud.bootstrap) cloud.ctx.identity.forgetBootstrap(cloud.bootstrap)
    await cloud.close(0)
    lock.release()
    throw listenError(error, options)
  }
  const report = cloud.recovery
  if (report.defunctBackups.length + report.defunctClusters.length + report.failedRuns.length > 0) {
    log(`crash recovery: defunct backups ${report.defunctBackups.join(',') || '-'}, defunct clusters ${report.defunctClusters.join(',') || '-'}, failed runs ${report.failedRuns.join(',') || '-'}`)
  }
  if (cloud.bootstrap) {
    await writeFile(layout.adminCredentials, `${JSON.stringify({clientId: cloud.bootstrap.clientId, clientSecret: cloud.bootstrap.clientSecret}, null, 2)}\n`, {mode: 0o600})
  }
  await writeServerInfo(layout, {pid: process.pid, url, startedAt: cloud.ctx.startedAt.toISOString(), dir: layout.root})
  // A settings.toml or token store the server cannot write must not take the server down.
  const profile = await writeLocalProfile({url, organizationId: cloud.defaults.organizationId, projectId: cloud.defaults.projectId, identity: cloud.ctx.identity, env})
    .catch((error: Error) => error)
  log(`listening on ${url} (pid ${process.pid})`)

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

  const lines = [
    `Local cloud running at ${url} (pid ${process.pid})`,
    `State directory: ${layout.root}`,
    profile instanceof Error
      ? `WARNING: could not write the "local" profile or its token: ${profile.message}`
      : `Profile "${profile.profile}" written to ${profile.settingsDir}/settings.toml${profile.madeDefault ? ' (now the default profile)' : ''}; its token is in the ${profile.tokenSource === 'keychain' ? 'keychain' : 'token file'}`,
  ]
  if (report.defunctBackups.length > 0 || report.defunctClusters.length > 0) {
    lines.push(`Crash recovery: ${report.defunctBackups.length} backup(s) and ${report.defunctClusters.length} restore(s) left in progress were marked defunct`)
  }
  if (cloud.bootstrap) {
    lines.push(
      '',
      'Credentials of this local cloud (shown once; only their hashes are kept):',
      `  user:          ${cloud.bootstrap.username}`,
      `  password:      ${cloud.bootstrap.password}`,
      `  client id:     ${cloud.bootstrap.clientId}`,
      `  client secret: ${cloud.bootstrap.clientSecret}  (also in ${layout.adminCredentials}, mode 0600)`,
      `  refresh token: ${cloud.bootstrap.refreshToken}`,
    )
  }
  lines.push(
    '',
    'Next:',
    `  esc local demo-data --dir ${layout.root}    # a cluster with live data`,
    '  esc mesdb clusters list --profile local',
    '  esc mesdb backups create --profile local --source-cluster-id <cluster id> --description "on demand backup"',
    '  esc mesdb backups list --profile local',
    `  esc local status --dir ${layout.root}`,
    `  esc local stop --dir ${layout.root}`,
  )
  return {banner: `${lines.join('\n')}\n`, url, stopped, stop}
}
