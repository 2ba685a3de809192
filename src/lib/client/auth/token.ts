/**
 * The token as esc stores it (`~/.esc/tokens/<host>`): field names and order are esc's serde
 * struct, so `serializeToken` output is byte-identical to esc's compact serde_json.
 */
export interface StoredToken {
  access_token: string
  refresh_token: string | null
  scope: string
  expires_in: number
  token_type: string
}

export function serializeToken(token: StoredToken): string {
  return JSON.stringify({
    access_token: token.access_token,
    refresh_token: token.refresh_token ?? null,
    scope: token.scope,
    expires_in: token.expires_in,
    token_type: token.token_type,
  })
}

/** Parses esc's token JSON (and identity responses, which have the same fields). Throws on a malformed body. */
export function parseToken(text: string): StoredToken {
  const raw = JSON.parse(text) as Record<string, unknown>
  return toStoredToken(raw)
}

export function toStoredToken(raw: Record<string, unknown>): StoredToken {
  if (typeof raw !== 'object' || raw === null) throw new Error('token is not a JSON object')
  if (typeof raw.access_token !== 'string' || raw.access_token === '') throw new Error('missing access_token')
  const refresh = raw.refresh_token
  return {
    access_token: raw.access_token,
    refresh_token: typeof refresh === 'string' && refresh !== '' ? refresh : null,
    scope: typeof raw.scope === 'string' ? raw.scope : '',
    expires_in: typeof raw.expires_in === 'number' && Number.isFinite(raw.expires_in) ? Math.trunc(raw.expires_in) : 0,
    token_type: typeof raw.token_type === 'string' && raw.token_type !== '' ? raw.token_type : 'Bearer',
  }
}

/** `exp` (seconds since epoch) of a JWT, read by base64-decoding the payload; no signature check. */
export function jwtExpiry(accessToken: string): number | undefined {
  const parts = accessToken.split('.')
  if (parts.length !== 3) return undefined
  try {
    const payload = JSON.parse(Buffer.from(parts[1], 'base64url').toString('utf8')) as {exp?: unknown}
    return typeof payload.exp === 'number' ? payload.exp : undefined
  } catch {
    return undefined
  }
}

/** Refresh this long before `exp`, so a request does not leave with a token that dies in flight. */
export const EXPIRY_MARGIN_SECONDS = 30

/**
 * Whether the access token must be refreshed before use. JWTs: `exp` from the payload. Opaque
 * tokens: `expires_in` after `obtainedAtMs` when the store knows it; unknown → assume valid (a
 * 401 then triggers TokenProvider.refresh()).
 */
export function isExpired(token: StoredToken, nowMs: number, obtainedAtMs?: number): boolean {
  const exp = jwtExpiry(token.access_token)
  if (exp !== undefined) return exp - EXPIRY_MARGIN_SECONDS <= nowMs / 1000
  if (obtainedAtMs !== undefined && token.expires_in > 0) {
    return obtainedAtMs + (token.expires_in - EXPIRY_MARGIN_SECONDS) * 1000 <= nowMs
  }
  return false
}

/** The store key esc uses: the host of the audience URL (`api.eventstore.cloud`). */
export function audienceHost(audience: string): string {
  try {
    const host = new URL(audience).hostname
    if (host) return host.replace(/^\[|\]$/g, '')
  } catch {
    // not a URL: fall through
  }
  return audience.replaceAll(/[^\w.-]/g, '_')
}
