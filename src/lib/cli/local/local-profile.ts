import {openTokenStore, type TokenSource} from '../../client/auth/token-store.js'
import {configDir} from '../../client/config/paths.js'
import {normalizeApiBaseUrl, upsertProfile} from '../../client/config/profiles.js'
import {defaultProfileName, findProfileTable, loadSettings, toProfile} from '../../client/config/settings.js'
import {sendPlainRequest} from '../../core/http.js'
import type {Identity} from '../../server/identity.js'
import {ADMIN_USER, TOKEN_SCOPE} from '../../server/identity.js'

export const LOCAL_PROFILE = 'local'
export const LOCAL_CLIENT_ID = 'esc-local'

/** The token store key of a local cloud: per organization, so two state dirs never share a token. */
export function localAudience(organizationId: string): string {
  return `esc-local-${organizationId}`
}

export interface LocalProfileResult {
  profile: string
  madeDefault: boolean
  /** Where the token went; absent when the profile was kept. */
  tokenSource?: TokenSource
  settingsDir: string
  /** Set when the profile was left alone: the URL of the other local cloud it points at, which still runs. */
  kept?: string
}

/**
 * Points the profile (`local` unless named) at this server (api-base-url, org-id, project-id,
 * identity-url, audience) and stores a fresh credential for it, so `esc --profile local …` works at
 * once. The profile becomes the default only when settings.toml has no default yet. A profile that
 * points at another local cloud which still answers is kept: two local clouds must not steal each
 * other's profile.
 */
export async function writeLocalProfile(options: {
  url: string
  organizationId: string
  projectId: string
  identity: Identity
  env?: NodeJS.ProcessEnv
  profile?: string
  /** Whether something answers at a URL (tests replace the HTTP probe). */
  isServing?: (url: string) => Promise<boolean>
}): Promise<LocalProfileResult> {
  const env = options.env ?? process.env
  const dir = configDir(env)
  const name = options.profile ?? LOCAL_PROFILE
  const settings = await loadSettings(dir)
  const other = otherLocalCloudUrl(findProfileTable(settings, name), options.url)
  if (other && (await (options.isServing ?? answersHttp)(other))) {
    return {profile: name, madeDefault: false, settingsDir: dir, kept: other}
  }
  const makeDefault = defaultProfileName(settings) === undefined
  const audience = localAudience(options.organizationId)
  await upsertProfile(
    name,
    {
      orgId: options.organizationId,
      projectId: options.projectId,
      apiBaseUrl: options.url,
      identityUrl: options.url,
      audience,
      clientId: LOCAL_CLIENT_ID,
    },
    {makeDefault, dir},
  )
  const store = openTokenStore(dir, audience, {env, warn: () => {}})
  const tokenSource = await store.save({
    access_token: options.identity.issueAccessToken(ADMIN_USER),
    refresh_token: options.identity.newRefreshToken(ADMIN_USER),
    scope: TOKEN_SCOPE,
    expires_in: options.identity.ttlSeconds,
    token_type: 'Bearer',
  })
  return {profile: name, madeDefault: makeDefault, tokenSource, settingsDir: dir}
}

/** The API URL of a profile written for another local cloud (its client id says so), else undefined. */
function otherLocalCloudUrl(table: Parameters<typeof toProfile>[0] | undefined, url: string): string | undefined {
  if (!table) return undefined
  const profile = toProfile(table)
  if (profile.tokenConfig?.clientId !== LOCAL_CLIENT_ID || !profile.apiBaseUrl) return undefined
  try {
    return normalizeApiBaseUrl(profile.apiBaseUrl) === normalizeApiBaseUrl(url) ? undefined : profile.apiBaseUrl
  } catch {
    return undefined
  }
}

/** Whether an HTTP server answers at `url` within a second (any status: a local cloud answers 401 without a token). */
async function answersHttp(url: string): Promise<boolean> {
  try {
    await sendPlainRequest(new URL('local/v1/status', url).href, {
      method: 'GET',
      headers: {},
      connectTimeoutMs: 1000,
      requestTimeoutMs: 2000,
    })
    return true
  } catch {
    return false
  }
}
