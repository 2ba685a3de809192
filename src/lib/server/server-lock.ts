import {existsSync} from 'node:fs'
import {readFile, rm} from 'node:fs/promises'

import Database from 'better-sqlite3'

import {writeFileAtomic} from '../core/atomic-write.js'
import type {StateLayout} from './layout.js'

/** What a running server tells `esc local stop|status` (server.json). */
export interface ServerInfo {
  pid: number
  url: string
  startedAt: string
  dir: string
}

/**
 * One server per state directory. The lock is an exclusive SQLite lock (an fcntl lock the kernel
 * drops when the holder dies, even by kill -9, even while it lingers as a zombie), so a stale
 * server.json never blocks a new start.
 */
export class ServerLock {
  private constructor(private readonly db: Database.Database) {}

  /** Takes the lock, or returns undefined when another live process holds it. */
  static tryAcquire(layout: StateLayout): ServerLock | undefined {
    const db = new Database(layout.serverLock, {timeout: 0})
    try {
      db.pragma('locking_mode = EXCLUSIVE')
      db.exec('CREATE TABLE IF NOT EXISTS holder (pid INTEGER NOT NULL)')
      db.exec('BEGIN EXCLUSIVE')
      db.prepare('DELETE FROM holder').run()
      db.prepare('INSERT INTO holder (pid) VALUES (?)').run(process.pid)
      db.exec('COMMIT')
      return new ServerLock(db)
    } catch (error) {
      db.close()
      if ((error as {code?: string}).code === 'SQLITE_BUSY') return undefined
      throw error
    }
  }

  /**
   * Whether a live server holds the lock (checked by taking and dropping it). A server creates
   * server.lock before it takes the lock, so without the file nobody holds it: checking then must
   * not create the file (or fail on a state directory that does not exist).
   */
  static isHeld(layout: StateLayout): boolean {
    if (!existsSync(layout.serverLock)) return false
    const lock = ServerLock.tryAcquire(layout)
    lock?.release()
    return lock === undefined
  }

  release(): void {
    if (this.db.open) this.db.close()
  }
}

export async function writeServerInfo(layout: StateLayout, info: ServerInfo): Promise<void> {
  await writeFileAtomic(layout.serverInfo, `${JSON.stringify(info, null, 2)}\n`, {mode: 0o600})
}

export async function readServerInfo(layout: StateLayout): Promise<ServerInfo | undefined> {
  try {
    return JSON.parse(await readFile(layout.serverInfo, 'utf8')) as ServerInfo
  } catch {
    return undefined
  }
}

export async function removeServerInfo(layout: StateLayout): Promise<void> {
  await rm(layout.serverInfo, {force: true})
}
