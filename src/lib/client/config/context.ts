import {UsageError} from '../../core/errors.js'
import {configDir as defaultConfigDir} from './paths.js'
import {defaultProfileName, findProfileTable, listProfiles, loadSettings, type Profile, toProfile} from './settings.js'

export const DEFAULT_API_URL = 'https://api.eventstore.cloud'
export const DEFAULT_IDENTITY_URL = 'https://identity.eventstore.com'
export const DEFAULT_AUDIENCE = 'https://api.eventstore.cloud'
/** esc's public OAuth client id (base/src/identity/config.rs). */
export const DEFAULT_CLIENT_ID = 'OraYp3cFES9O8aWuQtnqi1A7m534iTwt'

/** The profile used when settings.toml names no default-profile (if it exists). */
export const IMPLICIT_DEFAULT_PROFILE = 'default'

/** Everything a command needs to know about where to talk and as whom, resolved once per run. */
export interface EscContext {
  /** The profile the values came from (selected or default), if any. */
  profileName?: string
  orgId?: string
  projectId?: string
  /** API base URL without a trailing slash; keeps port and path (the local cloud needs the port). */
  apiUrl: string
  /** The profile's `fmt`; `--fmt` is applied on top by the output module. */
  fmt?: string
  identityUrl: string
  /** Who set identityUrl (`ESC_IDENTITY_URL`, or the profile's token-config); absent = the default. */
  identityUrlSource?: string
  audience: string
  clientId: string
  configDir: string
}

export interface ContextFlags {
  profile?: string
  'api-url'?: string
  'org-id'?: string
  'project-id'?: string
}

/** Empty strings count as unset, like esc's `default_value = ""` flags. */
function firstSet(...values: Array<string | undefined>): string | undefined {
  return values.find((v) => v !== undefined && v !== '')
}

function checkedUrl(value: string, source: string): string {
  let url: URL
  try {
    url = new URL(value)
  } catch {
    throw new UsageError(`${source} "${value}" is not a valid URL`, {suggestions: ['Use an http:// or https:// URL with a host']})
  }
  if ((url.protocol !== 'http:' && url.protocol !== 'https:') || url.hostname === '') {
    throw new UsageError(`${source} "${value}" must be an http:// or https:// URL with a host`)
  }
  return value.replace(/\/+$/, '')
}

/**
 * Precedence: flag > environment > selected profile (`--profile` / ESC_PROFILE) > default profile.
 * Selecting a profile that does not exist is a usage error; a `default-profile` naming a missing
 * profile is ignored, as in esc.
 */
export async function resolveContext(flags: ContextFlags, env: NodeJS.ProcessEnv = process.env): Promise<EscContext> {
  const dir = defaultConfigDir(env)
  const settings = await loadSettings(dir)
  const selected = firstSet(flags.profile, env.ESC_PROFILE)
  let profile: Profile | undefined
  if (selected === undefined) {
    // Without a default-profile, a profile named "default" is the default: the fix our missing
    // org/project message suggests (`esc profiles set -p default -n org-id -v <id>`) then works.
    const name = defaultProfileName(settings) ?? IMPLICIT_DEFAULT_PROFILE
    const table = findProfileTable(settings, name)
    profile = table ? toProfile(table) : undefined
  } else {
    const table = findProfileTable(settings, selected)
    if (!table) {
      const names = listProfiles(settings).map((p) => p.name)
      const source = flags.profile === undefined || flags.profile === '' ? 'ESC_PROFILE' : '--profile'
      throw new UsageError(
        `profile "${selected}" (from ${source}) does not exist in ${settings.path}; ` +
          (names.length > 0 ? `existing profiles: ${names.join(', ')}` : 'no profiles exist yet'),
        {suggestions: [`Create it with \`esc profiles set -p ${selected} -n org-id -v <org id>\``]},
      )
    }
    profile = toProfile(table)
  }

  const fromFlag = firstSet(flags['api-url'])
  const fromEnv = firstSet(env.ESC_API_URL)
  const apiUrl =
    fromFlag === undefined
      ? fromEnv === undefined
        ? profile?.apiBaseUrl === undefined
          ? DEFAULT_API_URL
          : checkedUrl(profile.apiBaseUrl, `api-base-url of profile "${profile.name}"`)
        : checkedUrl(fromEnv, 'ESC_API_URL')
      : checkedUrl(fromFlag, '--api-url')
  const tc = profile?.tokenConfig
  const identity = firstSet(env.ESC_IDENTITY_URL, tc?.identityUrl)
  const context: EscContext = {
    apiUrl,
    identityUrl: identity === undefined ? DEFAULT_IDENTITY_URL : checkedUrl(identity, 'identity URL'),
    audience: firstSet(tc?.audience) ?? DEFAULT_AUDIENCE,
    clientId: firstSet(tc?.clientId) ?? DEFAULT_CLIENT_ID,
    configDir: dir,
  }
  if (profile) context.profileName = profile.name
  if (firstSet(env.ESC_IDENTITY_URL) !== undefined) context.identityUrlSource = 'ESC_IDENTITY_URL'
  else if (identity !== undefined && profile) context.identityUrlSource = `token-config.identity-url of profile "${profile.name}"`
  const orgId = firstSet(flags['org-id'], env.ESC_ORG_ID, profile?.orgId)
  const projectId = firstSet(flags['project-id'], env.ESC_PROJECT_ID, profile?.projectId)
  if (orgId !== undefined) context.orgId = orgId
  if (projectId !== undefined) context.projectId = projectId
  if (profile?.fmt !== undefined) context.fmt = profile.fmt
  return context
}
