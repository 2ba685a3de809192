import {readFile} from 'node:fs/promises'

import {EscError} from '../../core/errors.js'
import {configDir, settingsPath} from './paths.js'

/** A TOML table as smol-toml returns it. Unknown keys stay in here untouched so a write preserves them. */
export type TomlTable = Record<string, unknown>

/** `[profile.token-config]`: hand-edited overrides of the identity settings. */
export interface TokenConfig {
  audience?: string
  clientId?: string
  identityUrl?: string
  publicKey?: string
}

/** The keys of one `[[profile]]` that esc knows about, read from the raw table. */
export interface Profile {
  name: string
  orgId?: string
  projectId?: string
  apiBaseUrl?: string
  fmt?: string
  tokenConfig?: TokenConfig
}

/**
 * settings.toml as loaded: the raw document (what gets written back) plus where it came from.
 * `parseError` is set when the file exists but could not be parsed; esc then continues with
 * defaults, and so do we, but we refuse to overwrite such a file (see saveSettings).
 */
export interface Settings {
  path: string
  doc: TomlTable
  parseError?: string
}

export async function loadSettings(dir: string = configDir()): Promise<Settings> {
  const path = settingsPath(dir)
  let text: string
  try {
    text = await readFile(path, 'utf8')
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return {path, doc: {}}
    throw new EscError(`cannot read ${path}: ${(error as Error).message}`, {cause: error})
  }
  try {
    const {parse} = await import('smol-toml')
    const doc = parse(text, {integersAsBigInt: 'asNeeded'}) as TomlTable
    const problem = shapeProblem(doc)
    if (problem) throw new Error(problem)
    return {path, doc}
  } catch (error) {
    // smol-toml's message continues with a code excerpt; keep one line, with where the problem is (as esc's does).
    const {line, column} = error as {line?: unknown; column?: unknown}
    const where = typeof line === 'number' && typeof column === 'number' ? ` at line ${line} column ${column}` : ''
    const message = `${(error as Error).message.split('\n')[0]}${where}`
    // esc's wording (eprintln! of a message that already ends in \n, hence the blank line).
    process.stderr.write(`Error when parsing ${path}, fallback to default settings. Error: ${message}\n\n`)
    return {path, doc: {}, parseError: message}
  }
}

/** esc's serde model rejects these shapes; report them like a parse error. */
function shapeProblem(doc: TomlTable): string | undefined {
  const dp = doc['default-profile']
  if (dp !== undefined && typeof dp !== 'string') return 'invalid type for `default-profile`, expected a string'
  const profiles = doc.profile
  if (profiles === undefined) return undefined
  if (!Array.isArray(profiles)) return 'invalid type for `profile`, expected an array of tables'
  for (const [i, p] of profiles.entries()) {
    if (!isTable(p)) return `invalid type for profile #${i + 1}, expected a table`
    if (typeof p.name !== 'string') return `missing field \`name\` in profile #${i + 1}`
    for (const key of ['org-id', 'project-id', 'api-base-url', 'fmt']) {
      if (p[key] !== undefined && typeof p[key] !== 'string') return `invalid type for \`${key}\` in profile "${p.name}", expected a string`
    }
    if (p['token-config'] !== undefined && !isTable(p['token-config'])) return `invalid type for \`token-config\` in profile "${p.name}"`
  }
  return undefined
}

export function isTable(value: unknown): value is TomlTable {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Date)
}

/** Writes the document back atomically. Unknown keys survive; comments and formatting do not. */
export async function saveSettings(settings: Settings): Promise<void> {
  if (settings.parseError !== undefined) {
    throw new EscError(`refusing to overwrite ${settings.path}: it could not be parsed (${settings.parseError})`, {
      suggestions: [`Fix the file by hand, or move it away and run the command again`],
    })
  }
  // Imported here, not at the top: most commands only read settings, and start-up is budgeted.
  const [{stringify}, {writeFileAtomic}] = await Promise.all([import('smol-toml'), import('../../core/atomic-write.js')])
  const doc: TomlTable = {...settings.doc}
  // esc's Settings has `profile: Vec<Profile>` without a serde default: the key must exist for esc to load the file.
  if (!Array.isArray(doc.profile)) doc.profile = []
  await writeFileAtomic(settings.path, stringify(doc), {dirMode: 0o700})
}

export function profileTables(settings: Settings): TomlTable[] {
  const profiles = settings.doc.profile
  return Array.isArray(profiles) ? profiles.filter((p): p is TomlTable => isTable(p)) : []
}

export function findProfileTable(settings: Settings, name: string): TomlTable | undefined {
  return profileTables(settings).find((p) => p.name === name)
}

export function defaultProfileName(settings: Settings): string | undefined {
  const name = settings.doc['default-profile']
  return typeof name === 'string' ? name : undefined
}

export function toProfile(table: TomlTable): Profile {
  const str = (t: TomlTable, key: string): string | undefined => (typeof t[key] === 'string' ? (t[key] as string) : undefined)
  const profile: Profile = {name: String(table.name)}
  const orgId = str(table, 'org-id')
  const projectId = str(table, 'project-id')
  const apiBaseUrl = str(table, 'api-base-url')
  const fmt = str(table, 'fmt')
  if (orgId !== undefined) profile.orgId = orgId
  if (projectId !== undefined) profile.projectId = projectId
  if (apiBaseUrl !== undefined) profile.apiBaseUrl = apiBaseUrl
  if (fmt !== undefined) profile.fmt = fmt
  const tc = table['token-config']
  if (isTable(tc)) {
    profile.tokenConfig = {}
    const audience = str(tc, 'audience')
    const clientId = str(tc, 'client-id')
    const identityUrl = str(tc, 'identity-url')
    const publicKey = str(tc, 'public-key')
    if (audience !== undefined) profile.tokenConfig.audience = audience
    if (clientId !== undefined) profile.tokenConfig.clientId = clientId
    if (identityUrl !== undefined) profile.tokenConfig.identityUrl = identityUrl
    if (publicKey !== undefined) profile.tokenConfig.publicKey = publicKey
  }
  return profile
}

export function listProfiles(settings: Settings): Profile[] {
  return profileTables(settings).map((t) => toProfile(t))
}
