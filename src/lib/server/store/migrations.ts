import type Database from 'better-sqlite3'

import {adoptClusterNetworks} from './adopt-networks.js'

/**
 * Schema migrations, applied in order inside one transaction each. `PRAGMA user_version` holds the
 * number of migrations applied. Never edit a shipped migration: append a new one.
 */
export const migrations: ReadonlyArray<(db: Database.Database) => void> = [
  // 1: the resources the API serves, the per-cluster operation lock and identity.
  (db) =>
    db.exec(`
    CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
    CREATE TABLE organizations (id TEXT PRIMARY KEY, name TEXT NOT NULL, created TEXT NOT NULL);
    CREATE TABLE projects (
      id TEXT PRIMARY KEY, organization_id TEXT NOT NULL REFERENCES organizations(id),
      name TEXT NOT NULL, created TEXT NOT NULL);
    CREATE TABLE clusters (
      id TEXT PRIMARY KEY, organization_id TEXT NOT NULL, project_id TEXT NOT NULL,
      status TEXT NOT NULL, details TEXT, created TEXT NOT NULL,
      kind TEXT NOT NULL DEFAULT 'managed', db_dir TEXT NOT NULL, index_dir TEXT, node_url TEXT,
      spec TEXT NOT NULL, backup_seq INTEGER NOT NULL DEFAULT 0, deleted INTEGER NOT NULL DEFAULT 0);
    CREATE TABLE backups (
      id TEXT PRIMARY KEY, organization_id TEXT NOT NULL, project_id TEXT NOT NULL,
      cluster_id TEXT NOT NULL, cluster_description TEXT NOT NULL, description TEXT NOT NULL,
      status TEXT NOT NULL, details TEXT, size_bytes INTEGER NOT NULL DEFAULT 0,
      created TEXT NOT NULL, completed TEXT, job_id TEXT, dir TEXT NOT NULL, cluster_spec TEXT NOT NULL);
    CREATE TABLE jobs (
      id TEXT PRIMARY KEY, organization_id TEXT NOT NULL, project_id TEXT NOT NULL,
      description TEXT NOT NULL, schedule TEXT NOT NULL, status TEXT NOT NULL,
      cluster_id TEXT NOT NULL, backup_description TEXT NOT NULL, max_backup_count INTEGER NOT NULL,
      created TEXT NOT NULL);
    CREATE TABLE history (
      id TEXT PRIMARY KEY, organization_id TEXT NOT NULL, project_id TEXT NOT NULL,
      job_id TEXT NOT NULL, status TEXT NOT NULL, details TEXT NOT NULL DEFAULT '',
      linked_resource TEXT NOT NULL DEFAULT '', start_time TEXT NOT NULL, end_time TEXT);
    CREATE TABLE operations (
      cluster_id TEXT PRIMARY KEY, kind TEXT NOT NULL, resource_id TEXT NOT NULL, started TEXT NOT NULL);
    CREATE TABLE clients (client_id TEXT PRIMARY KEY, secret_hash TEXT NOT NULL, created TEXT NOT NULL);
    CREATE TABLE users (username TEXT PRIMARY KEY, password_hash TEXT NOT NULL, created TEXT NOT NULL);
    CREATE TABLE refresh_tokens (
      token_hash TEXT PRIMARY KEY, subject TEXT NOT NULL, created TEXT NOT NULL);
  `),
  // 2: the listings the API and the pruner run most.
  (db) =>
    db.exec(`
    CREATE INDEX backups_by_project ON backups(project_id, created);
    CREATE INDEX backups_by_job ON backups(job_id, created);
    CREATE INDEX history_by_project ON history(project_id, start_time);
  `),
  // 3: how backups of an attached node reach its HTTP API (credentials, TLS), as JSON.
  (db) => db.exec('ALTER TABLE clusters ADD COLUMN node_access TEXT'),
  // 4: directories the server is about to remove (recorded before the row that owns them goes), so
  // crash recovery removes only what the store recorded, never an entry it does not know.
  (db) =>
    db.exec(`
    CREATE TABLE removals (kind TEXT NOT NULL, id TEXT NOT NULL, recorded TEXT NOT NULL, PRIMARY KEY (kind, id));
  `),
  // 5: notification integrations (secrets stored for delivery, never answered) and every delivery
  // attempt, pending ones included so a restart resumes them.
  (db) =>
    db.exec(`
    CREATE TABLE integrations (
      id TEXT PRIMARY KEY, organization_id TEXT NOT NULL, project_id TEXT NOT NULL,
      description TEXT NOT NULL, sink TEXT NOT NULL, config TEXT NOT NULL, secret TEXT,
      status TEXT NOT NULL, created TEXT NOT NULL, updated TEXT NOT NULL);
    CREATE TABLE deliveries (
      id TEXT PRIMARY KEY, integration_id TEXT NOT NULL, event TEXT NOT NULL, payload TEXT NOT NULL,
      attempt INTEGER NOT NULL, state TEXT NOT NULL, attempted_at TEXT NOT NULL,
      status_code INTEGER, error TEXT, next_attempt_at TEXT);
    CREATE INDEX deliveries_by_integration ON deliveries(integration_id, attempted_at);
  `),
  // 6: organizations of their own (owner: the principal that created one; null for the shared local
  // organization), networks and IP access lists; the network ids clusters already carry become rows.
  (db) => {
    db.exec(`
    ALTER TABLE organizations ADD COLUMN owner TEXT;
    ALTER TABLE organizations ADD COLUMN mfa_enabled INTEGER NOT NULL DEFAULT 0;
    CREATE TABLE networks (
      id TEXT PRIMARY KEY, organization_id TEXT NOT NULL, project_id TEXT NOT NULL,
      provider TEXT NOT NULL, region TEXT NOT NULL, cidr_block TEXT NOT NULL, description TEXT NOT NULL,
      public_access INTEGER NOT NULL, status TEXT NOT NULL, created TEXT NOT NULL, settles_at TEXT);
    CREATE INDEX networks_by_project ON networks(project_id, created);
    CREATE TABLE acls (
      id TEXT PRIMARY KEY, organization_id TEXT NOT NULL, project_id TEXT NOT NULL,
      description TEXT NOT NULL, cidr_blocks TEXT NOT NULL, status TEXT NOT NULL,
      created TEXT NOT NULL, updated TEXT);
    CREATE INDEX acls_by_project ON acls(project_id, created);
  `)
    adoptClusterNetworks(db)
  },
]

export const SCHEMA_VERSION = migrations.length

/** Brings `db` up to `target` (default: latest). Returns the version it started from. */
export function migrate(db: Database.Database, target: number = SCHEMA_VERSION): number {
  const from = db.pragma('user_version', {simple: true}) as number
  if (from > SCHEMA_VERSION) {
    throw new Error(`state database schema version ${from} is newer than this esc (${SCHEMA_VERSION}); upgrade esc`)
  }
  for (let version = from; version < target; version++) {
    db.transaction(() => {
      migrations[version](db)
      db.pragma(`user_version = ${version + 1}`)
    })()
  }
  return from
}
