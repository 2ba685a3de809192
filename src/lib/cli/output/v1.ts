/**
 * esc's client-side "v1" projections: what `--json` prints and what the Debug
 * (`cli`) rendering shows. Field order matters: it is the JSON key order.
 */
import {EscError} from '../../core/errors.js'
import type {Backup, Cluster, HistoryItem, Job} from '../../contract/models.js'
import {rfc3339Offset, rfc3339Utc} from './rust-debug.js'

const PROVIDERS: Record<string, string> = {aws: 'Aws', gcp: 'Gcp', azure: 'Azure'}

/** esc maps the provider string to a closed enum; anything else is an error (exit 1) in cli/cli-json. */
export function providerV1(provider: string): {json: string; debug: string} {
  const key = provider.toLowerCase()
  const variant = PROVIDERS[key]
  if (!variant) throw new EscError(`unknown provider type: ${provider}`)
  return {json: key, debug: variant}
}

export interface BackupV1 {
  id: string
  projectId: string
  sourceClusterId: string
  sourceClusterDescription: string
  description: string
  sizeGb: number
  provider: string
  region: string
  status: string
  created: string
  linkedResource: string | null
}

export function backupV1(b: Backup): BackupV1 {
  return {
    id: b.id,
    projectId: b.projectId,
    sourceClusterId: b.sourceClusterId,
    sourceClusterDescription: b.sourceClusterDescription,
    description: b.description,
    sizeGb: b.sizeGb,
    provider: providerV1(b.provider).json,
    region: b.region,
    status: b.status,
    created: rfc3339Offset(b.created),
    linkedResource: b.linkedResource ?? null,
  }
}

export interface ClusterAddresses {
  tcp: string[]
  grpc: string
  ui: string
}

/**
 * esc synthesizes addresses client-side from the id and topology. Its projection knows two shapes:
 * `three-node-multi-zone` (three tcp hosts, a discover URL) and single-node for every other
 * topology the API may report (`three-node`, `five-node`, or one added later), so we print the same.
 */
export function clusterAddresses(c: Cluster): ClusterAddresses {
  const host = `${c.id}.mesdb.eventstore.cloud`
  if (c.topology !== 'three-node-multi-zone') return {tcp: [`${host}:1113`], grpc: `esdb://${host}:2113`, ui: `https://${host}:2113`}
  const tcp = [0, 1, 2].map((i) => `${c.id}-${i}.mesdb.eventstore.cloud:1113`)
  return {tcp, grpc: `esdb+discover://${host}:2113`, ui: `https://${host}:2113`}
}

export function clusterV1(c: Cluster): Record<string, unknown> {
  const out: Record<string, unknown> = {
    id: c.id,
    organizationId: c.organizationId,
    projectId: c.projectId,
    networkId: c.networkId,
    description: c.description,
    provider: providerV1(c.provider).json,
    region: c.region,
    topology: c.topology,
    instanceType: c.instanceType,
    diskSizeGb: c.diskSizeGb,
    diskType: c.diskType,
    serverVersion: c.serverVersion,
    projectionLevel: c.projectionLevel,
    status: c.status,
    created: rfc3339Utc(c.created),
  }
  if (c.diskIops !== undefined && c.diskIops !== null) out.diskIops = c.diskIops
  if (c.diskThroughput !== undefined && c.diskThroughput !== null) out.diskThroughput = c.diskThroughput
  out.addresses = clusterAddresses(c)
  return out
}

export function jobV1(j: Job): Record<string, unknown> {
  return {
    id: j.id,
    organizationId: j.organizationId,
    projectId: j.projectId,
    description: j.description,
    schedule: j.schedule,
    status: j.status,
    type: j.type,
    data:
      j.type === 'ScheduledBackup'
        ? {description: j.data.description, maxBackupCount: j.data.maxBackupCount, clusterId: j.data.clusterId}
        : j.data,
  }
}

export function historyItemV1(h: HistoryItem): Record<string, unknown> {
  return {
    organizationId: h.organizationId,
    projectId: h.projectId,
    jobId: h.jobId,
    status: h.status,
    details: h.details,
    linkedResource: h.linkedResource,
    startTime: rfc3339Utc(h.startTime),
    endTime: h.endTime ? rfc3339Utc(h.endTime) : null,
  }
}
