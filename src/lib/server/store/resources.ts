import type Database from 'better-sqlite3'

export interface OrganizationRow {
  id: string
  name: string
  created: string
  /** The principal that created it; null for the local organization every identity shares. */
  owner: string | null
  mfa_enabled: number
}

export interface ProjectRow {
  id: string
  organization_id: string
  name: string
  created: string
}

export class OrganizationRepo {
  constructor(private readonly db: Database.Database) {}

  insert(row: Omit<OrganizationRow, 'mfa_enabled'>): void {
    this.db.prepare('INSERT INTO organizations(id, name, created, owner) VALUES (@id, @name, @created, @owner)').run(row)
  }

  get(id: string): OrganizationRow | undefined {
    return this.db.prepare('SELECT * FROM organizations WHERE id = ?').get(id) as OrganizationRow | undefined
  }

  /** The organization if `principal` may see it: the shared one, or one it created. */
  visible(id: string, principal: string): OrganizationRow | undefined {
    const row = this.get(id)
    return row && (row.owner === null || row.owner === principal) ? row : undefined
  }

  listVisible(principal: string): OrganizationRow[] {
    return this.db
      .prepare('SELECT * FROM organizations WHERE owner IS NULL OR owner = ? ORDER BY created, rowid')
      .all(principal) as OrganizationRow[]
  }

  rename(id: string, name: string): void {
    this.db.prepare('UPDATE organizations SET name = ? WHERE id = ?').run(name, id)
  }

  setMfa(id: string, enabled: boolean): void {
    this.db.prepare('UPDATE organizations SET mfa_enabled = ? WHERE id = ?').run(enabled ? 1 : 0, id)
  }

  delete(id: string): void {
    this.db.prepare('DELETE FROM organizations WHERE id = ?').run(id)
  }
}

export class ProjectRepo {
  constructor(private readonly db: Database.Database) {}

  insert(row: ProjectRow): void {
    this.db.prepare('INSERT INTO projects(id, organization_id, name, created) VALUES (@id, @organization_id, @name, @created)').run(row)
  }

  find(organizationId: string, id: string): ProjectRow | undefined {
    return this.db.prepare('SELECT * FROM projects WHERE id = ? AND organization_id = ?').get(id, organizationId) as ProjectRow | undefined
  }

  list(organizationId: string): ProjectRow[] {
    return this.db.prepare('SELECT * FROM projects WHERE organization_id = ? ORDER BY created, rowid').all(organizationId) as ProjectRow[]
  }

  /** A project of the organization with this name (names are unique within an organization). */
  named(organizationId: string, name: string): ProjectRow | undefined {
    return this.db.prepare('SELECT * FROM projects WHERE organization_id = ? AND name = ?').get(organizationId, name) as
      ProjectRow | undefined
  }

  rename(id: string, name: string): void {
    this.db.prepare('UPDATE projects SET name = ? WHERE id = ?').run(name, id)
  }

  delete(id: string): void {
    this.db.prepare('DELETE FROM projects WHERE id = ?').run(id)
  }

  /**
   * What stops the project from being deleted, by kind, with a count: live clusters, networks,
   * ACLs, jobs and backups. Empty when it may go.
   */
  dependants(organizationId: string, id: string): Array<[string, number]> {
    const count = (sql: string) => (this.db.prepare(sql).get(organizationId, id) as {n: number}).n
    const where = 'organization_id = ? AND project_id = ?'
    const found: Array<[string, number]> = [
      ['clusters', count(`SELECT count(*) AS n FROM clusters WHERE ${where} AND deleted = 0`)],
      ['networks', count(`SELECT count(*) AS n FROM networks WHERE ${where} AND status != 'deleted'`)],
      ['ACLs', count(`SELECT count(*) AS n FROM acls WHERE ${where} AND status = 'active'`)],
      ['jobs', count(`SELECT count(*) AS n FROM jobs WHERE ${where} AND status != 'deleted'`)],
      ['backups', count(`SELECT count(*) AS n FROM backups WHERE ${where}`)],
      ['integrations', count(`SELECT count(*) AS n FROM integrations WHERE ${where} AND status != 'deleted'`)],
    ]
    return found.filter(([, n]) => n > 0)
  }
}
