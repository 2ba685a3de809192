/**
 * Lenient decoding of API bodies, driven by the contract's response schemas: required fields must
 * be present with the right JSON type; unknown fields and unknown enum values pass through
 * untouched. A failure names the field path.
 */
import type {Backup, Cluster, CreatedResponse, HistoryItem, Job, RunJobResponse} from '../../contract/models.js'
import {
  backupSchema,
  clusterSchema,
  createdSchema,
  getBackupSchema,
  getClusterSchema,
  getJobSchema,
  historyItemSchema,
  jobSchema,
  listBackupsSchema,
  listClustersSchema,
  listHistorySchema,
  listJobsSchema,
  runJobSchema,
} from '../../contract/responses.js'

/** The part of an object schema decoding reads: its properties' JSON types and which are required. */
interface ObjectSchema {
  readonly required?: readonly string[]
  readonly properties: {readonly [name: string]: {readonly type: string}}
}

/** A `{key: [...]}` or `{key: {...}}` answer: one required property wrapping the resource(s). */
interface WrapperSchema {
  readonly required: readonly [string]
}

export class DecodeProblem extends Error {}

export function check(value: unknown, schema: ObjectSchema, path: string): Record<string, unknown> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new DecodeProblem(`${path || 'body'} is not an object`)
  }
  const obj = value as Record<string, unknown>
  for (const [name, property] of Object.entries(schema.properties)) {
    const v = obj[name]
    const where = path ? `${path}.${name}` : name
    // null counts as absent: the API sends it for optional fields it has no value for.
    if (v === undefined || v === null) {
      if (!schema.required?.includes(name)) continue
      throw new DecodeProblem(`missing required field "${where}"`)
    }
    const actual = Array.isArray(v) ? 'array' : typeof v
    const expected = property.type === 'integer' ? 'number' : property.type
    if (actual !== expected) throw new DecodeProblem(`field "${where}" is ${actual}, expected ${expected}`)
  }
  return obj
}

export function list<T>(body: unknown, schema: WrapperSchema, item: (v: unknown, path: string) => T): T[] {
  const key = schema.required[0]
  const obj = check(body, {properties: {}}, '')
  const items = obj[key]
  if (!Array.isArray(items))
    throw new DecodeProblem(items === undefined ? `missing required field "${key}"` : `field "${key}" is not an array`)
  return items.map((v, i) => item(v, `${key}[${i}]`))
}

export function one<T>(body: unknown, schema: WrapperSchema, item: (v: unknown, path: string) => T): T {
  const key = schema.required[0]
  return item(check(body, {required: [key], properties: {[key]: {type: 'object'}}}, '')[key], key)
}

export const decodeBackup = (v: unknown, path = ''): Backup => check(v, backupSchema, path) as Backup
export const decodeCluster = (v: unknown, path = ''): Cluster => check(v, clusterSchema, path) as Cluster
export const decodeHistoryItem = (v: unknown, path = ''): HistoryItem => check(v, historyItemSchema, path) as HistoryItem

export function decodeJob(v: unknown, path = ''): Job {
  const job = check(v, jobSchema, path) as Job
  // Only ScheduledBackup has a known data shape; other types pass through as sent.
  if (job.type === 'ScheduledBackup') check(job.data, jobSchema.properties.data, path ? `${path}.data` : 'data')
  return job
}

export const decodeCreated = (v: unknown): CreatedResponse => check(v, createdSchema, '') as CreatedResponse
export const decodeRunJob = (v: unknown): RunJobResponse => check(v, runJobSchema, '') as RunJobResponse

export const decodeBackupList = (b: unknown) => ({backups: list(b, listBackupsSchema, decodeBackup)})
export const decodeBackupOne = (b: unknown) => ({backup: one(b, getBackupSchema, decodeBackup)})
export const decodeClusterList = (b: unknown) => ({clusters: list(b, listClustersSchema, decodeCluster)})
export const decodeClusterOne = (b: unknown) => ({cluster: one(b, getClusterSchema, decodeCluster)})
export const decodeJobList = (b: unknown) => ({jobs: list(b, listJobsSchema, decodeJob)})
export const decodeJobOne = (b: unknown) => ({job: one(b, getJobSchema, decodeJob)})
export const decodeHistoryList = (b: unknown) => ({items: list(b, listHistorySchema, decodeHistoryItem)})
