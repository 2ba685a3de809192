/**
 * A throw-away ~/.esc for tests: a temp dir with settings.toml and (optionally) a token file.
 *
 *   const home = await tmpHome({profile: {orgId: 'o1', projectId: 'p1'}})
 *   await runCli([...], {env: {...home.env, ESC_API_URL: url}})
 *   await home.cleanup()
 *
 * `home.env` sets ESC_CONFIG_DIR and HOME to the temp dir and ESC_KEYRING=0 (file token store),
 * so nothing touches the real ~/.esc or the OS keychain.
 */
import {mkdtemp, mkdir, rm, writeFile} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import path from 'node:path'

export interface TmpProfile {
  name?: string
  orgId?: string
  projectId?: string
  apiBaseUrl?: string
  fmt?: string
}

export interface TmpHomeOptions {
  /** Written as the default profile (name defaults to "default"). Omit for an empty settings.toml. */
  profile?: TmpProfile
  /** Extra profiles, not default. */
  otherProfiles?: TmpProfile[]
  /** Raw settings.toml text, instead of `profile`. */
  settingsToml?: string
  /** Token file content (esc's JSON), or false for none. Default: a long-lived opaque token. */
  token?: {access_token: string; refresh_token?: string | null; expires_in?: number} | false
  /** Audience host the token file is named after. */
  audienceHost?: string
}

export interface TmpHome {
  /** The config dir (ESC_CONFIG_DIR). */
  dir: string
  settingsPath: string
  tokenPath: string
  env: Record<string, string>
  cleanup(): Promise<void>
}

const toml = (s: string) => JSON.stringify(s)

function profileToml(p: TmpProfile): string {
  const lines = ['[[profile]]', `name = ${toml(p.name ?? 'default')}`]
  if (p.orgId !== undefined) lines.push(`org-id = ${toml(p.orgId)}`)
  if (p.projectId !== undefined) lines.push(`project-id = ${toml(p.projectId)}`)
  if (p.apiBaseUrl !== undefined) lines.push(`api-base-url = ${toml(p.apiBaseUrl)}`)
  if (p.fmt !== undefined) lines.push(`fmt = ${toml(p.fmt)}`)
  return lines.join('\n') + '\n'
}

export async function tmpHome(options: TmpHomeOptions = {}): Promise<TmpHome> {
  const dir = await mkdtemp(path.join(tmpdir(), 'esc-test-'))
  const settingsPath = path.join(dir, 'settings.toml')
  let settings = options.settingsToml ?? ''
  if (options.settingsToml === undefined && options.profile) {
    settings = `default-profile = ${toml(options.profile.name ?? 'default')}\n\n${profileToml(options.profile)}`
    for (const p of options.otherProfiles ?? []) settings += `\n${profileToml(p)}`
  }
  await writeFile(settingsPath, settings)
  const tokenPath = path.join(dir, 'tokens', options.audienceHost ?? 'api.eventstore.cloud')
  const token = options.token ?? {access_token: 'test-access-token', refresh_token: 'test-refresh-token'}
  if (token) {
    await mkdir(path.dirname(tokenPath), {recursive: true})
    const body = {
      access_token: token.access_token,
      refresh_token: token.refresh_token ?? null,
      scope: 'cloud:access offline_access',
      expires_in: token.expires_in ?? 86_400,
      token_type: 'Bearer',
    }
    await writeFile(tokenPath, JSON.stringify(body), {mode: 0o600})
  }
  return {
    dir,
    settingsPath,
    tokenPath,
    env: {ESC_CONFIG_DIR: dir, HOME: dir, ESC_KEYRING: '0'},
    cleanup: () => rm(dir, {recursive: true, force: true}),
  }
}
