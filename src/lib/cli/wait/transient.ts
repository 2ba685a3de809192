import {EscError} from '../../core/errors.js'

/** HTTP status of an error: ApiError's `status`, or the `statusCode`/`response` of got-style errors; looks through `cause`. */
export function httpStatusOf(error: unknown): number | undefined {
  if (typeof error !== 'object' || error === null) return undefined
  const e = error as {status?: unknown; statusCode?: unknown; response?: {statusCode?: unknown; status?: unknown}; cause?: unknown}
  for (const candidate of [e.status, e.statusCode, e.response?.statusCode, e.response?.status]) {
    if (typeof candidate === 'number') return candidate
  }
  if (e.cause && e.cause !== error) return httpStatusOf(e.cause)
  return undefined
}

/**
 * Whether a failed poll is worth repeating: network errors, timeouts, 5xx, 408, 409, 423 and 429 are;
 * other 4xx (the resource is gone, the token is refused) and usage/auth errors are not — polling
 * again would only delay the same answer.
 */
export function isTransientError(error: unknown): boolean {
  if (error instanceof EscError && (error.kind === 'invalid-input' || error.kind === 'auth')) return false
  const status = httpStatusOf(error)
  if (status === undefined) return true
  if (status >= 500) return true
  return [408, 409, 423, 429].includes(status)
}
