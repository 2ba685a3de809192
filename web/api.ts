/**
 * The console's only way to the local cloud: the same REST API as the CLI, authenticated by the
 * session cookie (sent by the browser) and, on writes, the page's CSRF token in a header.
 */

const meta = (name: string) => document.querySelector<HTMLMetaElement>(`meta[name="${name}"]`)?.content ?? ''
export const csrfToken = () => meta('csrf-token')
export const currentUser = () => meta('console-user')

export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly fields: Record<string, string> = {},
  ) {
    super(message)
  }
}

export async function api<T>(method: 'GET' | 'POST' | 'PUT' | 'DELETE', path: string, body?: unknown): Promise<T> {
  const headers: Record<string, string> = {accept: 'application/json'}
  if (method !== 'GET') headers['x-csrf-token'] = csrfToken()
  if (body !== undefined) headers['content-type'] = 'application/json'
  const res = await fetch(path, {method, headers, body: body === undefined ? undefined : JSON.stringify(body), credentials: 'same-origin'})
  if (res.status === 401) {
    location.assign('/sign-in')
    throw new ApiError(401, 'signed out')
  }
  const text = await res.text()
  const data = text ? JSON.parse(text) : undefined
  if (!res.ok) throw new ApiError(res.status, data?.detail ?? `${res.status} ${res.statusText}`, data?.fields)
  return data as T
}

export async function signOut(): Promise<void> {
  await fetch('/sign-out', {method: 'POST', headers: {'x-csrf-token': csrfToken()}, credentials: 'same-origin'})
  location.assign('/sign-in')
}

/** Where the views read and write: one organization's project (the switcher picks which). */
export interface Scope {
  organizationId: string
  projectId: string
  mesdb: string
  orchestrate: string
  integrate: string
  infra: string
}

export function scopeOf(organizationId: string, projectId: string): Scope {
  const tail = `organizations/${organizationId}/projects/${projectId}`
  return {
    organizationId,
    projectId,
    mesdb: `/mesdb/v1/${tail}`,
    orchestrate: `/orchestrate/v1/${tail}`,
    integrate: `/integrate/v1/${tail}/integrations`,
    infra: `/infra/v1/${tail}`,
  }
}

export interface Project {
  id: string
  name: string
}

/** The organization, its projects, and the local cloud's own project (shown when the URL names none). */
export async function loadProjects(): Promise<{organizationId: string; defaultProjectId: string; projects: Project[]}> {
  const status = await api<{organizationId: string; projectId: string}>('GET', '/local/v1/status')
  const {projects} = await api<{projects: Project[]}>('GET', `/resources/v1/organizations/${status.organizationId}/projects`)
  return {organizationId: status.organizationId, defaultProjectId: status.projectId, projects}
}

export async function listProjects(organizationId: string): Promise<Project[]> {
  return (await api<{projects: Project[]}>('GET', `/resources/v1/organizations/${organizationId}/projects`)).projects
}

export interface Network {
  id: string
  description: string
  provider: string
  region: string
  status: string
}

export interface Cluster {
  id: string
  description: string
  status: string
  provider: string
  region: string
  topology: string
  instanceType: string
  diskSizeGb: number
  diskType: string
  networkId: string
  serverVersion: string
  projectionLevel: string
  created: string
}

export interface Backup {
  id: string
  description: string
  status: string
  created: string
  sourceClusterId: string
  sourceClusterDescription: string
  sizeGb: number
  sizeBytes?: number
  linkedResource?: string
  details?: string
}

export interface Job {
  id: string
  description: string
  schedule: string
  status: string
  data: {clusterId: string; description: string; maxBackupCount: number}
}

export interface HistoryItem {
  id: string
  jobId: string
  status: string
  details: string
  linkedResource: string
  startTime: string
  endTime?: string
}

export interface Integration {
  id: string
  description: string
  status: string
  data: Record<string, unknown> & {sink: string}
}

export interface Delivery {
  id: string
  event: string
  attempt: number
  state: string
  attemptedAt: string
  statusCode?: number
  error?: string
}
