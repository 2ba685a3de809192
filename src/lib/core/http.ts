import type {IncomingHttpHeaders} from 'node:http'

/**
 * One HTTP request over node:http/https with a connect and a whole-request timeout.
 *
 * This replaces got on the CLI's request path: importing got costs 100–150 ms (about 35 modules)
 * on every API command, which alone broke the startup budget (see docs/BENCHMARKS.md), while the
 * retries, backoff, 401 refresh and tracing it could offer are already ours (src/lib/api/http.ts).
 */
export interface PlainRequest {
  method: string
  headers?: Record<string, string>
  body?: string
  connectTimeoutMs?: number
  requestTimeoutMs?: number
}

export interface PlainResponse {
  status: number
  headers: IncomingHttpHeaders
  body: string
}

/** Errors carry a `code` (ECONNREFUSED, ECONNRESET, ETIMEDOUT…) and, for timeouts, `event` ('connect' | 'request'). */
export class RequestError extends Error {
  constructor(message: string, readonly code: string | undefined, readonly event?: 'connect' | 'request') {
    super(message)
    this.name = 'RequestError'
  }
}

export async function sendPlainRequest(url: string, req: PlainRequest): Promise<PlainResponse> {
  const target = new URL(url)
  const lib = target.protocol === 'https:' ? await import('node:https') : await import('node:http')
  const headers: Record<string, string> = {...req.headers}
  if (req.body !== undefined) headers['Content-Length'] = String(Buffer.byteLength(req.body))

  return new Promise<PlainResponse>((resolve, reject) => {
    let settled = false
    const timers: NodeJS.Timeout[] = []
    const finish = (error: RequestError | undefined, response?: PlainResponse) => {
      if (settled) return
      settled = true
      for (const t of timers) clearTimeout(t)
      if (error) reject(error)
      else resolve(response!)
    }
    const request = lib.request(target, {method: req.method, headers}, (res) => {
      const chunks: Buffer[] = []
      res.on('data', (chunk: Buffer) => chunks.push(chunk))
      res.on('error', (e: NodeJS.ErrnoException) => finish(new RequestError(e.message, e.code ?? 'ECONNRESET')))
      res.on('end', () => finish(undefined, {status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8')}))
    })
    const abort = (event: 'connect' | 'request', ms: number) => {
      finish(new RequestError(`${event === 'connect' ? 'connect' : 'request'} timed out after ${ms} ms`, 'ETIMEDOUT', event))
      request.destroy()
    }
    if (req.requestTimeoutMs) timers.push(setTimeout(() => abort('request', req.requestTimeoutMs!), req.requestTimeoutMs))
    if (req.connectTimeoutMs) {
      const connectTimer = setTimeout(() => abort('connect', req.connectTimeoutMs!), req.connectTimeoutMs)
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
