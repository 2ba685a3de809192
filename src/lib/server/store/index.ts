import Database from 'better-sqlite3'

import {newId} from '../ids.js'
import {AclRepo} from './acls.js'
import {BackupRepo} from './backups.js'
import {ClusterRepo, DEFAULT_PROVIDER, DEFAULT_REGION} from './clusters.js'
import {IdentityRepo} from './identity.js'
import {IntegrationRepo} from './integrations.js'
import {HistoryRepo, JobRepo} from './jobs.js'
import {migrate} from './migrations.js'
import {NetworkRepo} from './networks.js'
import {OperationLocks} from './operations.js'
import {RemovalRepo} from './removals.js'
import {OrganizationRepo, ProjectRepo} from './resources.js'

export interface Defaults {
  organizationId: string
  projectId: string
  /** The default project's network: where attached and demo clusters live. */
  networkId: string
}

/** The default network's address block (a private /16, like a cloud network's). */
export const DEFAULT_NETWORK_CIDR = '10.0.0.0/16'

/** The local cloud's state: one SQLite file (WAL) with a migrated schema. */
export class Store {
  readonly db: Database.Database
  readonly clusters: ClusterRepo
  readonly backups: BackupRepo
  readonly jobs: JobRepo
  readonly history: HistoryRepo
  readonly locks: OperationLocks
  readonly identity: IdentityRepo
  readonly removals: RemovalRepo
  readonly integrations: IntegrationRepo
  readonly organizations: OrganizationRepo
  readonly projects: ProjectRepo
  readonly networks: NetworkRepo
  readonly acls: AclRepo

  /** `now` is the clock networks settle by (provisioning → available). */
  constructor(file: string, now?: () => Date) {
    this.db = new Database(file)
    this.db.pragma('journal_mode = WAL')
    this.db.pragma('synchronous = NORMAL')
    this.db.pragma('busy_timeout = 5000')
    migrate(this.db)
    this.clusters = new ClusterRepo(this.db)
    this.backups = new BackupRepo(this.db)
    this.jobs = new JobRepo(this.db)
    this.history = new HistoryRepo(this.db)
    this.locks = new OperationLocks(this.db)
    this.identity = new IdentityRepo(this.db)
    this.removals = new RemovalRepo(this.db)
    this.integrations = new IntegrationRepo(this.db)
    this.organizations = new OrganizationRepo(this.db)
    this.projects = new ProjectRepo(this.db)
    this.networks = new NetworkRepo(this.db, now)
    this.acls = new AclRepo(this.db)
  }

  close(): void {
    if (this.db.open) this.db.close()
  }

  getMeta(key: string): string | undefined {
    const row = this.db.prepare('SELECT value FROM meta WHERE key = ?').get(key) as {value: string} | undefined
    return row?.value
  }

  setMeta(key: string, value: string): void {
    this.db.prepare('INSERT INTO meta(key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value').run(key, value)
  }

  /** The default organization, project and network, created on first use. */
  ensureDefaults(now = new Date()): Defaults {
    return this.db.transaction(() => {
      const organizationId = this.getMeta('default_organization_id') ?? newId(now.getTime())
      const projectId = this.getMeta('default_project_id') ?? newId(now.getTime())
      const created = now.toISOString()
      this.db
        .prepare('INSERT OR IGNORE INTO organizations(id, name, created) VALUES (?, ?, ?)')
        .run(organizationId, 'Local organization', created)
      this.db
        .prepare('INSERT OR IGNORE INTO projects(id, organization_id, name, created) VALUES (?, ?, ?, ?)')
        .run(projectId, organizationId, 'Local project', created)
      this.setMeta('default_organization_id', organizationId)
      this.setMeta('default_project_id', projectId)
      let networkId = this.getMeta('default_network_id')
      if (networkId === undefined) {
        networkId = newId(now.getTime())
        this.networks.insert({
          id: networkId,
          organization_id: organizationId,
          project_id: projectId,
          provider: DEFAULT_PROVIDER,
          region: DEFAULT_REGION,
          cidr_block: DEFAULT_NETWORK_CIDR,
          description: 'Local network',
          public_access: false,
          status: 'available',
          created,
          settles_at: null,
        })
        this.setMeta('default_network_id', networkId)
      }
      return {organizationId, projectId, networkId}
    })()
  }

  /** Creates a further project (used for cross-project restores and tests). */
  createProject(organizationId: string, name: string, now = new Date()): string {
    const id = newId(now.getTime())
    this.db
      .prepare('INSERT INTO projects(id, organization_id, name, created) VALUES (?, ?, ?, ?)')
      .run(id, organizationId, name, now.toISOString())
    return id
  }

  projectExists(organizationId: string, projectId: string): boolean {
    return this.db.prepare('SELECT 1 FROM projects WHERE id = ? AND organization_id = ?').get(projectId, organizationId) !== undefined
  }

  counts(): {clusters: number; backups: number; jobs: number; history: number} {
    const one = (sql: string) => (this.db.prepare(sql).get() as {n: number}).n
    return {
      clusters: one('SELECT count(*) AS n FROM clusters WHERE deleted = 0'),
      backups: one('SELECT count(*) AS n FROM backups'),
      jobs: one("SELECT count(*) AS n FROM jobs WHERE status != 'deleted'"),
      history: one('SELECT count(*) AS n FROM history'),
    }
  }
}
