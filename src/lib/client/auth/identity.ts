import {isLoopbackUrl, LOCAL_CLOUD_ADVICE} from '../api/connection-hints.js'
import {CONNECT_TIMEOUT_MS, requestTimeoutFromEnv} from '../api/timing.js'
import type {EscContext} from '../config/context.js'
import {EscError} from '../../core/errors.js'
import {type StoredToken, toStoredToken} from './token.js'

/** esc's scope for the password grant. */
export const PASSWORD_SCOPE = 'cloud:access offline_access'
const MFA_OTP_GRANT = 'http://auth0.com/oauth/grant-type/mfa-otp'

export type IdentityConfig = Pick<EscContext, 'audience' | 'clientId' | 'identityUrl'> &
  Partial<Pick<EscContext, 'identityUrlSource' | 'apiUrl'>>

/**
 * Why an identity URL is what it is, for the "cannot reach" message: a CI job pointed at a local
 * cloud with ESC_API_URL alone still talks to the public identity provider and fails there.
 */
function identityUrlOrigin(config: IdentityConfig, code: string | undefined): string {
  if (config.identityUrlSource !== undefined) {
    const local = code === 'ECONNREFUSED' && isLoopbackUrl(config.identityUrl) ? `; ${LOCAL_CLOUD_ADVICE}` : ''
    return ` (set by ${config.identityUrlSource})${local}`
  }
  if (config.apiUrl !== undefined && isLoopbackUrl(config.apiUrl)) {
    return ` (the default identity URL; against the local cloud at ${config.apiUrl} set ESC_IDENTITY_URL=${config.apiUrl} or use --profile local)`
  }
  return " (the default identity URL; set ESC_IDENTITY_URL or the profile's token-config.identity-url)"
}

export interface IdentityOptions {
  debug?: (line: string) => void
  /** Asked for a one-time password when the account has MFA; absent = non-interactive. */
  promptOtp?: () => Promise<string>
}

interface IdentityResponse {
  status: number
  body: Record<string, unknown> | undefined
  text: string
}

/** `{identityUrl}/{path}`, keeping the identity URL's port and path. */
function endpoint(identityUrl: string, path: string): string {
  return `${identityUrl.replace(/\/+$/, '')}/${path}`
}

async function post(
  config: IdentityConfig,
  url: string,
  payload: {form?: Record<string, string>; json?: Record<string, string>},
  debug: (l: string) => void,
): Promise<IdentityResponse> {
  const {sendPlainRequest} = await import('../../core/http.js')
  debug(`POST ${url}${payload.form?.grant_type ? ` (grant_type=${payload.form.grant_type})` : ''}`)
  let response
  try {
    response = await sendPlainRequest(url, {
      method: 'POST',
      headers: payload.form
        ? {'content-type': 'application/x-www-form-urlencoded', accept: 'application/json'}
        : {'content-type': 'application/json', accept: 'application/json'},
      body: payload.form ? new URLSearchParams(payload.form).toString() : JSON.stringify(payload.json ?? {}),
      // The API client's timeouts (ESC_HTTP_TIMEOUT included), not a second set of numbers.
      connectTimeoutMs: CONNECT_TIMEOUT_MS,
      requestTimeoutMs: requestTimeoutFromEnv(),
    })
  } catch (error) {
    const code = (error as {code?: string}).code
    throw new EscError(
      `cannot reach the identity provider at ${url}: ${code ?? (error as Error).message}${identityUrlOrigin(config, code)}`,
      {
        kind: 'failure',
        cause: error,
      },
    )
  }
  debug(`identity responded ${response.status}`)
  let body: Record<string, unknown> | undefined
  try {
    const parsed: unknown = JSON.parse(response.body)
    body = typeof parsed === 'object' && parsed !== null ? (parsed as Record<string, unknown>) : undefined
  } catch {
    body = undefined
  }
  return {status: response.status, body, text: response.body}
}

