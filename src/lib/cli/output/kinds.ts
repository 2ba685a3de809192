/**
 * Everything the printer needs to know about one kind of resource. A command picks a kind and the
 * printer does the rest, in every format; adding a command never adds formatting code.
 */
import type {Backup, Cluster, HistoryItem, Job} from '../../contract/models.js'
import {debugNewtype as nt, debugNum, debugOption, debugStr as str, debugStruct, debugVec, pascalVariant, rfc3339Utc} from './rust-debug.js'
import {backupV1, clusterAddresses, clusterV1, historyItemV1, jobV1, providerV1} from './v1.js'

/** Human renderings used by table cells, provided by the table module (lazy: date-fns). */
export interface CellFormat {
  date(rfc3339: string | undefined): string
  /** Whole GB, or the exact size in human units when `bytes` is known. */
  size(gb: number | undefined, bytes?: number): string
  duration(start: string | undefined, end: string | undefined): string
  /** Only the distance from now, e.g. `3 hours ago`. */
  relative(rfc3339: string | undefined): string
  /** The printer's clock. */
  now(): Date
}

export interface Column<T> {
  header: string
  cell(item: T, f: CellFormat): string
}

export interface ResourceKind<T> {
  /** Singular and plural nouns, for messages like "No backups found." */
  noun: string
  plural: string
  id(item: T): string
  /** `--json`: the v1 projection (may throw EscError, e.g. unknown provider). */
  v1(item: T): unknown
  /** `cli`: the Rust Debug line. */
  debug(item: T): string
  /** `table` for lists. */
  columns: Array<Column<T>>
  /** `table` for one item: label/value rows. */
  fields: Array<Column<T>>
}

/** The id returned by a create call: `BackupId("…")` / `"…"`. */
export interface IdKind {
  noun: string
  debugName: string
  /** The official CLI prints the answer `{"id": …}` whole, in `cli` too (the ACLs). */
  wrapped?: boolean
}

export const backupIdKind: IdKind = {noun: 'backup', debugName: 'BackupId'}
export const clusterIdKind: IdKind = {noun: 'cluster', debugName: 'ClusterId'}
export const jobIdKind: IdKind = {noun: 'job', debugName: 'JobId'}

const text = (s: unknown): string => (s === undefined || s === null ? '' : String(s))

/** Why a backup failed, when the API says (the local cloud's `details` extension): shown with its status in tables. */
function backupStatus(b: Backup): string {
  const details = (b as {details?: unknown}).details
  return typeof details === 'string' && details.trim() ? `${text(b.status)}: ${details.trim()}` : text(b.status)
}

/** The exact size when the API gives it (the local cloud's `sizeBytes` extension). */
function backupBytes(b: Backup): number | undefined {
  const bytes = (b as {sizeBytes?: unknown}).sizeBytes
  return typeof bytes === 'number' && Number.isFinite(bytes) && bytes >= 0 ? bytes : undefined
}

export const backupKind: ResourceKind<Backup> = {
  noun: 'backup',
  plural: 'backups',
  id: (b) => b.id,
  v1: backupV1,
  debug: (b) => {
    const v = backupV1(b)
    return debugStruct('Backup', [
      ['id', nt('BackupId', v.id)],
      ['project_id', nt('ProjectId', v.projectId)],
      ['source_cluster_id', nt('ClusterId', v.sourceClusterId)],
      ['source_cluster_description', str(v.sourceClusterDescription)],
      ['description', str(v.description)],
      ['size_gb', debugNum(v.sizeGb)],
      ['provider', providerV1(b.provider).debug],
      ['region', str(v.region)],
      ['status', str(v.status)],
      ['created', str(v.created)],
      ['linked_resource', debugOption(v.linkedResource, str)],
    ])
  },
  columns: [
    {header: 'ID', cell: (b) => b.id},
    {header: 'Description', cell: (b) => b.description},
    {header: 'Cluster', cell: (b) => `${b.sourceClusterDescription} (${b.sourceClusterId})`},
    {header: 'Status', cell: backupStatus},
    {header: 'Size', cell: (b, f) => f.size(b.sizeGb, backupBytes(b))},
    {header: 'Region', cell: (b) => `${b.provider}/${b.region}`},
    {header: 'Created', cell: (b, f) => f.date(b.created)},
  ],
  fields: [
    {header: 'ID', cell: (b) => b.id},
    {header: 'Description', cell: (b) => b.description},
    {header: 'Status', cell: backupStatus},
    {header: 'Project', cell: (b) => b.projectId},
    {header: 'Source cluster', cell: (b) => `${b.sourceClusterDescription} (${b.sourceClusterId})`},
    {header: 'Size', cell: (b, f) => f.size(b.sizeGb, backupBytes(b))},
    {header: 'Provider', cell: (b) => text(b.provider)},
    {header: 'Region', cell: (b) => b.region},
    {header: 'Server version', cell: (b) => text(b.serverVersionTag ?? b.serverVersion)},
    {header: 'Created', cell: (b, f) => f.date(b.created)},
    {header: 'Linked resource', cell: (b) => text(b.linkedResource)},
  ],
}

