import {createHash, createHmac, randomBytes, scrypt, timingSafeEqual} from 'node:crypto'

import type {Store} from './store/index.js'

export const TOKEN_SCOPE = 'cloud:access offline_access'
export const ADMIN_USER = 'admin@esc.local'
export const ADMIN_CLIENT_ID = 'local-admin'

/** Who owns what a token creates: the admin user and the admin client are one principal, the local administrator. */
export const ADMIN_PRINCIPAL = 'admin'

/**
 * The principal of an access token's subject. Organizations a principal creates are its own: other
 * principals get 404 for them. The local organization of `esc local start` is shared by all.
 */
export function principalOf(subject: string): string {
  return subject === ADMIN_USER || subject === `client:${ADMIN_CLIENT_ID}` ? ADMIN_PRINCIPAL : subject
}

export interface TokenResponse {
  access_token: string
  refresh_token?: string
  scope: string
  expires_in: number
  token_type: 'Bearer'
}

/** Credentials made at first start; printed once, only their hashes are kept. */
export interface BootstrapCredentials {
  username: string
  password: string
  clientId: string
  clientSecret: string
  refreshToken: string
}

export class OAuthError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    description: string,
    readonly retryAfterSeconds?: number,
  ) {
    super(description)
  }
}

/** The fields of a token request: an object whose every value is a string, or 400 invalid_request. */
export function tokenFields(body: unknown): Record<string, string> {
  if (body === undefined) return {}
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new OAuthError(400, 'invalid_request', 'the token request must be form fields or a JSON object')
  }
  const fields: Record<string, string> = {}
  for (const [key, value] of Object.entries(body)) {
    if (typeof value !== 'string') throw new OAuthError(400, 'invalid_request', `${key} must be a string`)
    fields[key] = value
  }
  return fields
}

export interface IdentityOptions {
  /** Access token lifetime; short in tests so a token can be seen to expire. */
  accessTokenTtlSeconds?: number
  issuer?: string
  now?: () => number
}

const b64url = (data: Buffer | string) => Buffer.from(data).toString('base64url')
const sha256 = (value: string) => createHash('sha256').update(value).digest('hex')

/** scrypt on libuv's thread pool: hashing never blocks the event loop (other requests go on). */
function scryptAsync(secret: string, salt: Buffer): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    scrypt(secret, salt, 32, (error, key) => (error ? reject(error) : resolve(key)))
  })
}

async function hashSecret(secret: string): Promise<string> {
  const salt = randomBytes(16)
  return `scrypt$${salt.toString('hex')}$${(await scryptAsync(secret, salt)).toString('hex')}`
}

/** Compared against when the user or client is unknown, so that answer takes as long as a wrong secret. */
const DUMMY_HASH = `scrypt$${'00'.repeat(16)}$${'00'.repeat(32)}`

async function checkSecret(secret: string, stored: string | undefined): Promise<boolean> {
  const [scheme, saltHex, hashHex] = (stored ?? DUMMY_HASH).split('$')
  const known = stored !== undefined && scheme === 'scrypt' && Boolean(saltHex) && Boolean(hashHex)
  const [salt, expected] = known ? [saltHex, hashHex] : DUMMY_HASH.split('$').slice(1)
  const actual = await scryptAsync(secret, Buffer.from(salt, 'hex'))
  const wanted = Buffer.from(expected, 'hex')
  return known && wanted.length === actual.length && timingSafeEqual(actual, wanted)
}

/**
 * Failed token requests per client address: after `max` failures within `windowMs` the address
 * gets 429 (with Retry-After) until the oldest failure leaves the window. Successes do not count.
 */
export class FailureLimiter {
  private readonly failures = new Map<string, number[]>()

  constructor(
    private readonly max = 10,
    private readonly windowMs = 60_000,
    private readonly now: () => number = Date.now,
  ) {}

  private recent(address: string): number[] {
    const since = this.now() - this.windowMs
    const times = (this.failures.get(address) ?? []).filter((time) => time > since)
    if (times.length > 0) this.failures.set(address, times)
    else this.failures.delete(address)
    return times
  }

  /** Seconds until `address` may try again; 0 when it may now. */
  retryAfterSeconds(address: string): number {
    const times = this.recent(address)
    if (times.length < this.max) return 0
    return Math.max(1, Math.ceil((times[0] + this.windowMs - this.now()) / 1000))
  }

  fail(address: string): void {
    if (this.failures.size > 10_000) this.failures.clear()
    this.failures.set(address, [...this.recent(address), this.now()])
  }
}

/**
 * The local identity provider: JWT-shaped HS256 access tokens with `exp` (like the cloud's, so
 * clients can read the expiry), opaque refresh tokens, and the refresh_token, client_credentials
 * and password grants of `POST /oauth/token`.
 */
export class Identity {
  readonly ttlSeconds: number
  private readonly secret: Buffer
  private readonly issuer: string
  private readonly now: () => number

