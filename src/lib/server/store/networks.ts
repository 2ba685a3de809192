import type Database from 'better-sqlite3'

import type {Network} from '../../contract/infra.js'

export type NetworkStatus = 'provisioning' | 'available' | 'deleting' | 'deleted'

export interface NetworkRow {
  id: string
  organization_id: string
  project_id: string
  provider: string
  region: string
  cidr_block: string
  description: string
  public_access: number
  status: NetworkStatus
  created: string
  /** When a `provisioning` network becomes `available`, or a `deleting` one `deleted`. */
  settles_at: string | null
}

export type NewNetwork = Omit<NetworkRow, 'public_access'> & {public_access: boolean}

/**
 * Networks of the local cloud. Nothing is provisioned: a network shows `provisioning` (or
 * `deleting`) for a short while like a cloud one, then settles. Settling is applied before every
 * read, so it survives restarts and follows the server's clock.
 */
export class NetworkRepo {
  constructor(
    private readonly db: Database.Database,
    private readonly now: () => Date = () => new Date(),
  ) {}

  insert(row: NewNetwork): void {
    this.db
      .prepare(
        `INSERT INTO networks(id, organization_id, project_id, provider, region, cidr_block, description, public_access, status, created, settles_at)
      VALUES (@id, @organization_id, @project_id, @provider, @region, @cidr_block, @description, @public_access, @status, @created, @settles_at)`,
      )
      .run({...row, public_access: row.public_access ? 1 : 0})
  }

  private settle(): void {
    const now = this.now().toISOString()
    this.db
      .prepare(
        `UPDATE networks SET status = CASE status WHEN 'provisioning' THEN 'available' ELSE 'deleted' END, settles_at = NULL
      WHERE status IN ('provisioning', 'deleting') AND settles_at <= ?`,
      )
      .run(now)
  }

  /** A network of the project, deleted ones included (a deleted network still answers, as `deleted`). */
  find(organizationId: string, projectId: string, id: string): NetworkRow | undefined {
    this.settle()
    return this.db
      .prepare('SELECT * FROM networks WHERE id = ? AND organization_id = ? AND project_id = ?')
      .get(id, organizationId, projectId) as NetworkRow | undefined
  }

  /** The project's networks that are not deleted. */
  list(organizationId: string, projectId: string): NetworkRow[] {
    this.settle()
    return this.db
      .prepare("SELECT * FROM networks WHERE organization_id = ? AND project_id = ? AND status != 'deleted' ORDER BY created, rowid")
      .all(organizationId, projectId) as NetworkRow[]
  }

  setDescription(id: string, description: string): void {
    this.db.prepare('UPDATE networks SET description = ? WHERE id = ?').run(description, id)
  }

  startDelete(id: string, settlesAt: string): void {
    this.db.prepare("UPDATE networks SET status = 'deleting', settles_at = ? WHERE id = ?").run(settlesAt, id)
  }
}

/** The wire shape, with every field the official CLI requires (`cidrBlock` always present). */
export function toNetwork(row: NetworkRow): Network {
  return {
    cidrBlock: row.cidr_block,
    created: row.created,
    description: row.description,
    id: row.id,
    projectId: row.project_id,
    provider: row.provider,
    publicAccess: row.public_access === 1,
    region: row.region,
    status: row.status,
  }
}
