import {stat, statfs} from 'node:fs/promises'
import {dirname} from 'node:path'

import {DiskFullError} from './format-error.js'
import type {ManifestFile} from './manifest.js'
import type {RestoreNode} from './restore-copy.js'

/** What a restore writes into a target beyond the backup's files: the marker, truncate.chk, directories. */
const TARGET_SLACK = 4096

/** The bytes this process may still write on the filesystem holding the existing path `path`. */
export type FreeSpaceProbe = (path: string) => Promise<number>

export const statfsFree: FreeSpaceProbe = async (path) => {
  const fs = await statfs(path)
  return fs.bavail * fs.bsize
}

export interface SpaceNeed {
  /** A target directory, or where a download is written (it need not exist yet). */
  target: string
  bytes: number
  /** A download next to the targets: counted, but named only when no target shares its filesystem. */
  download?: boolean
}

/** `path`, or its nearest existing ancestor (a target may not exist yet). */
async function existingAncestor(path: string): Promise<string> {
  let probe = path
  while (!(await stat(probe).catch(() => undefined))) probe = dirname(probe)
  return probe
}

/** The device of `path`, or of its nearest existing ancestor. */
export async function deviceOf(path: string): Promise<number> {
  return (await stat(await existingAncestor(path))).dev
}

/**
 * The space each target of a restore needs: the backup's files that land in it. Files moved out of
 * `movedFrom` (a consumed download) take no new space in the first node's targets on the same
 * filesystem; every other node, and a target on another filesystem, needs its full size.
 */
export async function restoreNeeds(
  nodes: RestoreNode[],
  files: Pick<ManifestFile, 'path' | 'size'>[],
  movedFrom?: string,
): Promise<SpaceNeed[]> {
  const bytesIn = (node: RestoreNode, target: string) =>
    files
      .filter((f) => (f.path.startsWith('index/') ? node.index : node.db) === target || (!node.indexSeparate && target === node.db))
      .reduce((s, f) => s + f.size, 0) + TARGET_SLACK
  const movedDev = movedFrom === undefined ? undefined : await deviceOf(movedFrom)
  const needs: SpaceNeed[] = []
  for (const [i, node] of nodes.entries()) {
    for (const target of node.indexSeparate ? [node.db, node.index] : [node.db]) {
      const moved = i === 0 && movedDev !== undefined && (await deviceOf(target)) === movedDev
      needs.push({target, bytes: moved ? TARGET_SLACK : bytesIn(node, target)})
    }
  }
  return needs
}

/**
 * Refuses, before anything is written, a restore whose files do not fit: needs on one filesystem
 * (several nodes restored on one machine, a download next to them) are counted together, and the
 * refusal names every target on the filesystem that is short.
 */
export async function checkFreeSpace(needs: SpaceNeed[], freeSpace: FreeSpaceProbe = statfsFree): Promise<void> {
  const byDevice = new Map<number, {probe: string; needs: SpaceNeed[]; bytes: number}>()
  for (const need of needs) {
    const probe = await existingAncestor(need.target)
    const {dev} = await stat(probe)
    const group = byDevice.get(dev) ?? {probe, needs: [], bytes: 0}
    group.needs.push(need)
    group.bytes += need.bytes
    byDevice.set(dev, group)
  }
  for (const {probe, needs: group, bytes} of byDevice.values()) {
    const free = await freeSpace(probe)
    if (free >= bytes) continue
    const targets = group.filter((n) => !n.download).map((n) => n.target)
    const where = targets.length > 0 ? targets.join(', ') : `the download in ${group[0].target}`
    throw new DiskFullError(
      `not enough space for the restore in ${where}: needs ${bytes} bytes, ${free} free; free space and restore again`,
    )
  }
}
