import {EscError} from '../../core/errors.js'
import type {TokenProvider} from '../auth/token-provider.js'
import {asPlainHttp, isLoopbackUrl, isPlainHttpAnswer, LOCAL_CLOUD_ADVICE} from './connection-hints.js'
import type {HttpExchange} from './exchange.js'
import {redactHeaders, redactText} from './redact.js'
import {
  backoffDelay,
  CONNECT_TIMEOUT_MS,
  formatMs,
  MAX_RETRIES,
  parseRetryAfter,
  RETRY_AFTER_MAX_MS,
  RETRYABLE_METHODS,
  RETRYABLE_STATUSES,
  requestTimeoutFromEnv,
  sleepBetweenRetries,
} from './timing.js'

export interface TransportOptions {
  /** Scheme, host, port and path prefix are all kept (`http://127.0.0.1:2180` works). */
  baseUrl: string
  tokens: TokenProvider
  userAgent: string
  requestTimeoutMs?: number
  connectTimeoutMs?: number
  maxRetries?: number
  sleep?: (ms: number) => Promise<void>
  random?: () => number
  /** Receives --debug lines (already redacted). */
  debug?: (line: string) => void
  /** The settings profile in use: on `local` a refused connection means the local cloud is down. */
  profileName?: string
}

type HttpMethod = 'GET' | 'POST' | 'PUT' | 'DELETE'

/**
 * Sends one API call: bearer auth, timeouts, retries of idempotent calls, one token refresh on
 * 401. Returns the final exchange whatever its status; the client decides what is an error.
 */
export class HttpTransport {
  readonly baseUrl: string
  private readonly opts: TransportOptions
  private readonly requestTimeoutMs: number

  constructor(opts: TransportOptions) {
    this.opts = opts
    this.baseUrl = opts.baseUrl.replace(/\/+$/, '')
    this.requestTimeoutMs = opts.requestTimeoutMs ?? requestTimeoutFromEnv()
  }

  async send(method: HttpMethod, path: string, body?: unknown): Promise<HttpExchange> {
    const {sendPlainRequest} = await import('../../core/http.js')
    const url = this.baseUrl + path
    const requestBody = body === undefined ? undefined : JSON.stringify(body)
    const maxRetries = this.opts.maxRetries ?? MAX_RETRIES
    const sleep = this.opts.sleep ?? sleepBetweenRetries
    const random = this.opts.random ?? Math.random
    let token = await this.opts.tokens.getAccessToken()
    let refreshed = false
    let retries = 0
    for (let attempt = 1; ; attempt++) {
      const headers = {
        Authorization: `Bearer ${token}`,
        'Content-Type': 'application/json',
        Accept: 'application/json',
        'User-Agent': this.opts.userAgent,
      }
      this.trace(`${method} ${url}`)
      this.trace(`request headers: ${JSON.stringify(redactHeaders(headers))}`)
      if (requestBody !== undefined) this.trace(`request body: ${redactText(requestBody)}`)
      const started = performance.now()
      let status: number
      let responseText: string
      let retryAfter: string | undefined
      try {
        const res = await sendPlainRequest(url, {
          method,
          headers,
          body: requestBody,
          connectTimeoutMs: this.opts.connectTimeoutMs ?? CONNECT_TIMEOUT_MS,
          requestTimeoutMs: this.requestTimeoutMs,
        })
        status = res.status
        responseText = res.body
        const ra = res.headers['retry-after']
        retryAfter = Array.isArray(ra) ? ra[0] : ra
      } catch (error) {
        const code = (error as {code?: string}).code
        this.trace(`${method} ${url} failed after ${Math.round(performance.now() - started)} ms: ${code ?? String(error)}`)
        if (code === 'ECONNRESET' && RETRYABLE_METHODS.has(method) && retries < maxRetries) {
          const delay = backoffDelay(retries++, random)
          this.trace(`retrying in ${delay} ms (connection reset)`)
          await sleep(delay)
          continue
        }
        throw this.networkError(error, method, path)
      }
      const durationMs = Math.round(performance.now() - started)
      this.trace(`status: ${status} in ${durationMs} ms`)
      if (responseText) this.trace(`response body: ${redactText(responseText)}`)
      const exchange: HttpExchange = {method, url, path, requestBody, status, responseText, durationMs, attempts: attempt}
      if (status === 401 && !refreshed) {
        refreshed = true
        this.trace('401: refreshing the access token and retrying once')
        token = await this.opts.tokens.refresh()
        continue
      }
      if (RETRYABLE_STATUSES.has(status) && RETRYABLE_METHODS.has(method) && retries < maxRetries) {
        const waitMs = parseRetryAfter(retryAfter, Date.now()) ?? backoffDelay(retries, random)
        if (waitMs <= RETRY_AFTER_MAX_MS) {
          retries++
          this.trace(`retrying in ${waitMs} ms (HTTP ${status})`)
          await sleep(waitMs)
          continue
        }
      }
      return exchange
    }
  }

  private networkError(error: unknown, method: string, path: string): EscError {
    const code = (error as {code?: string}).code
    const event = (error as {event?: string}).event
    const where = this.baseUrl
    const hint = 'is the API running? set --api-url/ESC_API_URL'
    let message: string
    const local = this.opts.profileName === 'local' || isLoopbackUrl(where)
    if (isPlainHttpAnswer(where, error)) message = `the server at ${where} does not speak HTTPS; use ${asPlainHttp(where)}`
    else if (code === 'ECONNREFUSED' && local)
      message = `could not connect to ${where}: connection refused — ${LOCAL_CLOUD_ADVICE}, or set --api-url/ESC_API_URL`
    else if (code === 'ECONNREFUSED') message = `could not connect to ${where}: connection refused — ${hint}`
    else if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') message = `could not connect to ${where}: host not found — ${hint}`
    else if (code === 'ETIMEDOUT' && event === 'connect') {
      message = `could not connect to ${where}: timed out after ${formatMs(this.opts.connectTimeoutMs ?? CONNECT_TIMEOUT_MS)} — ${hint}`
    } else if (code === 'ETIMEDOUT') {
      message = `${method} ${path} timed out after ${formatMs(this.requestTimeoutMs)} — set ESC_HTTP_TIMEOUT to wait longer`
    } else if (code === 'ECONNRESET') message = `${method} ${path}: the connection to ${where} was reset`
    else message = `${method} ${path} failed: ${(error as Error).message ?? String(error)}`
    return new EscError(message, {cause: error, debugDetails: [`cause: ${code ?? ''} ${(error as Error).message ?? ''}`]})
  }

  private trace(line: string): void {
    this.opts.debug?.(line)
  }
}
