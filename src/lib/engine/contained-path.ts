import {lstat, realpath, rm, rmdir} from 'node:fs/promises'
import {basename, dirname, isAbsolute, join, resolve, sep} from 'node:path'

import {EscError} from '../core/errors.js'

/**
 * Path containment, in one place: every path the engine reads from a manifest or a listing is a
 * plain relative name inside its parent, and every removal is proven to be strictly inside a
 * directory the engine owns and clear of the node's data, after resolving symbolic links.
 */

/** The real path of `path`: symbolic links resolved in the part that exists, the rest appended. */
export async function realPathOf(path: string): Promise<string> {
  const absolute = resolve(path)
  try {
    return await realpath(absolute)
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT' && (error as NodeJS.ErrnoException).code !== 'ENOTDIR') throw error
    const parent = dirname(absolute)
    if (parent === absolute) return absolute
    return join(await realPathOf(parent), basename(absolute))
  }
}

/** Whether `child` lies strictly inside `parent` (both absolute and normalised). */
export function isInside(child: string, parent: string): boolean {
  const base = parent.endsWith(sep) ? parent : parent + sep
  return child.startsWith(base) && child.length > base.length
}

/** Whether one of the two is, or lies inside, the other. */
export function overlaps(a: string, b: string): boolean {
  return a === b || isInside(a, b) || isInside(b, a)
}

const PLAIN_SEGMENT = /^[A-Za-z0-9_][A-Za-z0-9._-]*$/

/**
 * Whether `path` is a relative path of plain names (`index/stream-existence/x.chk`): no `..`,
 * `.`, empty or absolute parts, no backslash or NUL, at most `maxDepth` parts.
 */
export function isPlainRelativePath(path: unknown, maxDepth = 3): path is string {
  if (typeof path !== 'string' || path === '' || isAbsolute(path)) return false
  const parts = path.split('/')
  return parts.length <= maxDepth && parts.every((p) => PLAIN_SEGMENT.test(p) && p !== '.' && p !== '..')
}

export class UnsafeRemovalError extends EscError {
  constructor(message: string) {
    super(`refusing to remove ${message}; nothing was removed`, {kind: 'refused'})
    this.name = 'UnsafeRemovalError'
  }
}

/**
 * Removes `target` (recursively) only when its real location is strictly inside `owner`'s and it
 * neither is, contains nor lies inside any of `protect` (the node's db and index, a backup being
 * restored from). A symbolic link is removed itself, never what it points to. Missing: no-op.
 */
export async function removeInside(target: string, owner: string, protect: readonly string[] = []): Promise<boolean> {
  const exists = await lstat(target).then(
    () => true,
    () => false,
  )
  if (!exists) return false
  // The parent's real path plus the final name: a link named `target` is judged (and removed) as a link.
  const real = join(await realPathOf(dirname(resolve(target))), basename(target))
  const ownerReal = await realPathOf(owner)
  if (!isInside(real, ownerReal)) throw new UnsafeRemovalError(`${target}: it is not inside ${owner}`)
  for (const p of protect) {
    const guarded = await realPathOf(p)
    if (overlaps(real, guarded)) throw new UnsafeRemovalError(`${target}: it overlaps ${p}`)
  }
  await rm(real, {recursive: true, force: true})
  return true
}

/**
 * Removes `dir` and each parent up to `createdFrom`, the outermost directory a `mkdir -p` of `dir`
 * reported creating. Only empty directories go (rmdir refuses anything else, and the error is
 * thrown), so nothing that was there before the run, or that something else put there, is touched.
 */
export async function removeCreatedDirs(dir: string, createdFrom: string): Promise<void> {
  const top = resolve(createdFrom)
  for (let current = resolve(dir); ; current = dirname(current)) {
    await rmdir(current)
    if (current === top || dirname(current) === current) return
  }
}
