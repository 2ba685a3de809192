import {join, resolve} from 'node:path'

import {EscError} from '../../core/errors.js'
import {lockBackupDir} from '../backup-dir.js'
import {removeInside} from '../contained-path.js'
import {MANIFEST_NAME, backupSizeBytes, readManifest, tryReadManifest} from '../manifest.js'
import {fsyncDir} from '../manifest.js'
import type {BackupSummary, ForgetResult} from './repo-admin.js'

/**
 * A local backup directory seen as a repository. It holds one backup at a time (each run replaces
 * the previous one, and keeps what did not change as hard links): listing shows that backup,
 * forgetting it removes its manifest, then its data directory, and the directory is left empty for
 * the next run (a full one).
 */
export async function listLocalBackups(dir: string): Promise<BackupSummary[]> {
  const m = await tryReadManifest(resolve(dir))
  if (!m) return []
  return [
    {
      id: m.id,
      time: m.timings.finishedAt,
      kind: m.kind,
      sizeBytes: backupSizeBytes(m),
      uploadedBytes: m.stats.bytesCopied,
      files: m.files.length,
      checkpoints: {writer: m.checkpoints.writer, chaser: m.checkpoints.chaser},
    },
  ]
}

export async function forgetLocalBackups(dirArg: string, which: {id: string} | {keepLast: number}): Promise<ForgetResult> {
  const dir = resolve(dirArg)
  const release = await lockBackupDir(dir)
  try {
    const m = await readManifest(dir)
    if ('keepLast' in which) {
      // One backup per directory: keeping the newest N ≥ 1 keeps it.
      return {forgotten: [], kept: [m.id], pruned: {objects: 0, bytes: 0}}
    }
    if (which.id !== m.id) {
      throw new EscError(`${dir} has no backup ${which.id} (it holds ${m.id})`, {kind: 'not-found'})
    }
    // The manifest first: from here on the directory holds no backup, whatever happens next.
    await removeInside(join(dir, MANIFEST_NAME), dir)
    await fsyncDir(dir)
    await removeInside(join(dir, m.dataDir), dir)
    return {forgotten: [m.id], kept: [], pruned: {objects: m.files.length, bytes: backupSizeBytes(m)}}
  } finally {
    await release()
  }
}
