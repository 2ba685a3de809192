import type Database from 'better-sqlite3'

export type OwnedKind = 'backup' | 'cluster'

export interface RemovalRow {
  kind: OwnedKind
  id: string
  recorded: string
}

/**
 * Directories of the state directory being removed (a deleted backup's, a deleted cluster's),
 * recorded in the same transaction that deletes their row: a crash between the two leaves a
 * record, and crash recovery finishes exactly those removals and nothing else.
 */
export class RemovalRepo {
  constructor(private readonly db: Database.Database) {}

  record(kind: OwnedKind, id: string, now = new Date()): void {
    this.db.prepare('INSERT OR IGNORE INTO removals(kind, id, recorded) VALUES (?, ?, ?)').run(kind, id, now.toISOString())
  }

  done(kind: OwnedKind, id: string): void {
    this.db.prepare('DELETE FROM removals WHERE kind = ? AND id = ?').run(kind, id)
  }

  all(): RemovalRow[] {
    return this.db.prepare('SELECT * FROM removals ORDER BY recorded').all() as RemovalRow[]
  }
}
