import {createHash, createHmac, randomBytes, scryptSync, timingSafeEqual} from 'node:crypto'

import type {Store} from './store/index.js'

export const TOKEN_SCOPE = 'cloud:access offline_access'
export const ADMIN_USER = 'admin@esc.local'
export const ADMIN_CLIENT_ID = 'local-admin'

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
  constructor(readonly status: number, readonly code: string, description: string) {
    super(description)
  }
}

export interface IdentityOptions {
  /** Access token lifetime; short in tests so a token can be seen to expire. */
  accessTokenTtlSeconds?: number
  issuer?: string
  now?: () => number
}

const b64url = (data: Buffer | string) => Buffer.from(data).toString('base64url')
const sha256 = (value: string) => createHash('sha256').update(value).digest('hex')

function hashSecret(secret: string): string {
  const salt = randomBytes(16)
  return `scrypt$${salt.toString('hex')}$${scryptSync(secret, salt, 32).toString('hex')}`
}

function checkSecret(secret: string, stored: string | undefined): boolean {
  if (!stored) return false
  const [scheme, saltHex, hashHex] = stored.split('$')
  if (scheme !== 'scrypt' || !saltHex || !hashHex) return false
  const actual = scryptSync(secret, Buffer.from(saltHex, 'hex'), 32)
  return timingSafeEqual(actual, Buffer.from(hashHex, 'hex'))
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

  constructor(private readonly store: Store, options: IdentityOptions = {}) {
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
  bootstrap(): BootstrapCredentials | undefined {
    if (this.store.identity.hasUsers()) return undefined
    const created = new Date(this.now()).toISOString()
    const credentials: BootstrapCredentials = {
      username: ADMIN_USER,
      password: randomBytes(18).toString('base64url'),
      clientId: ADMIN_CLIENT_ID,
      clientSecret: randomBytes(24).toString('base64url'),
      refreshToken: this.newRefreshToken(ADMIN_USER),
    }
    this.store.identity.addUser(credentials.username, hashSecret(credentials.password), created)
    this.store.identity.addClient(credentials.clientId, hashSecret(credentials.clientSecret), created)
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
    const payload = b64url(JSON.stringify({iss: this.issuer, sub: subject, aud: 'esc-local', scope: TOKEN_SCOPE, iat, exp: iat + this.ttlSeconds}))
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

  /** `POST /oauth/token` (form fields, already parsed). */
  grant(fields: Record<string, string | undefined>): TokenResponse {
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
        if (!checkSecret(fields.client_secret ?? '', this.store.identity.clientSecretHash(clientId))) {
          throw new OAuthError(401, 'invalid_client', 'wrong client id or client secret')
        }
        return access(`client:${clientId}`)
      }
      case 'password': {
        const username = fields.username ?? ''
        if (!checkSecret(fields.password ?? '', this.store.identity.passwordHash(username))) {
          throw new OAuthError(403, 'invalid_grant', 'wrong username or password')
        }
        return access(username, this.newRefreshToken(username))
      }
      default:
        throw new OAuthError(400, 'unsupported_grant_type', 'grant_type must be refresh_token, client_credentials or password')
    }
  }
}
