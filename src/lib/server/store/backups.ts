import type Database from 'better-sqlite3'

import {redactUrlCredentials} from '../../core/url-credentials.js'

import type {Backup, BackupStatus, ClusterSpec} from '../models.js'
import {DEFAULT_PROVIDER, DEFAULT_REGION} from './clusters.js'

export interface BackupRow {
  id: string
  organization_id: string
  project_id: string
  cluster_id: string
  cluster_description: string
  description: string
  status: BackupStatus
  details: string | null
  size_bytes: number
  created: string
  completed: string | null
  job_id: string | null
  /** Where the backup was written, for the record: read paths from StateLayout.backupDir (the state directory may move). */
  dir: string
  cluster_spec: string
}

export type NewBackup = Omit<BackupRow, 'status' | 'details' | 'size_bytes' | 'completed' | 'cluster_spec'> & {cluster_spec: ClusterSpec}

export class BackupRepo {
  /** Bumped by every change to a backup row: list responses are cached per version. */
  private changes = 0
  private readonly listCache = new Map<string, {version: number; json: string}>()

  constructor(private readonly db: Database.Database) {}

  /**
   * The `{"backups":[…]}` body of a project, serialized once per change: listing 1,000 backups
   * costs a row scan and a large JSON.stringify, and lists are read far more often than written.
   */
  listJson(organizationId: string, projectId: string): string {
    const key = `${organizationId}/${projectId}`
    const cached = this.listCache.get(key)
    if (cached && cached.version === this.changes) return cached.json
    const json = JSON.stringify({backups: this.list(organizationId, projectId).map(toBackup)})
    if (this.listCache.size > 100) this.listCache.clear()
    this.listCache.set(key, {version: this.changes, json})
    return json
  }

  insert(backup: NewBackup): void {
    this.db
      .prepare(
        `INSERT INTO backups(id, organization_id, project_id, cluster_id, cluster_description, description,
        status, created, job_id, dir, cluster_spec)
      VALUES (@id, @organization_id, @project_id, @cluster_id, @cluster_description, @description,
        'creating', @created, @job_id, @dir, @cluster_spec)`,
      )
      .run({...backup, cluster_spec: JSON.stringify(backup.cluster_spec)})
    this.changes++
  }

  get(id: string): BackupRow | undefined {
    return this.db.prepare('SELECT * FROM backups WHERE id = ?').get(id) as BackupRow | undefined
  }

  find(organizationId: string, projectId: string, id: string): BackupRow | undefined {
    return this.db
      .prepare('SELECT * FROM backups WHERE id = ? AND organization_id = ? AND project_id = ?')
      .get(id, organizationId, projectId) as BackupRow | undefined
  }

  list(organizationId: string, projectId: string): BackupRow[] {
    return this.db
      .prepare('SELECT * FROM backups WHERE organization_id = ? AND project_id = ? ORDER BY created, id')
      .all(organizationId, projectId) as BackupRow[]
  }

  complete(id: string, sizeBytes: number, completed: string): void {
    this.db
      .prepare("UPDATE backups SET status = 'available', size_bytes = ?, completed = ?, details = NULL WHERE id = ?")
      .run(sizeBytes, completed, id)
    this.changes++
  }

  markDefunct(id: string, details: string): void {
    this.db.prepare("UPDATE backups SET status = 'defunct', details = ? WHERE id = ?").run(redactUrlCredentials(details), id)
    this.changes++
  }

  delete(id: string): void {
    this.db.prepare('DELETE FROM backups WHERE id = ?').run(id)
    this.changes++
  }

  /** The cluster's newest available backup: the base unchanged chunks are hard-linked from. */
  latestAvailable(clusterId: string): BackupRow | undefined {
    return this.db
      .prepare("SELECT * FROM backups WHERE cluster_id = ? AND status = 'available' ORDER BY completed DESC, id DESC LIMIT 1")
      .get(clusterId) as BackupRow | undefined
  }

  /** Backups a job created, oldest first (what pruning walks). */
  ofJob(jobId: string): BackupRow[] {
    return this.db.prepare('SELECT * FROM backups WHERE job_id = ? ORDER BY created, id').all(jobId) as BackupRow[]
  }

  withStatus(status: BackupStatus): BackupRow[] {
    return this.db.prepare('SELECT * FROM backups WHERE status = ?').all(status) as BackupRow[]
  }
}

const GIB = 1024 ** 3

// Backups of one cluster share the same spec text: parse each distinct text once (lists of 1,000).
const specCache = new Map<string, ClusterSpec>()
function parseSpec(text: string): ClusterSpec {
  let spec = specCache.get(text)
  if (!spec) {
    if (specCache.size > 1000) specCache.clear()
    spec = JSON.parse(text) as ClusterSpec
    specCache.set(text, spec)
  }
  return spec
}

export function toBackup(row: BackupRow): Backup {
  const spec = parseSpec(row.cluster_spec)
  const backup: Backup = {
    availableNodeCount: spec.topology === 'three-node-multi-zone' ? 3 : 1,
    created: row.created,
    description: row.description,
    id: row.id,
    projectId: row.project_id,
    provider: spec.provider ?? DEFAULT_PROVIDER,
    region: spec.region ?? DEFAULT_REGION,
    serverVersion: spec.serverVersion,
    serverVersionTag: spec.serverVersion,
    // The API's sizeGb is an integer: a non-empty backup counts as at least 1 GiB.
    sizeGb: Math.ceil(row.size_bytes / GIB),
    sourceClusterId: row.cluster_id,
    sourceClusterDescription: row.cluster_description,
    status: row.status,
  }
  if (row.job_id) backup.linkedResource = row.job_id
  if (row.details) backup.details = row.details
  if (row.status === 'available') backup.sizeBytes = row.size_bytes
  return backup
}
