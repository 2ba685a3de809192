import {join} from 'node:path'

import {removeInside, UnsafeRemovalError} from '../engine/contained-path.js'
import {isId} from './ids.js'
import type {StateLayout} from './layout.js'
import type {Store} from './store/index.js'
import type {OwnedKind} from './store/removals.js'

export {UnsafeRemovalError}

/** The directory of the state directory that holds the directories of `kind`. */
export function ownerOf(layout: StateLayout, kind: OwnedKind): string {
  return join(layout.root, kind === 'backup' ? 'backups' : 'clusters')
}

/**
 * The one way the local cloud removes a directory: `<state>/backups/<id>` or `<state>/clusters/<id>`
 * for an id of the store, only when its real location (symbolic links resolved; a link itself is
 * removed, never what it points to) is strictly inside that owner directory, and never when it is,
 * contains or lies inside an attached node's data or index directory. Returns whether something was
 * removed; throws UnsafeRemovalError (removing nothing) when refused.
 */
export async function safeRemoveOwned(store: Store, layout: StateLayout, kind: OwnedKind, id: string): Promise<boolean> {
  if (!isId(id)) throw new UnsafeRemovalError(`${kind} directory ${JSON.stringify(id)}: not an id of the local cloud`)
  const owner = ownerOf(layout, kind)
  return removeInside(join(owner, id), owner, store.clusters.attachedDirectories())
}

/**
 * Data copied into the state directory is for this user only, whatever modes the node's files had
 * (a copy keeps them): files 0600, directories 0700. Symbolic links are left as they are.
 */
export async function restrictModes(dir: string): Promise<void> {
  const {chmod, lstat, readdir} = await import('node:fs/promises')
  const st = await lstat(dir).catch(() => undefined)
  if (!st || st.isSymbolicLink()) return
  if (st.isDirectory()) {
    if ((st.mode & 0o777) !== 0o700) await chmod(dir, 0o700)
    for (const name of await readdir(dir)) await restrictModes(join(dir, name))
  } else if ((st.mode & 0o777) !== 0o600) {
    await chmod(dir, 0o600)
  }
}
