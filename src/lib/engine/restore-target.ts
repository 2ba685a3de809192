import {lstat, mkdir, open, readdir, rename, stat, unlink} from 'node:fs/promises'
import {dirname, join} from 'node:path'

import {EscError, UsageError} from '../core/errors.js'
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

/** The nearest ancestor of `path` that exists: below a path that is not a directory, it is not one. */
async function nearestExisting(path: string): Promise<string> {
  let probe = dirname(path)
  while (!(await stat(probe).catch(() => undefined))) probe = dirname(probe)
  return probe
}

/**
 * Whether a target holds anything. A target that cannot become a directory (a file, a link to
 * nowhere, a path below a file) is refused here, with the others, before any target is moved aside.
 */
async function isNonEmpty(dir: string): Promise<boolean> {
  let st
  try {
    st = await stat(dir)
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    if (code === 'ENOTDIR')
      throw new UsageError(`the restore target ${dir} lies below ${await nearestExisting(dir)}, which is not a directory`)
    if (code !== 'ENOENT') throw error
    if (await lstat(dir).catch(() => undefined)) throw new UsageError(`${dir} exists and is not a directory`)
    return false
  }
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
    /** The data directories: each holds the marker while the restore runs. */
    readonly markers: readonly string[],
    private readonly dirs: PreparedDir[],
    private readonly protect: readonly string[],
  ) {}

  get movedAside(): string[] {
    return this.dirs.flatMap((d) => (d.aside ? [d.aside] : []))
  }

  /**
   * Makes the target directories ready: a non-empty one is refused, or moved aside with `force`
   * (never deleted); then the marker is written (and flushed) into each of `markers` (the data
   * directories, default the first directory) before any file of the backup. Every directory is
   * checked before any is moved: one refusal leaves all of them as they were.
   */
  static async prepare(
    dirs: string[],
    options: {force?: boolean; protect: readonly string[]; log: (line: string) => void; markers?: string[]},
  ): Promise<RestoreTarget> {
    const stamp = new Date().toISOString().replaceAll(/[-:.]/g, '')
    const prepared: PreparedDir[] = []
    for (const path of dirs) {
      if (!(await isNonEmpty(path))) continue
      if (!options.force) throw new UsageError(`${path} is not empty`, {hint: {advice: 'force'}})
    }
    const markers = options.markers ?? [dirs[0]]
    const target = new RestoreTarget(markers, prepared, options.protect)
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
      for (const dir of markers) {
        const marker = await open(join(dir, RESTORE_MARKER), 'w')
        await marker.writeFile('esc node restore is writing this directory; while this file exists the restore is incomplete\n')
        await marker.sync()
        await marker.close()
        await fsyncDir(dir)
      }
    } catch (error) {
      // Said like a failure of the copy: which targets, why, and the state they were left in.
      const state = await target.undo()
      const where = markers.join(', ')
      if ((error as NodeJS.ErrnoException).code === 'ENOSPC')
        throw new DiskFullError(`the disk filled while restoring into ${where}; ${state}`, error)
      throw new EscError(`restore into ${where} failed: ${(error as Error).message}; ${state}`, {cause: error})
    }
    return target
  }

  /** The restore is complete: the markers go. */
  async commit(): Promise<void> {
    for (const dir of this.markers) {
      await unlink(join(dir, RESTORE_MARKER))
      await fsyncDir(dir)
    }
  }

  /**
   * Removes everything the restore wrote and puts moved-aside directories back. Returns a line
   * that says what state the target is in.
   */
  async undo(): Promise<string> {
    try {
      for (const d of [...this.dirs].reverse()) {
        for (const name of await readdir(d.path).catch(() => [] as string[])) {
          if (this.markers.includes(d.path) && name === RESTORE_MARKER) continue
          await removeInside(join(d.path, name), d.path, this.protect)
        }
      }
      for (const dir of this.markers) await unlink(join(dir, RESTORE_MARKER)).catch(() => undefined)
      for (const d of [...this.dirs].reverse()) {
        if (d.createdFrom) await removeCreatedDirs(d.path, d.createdFrom)
        if (d.aside) await rename(d.aside, d.path)
      }
    } catch (error) {
      const which = this.markers.length === 1 ? `the target ${this.markers[0]} is` : `the targets ${this.markers.join(', ')} are`
      return `${which} incomplete (${(error as Error).message}); remove it, or restore into it again, before starting the node (${RESTORE_MARKER} marks it)`
    }
    const back = this.dirs.some((d) => d.aside)
    return `nothing of the backup was left in ${this.markers.join(', ')}${back ? `; ${this.markers.length === 1 ? 'its' : 'their'} previous contents are back` : ''}`
  }
}
