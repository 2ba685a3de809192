import type Database from 'better-sqlite3'

import {redactUrlCredentials} from '../../core/url-credentials.js'

import type {Cluster, ClusterSpec} from '../models.js'

export interface ClusterRow {
  id: string
  organization_id: string
  project_id: string
  status: string
  details: string | null
  created: string
  kind: 'managed' | 'attached'
  /** An attached node's data directory; for a managed cluster a record only: read it with StateLayout.clusterData. */
  db_dir: string
  index_dir: string | null
  node_url: string | null
  /** JSON of NodeAccess: how backups reach the attached node's HTTP API besides its URL. */
  node_access: string | null
  spec: string
  backup_seq: number
  deleted: number
}

export type NewCluster = Pick<ClusterRow, 'id' | 'organization_id' | 'project_id' | 'status' | 'created' | 'kind' | 'db_dir'> & {
  index_dir?: string | null
  node_url?: string | null
  node_access?: NodeAccess | null
  spec: ClusterSpec
}

/** Credentials and TLS settings of an attached node's HTTP API, for the engine's node guard. */
export interface NodeAccess {
  username?: string
  password?: string
  /** Path of a PEM file of the CA that signed the node's certificate (read at each backup). */
  caFile?: string
  insecure?: boolean
}

export const DEFAULT_PROVIDER = 'aws'
export const DEFAULT_REGION = 'local'

export class ClusterRepo {
  constructor(private readonly db: Database.Database) {}

  insert(cluster: NewCluster): void {
    this.db
      .prepare(
        `INSERT INTO clusters(id, organization_id, project_id, status, created, kind, db_dir, index_dir, node_url, node_access, spec)
      VALUES (@id, @organization_id, @project_id, @status, @created, @kind, @db_dir, @index_dir, @node_url, @node_access, @spec)`,
      )
      .run({
        ...cluster,
        index_dir: cluster.index_dir ?? null,
        node_url: cluster.node_url ?? null,
        node_access: cluster.node_access ? JSON.stringify(cluster.node_access) : null,
        spec: JSON.stringify(cluster.spec),
      })
  }

  get(id: string): ClusterRow | undefined {
    return this.db.prepare('SELECT * FROM clusters WHERE id = ?').get(id) as ClusterRow | undefined
  }

  /** A live (not deleted) cluster of the given project. */
  find(organizationId: string, projectId: string, id: string): ClusterRow | undefined {
    return this.db
      .prepare('SELECT * FROM clusters WHERE id = ? AND organization_id = ? AND project_id = ?')
      .get(id, organizationId, projectId) as ClusterRow | undefined
  }

  list(organizationId: string, projectId: string): ClusterRow[] {
    return this.db
      .prepare('SELECT * FROM clusters WHERE organization_id = ? AND project_id = ? AND deleted = 0 ORDER BY created, id')
      .all(organizationId, projectId) as ClusterRow[]
  }

  setStatus(id: string, status: string, details: string | null = null): void {
    this.db
      .prepare('UPDATE clusters SET status = ?, details = ? WHERE id = ?')
      .run(status, details === null ? null : redactUrlCredentials(details), id)
  }

  setSpec(id: string, spec: ClusterSpec): void {
    this.db.prepare('UPDATE clusters SET spec = ? WHERE id = ?').run(JSON.stringify(spec), id)
  }

  markDeleted(id: string): void {
    this.db.prepare("UPDATE clusters SET status = 'deleted', deleted = 1 WHERE id = ?").run(id)
  }

  /** The next `{index}` for a backup label of this cluster (1, 2, …), manual or scheduled: deleting backups never lowers it. */
  nextBackupIndex(id: string): number {
    const row = this.db.prepare('UPDATE clusters SET backup_seq = backup_seq + 1 WHERE id = ? RETURNING backup_seq').get(id) as {
      backup_seq: number
    }
    return row.backup_seq
  }

  /** Every attached node's data and index directories (deleted ones too): never to be removed. */
  attachedDirectories(): string[] {
    const rows = this.db.prepare("SELECT db_dir, index_dir FROM clusters WHERE kind = 'attached'").all() as {
      db_dir: string
      index_dir: string | null
    }[]
    return rows.flatMap((r) => (r.index_dir ? [r.db_dir, r.index_dir] : [r.db_dir]))
  }

  /** Live attached clusters (for the "already attached" rule). */
  attached(): ClusterRow[] {
    return this.db.prepare("SELECT * FROM clusters WHERE kind = 'attached' AND deleted = 0").all() as ClusterRow[]
  }

  /** Ids of the project's live clusters whose spec names `id` as their network or ACL. */
  using(field: 'networkId' | 'aclId', projectId: string, id: string): string[] {
    const rows = this.db
      .prepare(`SELECT id FROM clusters WHERE project_id = ? AND deleted = 0 AND json_extract(spec, '$.${field}') = ? ORDER BY created, id`)
      .all(projectId, id) as {id: string}[]
    return rows.map((r) => r.id)
  }

  /** Live clusters in any of `statuses`. */
  inStatus(statuses: readonly string[]): ClusterRow[] {
    if (statuses.length === 0) return []
    return this.db
      .prepare(`SELECT * FROM clusters WHERE deleted = 0 AND status IN (${statuses.map(() => '?').join(', ')})`)
      .all(...statuses) as ClusterRow[]
  }

  withStatus(status: string): ClusterRow[] {
    return this.db.prepare('SELECT * FROM clusters WHERE status = ?').all(status) as ClusterRow[]
  }
}

/** The node guard settings of an attached cluster's backups; undefined without a node URL. */
export function nodeGuardOf(row: Pick<ClusterRow, 'node_url' | 'node_access'>): ({url: string} & NodeAccess) | undefined {
  if (!row.node_url) return undefined
  return {url: row.node_url, ...(row.node_access ? (JSON.parse(row.node_access) as NodeAccess) : {})}
}

export function clusterSpec(row: Pick<ClusterRow, 'spec'>): ClusterSpec {
  return JSON.parse(row.spec) as ClusterSpec
}

export function toCluster(row: ClusterRow): Cluster {
  const spec = clusterSpec(row)
  const cluster: Cluster = {
    canExpandDisk: false,
    cloudIntegratedAuthentication: false,
    created: row.created,
    description: spec.description,
    diskSizeGb: spec.diskSizeGb,
    diskType: spec.diskType,
    id: row.id,
    instanceType: spec.instanceType,
    health: row.status === 'available' ? 'ok' : row.status === 'defunct' ? 'down' : 'issues-detected',
    networkId: spec.networkId,
    organizationId: row.organization_id,
    patchAvailable: false,
    projectId: row.project_id,
    projectionLevel: spec.projectionLevel,
    protected: spec.protected ?? false,
    provider: spec.provider ?? DEFAULT_PROVIDER,
    publicAccess: spec.publicAccess ?? false,
    region: spec.region ?? DEFAULT_REGION,
    serverVersion: spec.serverVersion,
    serverVersionTag: spec.serverVersion,
    status: row.status,
    topology: spec.topology,
  }
  if (spec.aclId !== undefined) cluster.aclId = spec.aclId
  if (spec.diskIops !== undefined) cluster.diskIops = spec.diskIops
  if (spec.diskThroughput !== undefined) cluster.diskThroughput = spec.diskThroughput
  if (row.details) cluster.details = row.details
  return cluster
}
