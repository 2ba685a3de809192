/**
 * Lenient decoding of API bodies: required fields must be present with the right JSON type;
 * unknown fields and unknown enum values pass through untouched. A failure names the field path.
 */
import type {Backup, Cluster, CreatedResponse, HistoryItem, Job, RunJobResponse} from '../../contract/models.js'

type FieldType = 'string' | 'number' | 'boolean' | 'object'
/** `name` required, `name?` optional (but typed when present). */
type Shape = Record<string, FieldType>

export class DecodeProblem extends Error {}

const BACKUP: Shape = {
  id: 'string', projectId: 'string', sourceClusterId: 'string', sourceClusterDescription: 'string',
  description: 'string', sizeGb: 'number', provider: 'string', region: 'string', status: 'string',
  created: 'string', 'linkedResource?': 'string', 'availableNodeCount?': 'number', 'serverVersion?': 'string',
  'serverVersionTag?': 'string',
}
const CLUSTER: Shape = {
  id: 'string', organizationId: 'string', projectId: 'string', networkId: 'string', description: 'string',
  provider: 'string', region: 'string', topology: 'string', instanceType: 'string', diskSizeGb: 'number',
  diskType: 'string', 'diskIops?': 'number', 'diskThroughput?': 'number', serverVersion: 'string',
  projectionLevel: 'string', status: 'string', created: 'string', 'aclId?': 'string',
  'canExpandDisk?': 'boolean', 'cloudIntegratedAuthentication?': 'boolean', 'health?': 'string',
  'patchAvailable?': 'boolean', 'protected?': 'boolean', 'publicAccess?': 'boolean', 'serverVersionTag?': 'string',
}
const JOB: Shape = {
  id: 'string', organizationId: 'string', projectId: 'string', description: 'string', schedule: 'string',
  status: 'string', type: 'string', data: 'object',
}
const SCHEDULED_BACKUP_DATA: Shape = {clusterId: 'string', description: 'string', maxBackupCount: 'number'}
const HISTORY_ITEM: Shape = {
  id: 'string', organizationId: 'string', projectId: 'string', jobId: 'string', status: 'string',
  details: 'string', linkedResource: 'string', startTime: 'string', 'endTime?': 'string',
}

function check(value: unknown, shape: Shape, path: string): Record<string, unknown> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new DecodeProblem(`${path || 'body'} is not an object`)
  }
  const obj = value as Record<string, unknown>
  for (const [key, type] of Object.entries(shape)) {
    const optional = key.endsWith('?')
    const name = optional ? key.slice(0, -1) : key
    const v = obj[name]
    const where = path ? `${path}.${name}` : name
    if (v === undefined || v === null) {
      if (optional) continue
      throw new DecodeProblem(`missing required field "${where}"`)
    }
    const actual = Array.isArray(v) ? 'array' : typeof v
    if (actual !== type) throw new DecodeProblem(`field "${where}" is ${actual}, expected ${type}`)
  }
  return obj
}

function list<T>(body: unknown, key: string, item: (v: unknown, path: string) => T): T[] {
  const obj = check(body, {}, '')
  const items = obj[key]
  if (!Array.isArray(items)) throw new DecodeProblem(items === undefined ? `missing required field "${key}"` : `field "${key}" is not an array`)
  return items.map((v, i) => item(v, `${key}[${i}]`))
}

function one<T>(body: unknown, key: string, item: (v: unknown, path: string) => T): T {
  return item(check(body, {[key]: 'object'}, '')[key], key)
}

export const decodeBackup = (v: unknown, path = ''): Backup => check(v, BACKUP, path) as Backup
export const decodeCluster = (v: unknown, path = ''): Cluster => check(v, CLUSTER, path) as Cluster
export const decodeHistoryItem = (v: unknown, path = ''): HistoryItem => check(v, HISTORY_ITEM, path) as HistoryItem

export function decodeJob(v: unknown, path = ''): Job {
  const job = check(v, JOB, path) as Job
  // Only ScheduledBackup has a known data shape; other types pass through as sent.
  if (job.type === 'ScheduledBackup') check(job.data, SCHEDULED_BACKUP_DATA, path ? `${path}.data` : 'data')
  return job
}

export const decodeCreated = (v: unknown): CreatedResponse => check(v, {id: 'string'}, '') as CreatedResponse
export const decodeRunJob = (v: unknown): RunJobResponse => check(v, {'historyId?': 'string'}, '') as RunJobResponse

export const decodeBackupList = (b: unknown) => ({backups: list(b, 'backups', decodeBackup)})
export const decodeBackupOne = (b: unknown) => ({backup: one(b, 'backup', decodeBackup)})
export const decodeClusterList = (b: unknown) => ({clusters: list(b, 'clusters', decodeCluster)})
export const decodeClusterOne = (b: unknown) => ({cluster: one(b, 'cluster', decodeCluster)})
export const decodeJobList = (b: unknown) => ({jobs: list(b, 'jobs', decodeJob)})
export const decodeJobOne = (b: unknown) => ({job: one(b, 'job', decodeJob)})
export const decodeHistoryList = (b: unknown) => ({items: list(b, 'items', decodeHistoryItem)})
