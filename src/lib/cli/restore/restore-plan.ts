import type {Backup, Cluster, CreateClusterRequest} from '../../contract/models.js'
import {UsageError} from '../../core/errors.js'
import {clusterRequest} from './cluster-request.js'

/** What `backups restore` was given; anything left out is taken from the backup or its source cluster. */
export interface RestoreInputs {
  description?: string
  networkId?: string
  topology?: string
  instanceType?: string
  diskSizeGb?: number
  diskType?: string
  diskIops?: number
  diskThroughput?: number
  serverVersion?: string
  projectionLevel?: string
  aclId?: string
  publicAccess?: boolean
  protected?: boolean
}

export interface RestorePlanInput {
  backup: Backup
  /** The backup's source cluster, when it still exists. */
  sourceCluster?: Cluster
  inputs: RestoreInputs
  /** Project the new cluster goes to, and the project that holds the backup. */
  targetProjectId: string
  sourceProjectId: string
}

export interface RestorePlan {
  request: CreateClusterRequest
  /** Which fields were filled in and from where, e.g. `instanceType: F1 (source cluster)`. */
  defaults: string[]
}

/** Refuses a disk smaller than the backup (the API would refuse it later, after a round trip). */
export function checkRestoreDiskSize(diskSizeGb: number, backup: Pick<Backup, 'id' | 'sizeGb'>): void {
  if (typeof backup.sizeGb === 'number' && diskSizeGb < backup.sizeGb) {
    throw new UsageError(
      `--disk-size-in-gb ${diskSizeGb} is smaller than backup ${backup.id} (${backup.sizeGb} GB): use --disk-size-in-gb ${backup.sizeGb} or more`,
    )
  }
}

const FLAG_OF: Record<string, string> = {
  networkId: '--network-id',
  topology: '--topology',
  instanceType: '--instance-type',
  diskType: '--disk-type',
  projectionLevel: '--projection-level',
  serverVersion: '--server-version',
}

/**
 * Builds the cluster create request of a restore: flags first, then the source cluster (network,
 * topology, instance type, disk, server version, projection level), then the backup (size, server
 * version). Throws a UsageError listing the flags still needed when the source cluster is gone, and
 * when a cross-project restore has no --network-id (the source network belongs to the other project).
 */
export function planRestore({backup, sourceCluster: c, inputs: f, targetProjectId, sourceProjectId}: RestorePlanInput): RestorePlan {
  const defaults: string[] = []
  const crossProject = targetProjectId !== sourceProjectId
  function pick<T>(name: string, given: T | undefined, ...sources: Array<[T | undefined, string]>): T | undefined {
    if (given !== undefined) return given
    for (const [value, from] of sources) {
      if (value !== undefined && value !== null && value !== '') {
        defaults.push(`${name}: ${String(value)} (${from})`)
        return value
      }
    }
    return undefined
  }

  if (crossProject && f.networkId === undefined) {
    throw new UsageError(
      `--network-id is required to restore into project ${targetProjectId}: the backup's cluster network belongs to project ${sourceProjectId}`,
    )
  }
  const fromCluster = 'source cluster'
  const description = pick('description', f.description, [`Restore of ${backup.description}`, 'backup description'])
  const networkId = pick('networkId', f.networkId, [c?.networkId, fromCluster])
  const topology = pick('topology', f.topology, [c?.topology, fromCluster])
  const instanceType = pick('instanceType', f.instanceType, [c?.instanceType, fromCluster])
  const diskType = pick('diskType', f.diskType, [c?.diskType, fromCluster])
  const sameDisk = c !== undefined && diskType === c.diskType
  const diskIops = pick('diskIops', f.diskIops, [sameDisk ? c?.diskIops : undefined, fromCluster])
  const diskThroughput = pick('diskThroughput', f.diskThroughput, [sameDisk ? c?.diskThroughput : undefined, fromCluster])
  const largest = Math.max(c?.diskSizeGb ?? 0, backup.sizeGb ?? 0) || undefined
  const diskSizeGb = pick('diskSizeGb', f.diskSizeGb, [largest, c ? fromCluster : 'backup size'])
  const serverVersion = pick('serverVersion', f.serverVersion, [backup.serverVersion, 'backup'], [c?.serverVersion, fromCluster])
  const projectionLevel = pick('projectionLevel', f.projectionLevel, [c?.projectionLevel, fromCluster])

  const missing = Object.entries({networkId, topology, instanceType, diskType, projectionLevel, serverVersion})
    .filter(([, value]) => value === undefined)
    .map(([name]) => FLAG_OF[name])
  if (missing.length > 0 || diskSizeGb === undefined) {
    throw new UsageError(
      `Cannot copy the settings of backup ${backup.id}'s source cluster ${backup.sourceClusterId} ` +
        `(${c ? 'it lacks them' : 'it no longer exists'}): pass ${missing.join(', ')}`,
    )
  }
  checkRestoreDiskSize(diskSizeGb, backup)
  const request = clusterRequest({
    aclId: f.aclId,
    description,
    diskSizeGb,
    diskType,
    diskIops,
    diskThroughput,
    instanceType,
    networkId,
    projectionLevel,
    serverVersion,
    sourceBackupId: backup.id,
    topology,
    protected: f.protected,
    publicAccess: f.publicAccess,
    sourceBackupProjectId: crossProject ? sourceProjectId : undefined,
  })
  return {request, defaults}
}

/**
 * The request of a restore whose backup could not be read: only from the flags, so only when they
 * give every required setting (undefined otherwise). Nothing is checked against the backup.
 */
export function planRestoreFromInputs(
  backupId: string,
  f: RestoreInputs,
  targetProjectId: string,
  sourceProjectId: string,
): RestorePlan | undefined {
  const required = [f.description, f.networkId, f.topology, f.instanceType, f.diskSizeGb, f.diskType, f.serverVersion, f.projectionLevel]
  if (required.includes(undefined)) return undefined
  const crossProject = targetProjectId !== sourceProjectId
  const request = clusterRequest({
    ...f,
    sourceBackupId: backupId,
    sourceBackupProjectId: crossProject ? sourceProjectId : undefined,
  })
  return {request, defaults: []}
}
