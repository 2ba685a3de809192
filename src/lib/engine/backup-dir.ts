import {randomBytes} from 'node:crypto'
import {copyFile, link, mkdir, open, readFile, readdir, rename, unlink} from 'node:fs/promises'
import {join} from 'node:path'

import {EscError, UsageError} from '../core/errors.js'
import {removeCreatedDirs, removeInside} from './contained-path.js'
import {fsyncFile} from './copy.js'
import {deferFlush} from './deferred-flush.js'
import {MANIFEST_NAME, fsyncDir, isDataDirName} from './manifest.js'
import {isProcessAlive} from '../core/process.js'

/**
 * One backup directory holds one backup:
 *
 *   esc-backup.json         the manifest, written last (atomically): no manifest, no backup
 *   data-<id>/              the files the manifest describes (chunks, *.chk, index/)
 *   .staging-<id>/          a backup in progress (new and changed files)
 *   .lock                   pid of the running backup
 *
 * A new backup is staged next to the current one (unchanged files hard-linked, new ones copied), and
 * becomes current only when the manifest naming it is renamed into place. Until then the previous
 * data directory and manifest are untouched, so an interrupted run (kill -9 included) leaves the
 * previous backup restorable.
 */
const LOCK = '.lock'
const STAGING_PREFIX = '.staging-'
const DATA_PREFIX = 'data-'

export function newBackupId(now = new Date()): string {
  return `${now
    .toISOString()
    .replaceAll(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'Z')}-${randomBytes(3).toString('hex')}`
}

export function dataDirName(id: string): string {
  return `${DATA_PREFIX}${id}`
}

export function stagingDirName(id: string): string {
  return `${STAGING_PREFIX}${id}`
}

const STAGING_NAME = /^\.staging-[0-9]{8}T[0-9]{6}Z-[0-9a-f]{6}$/
const MANIFEST_TEMP_NAME = /^esc-backup\.json\.[0-9]+\.tmp$/

/** A staging directory or manifest temp file of a run: exactly the names the engine makes. */
function isRunLeftover(name: string): boolean {
  return STAGING_NAME.test(name) || MANIFEST_TEMP_NAME.test(name)
}

/**
 * Exactly the names the engine makes. Anything else (`data-live`, `data-x.before-restore-…`) is
 * not ours: the directory is refused rather than cleaned.
 */
function isOwnEntry(name: string): boolean {
  return name === MANIFEST_NAME || name === LOCK || isDataDirName(name) || isRunLeftover(name)
}

/**
 * Creates the directory if missing (returns whether it did); refuses one that holds anything other
 * than an esc backup.
 */
export async function openBackupDir(dir: string): Promise<string | undefined> {
  // The first directory mkdir created (`dir` or one of its parents), so that a failed run can undo it all.
  const created = await mkdir(dir, {recursive: true})
  const foreign = (await readdir(dir)).filter((n) => !isOwnEntry(n))
  if (foreign.length > 0) {
    throw new UsageError(
      `${dir} is not empty and not an esc backup (found ${foreign.slice(0, 3).join(', ')}); choose an empty or new directory`,
    )
  }
  return created
}

/**
 * Undoes openBackupDir's mkdir after a failed first run (the lock released): `dir`, then each parent
 * up to the first one it created, and only while each is empty (rmdir refuses anything else).
 */
export async function removeIfCreatedEmpty(dir: string, created: string | undefined): Promise<void> {
  if (created !== undefined) await removeCreatedDirs(dir, created).catch(() => undefined)
}

/** Takes `.lock` (O_EXCL); a lock left by a dead process is taken over. Returns the release function. */
export async function lockBackupDir(dir: string): Promise<() => Promise<void>> {
  const path = join(dir, LOCK)
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      const fh = await open(path, 'wx')
      await fh.writeFile(String(process.pid))
      await fh.close()
      return async () => {
        await unlink(path).catch(() => undefined)
      }
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error
      const pid = Number((await readFile(path, 'utf8').catch(() => '')).trim())
      if (pid > 0 && pid !== process.pid && isProcessAlive(pid)) {
        throw new EscError(`another backup (pid ${pid}) is running into ${dir}`, {
          kind: 'conflict',
          suggestions: ['Wait for it to finish, or remove .lock if that process is gone.'],
        })
      }
      await unlink(path).catch(() => undefined)
    }
  }
  throw new EscError(`could not lock ${dir}`, {kind: 'conflict'})
}

/**
 * Removes staging directories, manifest temps and data directories the manifest does not name
 * (leftovers of interrupted runs), never anything holding `protect` (the node's db and index).
 */
export async function removeLeftovers(dir: string, keepDataDir: string | undefined, protect: readonly string[]): Promise<string[]> {
  const removed: string[] = []
  for (const name of await readdir(dir)) {
    const stale = isRunLeftover(name) || (isDataDirName(name) && name !== keepDataDir)
    if (stale && (await removeInside(join(dir, name), dir, protect))) removed.push(name)
  }
  return removed
}

/** Mirrors `src` into `dst` with hard links (directories created): the starting point of a differential run. */
export async function hardLinkTree(src: string, dst: string): Promise<number> {
  await mkdir(dst, {recursive: true})
  let count = 0
  for (const e of await readdir(src, {withFileTypes: true})) {
    if (e.isDirectory()) count += await hardLinkTree(join(src, e.name), join(dst, e.name))
    else if (e.isFile()) {
      await link(join(src, e.name), join(dst, e.name)).catch(async (error: NodeJS.ErrnoException) => {
        // A filesystem without hard links (some network mounts): copy instead, slower but correct.
        if (!['EPERM', 'ENOTSUP', 'EOPNOTSUPP', 'EXDEV', 'EMLINK'].includes(error.code ?? '')) throw error
        // New data, unlike a link: flushed like every other copy before a manifest names it.
        await copyFile(join(src, e.name), join(dst, e.name))
        if (!deferFlush(join(dst, e.name))) await fsyncFile(join(dst, e.name))
      })
      count++
    }
  }
  return count
}

/** Staging becomes a data directory; the caller then writes the manifest naming it. */
export async function promoteStaging(dir: string, id: string): Promise<string> {
  const name = dataDirName(id)
  await rename(join(dir, stagingDirName(id)), join(dir, name))
  await fsyncDir(dir)
  return name
}

/** Every file under `dir`, relative with `/` separators. */
export async function listTree(dir: string, prefix = ''): Promise<string[]> {
  const out: string[] = []
  for (const e of await readdir(dir, {withFileTypes: true}).catch(() => [])) {
    const rel = prefix ? `${prefix}/${e.name}` : e.name
    if (e.isDirectory()) out.push(...(await listTree(join(dir, e.name), rel)))
    else out.push(rel)
  }
  return out
}
