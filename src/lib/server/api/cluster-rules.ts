import type {LocalCloudContext} from '../context.js'
import type {ClusterSpec} from '../models.js'
import type {BackupRow} from '../store/backups.js'
import {clusterSpec, DEFAULT_PROVIDER, DEFAULT_REGION} from '../store/clusters.js'
import {ApiProblem} from './problems.js'

type Place = {organizationId: string; projectId: string}

const invalid = (field: string, message: string) => new ApiProblem(400, `invalid body: ${field}`, {[field]: message})

/**
 * The rules of `clusters create`, as the cloud applies them, before anything is stored: the network
 * and the ACL must be the project's own; a restore (a create with `sourceBackupId`) reads an
 * available backup the caller can see, keeps the backup's provider and region and needs at least
 * the source cluster's disk. The topology may differ. Fills the spec's provider and region from the
 * network. Returns the backup to restore, if any.
 */
export function checkClusterCreate(ctx: LocalCloudContext, place: Place, spec: ClusterSpec): BackupRow | undefined {
  const source = spec.sourceBackupId === undefined ? undefined : findSourceBackup(ctx, place, spec)
  let from: {provider: string; region: string} | undefined
  if (source) {
    const sourceSpec = clusterSpec({spec: source.cluster_spec})
    if (spec.diskSizeGb < sourceSpec.diskSizeGb) {
      throw invalid('diskSizeGb', `must be at least the source cluster's ${sourceSpec.diskSizeGb} GB`)
    }
    from = {provider: sourceSpec.provider ?? DEFAULT_PROVIDER, region: sourceSpec.region ?? DEFAULT_REGION}
    for (const key of ['provider', 'region'] as const) {
      if (spec[key] !== undefined && spec[key] !== from[key]) {
        throw invalid(key, `a backup cannot be restored to another ${key} (the backup's is ${from[key]})`)
      }
    }
  }
  const network = ctx.store.networks.find(place.organizationId, place.projectId, spec.networkId)
  if (!network || network.status === 'deleting' || network.status === 'deleted') {
    throw invalid('networkId', `network ${spec.networkId} does not exist in project ${place.projectId}`)
  }
  if (network.status !== 'available') {
    throw invalid('networkId', `network ${network.id} is ${network.status}; wait until it is available`)
  }
  for (const key of ['provider', 'region'] as const) {
    const wanted = spec[key] ?? from?.[key]
    if (wanted !== undefined && wanted !== network[key]) {
      throw invalid(
        key,
        from
          ? `a backup cannot be restored to another ${key} (the backup's is ${wanted}; network ${network.id} is in ${network[key]})`
          : `network ${network.id} is in ${network[key]}; a cluster is in its network's ${key}`,
      )
    }
  }
  spec.provider = network.provider as ClusterSpec['provider']
  spec.region = network.region
  if (spec.aclId !== undefined) checkAcl(ctx, place, spec.aclId)
  return source
}

/** The ACL a cluster is created or updated with: an active ACL of the cluster's project. */
export function checkAcl(ctx: LocalCloudContext, place: Place, aclId: string): void {
  const acl = ctx.store.acls.find(place.organizationId, place.projectId, aclId)
  if (!acl || acl.status !== 'active') throw invalid('aclId', `ACL ${aclId} does not exist in project ${place.projectId}`)
}

/**
 * The backup a restore reads: in the target project, or in `sourceBackupProjectId`, a project of
 * the same organization (the caller can read only its own organizations', see app.ts).
 */
function findSourceBackup(ctx: LocalCloudContext, {organizationId, projectId}: Place, spec: ClusterSpec): BackupRow {
  const backupProject = spec.sourceBackupProjectId ?? projectId
  const backup = ctx.store.backups.find(organizationId, backupProject, spec.sourceBackupId!)
  if (!backup) {
    const hint = spec.sourceBackupProjectId ? '' : ' (a backup of another project needs sourceBackupProjectId)'
    throw new ApiProblem(404, `backup ${spec.sourceBackupId} not found in project ${backupProject}${hint}`)
  }
  if (backup.status !== 'available') {
    throw new ApiProblem(409, `backup ${backup.id} is ${backup.status}; only an available backup can be restored`)
  }
  return backup
}