export const clusterKind: ResourceKind<Cluster> = {
  noun: 'cluster',
  plural: 'clusters',
  id: (c) => c.id,
  v1: clusterV1,
  debug: (c) => {
    const a = clusterAddresses(c)
    const cluster = debugStruct('Cluster', [
      ['id', nt('ClusterId', c.id)],
      ['org_id', nt('OrgId', c.organizationId)],
      ['project_id', nt('ProjectId', c.projectId)],
      ['network_id', nt('NetworkId', c.networkId)],
      ['description', str(c.description)],
      ['provider', providerV1(c.provider).debug],
      ['region', str(c.region)],
      ['topology', pascalVariant(c.topology)],
      ['instance_type', str(c.instanceType)],
      ['disk_size_gb', debugNum(c.diskSizeGb)],
      ['disk_type', str(c.diskType)],
      ['server_version', str(c.serverVersion)],
      ['projection_level', pascalVariant(c.projectionLevel)],
      ['status', str(c.status)],
      ['created', rfc3339Utc(c.created)],
      ['disk_iops', debugOption(c.diskIops, debugNum)],
      ['disk_throughput', debugOption(c.diskThroughput, debugNum)],
    ])
    const addresses = debugStruct('ClusterAddresses', [
      ['tcp', debugVec(a.tcp.map(str))],
      ['grpc', str(a.grpc)],
      ['ui', str(a.ui)],
    ])
    return debugStruct('EnrichedCluster', [
      ['cluster', cluster],
      ['addresses', addresses],
    ])
  },
  columns: [
    {header: 'ID', cell: (c) => c.id},
    {header: 'Description', cell: (c) => c.description},
    {header: 'Status', cell: (c) => text(c.status)},
    {header: 'Topology', cell: (c) => text(c.topology)},
    {header: 'Instance', cell: (c) => c.instanceType},
    {header: 'Disk', cell: (c, f) => `${f.size(c.diskSizeGb)} ${c.diskType}`},
    {header: 'Version', cell: (c) => c.serverVersion},
    {header: 'Region', cell: (c) => `${c.provider}/${c.region}`},
    {header: 'Created', cell: (c, f) => f.date(c.created)},
  ],
  fields: [
    {header: 'ID', cell: (c) => c.id},
    {header: 'Description', cell: (c) => c.description},
    {header: 'Status', cell: (c) => text(c.status)},
    {header: 'Health', cell: (c) => text(c.health)},
    {header: 'Project', cell: (c) => c.projectId},
    {header: 'Network', cell: (c) => c.networkId},
    {header: 'Provider', cell: (c) => text(c.provider)},
    {header: 'Region', cell: (c) => c.region},
    {header: 'Topology', cell: (c) => text(c.topology)},
    {header: 'Instance type', cell: (c) => c.instanceType},
    {header: 'Disk', cell: (c, f) => `${f.size(c.diskSizeGb)} ${c.diskType}`},
    {header: 'Server version', cell: (c) => text(c.serverVersionTag ?? c.serverVersion)},
    {header: 'Projections', cell: (c) => text(c.projectionLevel)},
    {header: 'Protected', cell: (c) => text(c.protected)},
    {header: 'Public access', cell: (c) => text(c.publicAccess)},
    {header: 'gRPC', cell: (c) => clusterAddresses(c).grpc},
    {header: 'UI', cell: (c) => clusterAddresses(c).ui},
    {header: 'Created', cell: (c, f) => f.date(c.created)},
  ],
}

