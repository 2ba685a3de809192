import {copyFile, mkdir, readFile, readdir, rename, stat} from 'node:fs/promises'
import {dirname, join, resolve} from 'node:path'

import {EscError, ExitCode, UsageError} from '../errors.js'
import {ProgressTracker} from './backup-context.js'
import {MAX_TRUNCATION} from './checkpoint.js'
import {runPool, writeFileAtomic} from './copy.js'
import {throwIfAborted} from './format-error.js'
import {defaultIndexDir} from './layout.js'
import {fsyncDir, readManifest} from './manifest.js'
import type {RestoreOptions, RestoreResult} from './types.js'
import {verifyDirectory} from './verify.js'

/**
 * Restores a backup onto a stopped node's directories: verifies the backup first (manifest and
 * hashes), refuses a non-empty target unless `force` (which moves it aside, never deletes), copies,
 * then writes truncate.chk as a copy of chaser.chk so the node cuts the log back on its next start.
 */
export async function restoreBackup(opts: RestoreOptions): Promise<RestoreResult> {
  const started = Date.now()
  const backupDir = resolve(opts.backupDir)
  const db = resolve(opts.db)
  const index = resolve(opts.index ?? defaultIndexDir(db))
  const log = opts.log ?? (() => undefined)
  const manifest = await readManifest(backupDir)
  log(`verifying ${backupDir}`)
  const report = await verifyDirectory(backupDir, {signal: opts.signal})
  if (!report.ok) {
    const first = report.problems.slice(0, 5).map((p) => `${p.file}: ${p.reason}`)
    throw new EscError(`the backup in ${backupDir} is not sound; nothing was restored`, {exit: ExitCode.FailedState, suggestions: [...first, 'Run `esc node verify` on it for the full list.']})
  }
  throwIfAborted(opts.signal, 'restore')
  const indexSeparate = !index.startsWith(db + '/')
  const targets = indexSeparate ? [db, index] : [db]
  const movedAside: string[] = []
  const stamp = new Date().toISOString().replaceAll(/[-:.]/g, '')
  for (const target of targets) {
    if (!(await isNonEmpty(target))) continue
    if (!opts.force) {
      throw new UsageError(`${target} is not empty; restore onto an empty directory or pass --force to move the current contents aside`)
    }
    const aside = `${target}.before-restore-${stamp}`
    await rename(target, aside)
    movedAside.push(aside)
    log(`moved ${target} aside to ${aside}`)
  }
  await mkdir(db, {recursive: true})
  await mkdir(index, {recursive: true})
  const dataDir = join(backupDir, manifest.dataDir)
  const files = manifest.files.filter((f) => f.path !== 'truncate.chk')
  const progress = new ProgressTracker(opts.onProgress)
  progress.addTotal(files.reduce((s, f) => s + f.size, 0))
  const dirs = new Set<string>()
  await runPool(
    files,
    opts.concurrency ?? 3,
    async (f) => {
      throwIfAborted(opts.signal, 'restore')
      const dst = f.path.startsWith('index/') ? join(index, f.path.slice('index/'.length)) : join(db, f.path)
      await mkdir(dirname(dst), {recursive: true})
      dirs.add(dirname(dst))
      await copyFile(join(dataDir, f.path), dst)
      progress.advance(f.size, f.path)
    },
    opts.signal,
  )
  throwIfAborted(opts.signal, 'restore')
  // truncate.chk := chaser.chk (8 bytes, fsynced): the node truncates to the backup's chaser on start.
  const chaserBytes = await readFile(join(dataDir, 'chaser.chk'))
  await writeFileAtomic(join(db, 'truncate.chk'), chaserBytes)
  for (const d of dirs) await fsyncDir(d)
  await fsyncDir(db)
  const {writer, chaser} = manifest.checkpoints
  const exceeds = writer - chaser > MAX_TRUNCATION
  const notes = [
    `truncate.chk = ${chaser} (copy of chaser.chk): on its first start the node truncates the log to it.`,
    'From 24.6 on the node exits (code 0) after that truncation: start it a second time.',
    ...(exceeds ? [`writer − chaser is ${writer - chaser} bytes, over the default MaxTruncation (256 MiB): start the node once with MaxTruncation=-1.`] : []),
    ...(manifest.source.duckdb ? ['The backup holds secondary-index (DuckDB) files from a cold copy.'] : []),
    'If this node was the backup source, take a new full backup once it is back (esc node backup --full).',
  ]
  return {db, index, files: files.length, bytes: progress.bytesDone, movedAside, truncateTo: chaser, writer, chaser, exceedsMaxTruncation: exceeds, notes, durationMs: Date.now() - started}
}

async function isNonEmpty(dir: string): Promise<boolean> {
  const st = await stat(dir).catch(() => undefined)
  if (!st) return false
  if (!st.isDirectory()) throw new UsageError(`${dir} exists and is not a directory`)
  return (await readdir(dir)).length > 0
}
