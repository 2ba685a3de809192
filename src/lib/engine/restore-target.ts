import {mkdir, open, readdir, rename, stat, statfs, unlink} from 'node:fs/promises'
import {dirname, join} from 'node:path'

import {UsageError} from '../core/errors.js'
import {isInside, realPathOf, removeCreatedDirs, removeInside} from './contained-path.js'
import {DiskFullError} from './format-error.js'
import {MANIFEST_NAME, fsyncDir} from './manifest.js'

/**
 * The directories a restore writes into. A restore never touches a backup: a target inside or
 * containing a backup directory is refused. What it writes is its own until the restore ends: a
 * failed or interrupted restore removes it and puts a moved-aside target back; when that is not
 * possible, the marker file it wrote first stays and says the target is incomplete.
 */
export const RESTORE_MARKER = '.esc-restore-incomplete'
/** How deep a target about to be moved aside is searched for backup directories. */
const BACKUP_SEARCH_DEPTH = 2

async function isBackupDirectory(dir: string): Promise<boolean> {
  const names = await readdir(dir).catch(() => [] as string[])
  return names.includes(MANIFEST_NAME) || names.includes('.lock')
}

async function findBackupBelow(dir: string, depth: number): Promise<string | undefined> {
  if (await isBackupDirectory(dir)) return dir
  if (depth === 0) return undefined
  for (const e of await readdir(dir, {withFileTypes: true}).catch(() => [])) {
    if (!e.isDirectory()) continue
    const found = await findBackupBelow(join(dir, e.name), depth - 1)
    if (found) return found
  }
  return undefined
}

/** Refuses a target that is, lies inside or contains the backup being restored or any other backup directory. */
export async function checkRestoreTarget(target: string, backupDir: string): Promise<void> {
  const real = await realPathOf(target)
  const backupReal = await realPathOf(backupDir)
  if (real === backupReal || isInside(real, backupReal))
    throw new UsageError(`the restore target ${target} is inside the backup directory ${backupDir}; restore into the node's own directory`)
  if (isInside(backupReal, real))
    throw new UsageError(`the restore target ${target} contains the backup directory ${backupDir}; restore into the node's own directory`)
  for (let dir = real; ; dir = dirname(dir)) {
    if (await isBackupDirectory(dir))
      throw new UsageError(`the restore target ${target} is inside the backup directory ${dir}; restore into the node's own directory`)
    if (dirname(dir) === dir) break
  }
  const below = (await stat(real).catch(() => undefined))?.isDirectory() ? await findBackupBelow(real, BACKUP_SEARCH_DEPTH) : undefined
  if (below)
    throw new UsageError(`the restore target ${target} contains the backup directory ${below}; restore into the node's own directory`)
}

/** Refuses, before anything is written, a restore whose files do not fit the target's filesystem. */
export async function checkFreeSpace(target: string, bytes: number): Promise<void> {
  let probe = target
  while (!(await stat(probe).catch(() => undefined))) probe = dirname(probe)
  const fs = await statfs(probe)
  const free = fs.bavail * fs.bsize
  if (free < bytes)
    throw new DiskFullError(
      `not enough space for the restore in ${target}: needs ${bytes} bytes, ${free} free; free space and restore again`,
    )
}

async function isNonEmpty(dir: string): Promise<boolean> {
  const st = await stat(dir).catch(() => undefined)
  if (!st) return false
  if (!st.isDirectory()) throw new UsageError(`${dir} exists and is not a directory`)
  return (await readdir(dir)).length > 0
}

interface PreparedDir {
  path: string
  /** The outermost directory the restore created on the way to `path` (it and those below it go on undo). */
  createdFrom?: string
  aside?: string
}

export class RestoreTarget {
  private constructor(
    readonly db: string,
    private readonly dirs: PreparedDir[],
    private readonly protect: readonly string[],
  ) {}

  get movedAside(): string[] {
    return this.dirs.flatMap((d) => (d.aside ? [d.aside] : []))
  }

  /**
   * Makes the target directories ready: a non-empty one is refused, or moved aside with `force`
   * (never deleted); then the marker is written (and flushed) before any file of the backup.
   */
  static async prepare(
    dirs: string[],
    options: {force?: boolean; protect: readonly string[]; log: (line: string) => void},
  ): Promise<RestoreTarget> {
    const stamp = new Date().toISOString().replaceAll(/[-:.]/g, '')
    const prepared: PreparedDir[] = []
    for (const path of dirs) {
      if (!(await isNonEmpty(path))) continue
      if (!options.force) throw new UsageError(`${path} is not empty`, {hint: {advice: 'force'}})
    }
    const target = new RestoreTarget(dirs[0], prepared, options.protect)
    try {
      for (const path of dirs) {
        const entry: PreparedDir = {path}
        prepared.push(entry)
        if (await isNonEmpty(path)) {
          entry.aside = `${path}.before-restore-${stamp}`
          await rename(path, entry.aside)
          options.log(`moved ${path} aside to ${entry.aside}`)
        }
        entry.createdFrom = await mkdir(path, {recursive: true})
      }
      const marker = await open(join(dirs[0], RESTORE_MARKER), 'w')
      await marker.writeFile('esc node restore is writing this directory; while this file exists the restore is incomplete\n')
      await marker.sync()
      await marker.close()
      await fsyncDir(dirs[0])
    } catch (error) {
      await target.undo()
      throw error
    }
    return target
  }

  /** The restore is complete: the marker goes. */
  async commit(): Promise<void> {
    await unlink(join(this.db, RESTORE_MARKER))
    await fsyncDir(this.db)
  }

  /**
   * Removes everything the restore wrote and puts moved-aside directories back. Returns a line
   * that says what state the target is in.
   */
  async undo(): Promise<string> {
    try {
      for (const d of [...this.dirs].reverse()) {
        for (const name of await readdir(d.path).catch(() => [] as string[])) {
          if (d.path === this.db && name === RESTORE_MARKER) continue
          await removeInside(join(d.path, name), d.path, this.protect)
        }
      }
      await unlink(join(this.db, RESTORE_MARKER)).catch(() => undefined)
      for (const d of [...this.dirs].reverse()) {
        if (d.createdFrom) await removeCreatedDirs(d.path, d.createdFrom)
        if (d.aside) await rename(d.aside, d.path)
      }
    } catch (error) {
      return `the target ${this.db} is incomplete (${(error as Error).message}); remove it, or restore into it again, before starting the node (${RESTORE_MARKER} marks it)`
    }
    const back = this.dirs.some((d) => d.aside)
    return `nothing of the backup was left in ${this.db}${back ? '; its previous contents are back' : ''}`
  }
}
