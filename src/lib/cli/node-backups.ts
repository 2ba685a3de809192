import {UsageError} from '../core/errors.js'
import type {CodecFactory} from '../engine/repository/codec.js'
import {forgetLocalBackups, listLocalBackups} from '../engine/repository/local-dir.js'
import {openRepository} from '../engine/repository/open.js'
import {type BackupSummary, type ForgetResult, forgetBackups, listRepositoryBackups} from '../engine/repository/repo-admin.js'
import {formatBytes} from '../engine/progress.js'
import {requireDirectory} from './node-input.js'

/**
 * `esc node backups list|forget <repo>`: an s3:// repository (many backups sharing objects) or a
 * local backup directory (one backup, replaced by each run).
 */
export async function listBackups(repo: string, codecs?: CodecFactory): Promise<BackupSummary[]> {
  if (!repo.startsWith('s3://')) {
    await requireDirectory(repo, 'give a backup directory written by `esc node backup`, or s3://bucket/prefix')
    return listLocalBackups(repo)
  }
  const {repo: r} = await openRepository(repo, {codecs})
  try {
    return await listRepositoryBackups(r)
  } finally {
    await r.store.close?.()
  }
}

export function backupsTable(rows: BackupSummary[]): string {
  if (rows.length === 0) return 'No backups.\n'
  const cells = [
    ['ID', 'TIME', 'KIND', 'SIZE', 'ADDED', 'FILES', 'WRITER', 'CHASER'],
    ...rows.map((b) => [
      b.id,
      b.time.replace(/\.\d+Z$/, 'Z'),
      b.kind,
      formatBytes(b.sizeBytes),
      formatBytes(b.uploadedBytes),
      String(b.files),
      String(b.checkpoints.writer),
      String(b.checkpoints.chaser),
    ]),
  ]
  const widths = cells[0].map((_, i) => Math.max(...cells.map((r) => r[i].length)))
  return (
    cells
      .map((r) =>
        r
          .map((c, i) => c.padEnd(widths[i]))
          .join('  ')
          .trimEnd(),
      )
      .join('\n') + '\n'
  )
}

export async function forget(repo: string, which: {id: string} | {keepLast: number}, codecs?: CodecFactory): Promise<ForgetResult> {
  if (!repo.startsWith('s3://')) {
    await requireDirectory(repo, 'give a backup directory written by `esc node backup`, or s3://bucket/prefix')
    return forgetLocalBackups(repo, which)
  }
  const {repo: r} = await openRepository(repo, {codecs})
  try {
    return await forgetBackups(r, which)
  } finally {
    await r.store.close?.()
  }
}

export function forgetWhich(id: string | undefined, keepLast: number | undefined): {id: string} | {keepLast: number} {
  if ((id === undefined) === (keepLast === undefined)) {
    throw new UsageError('give either a backup id or --keep-last N (not both): `esc node backups forget <repo> <backup-id>`')
  }
  return id === undefined ? {keepLast: keepLast!} : {id}
}

export function forgetSummary(repo: string, r: ForgetResult): string {
  const lines = [
    r.forgotten.length > 0
      ? `Forgot ${r.forgotten.length} backup(s) in ${repo}: ${r.forgotten.join(', ')}`
      : `Nothing to forget in ${repo}`,
    `  kept ${r.kept.length}${r.kept.length > 0 ? `: ${r.kept.join(', ')}` : ''}`,
  ]
  if (r.pruned) lines.push(`  pruned ${r.pruned.objects} unreferenced objects (${formatBytes(r.pruned.bytes)})`)
  if (r.skipped) lines.push(`  prune skipped: ${r.skipped}; run forget again later to remove unreferenced objects`)
  return lines.join('\n') + '\n'
}
