import type {EscContext} from '../config/context.js'
import {EscError} from '../../core/errors.js'
import type {IdentityOptions} from './identity.js'
import type {Prompter} from './prompt.js'
import {isExpired, type StoredToken} from './token.js'
import type {TokenProvider, TokenProviderOptions} from './token-provider.js'
import type {TokenStore} from './token-store.js'

// The identity, login, prompt and token-store modules (keychain, D-Bus probe, child_process) are
// imported only by the flows that use them: with ESC_ACCESS_TOKEN a run needs none of them, and start-up
// time is budgeted (docs/BENCHMARKS.md).
const identityModule = () => import('./identity.js')

export interface CredentialDeps {
  env?: NodeJS.ProcessEnv
  stdinIsTTY?: boolean
  now?: () => number
  prompter?: Prompter
  store?: TokenStore
  debug?: (line: string) => void
}

export const NO_CREDENTIALS_MESSAGE =
  'No previous token was found and interactive mode is disabled. Authenticate with one of: ' +
  '--refresh-token <token>; ESC_ACCESS_TOKEN=<access token>; ESC_TOKEN or ESC_REFRESH_TOKEN=<refresh token>; ' +
  'ESC_CLIENT_ID and ESC_CLIENT_SECRET (service account); or run `esc access tokens create` once to store a token'

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value === '' ? undefined : value
}

/**
 * A provider that obtains a token from `fetch`, keeps it in memory for the run and fetches again
 * when it expires or on refresh(). `persist` stores each new token (only for the stored-token flow).
 */
function cachingProvider(
  fetch: () => Promise<StoredToken>,
  now: () => number,
  initial?: {token: StoredToken; obtainedAtMs?: number},
): TokenProvider {
  let current = initial
  let inFlight: Promise<string> | undefined
  const renew = (): Promise<string> => {
    inFlight ??= fetch()
      .then((token) => {
        current = {token, obtainedAtMs: now()}
        return token.access_token
      })
      .finally(() => {
        inFlight = undefined
      })
    return inFlight
  }
  return {
    async getAccessToken() {
      if (current && !isExpired(current.token, now(), current.obtainedAtMs)) return current.token.access_token
      return renew()
    },
    refresh: renew,
  }
}

/**
 * Chooses the credential source (--refresh-token → ESC_ACCESS_TOKEN → ESC_REFRESH_TOKEN/ESC_TOKEN →
 * ESC_CLIENT_ID/SECRET → stored token → interactive prompt) and returns a provider for it. Throws EscError exit 3 when
 * none applies. The Authorization header is `Bearer <access token>`. BaseCommand imports this
 * module lazily, so a command that sends nothing loads none of it.
 */
export async function createTokenProvider(ctx: EscContext, opts: TokenProviderOptions = {}): Promise<TokenProvider> {
  return selectTokenProvider(ctx, opts)
}

/** Picks the first credential source that applies, in the documented order (docs/auth-and-config.md). */
export async function selectTokenProvider(ctx: EscContext, opts: TokenProviderOptions, deps: CredentialDeps = {}): Promise<TokenProvider> {
  const env = deps.env ?? process.env
  const now = deps.now ?? Date.now
  const debug = deps.debug ?? (opts.debug ? (line: string) => process.stderr.write(`[debug] auth: ${line}\n`) : () => {})
  const identity: IdentityOptions = {debug}

  const refreshGrantFor = (token: string) => cachingProvider(async () => (await identityModule()).refreshGrant(ctx, token, identity), now)
  const flagRefresh = nonEmpty(opts.refreshToken)
  if (flagRefresh !== undefined) {
    debug('using the refresh token from --refresh-token (not stored)')
    return refreshGrantFor(flagRefresh)
  }

  const accessToken = nonEmpty(env.ESC_ACCESS_TOKEN)
  if (accessToken !== undefined) {
    debug('using ESC_ACCESS_TOKEN')
    return {
      getAccessToken: async () => accessToken,
      async refresh() {
        throw new EscError('the API rejected the access token in ESC_ACCESS_TOKEN', {
          kind: 'auth',
          suggestions: ['Set a fresh ESC_ACCESS_TOKEN, or unset it to use another credential'],
        })
      },
    }
  }

  // ESC_TOKEN holds a refresh token across Kurrent's tools (the Terraform and Pulumi providers read it
  // so, filled by `esc access tokens display`); the explicit ESC_REFRESH_TOKEN wins when both are set.
  const envRefreshName = nonEmpty(env.ESC_REFRESH_TOKEN) === undefined ? 'ESC_TOKEN' : 'ESC_REFRESH_TOKEN'
  const envRefresh = nonEmpty(env[envRefreshName])
  if (envRefresh !== undefined) {
    debug(`using the refresh token from ${envRefreshName} (not stored)`)
    return refreshGrantFor(envRefresh)
  }

  const clientId = nonEmpty(env.ESC_CLIENT_ID)
  const clientSecret = nonEmpty(env.ESC_CLIENT_SECRET)
  if (clientId !== undefined && clientSecret !== undefined) {
    debug('using the client credentials in ESC_CLIENT_ID/ESC_CLIENT_SECRET')
    return cachingProvider(async () => (await identityModule()).clientCredentialsGrant(ctx, clientId, clientSecret, identity), now)
  }
  // Half a service account (typically a CI secret that did not reach the job) is not a credential;
  // if nothing else is found either, the error names the missing half.
  const halfServiceAccount =
    (clientId === undefined) === (clientSecret === undefined)
      ? undefined
      : clientId === undefined
        ? 'ESC_CLIENT_SECRET is set but ESC_CLIENT_ID is empty or unset'
        : 'ESC_CLIENT_ID is set but ESC_CLIENT_SECRET is empty or unset'
  if (halfServiceAccount) debug(`ignoring the service account: ${halfServiceAccount}`)

  const store = deps.store ?? (await import('./token-store.js')).openTokenStore(ctx.configDir, ctx.audience, {env, debug})
  const loaded = await store.load()
  if (loaded) {
    const refreshStored = async (): Promise<StoredToken> => {
      const old = loaded.token.refresh_token
      if (!old) {
        throw new EscError('the stored token has expired and has no refresh token', {
          kind: 'auth',
          suggestions: ['Run `esc access tokens create` to log in again'],
        })
      }
      const fresh = await (await identityModule()).refreshGrant(ctx, old, identity)
      // esc keeps the old refresh token when the identity provider does not rotate it.
      const merged: StoredToken = {...fresh, refresh_token: fresh.refresh_token ?? old}
      await store.save(merged)
      loaded.token = merged
      return merged
    }
    return cachingProvider(refreshStored, now, loaded)
  }

  const interactive = !opts.noninteractive && (deps.stdinIsTTY ?? process.stdin.isTTY === true)
  if (interactive) {
    const prompter = deps.prompter ?? (await import('./prompt.js')).terminalPrompter()
    const login = async () => {
      process.stderr.write('No stored token: log in to Kurrent Cloud (the token is kept for the next runs).\n')
      const {passwordLogin} = await import('./login.js')
      return passwordLogin(ctx, {prompter, store, debug})
    }
    return cachingProvider(login, now)
  }
  if (halfServiceAccount) {
    throw new EscError(`${halfServiceAccount}: a service account needs both`, {
      kind: 'auth',
      suggestions: [
        'Set both ESC_CLIENT_ID and ESC_CLIENT_SECRET (check that the CI secret reaches this step), or unset them to use another credential',
      ],
    })
  }
  throw new EscError(NO_CREDENTIALS_MESSAGE, {kind: 'auth'})
}
