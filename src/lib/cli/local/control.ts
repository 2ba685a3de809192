import {readFile} from 'node:fs/promises'
import {homedir} from 'node:os'
import {join, resolve} from 'node:path'
import {setTimeout as sleep} from 'node:timers/promises'

import {StateLayout} from '../../server/layout.js'
import {sendPlainRequest, type PlainResponse, type RequestError} from '../../core/http.js'
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
  throw new Error(
    `the local cloud (pid ${info.pid}) did not exit within ${timeoutMs / 1000} s: it ${state}; kill it with: kill -9 ${info.pid}`,
  )
}

/** The admin client of `esc local …` commands; a missing or damaged file is named, not a bare JSON error. */
async function readAdminCredentials(layout: StateLayout): Promise<{clientId: string; clientSecret: string}> {
  let creds: {clientId?: unknown; clientSecret?: unknown} | undefined
  try {
    creds = JSON.parse(await readFile(layout.adminCredentials, 'utf8'))
  } catch (error) {
    const why = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'it does not exist' : (error as Error).message
    throw new Error(
      `cannot read the local cloud's admin credentials ${layout.adminCredentials}: ${why}; restore that file (it was written at the first start), or use a new --dir`,
    )
  }
  if (typeof creds?.clientId !== 'string' || typeof creds.clientSecret !== 'string') {
    throw new Error(
      `cannot read the local cloud's admin credentials ${layout.adminCredentials}: clientId or clientSecret missing; restore that file (it was written at the first start), or use a new --dir`,
    )
  }
  return {clientId: creds.clientId, clientSecret: creds.clientSecret}
}

export interface AdminRequestOptions {
  /** Receives --debug lines: method and URL, status and time (never credentials or tokens). */
  debug?: (line: string) => void
  /** Whole-request timeout (default 5 min: demo-data generates its chunks inside the request). */
  requestTimeoutMs?: number
}

const CONNECT_TIMEOUT_MS = 10_000
const REQUEST_TIMEOUT_MS = 300_000

/** A request to the server as its admin client (client_credentials grant). */
export async function adminRequest<T>(
  dir: string,
  method: string,
  path: string,
  body?: unknown,
  options: AdminRequestOptions = {},
): Promise<T> {
  const info = await runningServer(dir)
  if (!info) throw new NotRunningError(`no local cloud is running on ${dir}; start it with: esc local start --dir ${dir}`)
  const layout = new StateLayout(dir)
  const creds = await readAdminCredentials(layout)
  const send = (m: string, p: string, headers: Record<string, string>, text?: string) =>
    sendToLocalCloud(info.url, layout, m, p, headers, text, options)
  const tokenRes = await send(
    'POST',
    '/oauth/token',
    {'content-type': 'application/x-www-form-urlencoded'},
    new URLSearchParams({grant_type: 'client_credentials', client_id: creds.clientId, client_secret: creds.clientSecret}).toString(),
  )
  if (tokenRes.status < 200 || tokenRes.status >= 300)
    throw new Error(`the local cloud refused its admin credentials (HTTP ${tokenRes.status})`)
  const {access_token: token} = JSON.parse(tokenRes.body) as {access_token: string}
  const res = await send(
    method,
    path,
    {authorization: `Bearer ${token}`, ...(body === undefined ? {} : {'content-type': 'application/json'})},
    body === undefined ? undefined : JSON.stringify(body),
  )
  const parsed = res.body ? JSON.parse(res.body) : undefined
  if (res.status < 200 || res.status >= 300) {
    const fields = parsed?.fields
      ? ` (${Object.entries(parsed.fields)
          .map(([k, v]) => `${k}: ${v}`)
          .join('; ')})`
      : ''
    throw new Error(`${parsed?.detail ?? `HTTP ${res.status}`}${fields}`)
  }
  return parsed as T
}

/** One request to the local cloud at `base`, traced for --debug; no answer becomes a one-line error naming the server and its log. */
async function sendToLocalCloud(
  base: string,
  layout: StateLayout,
  method: string,
  path: string,
  headers: Record<string, string>,
  body: string | undefined,
  options: AdminRequestOptions,
): Promise<PlainResponse> {
  const url = `${base}${path}`
  const requestTimeoutMs = options.requestTimeoutMs ?? REQUEST_TIMEOUT_MS
  options.debug?.(`${method} ${url}`)
  const started = performance.now()
  try {
    const res = await sendPlainRequest(url, {method, headers, body, connectTimeoutMs: CONNECT_TIMEOUT_MS, requestTimeoutMs})
    options.debug?.(`status: ${res.status} in ${Math.round(performance.now() - started)} ms`)
    return res
  } catch (error) {
    const {code, event, message} = error as RequestError
    options.debug?.(`${method} ${url} failed after ${Math.round(performance.now() - started)} ms: ${code ?? message}`)
    if (code === 'ETIMEDOUT' && event === 'request')
      throw new Error(`the local cloud at ${base} did not answer ${method} ${path} within ${requestTimeoutMs} ms; see ${layout.logFile}`, {
        cause: error,
      })
    const why =
      code === 'ECONNREFUSED' ? 'connection refused' : code === 'ETIMEDOUT' ? `no connection within ${CONNECT_TIMEOUT_MS} ms` : message
    throw new Error(`cannot reach the local cloud at ${base} (${method} ${path}): ${why}; see ${layout.logFile}`, {cause: error})
  }
}