  constructor(
    private readonly store: Store,
    options: IdentityOptions = {},
  ) {
    this.ttlSeconds = options.accessTokenTtlSeconds ?? 3600
    this.issuer = options.issuer ?? 'esc-local'
    this.now = options.now ?? Date.now
    let secret = store.getMeta('jwt_secret')
    if (!secret) {
      secret = randomBytes(32).toString('hex')
      store.setMeta('jwt_secret', secret)
    }
    this.secret = Buffer.from(secret, 'hex')
  }

  /** Creates the admin user and client on first start; undefined when they already exist. */
  async bootstrap(): Promise<BootstrapCredentials | undefined> {
    if (this.store.identity.hasUsers()) return undefined
    const created = new Date(this.now()).toISOString()
    const credentials: BootstrapCredentials = {
      username: ADMIN_USER,
      password: randomBytes(18).toString('base64url'),
      clientId: ADMIN_CLIENT_ID,
      clientSecret: randomBytes(24).toString('base64url'),
      refreshToken: this.newRefreshToken(ADMIN_USER),
    }
    const [passwordHash, secretHash] = await Promise.all([hashSecret(credentials.password), hashSecret(credentials.clientSecret)])
    this.store.identity.addUser(credentials.username, passwordHash, created)
    this.store.identity.addClient(credentials.clientId, secretHash, created)
    return credentials
  }

  /**
   * Undoes bootstrap() when the first start fails before its credentials were shown (e.g. the port
   * is taken): only hashes are kept, so they could never be shown again. The next start creates
   * and shows new ones.
   */
  forgetBootstrap(credentials: BootstrapCredentials): void {
    this.store.identity.remove(credentials.username, credentials.clientId, sha256(credentials.refreshToken))
  }

  newRefreshToken(subject: string): string {
    const token = `lrt_${randomBytes(32).toString('base64url')}`
    this.store.identity.addRefreshToken(sha256(token), subject, new Date(this.now()).toISOString())
    return token
  }

  issueAccessToken(subject: string): string {
    const iat = Math.floor(this.now() / 1000)
    const header = b64url(JSON.stringify({alg: 'HS256', typ: 'JWT'}))
    const payload = b64url(
      JSON.stringify({iss: this.issuer, sub: subject, aud: 'esc-local', scope: TOKEN_SCOPE, iat, exp: iat + this.ttlSeconds}),
    )
    const signature = createHmac('sha256', this.secret).update(`${header}.${payload}`).digest('base64url')
    return `${header}.${payload}.${signature}`
  }

  /** The subject of a valid, unexpired access token; undefined otherwise. */
  verifyAccessToken(token: string): string | undefined {
    const parts = token.split('.')
    if (parts.length !== 3) return undefined
    const expected = createHmac('sha256', this.secret).update(`${parts[0]}.${parts[1]}`).digest()
    const given = Buffer.from(parts[2], 'base64url')
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return undefined
    try {
      const claims = JSON.parse(Buffer.from(parts[1], 'base64url').toString('utf8')) as {sub?: unknown; exp?: unknown}
      if (typeof claims.sub !== 'string' || typeof claims.exp !== 'number') return undefined
      return claims.exp * 1000 > this.now() ? claims.sub : undefined
    } catch {
      return undefined
    }
  }

  /** Whether a user's password is right (the console's sign-in); as slow for an unknown user as for a wrong password. */
  async checkPassword(username: string, password: string): Promise<boolean> {
    return checkSecret(password, this.store.identity.passwordHash(username))
  }

  /** `POST /oauth/token` (form fields, already parsed). */
  async grant(fields: Record<string, string | undefined>): Promise<TokenResponse> {
    const access = (subject: string, refreshToken?: string): TokenResponse => ({
      access_token: this.issueAccessToken(subject),
      ...(refreshToken === undefined ? {} : {refresh_token: refreshToken}),
      scope: TOKEN_SCOPE,
      expires_in: this.ttlSeconds,
      token_type: 'Bearer',
    })
    switch (fields.grant_type) {
      case 'refresh_token': {
        const subject = fields.refresh_token ? this.store.identity.refreshTokenSubject(sha256(fields.refresh_token)) : undefined
        if (!subject) throw new OAuthError(403, 'invalid_grant', 'unknown or revoked refresh token')
        // Like the cloud: the refresh token is not rotated.
        return access(subject)
      }
      case 'client_credentials': {
        const clientId = fields.client_id ?? ''
        if (!(await checkSecret(fields.client_secret ?? '', this.store.identity.clientSecretHash(clientId)))) {
          throw new OAuthError(401, 'invalid_client', 'wrong client id or client secret')
        }
        return access(`client:${clientId}`)
      }
      case 'password': {
        const username = fields.username ?? ''
        if (!(await checkSecret(fields.password ?? '', this.store.identity.passwordHash(username)))) {
          throw new OAuthError(403, 'invalid_grant', 'wrong username or password')
        }
        return access(username, this.newRefreshToken(username))
      }
      default:
        throw new OAuthError(400, 'unsupported_grant_type', 'grant_type must be refresh_token, client_credentials or password')
    }
  }
}
