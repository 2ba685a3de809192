import {lstat, readdir} from 'node:fs/promises'
import {join} from 'node:path'

/** The bytes of every regular file under `root` (directories and links count nothing). */
export async function bytesUnder(root: string): Promise<number> {
  let total = 0
  for (const e of await readdir(root, {withFileTypes: true, recursive: true}).catch(() => [])) {
    if (e.isFile()) total += (await lstat(join(e.parentPath, e.name))).size
  }
  return total
}

/**
 * A filesystem of `capacity` bytes that holds `root` and nothing else, as a restore's free-space
 * probe sees it: what is free shrinks as files are written under `root` (a download, a copy) and
 * does not change when a file is renamed within it. Every path asked about is answered the same:
 * the tests keep everything they restore under `root`. The paths asked about are recorded.
 */
export function fakeDisk(root: string, capacity: number): {freeSpace: (path: string) => Promise<number>; asked: string[]} {
  const asked: string[] = []
  return {
    asked,
    freeSpace: async (path) => {
      asked.push(path)
      return Math.max(0, capacity - (await bytesUnder(root)))
    },
  }
}
