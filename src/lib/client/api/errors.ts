import {EscError} from '../../core/errors.js'
import type {HttpExchange} from './exchange.js'
import type {ProblemDetails} from '../../contract/models.js'

/**
 * A non-2xx answer from the API. Printed as one line:
 * `Error: <title>: <detail> (HTTP 404 GET /mesdb/v1/…)` plus one `field: message` line per
 * invalid field on a 400. In `--fmt api`/`api-verbose` the printer shows the raw exchange instead.
 */
export class ApiError extends EscError {
  readonly status: number
  readonly exchange: HttpExchange
  readonly problem?: ProblemDetails

  constructor(exchange: HttpExchange, problem?: ProblemDetails) {
    const auth = exchange.status === 401 || exchange.status === 403
    super(apiErrorMessage(exchange, problem), {
      kind: auth ? 'auth' : 'failure',
      suggestions: [...fieldLines(problem), ...authHints(exchange.status)],
    })
    this.name = 'ApiError'
    this.status = exchange.status
    this.exchange = exchange
    this.problem = problem
  }
}

/**
 * A 2xx answer whose body is not what the endpoint promises (not JSON, or a required field
 * missing). Carries the exchange so `--fmt api` can still show the body, as esc does.
 */
export class ApiDecodeError extends EscError {
  readonly exchange: HttpExchange

  constructor(exchange: HttpExchange, problem: string) {
    super(`unexpected response from the API: ${problem} (HTTP ${exchange.status} ${exchange.method} ${exchange.url})`)
    this.name = 'ApiDecodeError'
    this.exchange = exchange
  }
}

/** Parses an error body as problem details when it looks like one (an object with title/detail/type). */
export function parseProblem(text: string): ProblemDetails | undefined {
  if (!text.trim()) return undefined
  try {
    const value: unknown = JSON.parse(text)
    if (value === null || typeof value !== 'object' || Array.isArray(value)) return undefined
    const p = value as ProblemDetails
    if (typeof p.title !== 'string' && typeof p.detail !== 'string' && typeof p.type !== 'string') return undefined
    return p
  } catch {
    return undefined
  }
}

function apiErrorMessage(x: HttpExchange, p?: ProblemDetails): string {
  const where = `(HTTP ${x.status} ${x.method} ${x.path})`
  if (p) {
    const title = typeof p.title === 'string' && p.title ? p.title : defaultReason(x.status)
    const detail = typeof p.detail === 'string' && p.detail && p.detail !== title ? `: ${p.detail}` : ''
    return `${title}${detail} ${where}`
  }
  const body = oneLine(x.responseText)
  return body ? `${defaultReason(x.status)}: ${body} ${where}` : `${defaultReason(x.status)} ${where}`
}

function fieldLines(p?: ProblemDetails): string[] {
  if (!p?.fields || typeof p.fields !== 'object') return []
  return Object.entries(p.fields).map(([k, v]) => `${k}: ${typeof v === 'string' ? v : JSON.stringify(v)}`)
}

function authHints(status: number): string[] {
  if (status === 401) {
    return ['Your access token was rejected: run `esc access tokens create`, or pass --refresh-token']
  }
  if (status === 403) return ['Your account lacks permission for this organization or project']
  return []
}

const REASONS: Record<number, string> = {
  400: 'Bad request',
  401: 'Not authorized',
  403: 'Forbidden',
  404: 'Not found',
  405: 'Method not allowed',
  409: 'Conflict',
  422: 'Unprocessable entity',
  429: 'Too many requests',
  500: 'Internal server error',
  502: 'Bad gateway',
  503: 'Service unavailable',
  504: 'Gateway timeout',
}

function defaultReason(status: number): string {
  return REASONS[status] ?? `HTTP ${status}`
}

/** A short single-line excerpt of a non-problem body (HTML error pages can be huge). */
function oneLine(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim()
  return flat.length > 200 ? `${flat.slice(0, 200)}…` : flat
}
