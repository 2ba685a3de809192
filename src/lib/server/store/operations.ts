import type Database from 'better-sqlite3'

export interface OperationRow {
  cluster_id: string
  kind: 'backup' | 'restore' | 'provision' | 'delete' | 'update' | 'expand' | 'resize' | 'upgrade' | 'stop' | 'start'
  resource_id: string
  started: string
}

/**
 * The per-cluster operation lock, kept in the database so that after a crash the recovery knows
 * which operations were in flight. A row's existence is the lock; the primary key makes taking it
 * atomic.
 */
export class OperationLocks {
  constructor(private readonly db: Database.Database) {}

  tryAcquire(op: OperationRow): boolean {
    const result = this.db
      .prepare(
        'INSERT OR IGNORE INTO operations(cluster_id, kind, resource_id, started) VALUES (@cluster_id, @kind, @resource_id, @started)',
      )
      .run(op)
    return result.changes === 1
  }

  release(clusterId: string, resourceId: string): void {
    this.db.prepare('DELETE FROM operations WHERE cluster_id = ? AND resource_id = ?').run(clusterId, resourceId)
  }

  holder(clusterId: string): OperationRow | undefined {
    return this.db.prepare('SELECT * FROM operations WHERE cluster_id = ?').get(clusterId) as OperationRow | undefined
  }

  all(): OperationRow[] {
    return this.db.prepare('SELECT * FROM operations').all() as OperationRow[]
  }

  clear(): void {
    this.db.prepare('DELETE FROM operations').run()
  }
}
