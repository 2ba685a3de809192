/**
 * Wire types of the Kurrent Cloud API, camelCase as on the wire.
 *
 * Enums are open: a value the API adds later still decodes (esc's closed enums broke on every
 * status the API added), so each union ends in `(string & {})` to keep editor completion.
 * Extra fields sent by the server are kept on the decoded objects.
 */

type Open<T extends string> = T | (string & {})

export type BackupStatus = Open<'creating' | 'available' | 'deleted' | 'deleting' | 'defunct'>
export type ClusterStatus = Open<
  | 'provisioning' | 'disks available' | 'expanding disks' | 'restarting' | 'available' | 'defunct'
  | 'inconsistent' | 'upgrading' | 'deleting instances' | 'instances deleted' | 'deleting disks'
  | 'deleted' | 'resizing' | 'stopping' | 'updating configuration' | 'compute available'
  | 'installing' | 'starting' | 'deploying' | 'updating' | 'deleting'
>
export type Health = Open<'degraded' | 'down' | 'health-reporting-error' | 'ok' | 'issues-detected'>
export type Topology = Open<'single-node' | 'three-node-multi-zone' | 'three-node' | 'five-node'>
export type ProjectionLevel = Open<'off' | 'system' | 'user'>
export type Provider = Open<'aws' | 'gcp' | 'azure'>
export type JobType = Open<'ScheduledBackup'>
/** Job and history statuses are not enumerated by the API. */
export type JobStatus = string
export type HistoryStatus = string

export interface Backup {
  id: string
  projectId: string
  sourceClusterId: string
  sourceClusterDescription: string
  description: string
  sizeGb: number
  provider: Provider
  region: string
  status: BackupStatus
  /** RFC 3339 */
  created: string
  /** The job that created it (scheduled backups). */
  linkedResource?: string
  // Required in esc's schema but used by no output: tolerated when missing.
  availableNodeCount?: number
  serverVersion?: string
  serverVersionTag?: string
  [extra: string]: unknown
}

export interface Cluster {
  id: string
  organizationId: string
  projectId: string
  networkId: string
  description: string
  provider: Provider
  region: string
  topology: Topology
  instanceType: string
  diskSizeGb: number
  diskType: string
  diskIops?: number
  diskThroughput?: number
  serverVersion: string
  projectionLevel: ProjectionLevel
  status: ClusterStatus
  /** RFC 3339 */
  created: string
  aclId?: string
  // Required in esc's schema but used by no output: tolerated when missing.
  canExpandDisk?: boolean
  cloudIntegratedAuthentication?: boolean
  health?: Health
  patchAvailable?: boolean
  protected?: boolean
  publicAccess?: boolean
  serverVersionTag?: string
  [extra: string]: unknown
}

export interface ScheduledBackupData {
  clusterId: string
  description: string
  maxBackupCount: number
  [extra: string]: unknown
}

export interface Job {
  id: string
  organizationId: string
  projectId: string
  description: string
  schedule: string
  status: JobStatus
  type: JobType
  data: ScheduledBackupData
  [extra: string]: unknown
}

export interface HistoryItem {
  id: string
  organizationId: string
  projectId: string
  jobId: string
  status: HistoryStatus
  details: string
  linkedResource: string
  /** RFC 3339 */
  startTime: string
  /** RFC 3339; absent while running. */
  endTime?: string
  [extra: string]: unknown
}

/** RFC 7807 problem details as the API sends them with a non-2xx status (`fields`: the invalid inputs of a 400). */
export interface ProblemDetails {
  type?: string
  title?: string
  status?: number
  detail?: string
  instance?: string
  fields?: Record<string, string>
  [extra: string]: unknown
}

// ---- requests (optional fields are omitted, never null; key order as esc serializes) ----

export interface CreateBackupRequest {
  description: string
  sourceClusterId: string
}

export interface CreateClusterRequest {
  aclId?: string
  description: string
  diskSizeGb: number
  diskType: string
  diskIops?: number
  diskThroughput?: number
  instanceType: string
  networkId: string
  projectionLevel: ProjectionLevel
  provider?: string
  region?: string
  serverVersion: string
  sourceBackupId?: string
  sourceNodeIndex?: number
  topology: Topology
  protected?: boolean
  publicAccess?: boolean
  sourceBackupProjectId?: string
}

export interface CreateJobRequest {
  type: 'ScheduledBackup'
  data: {clusterId: string; description: string; maxBackupCount: number}
  description: string
  schedule: string
}

// ---- response wrappers ----

export interface CreatedResponse {
  id: string
  [extra: string]: unknown
}
export type CreateBackupResponse = CreatedResponse
export type CreateClusterResponse = CreatedResponse
export type CreateJobResponse = CreatedResponse

export interface ListBackupsResponse { backups: Backup[] }
export interface GetBackupResponse { backup: Backup }
export interface ListClustersResponse { clusters: Cluster[] }
export interface GetClusterResponse { cluster: Cluster }
export interface ListJobsResponse { jobs: Job[] }
export interface GetJobResponse { job: Job }
export interface ListHistoryResponse { items: HistoryItem[] }
export interface RunJobResponse {
  historyId?: string
  [extra: string]: unknown
}
