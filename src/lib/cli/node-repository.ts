import {formatDuration} from '../core/duration.js'
import {EscError, isAbortError} from '../core/errors.js'
import type {CodecFactory} from '../engine/repository/codec.js'
import {type RepositoryBackupOptions, backupToRepository} from '../engine/repository/repo-backup.js'
import {restoreFromRepository, verifyRepositoryBackup} from '../engine/repository/repo-restore.js'
import {openRepository} from '../engine/repository/open.js'
import {ProgressLine, formatBytes, interactiveStderr} from '../engine/progress.js'
import type {EngineLog, ProgressEvent, RestoreOptions} from '../engine/types.js'
import {storageSummary} from './repository-password.js'
import {withInterrupt} from './wait/interrupt.js'

/**
 * `esc node backup|restore|verify s3://…`: the commands hand a repository URL here (loaded only
 * then, so that a local backup never loads the S3 client).
 */
export interface RepositoryUi {
  json: boolean
  debug: boolean
  /** How objects are encoded (encryption, compression) and the password (cli/repository-password.ts); the identity codec when not given. */
  codecs?: CodecFactory
  /** The --compress this run was given, for the summary. */
  compress?: string
}

function ui(opts: RepositoryUi): {progress: ProgressLine; log: EngineLog} {
  const interactive = interactiveStderr()
  const progress = new ProgressLine(interactive, (s) => process.stderr.write(s))
  const log: EngineLog = (line, level) => {
    if (level === 'notice' || level === 'warning' || interactive || opts.debug) {
      progress.end()
      process.stderr.write(`${line}\n`)
    }
  }
  return {progress, log}
}

export async function backupToUrl(
  url: string,
  options: Omit<RepositoryBackupOptions, 'repository' | 'signal' | 'log' | 'onProgress'>,
  opts: RepositoryUi,
): Promise<Record<string, unknown>> {
  const {progress, log} = ui(opts)
  const {repo} = await openRepository(url, {create: true, codecs: opts.codecs})
  try {
    const m = await withInterrupt((signal) =>
      backupToRepository({...options, repository: repo, signal, log, onProgress: (p) => progress.update(p)}),
    )
    progress.end()
    const {files: _files, ...summary} = m
    const result = {...summary, repository: repo.description, sizeBytes: m.stats.bytes}
    if (!opts.json) {
      const s = m.stats
      process.stdout.write(
        [
          `Backup ${m.id} (${m.kind}) written to ${repo.description}`,
          `  files: ${s.files} (${formatBytes(s.bytes)}); uploaded ${m.uploaded.objects} objects (${formatBytes(m.uploaded.bytes)}), already there ${s.filesKept}`,
          ...(m.staged
            ? [
                `  copied locally first: ${m.staged.files} files (${formatBytes(m.staged.bytes)}); completed chunks and PTables went straight to the store`,
              ]
            : []),
          `  log: writer ${m.checkpoints.writer}, chaser ${m.checkpoints.chaser}, chunk size ${formatBytes(m.chunkSize)}, last chunk ${m.lastChunk}`,
          `  objects: ${storageSummary(repo.codec.params, opts.compress)}`,
          `  took ${formatDuration(m.timings.durationMs, 'compact')}`,
        ].join('\n') + '\n',
      )
    }
    return result
  } catch (error) {
    progress.end()
    if (isAbortError(error)) throw new EscError(`backup interrupted; no backup was recorded in ${repo.description}`, {kind: 'interrupted'})
    throw error
  } finally {
    await repo.store.close?.()
  }
}

/** The command's restore options (progress, log, signal included) against the repository the URL names. */
export async function restoreFromUrl(url: string, opts: Omit<RestoreOptions, 'backupDir'>, codecs?: CodecFactory) {
  const {repo, backupId} = await openRepository(url, {codecs})
  try {
    return await restoreFromRepository(repo, backupId, opts)
  } finally {
    await repo.store.close?.()
  }
}

/** Downloads and checks every object of a repository's backup, then checks it as a local backup. */
export async function verifyUrl(url: string, opts: {onProgress?: (p: ProgressEvent) => void; codecs?: CodecFactory} = {}) {
  const {repo, backupId} = await openRepository(url, {codecs: opts.codecs})
  try {
    return await withInterrupt((signal) => verifyRepositoryBackup(repo, backupId, {signal, onProgress: opts.onProgress}))
  } finally {
    await repo.store.close?.()
  }
}
