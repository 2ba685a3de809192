import {lstat} from 'node:fs/promises'

import {EscError} from '../core/errors.js'

/**
 * Whether `error` means the node's file `src` was deleted after it was listed (a PTable merge, a
 * scavenge): a missing-file error, and `src` really is gone. A missing file on the backup's side
 * raises the same code and must not pass for it.
 */
export async function vanishedFromNode(error: unknown, src: string): Promise<boolean> {
  if ((error as NodeJS.ErrnoException | undefined)?.code !== 'ENOENT') return false
  return lstat(src).then(
    () => false,
    (error_: NodeJS.ErrnoException) => error_.code === 'ENOENT',
  )
}

/**
 * A chunk deleted during the copy: only a scavenge does that, and a backup cannot be whole while
 * one runs (the documented procedure expects every listed chunk to copy).
 */
export async function chunkCopyError(error: unknown, src: string): Promise<unknown> {
  if (!(await vanishedFromNode(error, src))) return error
  return new EscError(
    `${src} was deleted on the node during the backup (a scavenge replaced it); stop scavenges on the node (the node guard does) and back up again`,
    {kind: 'unsafe-source', cause: error},
  )
}
