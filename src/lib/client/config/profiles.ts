import {UsageError} from '../../core/errors.js'
import {configDir} from './paths.js'
import {findProfileTable, isTable, loadSettings, saveSettings, type Settings, type TomlTable} from './settings.js'

/** esc's own formats: the only ones a profile's `fmt` takes, since the official esc reads the same settings.toml. */
export const ESC_OUTPUT_FORMATS = ['cli', 'cli-json', 'api', 'api-verbose'] as const

/**
 * What a profile's `fmt` may be set to: esc's formats, and `table` when asked for (the official esc
 * cannot load a file that says table, so esc never writes it on its own).
 */
export const PROFILE_FORMATS = [...ESC_OUTPUT_FORMATS, 'table'] as const

/** The properties `esc profiles set|get|delete -n` accepts. */
export const PROFILE_PROPERTIES = ['org-id', 'project-id', 'api-base-url', 'fmt'] as const
export type ProfileProperty = (typeof PROFILE_PROPERTIES)[number]

/**
 * esc's parse_url: http or https with a host. Returns the normalized form esc stores (WHATWG and
 * Rust's url crate both serialize a bare origin with a trailing slash).
 */
export function normalizeApiBaseUrl(value: string): string {
  let url: URL
  try {
    url = new URL(value)
  } catch {
    throw new UsageError(`Malformed URL "${value}". Expecting HTTP/HTTPS scheme, a valid host or IP`)
  }
  if ((url.protocol !== 'http:' && url.protocol !== 'https:') || url.hostname === '') {
    throw new UsageError(`Malformed URL "${value}". Expecting HTTP/HTTPS scheme, a valid host or IP`)
  }
  return url.href
}

export function validateFmt(value: string): string {
  if (!(PROFILE_FORMATS as readonly string[]).includes(value)) {
    throw new UsageError(`Unsupported output format "${value}". Supported values: ${PROFILE_FORMATS.join(', ')}`)
  }
  return value
}

/** A profile is found by its name: an empty one could never be selected again. */
function assertProfileName(name: string): void {
  if (name.trim() === '') throw new UsageError('the profile name is empty; give the profile a name (for example -p dev)')
}

/** esc's get_profile_mut: finds the profile or appends a new one with just a name. */
function profileTableMut(settings: Settings, name: string): TomlTable {
  const existing = findProfileTable(settings, name)
  if (existing) return existing
  const created: TomlTable = {name}
  const list = Array.isArray(settings.doc.profile) ? (settings.doc.profile as unknown[]) : []
  list.push(created)
  settings.doc.profile = list
  return created
}

function validated(property: ProfileProperty, value: string): string {
  if (property === 'api-base-url') return normalizeApiBaseUrl(value)
  if (property === 'fmt') return validateFmt(value)
  return value
}

export async function setProfileProperty(profile: string, property: ProfileProperty, value: string, dir = configDir()): Promise<void> {
  assertProfileName(profile)
  const clean = validated(property, value)
  const settings = await loadSettings(dir)
  profileTableMut(settings, profile)[property] = clean
  await saveSettings(settings)
}

/**
 * Removes one property. Unlike esc, which creates a missing profile here, deleting from a profile
 * that does not exist is an error that changes nothing.
 */
export async function deleteProfileProperty(profile: string, property: ProfileProperty, dir = configDir()): Promise<void> {
  assertProfileName(profile)
  const settings = await loadSettings(dir)
  const table = findProfileTable(settings, profile)
  if (!table) throw new UsageError(`profile "${profile}" does not exist; nothing was changed (\`esc profiles list\` shows the profiles)`)
  delete table[property]
  await saveSettings(settings)
}

export async function setDefaultProfile(name: string, dir = configDir()): Promise<void> {
  assertProfileName(name)
  const settings = await loadSettings(dir)
  settings.doc['default-profile'] = name
  await saveSettings(settings)
}

export interface ProfileValues {
  orgId?: string
  projectId?: string
  apiBaseUrl?: string
  fmt?: string
  identityUrl?: string
  audience?: string
  clientId?: string
}

/**
 * Creates or updates a profile in one write (the local cloud uses this to point a profile at
 * itself). Only the given values change; everything else in the file is kept.
 */
export async function upsertProfile(
  name: string,
  values: ProfileValues,
  options: {makeDefault?: boolean; dir?: string} = {},
): Promise<void> {
  const plain: Array<[ProfileProperty, string | undefined]> = [
    ['org-id', values.orgId],
    ['project-id', values.projectId],
    ['api-base-url', values.apiBaseUrl === undefined ? undefined : normalizeApiBaseUrl(values.apiBaseUrl)],
    ['fmt', values.fmt === undefined ? undefined : validateFmt(values.fmt)],
  ]
  const tokenConfig: Array<[string, string | undefined]> = [
    ['audience', values.audience],
    ['client-id', values.clientId],
    // Validated but stored as given: the identity URL keeps its port and path.
    ['identity-url', values.identityUrl === undefined ? undefined : (normalizeApiBaseUrl(values.identityUrl), values.identityUrl)],
  ]
  const settings = await loadSettings(options.dir ?? configDir())
  const table = profileTableMut(settings, name)
  for (const [key, value] of plain) if (value !== undefined) table[key] = value
  if (tokenConfig.some(([, v]) => v !== undefined)) {
    const tc: TomlTable = isTable(table['token-config']) ? table['token-config'] : {}
    for (const [key, value] of tokenConfig) if (value !== undefined) tc[key] = value
    table['token-config'] = tc
  }
  if (options.makeDefault) settings.doc['default-profile'] = name
  await saveSettings(settings)
}