function refused(grant: string, response: IdentityResponse, hint?: string): EscError {
  const detail = response.body?.error_description ?? response.body?.error
  const reason = typeof detail === 'string' ? `: ${detail}` : ''
  return new EscError(`${response.status}: not authorized (${grant} grant refused by the identity provider${reason})`, {
    kind: 'auth',
    suggestions: hint ? [hint] : [],
  })
}

function tokenFrom(grant: string, response: IdentityResponse): StoredToken {
  try {
    return toStoredToken(response.body ?? {})
  } catch (error) {
    throw new EscError(`the identity provider answered the ${grant} grant without a usable token: ${(error as Error).message}`, {
      kind: 'auth',
    })
  }
}

async function tokenGrant(
  config: IdentityConfig,
  grant: string,
  form: Record<string, string>,
  options: IdentityOptions,
  hint?: string,
): Promise<StoredToken> {
  const debug = options.debug ?? (() => {})
  const url = endpoint(config.identityUrl, 'oauth/token')
  const response = await post(config, url, {form}, debug)
  if (response.status >= 200 && response.status < 300) return tokenFrom(grant, response)
  if (response.status === 403 && response.body?.error === 'mfa_required' && typeof response.body.mfa_token === 'string') {
    return mfaGrant(config, response.body.mfa_token, options)
  }
  throw refused(grant, response, hint)
}

/** Auth0 MFA (esc PR #78): challenge, then the mfa-otp grant with the code the user types. */
async function mfaGrant(config: IdentityConfig, mfaToken: string, options: IdentityOptions): Promise<StoredToken> {
  const debug = options.debug ?? (() => {})
  if (!options.promptOtp) {
    throw new EscError('this account requires a one-time password, and prompting is disabled', {
      kind: 'auth',
      suggestions: ['Run `esc access tokens create` in a terminal, or use ESC_CLIENT_ID/ESC_CLIENT_SECRET'],
    })
  }
  const challenge = await post(
    config,
    endpoint(config.identityUrl, 'mfa/challenge'),
    {json: {mfa_token: mfaToken, challenge_type: 'otp', client_id: config.clientId}},
    debug,
  )
  if (challenge.status < 200 || challenge.status >= 300 || challenge.body?.challenge_type !== 'otp') {
    throw refused('mfa challenge', challenge)
  }
  const otp = await options.promptOtp()
  const form = {grant_type: MFA_OTP_GRANT, client_id: config.clientId, mfa_token: mfaToken, otp}
  const response = await post(config, endpoint(config.identityUrl, 'oauth/token'), {form}, debug)
  if (response.status >= 200 && response.status < 300) return tokenFrom('mfa-otp', response)
  throw refused('mfa-otp', response)
}

export function passwordGrant(
  config: IdentityConfig,
  username: string,
  password: string,
  options: IdentityOptions = {},
): Promise<StoredToken> {
  return tokenGrant(
    config,
    'password',
    {grant_type: 'password', username, password, scope: PASSWORD_SCOPE, client_id: config.clientId, audience: config.audience},
    options,
    'Check the email and password',
  )
}

export function refreshGrant(config: IdentityConfig, refreshToken: string, options: IdentityOptions = {}): Promise<StoredToken> {
  return tokenGrant(
    config,
    'refresh_token',
    {grant_type: 'refresh_token', client_id: config.clientId, refresh_token: refreshToken},
    options,
    'The refresh token may be revoked or expired: run `esc access tokens create` for a new one',
  )
}

export function clientCredentialsGrant(
  config: IdentityConfig,
  clientId: string,
  clientSecret: string,
  options: IdentityOptions = {},
): Promise<StoredToken> {
  return tokenGrant(
    config,
    'client_credentials',
    {grant_type: 'client_credentials', client_id: clientId, client_secret: clientSecret, audience: config.audience},
    options,
    'Check ESC_CLIENT_ID and ESC_CLIENT_SECRET',
  )
}