export const jobKind: ResourceKind<Job> = {
  noun: 'job',
  plural: 'jobs',
  id: (j) => j.id,
  v1: jobV1,
  debug: (j) =>
    debugStruct('Job', [
      ['id', nt('JobId', j.id)],
      ['org_id', nt('OrgId', j.organizationId)],
      ['project_id', nt('ProjectId', j.projectId)],
      ['description', str(j.description)],
      ['schedule', str(j.schedule)],
      ['status', str(j.status)],
      ['data', jobDataDebug(j)],
    ]),
  columns: [
    {header: 'ID', cell: (j) => j.id},
    {header: 'Description', cell: (j) => j.description},
    {header: 'Schedule', cell: (j) => j.schedule},
    {header: 'Status', cell: (j) => text(j.status)},
    {header: 'Cluster', cell: (j) => text(j.data?.clusterId)},
    {header: 'Keep', cell: (j) => text(j.data?.maxBackupCount)},
    {header: 'Backup description', cell: (j) => text(j.data?.description)},
  ],
  fields: [
    {header: 'ID', cell: (j) => j.id},
    {header: 'Description', cell: (j) => j.description},
    {header: 'Type', cell: (j) => text(j.type)},
    {header: 'Schedule', cell: (j) => j.schedule},
    {header: 'Status', cell: (j) => text(j.status)},
    {header: 'Cluster', cell: (j) => text(j.data?.clusterId)},
    {header: 'Backups kept', cell: (j) => text(j.data?.maxBackupCount)},
    {header: 'Backup description', cell: (j) => text(j.data?.description)},
    {header: 'Project', cell: (j) => j.projectId},
  ],
}

function jobDataDebug(j: Job): string {
  if (j.type !== 'ScheduledBackup') return `${pascalVariant(j.type)}(${str(JSON.stringify(j.data))})`
  return `ScheduledBackup(${debugStruct('JobDataScheduledBackup', [
    ['description', str(j.data.description)],
    ['max_backup_count', debugNum(j.data.maxBackupCount)],
    ['cluster_id', nt('ClusterId', j.data.clusterId)],
  ])})`
}

const historyColumns: Array<Column<HistoryItem>> = [
  {header: 'Job', cell: (h) => h.jobId},
  {header: 'Status', cell: (h) => text(h.status)},
  {header: 'Started', cell: (h, f) => f.date(h.startTime)},
  {header: 'Ended', cell: (h, f) => f.date(h.endTime)},
  {header: 'Duration', cell: (h, f) => f.duration(h.startTime, h.endTime)},
  {header: 'Details', cell: (h) => h.details},
  {header: 'Linked resource', cell: (h) => h.linkedResource},
]

export const historyItemKind: ResourceKind<HistoryItem> = {
  noun: 'history item',
  plural: 'history items',
  id: (h) => h.id,
  v1: historyItemV1,
  debug: (h) =>
    debugStruct('HistoryItem', [
      ['org_id', nt('OrgId', h.organizationId)],
      ['project_id', nt('ProjectId', h.projectId)],
      ['job_id', nt('JobId', h.jobId)],
      ['status', str(h.status)],
      ['details', str(h.details)],
      ['linked_resource', str(h.linkedResource)],
      ['start_time', rfc3339Utc(h.startTime)],
      ['end_time', debugOption(h.endTime, rfc3339Utc)],
    ]),
  columns: historyColumns,
  // One item: the columns of the table, after the item's own id.
  fields: [{header: 'ID', cell: (h) => h.id}, ...historyColumns],
}
