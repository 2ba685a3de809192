import {copyFile, mkdir, readFile} from 'node:fs/promises'
import {dirname, join, resolve} from 'node:path'

import {writeFileAtomic} from '../core/atomic-write.js'
import {EscError, isAbortError, UsageError} from '../core/errors.js'
import {ProgressTracker} from './backup-context.js'
import {MAX_TRUNCATION} from './checkpoint.js'
import {isInside, realPathOf} from './contained-path.js'
import {partialName, runPool} from './copy.js'
import {AbortError, DiskFullError, UnsoundBackupError, throwIfAborted} from './format-error.js'
import {defaultIndexDir} from './layout.js'
import {fsyncDir, readManifest} from './manifest.js'
import {RestoreTarget, checkFreeSpace, checkRestoreTarget} from './restore-target.js'
import type {RestoreOptions, RestoreResult} from './types.js'
import {verifyDirectory} from './verify.js'

const isDiskFull = (error: unknown) => (error as NodeJS.ErrnoException)?.code === 'ENOSPC'

/**
 * Restores a backup onto a stopped node's directories: verifies the backup first (manifest and
 * hashes), refuses a target inside or containing a backup directory, refuses a non-empty target
 * unless `force` (which moves it aside, never deletes), checks the space, copies, then writes
 * truncate.chk as a copy of chaser.chk so the node cuts the log back on its next start. A restore
 * that fails or is interrupted removes what it wrote and puts a moved-aside target back.
 */
export async function restoreBackup(opts: RestoreOptions): Promise<RestoreResult> {
  const started = Date.now()
  const backupDir = resolve(opts.backupDir)
  const db = resolve(opts.db)
  const index = resolve(opts.index ?? defaultIndexDir(db))
  const log = opts.log ?? (() => undefined)
  const manifest = await readManifest(backupDir)
  const [dbReal, indexReal] = [await realPathOf(db), await realPathOf(index)]
  if (dbReal === indexReal || isInside(dbReal, indexReal)) {
    throw new UsageError(
      `the restore target ${db} is, or is inside, the index directory ${index} (the default index directory is ${defaultIndexDir(db)})`,
      {
        hint: {advice: 'separate-index'},
      },
    )
  }
  const indexSeparate = !isInside(indexReal, dbReal)
  const targets = indexSeparate ? [db, index] : [db]
  for (const target of targets) await checkRestoreTarget(target, backupDir)
  log(`verifying ${backupDir}`)
  const report = await verifyDirectory(backupDir, {signal: opts.signal}).catch((error: Error) => {
    throw isAbortError(error) ? new AbortError(`restore interrupted while verifying the backup; nothing was written to ${db}`) : error
  })
  if (!report.ok) {
    const first = report.problems.slice(0, 5).map((p) => `${p.file}: ${p.reason}`)
    throw new UnsoundBackupError(`the backup in ${backupDir} is not sound; nothing was restored`, report.problems, [
      ...first,
      'Run `esc node verify` on it for the full list.',
    ])
  }
  if (opts.signal?.aborted) throw new AbortError(`restore interrupted; nothing was written to ${db}`)
  const dataDir = join(backupDir, manifest.dataDir)
  const files = manifest.files.filter((f) => f.path !== 'truncate.chk')
  const destination = (path: string) => (path.startsWith('index/') ? join(index, path.slice('index/'.length)) : join(db, path))
  for (const target of targets) {
    await checkFreeSpace(target, files.filter((f) => destination(f.path).startsWith(target + '/')).reduce((s, f) => s + f.size, 0) + 4096)
  }
  const target = await RestoreTarget.prepare(targets, {force: opts.force, protect: [backupDir], log})
  const progress = new ProgressTracker(opts.onProgress)
  progress.addTotal(files.reduce((s, f) => s + f.size, 0))
  try {
    await mkdir(index, {recursive: true})
    const dirs = new Set<string>()
    await runPool(
      files,
      opts.concurrency ?? 3,
      async (f) => {
        throwIfAborted(opts.signal, 'restore')
        const dst = destination(f.path)
        await mkdir(dirname(dst), {recursive: true})
        dirs.add(dirname(dst))
        await copyFile(join(dataDir, f.path), dst)
        progress.advance(f.size, f.path)
      },
      opts.signal,
    )
    throwIfAborted(opts.signal, 'restore')
    // truncate.chk := chaser.chk (8 bytes, fsynced): the node truncates to the backup's chaser on start.
    const truncateChk = join(db, 'truncate.chk')
    await writeFileAtomic(truncateChk, await readFile(join(dataDir, 'chaser.chk')), {tempPath: partialName(truncateChk)})
    for (const d of dirs) await fsyncDir(d)
    await target.commit()
  } catch (error) {
    const state = await target.undo()
    if (opts.signal?.aborted) throw new AbortError(`restore interrupted; ${state}`)
    if (isDiskFull(error)) throw new DiskFullError(`the disk filled while restoring into ${db}; ${state}`, error)
    throw new EscError(`restore into ${db} failed: ${(error as Error).message}; ${state}`, {cause: error})
  }
  const {writer, chaser} = manifest.checkpoints
  const exceeds = writer - chaser > MAX_TRUNCATION
  const notes = [
    `truncate.chk = ${chaser} (copy of chaser.chk): on its first start the node truncates the log to it.`,
    'From 24.6 on the node exits (code 0) after that truncation: start it a second time.',
    ...(exceeds
      ? [
          `writer − chaser is ${writer - chaser} bytes, over the default MaxTruncation (256 MiB): start the node once with MaxTruncation=-1.`,
        ]
      : []),
    ...(manifest.source.duckdb ? ['The backup holds secondary-index (DuckDB) files from a cold copy.'] : []),
    'If this node was the backup source, take a new full backup once it is back: a differential one would build on data the restore replaced.',
  ]
  return {
    db,
    index,
    files: files.length,
    bytes: progress.bytesDone,
    movedAside: target.movedAside,
    truncateTo: chaser,
    writer,
    chaser,
    exceedsMaxTruncation: exceeds,
    notes,
    durationMs: Date.now() - started,
  }
}
