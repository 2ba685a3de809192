import type Database from 'better-sqlite3'

import type {Delivery, Integration} from '../../contract/integrations.js'

/**
 * One integration. `config` holds the sink's public fields as JSON; `secret` the token, API key or
 * signing secret, read only by delivery and never put in an answer.
 */
export interface IntegrationRow {
  id: string
  organization_id: string
  project_id: string
  description: string
  sink: string
  config: string
  secret: string | null
  status: string
  created: string
  updated: string
}

export interface DeliveryRow {
  id: string
  integration_id: string
  event: string
  payload: string
  attempt: number
  state: string
  attempted_at: string
  status_code: number | null
  error: string | null
  next_attempt_at: string | null
}

export class IntegrationRepo {
  constructor(private readonly db: Database.Database) {}

  insert(row: IntegrationRow): void {
    this.db
      .prepare(
        `INSERT INTO integrations(id, organization_id, project_id, description, sink, config, secret, status, created, updated)
        VALUES (@id, @organization_id, @project_id, @description, @sink, @config, @secret, @status, @created, @updated)`,
      )
      .run(row)
  }

  find(organizationId: string, projectId: string, id: string): IntegrationRow | undefined {
    return this.db
      .prepare('SELECT * FROM integrations WHERE id = ? AND organization_id = ? AND project_id = ?')
      .get(id, organizationId, projectId) as IntegrationRow | undefined
  }

  list(organizationId: string, projectId: string): IntegrationRow[] {
    return this.db
      .prepare("SELECT * FROM integrations WHERE organization_id = ? AND project_id = ? AND status = 'active' ORDER BY created, id")
      .all(organizationId, projectId) as IntegrationRow[]
  }

  update(id: string, fields: Pick<IntegrationRow, 'description' | 'config' | 'secret' | 'updated'>): void {
    this.db
      .prepare('UPDATE integrations SET description = @description, config = @config, secret = @secret, updated = @updated WHERE id = @id')
      .run({...fields, id})
  }

  markDeleted(id: string, updated: string): void {
    this.db.prepare("UPDATE integrations SET status = 'deleted', updated = ? WHERE id = ?").run(updated, id)
  }

  recordDelivery(row: DeliveryRow): void {
    this.db
      .prepare(
        `INSERT INTO deliveries(id, integration_id, event, payload, attempt, state, attempted_at, status_code, error, next_attempt_at)
        VALUES (@id, @integration_id, @event, @payload, @attempt, @state, @attempted_at, @status_code, @error, @next_attempt_at)`,
      )
      .run(row)
  }

  /** Pending deliveries whose time has come, oldest first. */
  due(nowIso: string): DeliveryRow[] {
    return this.db
      .prepare("SELECT * FROM deliveries WHERE state = 'pending' AND next_attempt_at <= ? ORDER BY next_attempt_at, id")
      .all(nowIso) as DeliveryRow[]
  }

  get(id: string): IntegrationRow | undefined {
    return this.db.prepare('SELECT * FROM integrations WHERE id = ?').get(id) as IntegrationRow | undefined
  }

  /** Records the outcome of a pending attempt. */
  settle(id: string, fields: Pick<DeliveryRow, 'state' | 'attempted_at' | 'status_code' | 'error' | 'next_attempt_at'>): void {
    this.db
      .prepare(
        `UPDATE deliveries SET state = @state, attempted_at = @attempted_at, status_code = @status_code, error = @error,
        next_attempt_at = @next_attempt_at WHERE id = @id`,
      )
      .run({...fields, id})
  }

  deliveries(integrationId: string): DeliveryRow[] {
    return this.db
      .prepare('SELECT * FROM deliveries WHERE integration_id = ? ORDER BY attempted_at, attempt, id')
      .all(integrationId) as DeliveryRow[]
  }
}

/** Shows the last four characters of a secret at most, and none of a short one. */
export function maskSecret(secret: string): string {
  return secret.length >= 12 ? `****${secret.slice(-4)}` : '****'
}

export function toIntegration(row: IntegrationRow): Integration {
  const config = JSON.parse(row.config) as Record<string, unknown>
  const data: Record<string, unknown> = {sink: row.sink}
  const masked = row.secret ? maskSecret(row.secret) : undefined
  if (row.sink === 'slack') Object.assign(data, {channelId: config.channelId, tokenDisplay: masked, source: config.source})
  else if (row.sink === 'opsGenie') Object.assign(data, {apiKeyDisplay: masked, source: config.source})
  else {
    Object.assign(data, {url: config.url, source: config.source, notifySuccess: config.notifySuccess === true})
    if (masked) data.secretDisplay = masked
  }
  return {
    id: row.id,
    organizationId: row.organization_id,
    projectId: row.project_id,
    description: row.description,
    status: row.status,
    created: row.created,
    updated: row.updated,
    data: data as Integration['data'],
  }
}

export function toDelivery(row: DeliveryRow): Delivery {
  return {
    id: row.id,
    integrationId: row.integration_id,
    event: row.event,
    attempt: row.attempt,
    state: row.state,
    attemptedAt: row.attempted_at,
    ...(row.status_code === null ? {} : {statusCode: row.status_code}),
    ...(row.error === null ? {} : {error: row.error}),
    ...(row.next_attempt_at === null ? {} : {nextAttemptAt: row.next_attempt_at}),
  }
}
