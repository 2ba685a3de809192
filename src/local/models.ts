/**
 * Wire shapes the local cloud serves (reference esc-compat.md §2.2–2.3). Kept next to the server
 * so src/lib never depends on src/local; field names and meanings match src/lib/api/models.ts.
 */
export type BackupStatus = 'creating' | 'available' | 'deleted' | 'deleting' | 'defunct'

export interface Backup {
  availableNodeCount: number
  created: string
  description: string
  linkedResource?: string
  id: string
  projectId: string
  provider: string
  region: string
  serverVersion: string
  serverVersionTag: string
  sizeGb: number
  sourceClusterId: string
  sourceClusterDescription: string
  status: BackupStatus
  /** Local cloud extension: why a backup is defunct. */
  details?: string
}

export interface ClusterSpec {
  aclId?: string
  description: string
  diskSizeGb: number
  diskType: string
  diskIops?: number
  diskThroughput?: number
  instanceType: string
  networkId: string
  projectionLevel: string
  provider?: string
  region?: string
  serverVersion: string
  sourceBackupId?: string
  sourceNodeIndex?: number
  topology: string
  protected?: boolean
  publicAccess?: boolean
  sourceBackupProjectId?: string
}

export interface Cluster {
  aclId?: string
  canExpandDisk: boolean
  cloudIntegratedAuthentication: boolean
  created: string
  description: string
  diskSizeGb: number
  diskType: string
  diskIops?: number
  diskThroughput?: number
  id: string
  instanceType: string
  health: string
  networkId: string
  organizationId: string
  patchAvailable: boolean
  projectId: string
  projectionLevel: string
  protected: boolean
  provider: string
  publicAccess: boolean
  region: string
  serverVersion: string
  serverVersionTag: string
  status: string
  topology: string
  /** Local cloud extension: why a cluster is defunct (e.g. a failed restore). */
  details?: string
}

export interface ScheduledBackupData {
  clusterId: string
  description: string
  maxBackupCount: number
}

export interface Job {
  id: string
  organizationId: string
  projectId: string
  description: string
  schedule: string
  status: string
  type: 'ScheduledBackup'
  data: ScheduledBackupData
}

export interface CreateJobRequest {
  type: 'ScheduledBackup'
  data: ScheduledBackupData
  description: string
  schedule: string
}

export interface HistoryItem {
  id: string
  details: string
  endTime?: string
  jobId: string
  linkedResource: string
  organizationId: string
  projectId: string
  startTime: string
  status: string
}

export interface ProblemDetails {
  type: string
  title: string
  status: number
  detail?: string
  instance: string
  fields?: Record<string, string>
}

/** History item statuses the local cloud writes (the cloud does not enumerate them). */
export const HistoryStatus = {Running: 'running', Succeeded: 'succeeded', Failed: 'failed'} as const
