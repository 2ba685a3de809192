import type {IncomingHttpHeaders} from 'node:http'

/**
 * One HTTP request over node:http/https with a connect and a whole-request timeout, an abort
 * signal and the TLS trust settings of the caller. The API client, the node guard and the CLI's
 * calls to a local cloud all go through here.
 *
 * It replaces got: importing got costs 100–150 ms (about 35 modules) on every command that loads
 * it, against about 17 ms for node:http (docs/BENCHMARKS.md), and the retries, backoff, 401
 * refresh and tracing it could offer are the callers' own (src/lib/client/api/http.ts).
 */
export interface PlainRequest {
  method: string
  headers?: Record<string, string>
  body?: string
  connectTimeoutMs?: number
  requestTimeoutMs?: number
  /** Aborting ends the request at once with a RequestError whose code is ABORT_ERR. */
  signal?: AbortSignal
  /** PEM text of the CA(s) to trust for an https URL (instead of the system's). */
  ca?: string | Buffer
  /** false accepts any certificate (`--insecure`). */
  rejectUnauthorized?: boolean
}

export interface PlainResponse {
  status: number
  headers: IncomingHttpHeaders
  body: string
}

/** Why a request got no answer: ETIMEDOUT (with the `event` that timed out), ABORT_ERR, or the socket's own code. */
export type RequestErrorCode = 'ETIMEDOUT' | 'ABORT_ERR' | 'ECONNREFUSED' | 'ECONNRESET' | 'ENOTFOUND' | 'EAI_AGAIN' | (string & {})

/** Errors carry a `code` (ECONNREFUSED, ECONNRESET, ETIMEDOUT, ABORT_ERR…) and, for timeouts, `event` ('connect' | 'request'). */
export class RequestError extends Error {
  constructor(
    message: string,
    readonly code: RequestErrorCode | undefined,
    readonly event?: 'connect' | 'request',
  ) {
    super(message)
    this.name = 'RequestError'
  }
}

export async function sendPlainRequest(url: string, req: PlainRequest): Promise<PlainResponse> {
  const target = new URL(url)
  const lib = target.protocol === 'https:' ? await import('node:https') : await import('node:http')
  const headers: Record<string, string> = {...req.headers}
  if (req.body !== undefined) headers['Content-Length'] = String(Buffer.byteLength(req.body))
  if (req.signal?.aborted) throw new RequestError('request aborted', 'ABORT_ERR')
  const tls =
    target.protocol === 'https:'
      ? {
          ...(req.ca === undefined ? {} : {ca: req.ca}),
          ...(req.rejectUnauthorized === undefined ? {} : {rejectUnauthorized: req.rejectUnauthorized}),
        }
      : {}

  return new Promise<PlainResponse>((resolve, reject) => {
    let settled = false
    const timers: NodeJS.Timeout[] = []
    const onAbort = () => {
      finish(new RequestError('request aborted', 'ABORT_ERR'))
      request.destroy()
    }
    const finish = (error: RequestError | undefined, response?: PlainResponse) => {
      if (settled) return
      settled = true
      for (const t of timers) clearTimeout(t)
      req.signal?.removeEventListener('abort', onAbort)
      if (error) reject(error)
      else resolve(response!)
    }
    const request = lib.request(target, {method: req.method, headers, ...tls}, (res) => {
      const chunks: Buffer[] = []
      res.on('data', (chunk: Buffer) => chunks.push(chunk))
      res.on('error', (e: NodeJS.ErrnoException) => finish(new RequestError(e.message, e.code ?? 'ECONNRESET')))
      res.on('end', () =>
        finish(undefined, {status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8')}),
      )
    })
    const timeOut = (event: 'connect' | 'request', ms: number) => {
      finish(new RequestError(`${event} timed out after ${ms} ms`, 'ETIMEDOUT', event))
      request.destroy()
    }
    req.signal?.addEventListener('abort', onAbort, {once: true})
    if (req.requestTimeoutMs) timers.push(setTimeout(() => timeOut('request', req.requestTimeoutMs!), req.requestTimeoutMs))
    if (req.connectTimeoutMs) {
      const connectTimer = setTimeout(() => timeOut('connect', req.connectTimeoutMs!), req.connectTimeoutMs)
      timers.push(connectTimer)
      request.on('socket', (socket) => {
        // A reused or already-connected socket has nothing left to wait for.
        if (!socket.connecting) clearTimeout(connectTimer)
        else socket.once('connect', () => clearTimeout(connectTimer))
      })
    }
    request.on('error', (e: NodeJS.ErrnoException) => finish(new RequestError(e.message, e.code)))
    if (req.body !== undefined) request.write(req.body)
    request.end()
  })
}
