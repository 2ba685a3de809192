import {readFile} from 'node:fs/promises'
import {homedir} from 'node:os'
import {join, resolve} from 'node:path'
import {setTimeout as sleep} from 'node:timers/promises'

import {StateLayout} from '../../server/layout.js'
import {isProcessAlive} from '../../core/process.js'
import {readServerInfo, removeServerInfo, ServerLock, type ServerInfo} from '../../server/server-lock.js'

/** `--dir`, else ESC_LOCAL_DIR, else `<ESC_CONFIG_DIR or ~/.esc>/local`. */
export function resolveStateDir(flag: string | undefined, env: NodeJS.ProcessEnv = process.env): string {
  if (flag) return resolve(flag)
  if (env.ESC_LOCAL_DIR) return resolve(env.ESC_LOCAL_DIR)
  return join(env.ESC_CONFIG_DIR || join(homedir(), '.esc'), 'local')
}

export class NotRunningError extends Error {}

/** The running server of `dir`, or undefined (a server.json left by a crash is removed). */
export async function runningServer(dir: string): Promise<ServerInfo | undefined> {
  const layout = new StateLayout(dir)
  const info = await readServerInfo(layout)
  if (!ServerLock.isHeld(layout)) {
    if (info) await removeServerInfo(layout)
    return undefined
  }
  return info
}

/**
 * SIGTERM, then waits until the server's process has exited (not only released its lock: a process
 * with a hung copy may linger). A zombie counts as exited (isProcessAlive reads /proc state Z: PID 1
 * here does not reap). Throws, saying what is true, when it is still running after `timeoutMs`.
 */
export async function stopServer(dir: string, timeoutMs = 30_000): Promise<ServerInfo> {
  const info = await runningServer(dir)
  if (!info) throw new NotRunningError(`no local cloud is running on ${dir}`)
  process.kill(info.pid, 'SIGTERM')
  const layout = new StateLayout(dir)
  const deadline = Date.now() + timeoutMs
  while (Date.now() < deadline) {
    if (!isProcessAlive(info.pid)) return info
    await sleep(100)
  }
  const state = ServerLock.isHeld(layout) ? 'is still running' : 'released its state directory but is still running'
  throw new Error(`the local cloud (pid ${info.pid}) did not exit within ${timeoutMs / 1000} s: it ${state}; kill it with: kill -9 ${info.pid}`)
}

/** The admin client of `esc local …` commands; a missing or damaged file is named, not a bare JSON error. */
async function readAdminCredentials(layout: StateLayout): Promise<{clientId: string; clientSecret: string}> {
  let creds: {clientId?: unknown; clientSecret?: unknown} | undefined
  try {
    creds = JSON.parse(await readFile(layout.adminCredentials, 'utf8'))
  } catch (error) {
    const why = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'it does not exist' : (error as Error).message
    throw new Error(`cannot read the local cloud's admin credentials ${layout.adminCredentials}: ${why}; restore that file (it was written at the first start), or use a new --dir`)
  }
  if (typeof creds?.clientId !== 'string' || typeof creds.clientSecret !== 'string') {
    throw new Error(`cannot read the local cloud's admin credentials ${layout.adminCredentials}: clientId or clientSecret missing; restore that file (it was written at the first start), or use a new --dir`)
  }
  return {clientId: creds.clientId, clientSecret: creds.clientSecret}
}

/** A request to the server as its admin client (client_credentials grant). */
export async function adminRequest<T>(dir: string, method: string, path: string, body?: unknown): Promise<T> {
  const info = await runningServer(dir)
  if (!info) throw new NotRunningError(`no local cloud is running on ${dir}; start it with: esc local start --dir ${dir}`)
  const layout = new StateLayout(dir)
  const creds = await readAdminCredentials(layout)
  const token = await send(`${info.url}/oauth/token`, 'POST', {'content-type': 'application/x-www-form-urlencoded'},
    new URLSearchParams({grant_type: 'client_credentials', client_id: creds.clientId, client_secret: creds.clientSecret}).toString())
  if (!token.ok) throw new Error(`the local cloud refused its admin credentials (HTTP ${token.status})`)
  const {access_token: accessToken} = JSON.parse(token.text) as {access_token: string}
  const res = await send(`${info.url}${path}`, method,
    {authorization: `Bearer ${accessToken}`, ...(body === undefined ? {} : {'content-type': 'application/json'})},
    body === undefined ? undefined : JSON.stringify(body))
  const parsed = res.text ? JSON.parse(res.text) : undefined
  if (!res.ok) {
    const fields = parsed?.fields ? ` (${Object.entries(parsed.fields).map(([k, v]) => `${k}: ${v}`).join('; ')})` : ''
    throw new Error(`${parsed?.detail ?? `HTTP ${res.status}`}${fields}`)
  }
  return parsed as T
}

/** The one place `esc local …` commands talk HTTP to their server: a request, its status and body text. */
async function send(url: string, method: string, headers: Record<string, string>, body?: string): Promise<{ok: boolean; status: number; text: string}> {
  const res = await fetch(url, {method, headers, body})
  return {ok: res.ok, status: res.status, text: await res.text()}
}
