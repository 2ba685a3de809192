import {openTokenStore, type TokenSource} from '../../client/auth/token-store.js'
import {configDir} from '../../client/config/paths.js'
import {upsertProfile} from '../../client/config/profiles.js'
import {defaultProfileName, loadSettings} from '../../client/config/settings.js'
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
  tokenSource: TokenSource
  settingsDir: string
}

/**
 * Points the `local` profile at this server (api-base-url, org-id, project-id, identity-url,
 * audience) and stores a fresh credential for it, so `esc --profile local …` works at once.
 * The profile becomes the default only when settings.toml has no default yet.
 */
export async function writeLocalProfile(options: {
  url: string
  organizationId: string
  projectId: string
  identity: Identity
  env?: NodeJS.ProcessEnv
}): Promise<LocalProfileResult> {
  const env = options.env ?? process.env
  const dir = configDir(env)
  const settings = await loadSettings(dir)
  const makeDefault = defaultProfileName(settings) === undefined
  const audience = localAudience(options.organizationId)
  await upsertProfile(LOCAL_PROFILE, {
    orgId: options.organizationId, projectId: options.projectId, apiBaseUrl: options.url,
    identityUrl: options.url, audience, clientId: LOCAL_CLIENT_ID,
  }, {makeDefault, dir})
  const store = openTokenStore(dir, audience, {env, warn: () => {}})
  const tokenSource = await store.save({
    access_token: options.identity.issueAccessToken(ADMIN_USER),
    refresh_token: options.identity.newRefreshToken(ADMIN_USER),
    scope: TOKEN_SCOPE,
    expires_in: options.identity.ttlSeconds,
    token_type: 'Bearer',
  })
  return {profile: LOCAL_PROFILE, madeDefault: makeDefault, tokenSource, settingsDir: dir}
}
