/**
 * Wire types of the Kurrent Cloud API, inferred from the JSON schemas of requests.ts and
 * responses.ts (types only: nothing of json-schema-to-ts loads at run time).
 *
 * Enums are open: a value the API adds later still decodes (closed enums break on every new
 * status), so each union ends in `(string & {})` to keep editor completion. Extra fields sent by the
 * server are kept on the decoded objects (the `[extra: string]: unknown` of each answer).
 */
import type {FromSchema} from 'json-schema-to-ts'

import type {BACKUP_STATUSES, CLUSTER_STATUSES, HEALTHS, JOB_TYPES, PROJECTION_LEVELS, PROVIDERS, TOPOLOGIES} from './enums.js'
import type * as requests from './requests.js'
import type * as responses from './responses.js'

type Open<T extends string> = T | (string & {})

export type BackupStatus = Open<(typeof BACKUP_STATUSES)[number]>
export type ClusterStatus = Open<(typeof CLUSTER_STATUSES)[number]>
export type Health = Open<(typeof HEALTHS)[number]>
export type Topology = Open<(typeof TOPOLOGIES)[number]>
export type ProjectionLevel = Open<(typeof PROJECTION_LEVELS)[number]>
export type Provider = Open<(typeof PROVIDERS)[number]>
export type JobType = Open<(typeof JOB_TYPES)[number]>
/** Job and history statuses are not enumerated by the API. */
export type JobStatus = string
export type HistoryStatus = string

/** `T` with the types of the fields named in `E` replaced (optional stays optional, extras stay). */
type With<T, E> = {[K in keyof T]: K extends keyof E ? E[K] : T[K]}
/** `T` without its index signature: request bodies carry only the fields they name. */
type Known<T> = {[K in keyof T as string extends K ? never : number extends K ? never : K]: T[K]}

export type Backup = With<FromSchema<typeof responses.backupSchema>, {provider: Provider; status: BackupStatus}>
export type Cluster = With<
  FromSchema<typeof responses.clusterSchema>,
  {
    provider: Provider
    topology: Topology
    projectionLevel: ProjectionLevel
    status: ClusterStatus
    health: Health
  }
>
export type ScheduledBackupData = FromSchema<typeof responses.scheduledBackupDataSchema>
export type Job = With<FromSchema<typeof responses.jobSchema>, {status: JobStatus; type: JobType}>
export type HistoryItem = FromSchema<typeof responses.historyItemSchema>
export type ProblemDetails = FromSchema<typeof responses.problemDetailsSchema>

// ---- requests (optional fields are omitted, never null) ----

export type CreateBackupRequest = Known<FromSchema<typeof requests.createBackupBody>>
/** Topology and projection level stay open: a restore copies them from a cluster the API described. */
export type CreateClusterRequest = With<
  Known<FromSchema<typeof requests.createClusterBody>>,
  {
    topology: Topology
    projectionLevel: ProjectionLevel
    provider: string
  }
>
export type CreateJobRequest = Known<FromSchema<typeof requests.createJobBody>>
export type UpdateClusterRequest = Known<FromSchema<typeof requests.updateClusterBody>>
export type ExpandClusterRequest = Known<FromSchema<typeof requests.expandClusterBody>>
export type ResizeClusterRequest = Known<FromSchema<typeof requests.resizeClusterBody>>
export type UpgradeClusterRequest = Known<FromSchema<typeof requests.upgradeClusterBody>>

// ---- response wrappers ----

export type CreatedResponse = FromSchema<typeof responses.createdSchema>
export type CreateBackupResponse = CreatedResponse
export type CreateClusterResponse = CreatedResponse
export type CreateJobResponse = CreatedResponse
/** resize, upgrade, stop and start answer an operation id, which the official CLI requires and discards. */
export type ClusterCommandResponse = CreatedResponse

export interface ListBackupsResponse {
  backups: Backup[]
}
export interface GetBackupResponse {
  backup: Backup
}
export interface ListClustersResponse {
  clusters: Cluster[]
}
export interface GetClusterResponse {
  cluster: Cluster
}
export interface ListJobsResponse {
  jobs: Job[]
}
export interface GetJobResponse {
  job: Job
}
export interface ListHistoryResponse {
  items: HistoryItem[]
}
export type RunJobResponse = FromSchema<typeof responses.runJobSchema>
