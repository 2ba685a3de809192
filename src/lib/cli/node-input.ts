import {stat} from 'node:fs/promises'
import {join} from 'node:path'

import {UsageError} from '../core/errors.js'

/**
 * Checks of the paths and URLs given to `esc node …` and `esc local …`, before the engine or the
 * server runs: a path that does not exist, or is a file, is the user's input to fix (exit 2), not
 * an error the engine reports in its own terms.
 */

/** `path` must be an existing directory; `what` ends the message: `give the backup directory`. */
export async function requireDirectory(path: string, what: string): Promise<void> {
  const st = await stat(path).catch(() => undefined)
  if (!st) throw new UsageError(`${path}: no such directory; ${what}`)
  if (!st.isDirectory()) throw new UsageError(`${path} is a file, not a directory; ${what}`)
}

/** `path` is a directory or does not exist yet (it will be created); a file there is refused. */
export async function refuseFile(path: string, what: string): Promise<void> {
  const st = await stat(path).catch(() => undefined)
  if (st && !st.isDirectory()) throw new UsageError(`${path} is a file, not a directory; ${what}`)
}

/** `--link-from` must be a backup directory: one holding the manifest `esc node backup` writes. */
export async function requireBackupDirectory(flag: string, path: string): Promise<void> {
  const st = await stat(path).catch(() => undefined)
  const manifest = st?.isDirectory() ? await stat(join(path, 'esc-backup.json')).catch(() => undefined) : undefined
  if (!manifest?.isFile()) {
    const why = !st ? 'it does not exist' : !st.isDirectory() ? 'it is a file' : 'it has no esc-backup.json'
    throw new UsageError(`${flag} ${path} is not a backup directory (${why}): give a directory written by \`esc node backup\``)
  }
}

/** A node's HTTP URL (`--node-url`): http or https, with a host. */
export function requireHttpUrl(flag: string, value: string): void {
  let url: URL | undefined
  try {
    url = new URL(value)
  } catch {
    url = undefined
  }
  if (!url || !/^https?:$/.test(url.protocol) || !url.hostname) {
    throw new UsageError(`${flag} ${value} is not a URL: give the node's HTTP URL, e.g. https://127.0.0.1:2113`)
  }
}
