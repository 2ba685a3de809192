import type Database from 'better-sqlite3'

import type {Acl, CidrBlock} from '../../contract/infra.js'

export interface AclRow {
  id: string
  organization_id: string
  project_id: string
  description: string
  /** JSON array of the contract's CidrBlock, in the order given. */
  cidr_blocks: string
  status: 'active' | 'deleted'
  created: string
  updated: string | null
}

/** IP access lists. A deleted ACL keeps its row (it answers as `deleted`) but leaves the listing. */
export class AclRepo {
  constructor(private readonly db: Database.Database) {}

  insert(row: Omit<AclRow, 'cidr_blocks' | 'status' | 'updated'> & {cidr_blocks: CidrBlock[]}): void {
    this.db
      .prepare(
        `INSERT INTO acls(id, organization_id, project_id, description, cidr_blocks, status, created)
      VALUES (@id, @organization_id, @project_id, @description, @cidr_blocks, 'active', @created)`,
      )
      .run({...row, cidr_blocks: JSON.stringify(row.cidr_blocks)})
  }

  find(organizationId: string, projectId: string, id: string): AclRow | undefined {
    return this.db
      .prepare('SELECT * FROM acls WHERE id = ? AND organization_id = ? AND project_id = ?')
      .get(id, organizationId, projectId) as AclRow | undefined
  }

  list(organizationId: string, projectId: string): AclRow[] {
    return this.db
      .prepare("SELECT * FROM acls WHERE organization_id = ? AND project_id = ? AND status = 'active' ORDER BY created, rowid")
      .all(organizationId, projectId) as AclRow[]
  }

  /** Replaces the blocks (and the description when given), as the cloud's update does. */
  update(id: string, cidrBlocks: CidrBlock[], description: string | undefined, updated: string): void {
    this.db
      .prepare('UPDATE acls SET cidr_blocks = ?, description = coalesce(?, description), updated = ? WHERE id = ?')
      .run(JSON.stringify(cidrBlocks), description ?? null, updated, id)
  }

  markDeleted(id: string, updated: string): void {
    this.db.prepare("UPDATE acls SET status = 'deleted', updated = ? WHERE id = ?").run(updated, id)
  }
}

export function toAcl(row: AclRow): Acl {
  const acl: Acl = {
    cidrBlocks: JSON.parse(row.cidr_blocks) as CidrBlock[],
    created: row.created,
    description: row.description,
    id: row.id,
    projectId: row.project_id,
    status: row.status,
  }
  if (row.updated !== null) acl.updated = row.updated
  return acl
}
