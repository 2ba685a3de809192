import type Database from 'better-sqlite3'

import {redactUrlCredentials} from '../../core/url-credentials.js'

import type {HistoryItem, Job} from '../models.js'

export interface JobRow {
  id: string
  organization_id: string
  project_id: string
  description: string
  schedule: string
  status: string
  cluster_id: string
  backup_description: string
  max_backup_count: number
  created: string
}

export class JobRepo {
  constructor(private readonly db: Database.Database) {}

  insert(job: JobRow): void {
    this.db
      .prepare(
        `INSERT INTO jobs(id, organization_id, project_id, description, schedule, status, cluster_id,
        backup_description, max_backup_count, created)
      VALUES (@id, @organization_id, @project_id, @description, @schedule, @status, @cluster_id,
        @backup_description, @max_backup_count, @created)`,
      )
      .run(job)
  }

  get(id: string): JobRow | undefined {
    return this.db.prepare('SELECT * FROM jobs WHERE id = ?').get(id) as JobRow | undefined
  }

  find(organizationId: string, projectId: string, id: string): JobRow | undefined {
    return this.db
      .prepare('SELECT * FROM jobs WHERE id = ? AND organization_id = ? AND project_id = ?')
      .get(id, organizationId, projectId) as JobRow | undefined
  }

  list(organizationId: string, projectId: string): JobRow[] {
    return this.db
      .prepare("SELECT * FROM jobs WHERE organization_id = ? AND project_id = ? AND status != 'deleted' ORDER BY created, id")
      .all(organizationId, projectId) as JobRow[]
  }

  active(): JobRow[] {
    return this.db.prepare("SELECT * FROM jobs WHERE status = 'active' ORDER BY created, id").all() as JobRow[]
  }

  /** Jobs are soft-deleted like the cloud's: GET answers status "deleted", lists leave them out. */
  markDeleted(id: string): void {
    this.db.prepare("UPDATE jobs SET status = 'deleted' WHERE id = ?").run(id)
  }
}

export function toJob(row: JobRow): Job {
  return {
    id: row.id,
    organizationId: row.organization_id,
    projectId: row.project_id,
    description: row.description,
    schedule: row.schedule,
    status: row.status,
    type: 'ScheduledBackup',
    data: {clusterId: row.cluster_id, description: row.backup_description, maxBackupCount: row.max_backup_count},
  }
}

export interface HistoryRow {
  id: string
  organization_id: string
  project_id: string
  job_id: string
  status: string
  details: string
  linked_resource: string
  start_time: string
  end_time: string | null
}

export class HistoryRepo {
  constructor(private readonly db: Database.Database) {}

  insert(item: Omit<HistoryRow, 'end_time'>): void {
    this.db
      .prepare(
        `INSERT INTO history(id, organization_id, project_id, job_id, status, details, linked_resource, start_time)
      VALUES (@id, @organization_id, @project_id, @job_id, @status, @details, @linked_resource, @start_time)`,
      )
      .run(item)
  }

  get(id: string): HistoryRow | undefined {
    return this.db.prepare('SELECT * FROM history WHERE id = ?').get(id) as HistoryRow | undefined
  }

  linkResource(id: string, resource: string): void {
    this.db.prepare('UPDATE history SET linked_resource = ? WHERE id = ?').run(resource, id)
  }

  finish(id: string, status: string, details: string, endTime: string): void {
    this.db
      .prepare('UPDATE history SET status = ?, details = ?, end_time = ? WHERE id = ?')
      .run(status, redactUrlCredentials(details), endTime, id)
  }

  list(organizationId: string, projectId: string, jobId?: string): HistoryRow[] {
    if (jobId !== undefined) {
      return this.db
        .prepare('SELECT * FROM history WHERE organization_id = ? AND project_id = ? AND job_id = ? ORDER BY start_time, id')
        .all(organizationId, projectId, jobId) as HistoryRow[]
    }
    return this.db
      .prepare('SELECT * FROM history WHERE organization_id = ? AND project_id = ? ORDER BY start_time, id')
      .all(organizationId, projectId) as HistoryRow[]
  }

  withStatus(status: string): HistoryRow[] {
    return this.db.prepare('SELECT * FROM history WHERE status = ?').all(status) as HistoryRow[]
  }
}

export function toHistoryItem(row: HistoryRow): HistoryItem {
  const item: HistoryItem = {
    id: row.id,
    details: row.details,
    jobId: row.job_id,
    linkedResource: row.linked_resource,
    organizationId: row.organization_id,
    projectId: row.project_id,
    startTime: row.start_time,
    status: row.status,
  }
  if (row.end_time) item.endTime = row.end_time
  return item
}
