/**
 * Wire shapes the local cloud serves: the client's own types (src/lib/api/models.ts, type-only
 * import) with the fields esc's schema requires made required, plus the local `details` extension.
 */
import type * as api from '../contract/models.js'

/** The statuses the local cloud gives backups (a closed subset of the API's). */
export type BackupStatus = 'creating' | 'available' | 'defunct'

export type Backup = api.Backup & {
  availableNodeCount: number
  serverVersion: string
  serverVersionTag: string
  status: BackupStatus
  /** Local cloud extension: why a backup is defunct. */
  details?: string
  /** Local cloud extension: the backup's real size once available (sizeGb is whole GiB, rounded up). */
  sizeBytes?: number
}

export type Cluster = api.Cluster & {
  canExpandDisk: boolean
  cloudIntegratedAuthentication: boolean
  health: api.Health
  patchAvailable: boolean
  protected: boolean
  publicAccess: boolean
  serverVersionTag: string
  /** Local cloud extension: why a cluster is defunct (e.g. a failed restore). */
  details?: string
}

/** What `clusters create` sent; kept as the cluster's spec. */
export type ClusterSpec = api.CreateClusterRequest
export type Job = api.Job
export type CreateJobRequest = api.CreateJobRequest
export type HistoryItem = api.HistoryItem
export type ProblemDetails = Required<Pick<api.ProblemDetails, 'type' | 'title' | 'status' | 'instance'>> & api.ProblemDetails

/** History item statuses the local cloud writes (the cloud does not enumerate them). */
export const HistoryStatus = {Running: 'running', Succeeded: 'succeeded', Failed: 'failed'} as const
