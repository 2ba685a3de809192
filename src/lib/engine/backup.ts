import {mkdir, stat} from 'node:fs/promises'
import {join, resolve} from 'node:path'

import {EscError, UsageError} from '../core/errors.js'
import {redactUrlCredentials} from '../core/url-credentials.js'
import {type BackupContext, ProgressTracker, indexPreviousBackup} from './backup-context.js'
import {
  hardLinkTree,
  listTree,
  lockBackupDir,
  newBackupId,
  openBackupDir,
  promoteStaging,
  removeIfCreatedEmpty,
  removeLeftovers,
  stagingDirName,
  dataDirName,
} from './backup-dir.js'
import {backupIndex} from './backup-index.js'
import {backupLog} from './backup-log.js'
import {buildManifest} from './backup-manifest.js'
import {MAX_TRUNCATION} from './checkpoint.js'
import {isInside, realPathOf, removeInside} from './contained-path.js'
import {copyFileAtomic} from './copy.js'
import {collectFlushes} from './deferred-flush.js'
import {AbortError, UnsoundBackupError, throwIfAborted} from './format-error.js'
import {NodeGuard} from './guard.js'
import {defaultIndexDir, discoverLayout} from './layout.js'
import {type BackupManifest, MANIFEST_NAME, type ManifestFile, fsyncDir, readManifest, tryReadManifest, writeManifest} from './manifest.js'
import {md5OfFile} from './md5.js'
import {checkIndexDirectory, checkSource} from './source-check.js'
import {traced} from './trace-timings.js'
import type {BackupOptions} from './types.js'
import {verifyBackupData} from './verify.js'

/**
 * Backs up a node's data directory into `backupDir`: a full backup when the directory is empty or
 * `full` is set, otherwise differential against the backup already there (same code path).
 *
 * A backup never makes things worse: the source is checked before anything is staged, the staged
 * backup is verified before it replaces the previous one, the manifest is written last, and every
 * removal is proven to be inside the backup directory and clear of the node's data. On error or
 * abort the previous backup stays as it was and the promise rejects (an AbortError on abort).
 */
export async function backupNode(opts: BackupOptions): Promise<BackupManifest> {
  const started = new Date()
  const db = resolve(opts.db)
  const index = resolve(opts.index ?? defaultIndexDir(db))
  const backupDir = resolve(opts.backupDir)
  const log = opts.log ?? (() => undefined)
  const offline = opts.offline ?? false
  await assertDirectory(db)
  await checkRunPaths(db, index, backupDir)
  await checkIndexDirectory(index, opts.index !== undefined)
  const layout = await discoverLayout(db, index)
  if (layout.duckdb.length > 0 && !offline) {
    throw new EscError(`${db} has secondary-index files (${layout.duckdb.join(', ')}); a hot file copy of them is not safe`, {
      kind: 'unsafe-source',
      hint: {advice: 'offline'},
    })
  }
  // Before anything is created: a node URL that does not parse must leave no directory behind.
  const guard = opts.nodeGuard ? new NodeGuard(opts.nodeGuard, log, opts.signal) : undefined
  const created = await openBackupDir(backupDir)
  const release = await lockBackupDir(backupDir)
  const protect = [db, index]
  const id = newBackupId(started)
  const staging = join(backupDir, stagingDirName(id))
  try {
    const current = await openCurrentBackup(backupDir, protect, log)
    const nodeInfo = guard ? await guard.prepare() : undefined
    // Everything the run reads is checked before the staging directory exists.
    await traced('backup:check-source', () => checkSource(db, index, opts.index !== undefined))
    throwIfAborted(opts.signal, 'backup')
    const differential = Boolean(current) && !opts.full
    if (differential) await hardLinkTree(join(backupDir, current!.dataDir), staging)
    else await mkdir(staging, {recursive: true})
    const linkFrom = opts.linkFrom ? await readLinkFrom(opts.linkFrom) : undefined
    const ctx: BackupContext = {
      db,
      index,
      protect,
      staging,
      verify: opts.verify ?? true,
      offline,
      signal: opts.signal,
      log,
      previous: differential ? indexPreviousBackup(current!, join(backupDir, current!.dataDir)) : undefined,
      linkFrom,
      files: new Map(differential ? current!.files.map((f) => [f.path, {...f, origin: 'kept' as const}]) : []),
      progress: new ProgressTracker(opts.onProgress),
      recordsChecked: new Map(),
      warnings: [],
      concurrency: opts.concurrency ?? 3,
      sleep: opts.sleep ?? ((ms) => new Promise((r) => setTimeout(r, ms))),
    }
    const t0 = Date.now()
    let t1 = t0
    // The copies are flushed together once all are made, not one by one (see deferred-flush.ts).
    const {
      result: {indexResult, logResult},
      flush,
    } = await collectFlushes(async () => {
      const indexResult = await traced('backup:index', () => backupIndex(ctx))
      t1 = Date.now()
      const logResult = await traced('backup:log', () => backupLog(ctx, layout.duckdb))
      if (offline) await copyDuckDb(ctx, layout.duckdb)
      return {indexResult, logResult}
    })
    const t2 = Date.now()
    throwIfAborted(opts.signal, 'backup')
    ctx.warnings.push(...restoreWarnings(logResult.checkpoints, indexResult))
    for (const w of ctx.warnings) log(`warning: ${w}`, 'warning')
    const files = await reconcile(ctx)
    await traced('backup:fsync-dirs', async () => {
      for (const sub of ['index', 'index/stream-existence', 'index/scavenging', ''])
        await fsyncDir(join(staging, sub)).catch(() => undefined)
    })
    const manifest = buildManifest({
      id,
      dataDir: dataDirName(id),
      differential,
      ctx,
      files,
      index: indexResult,
      log: logResult,
      duckdb: layout.duckdb.length > 0,
      nodeUrl: opts.nodeGuard?.url,
      node: nodeInfo,
      started,
      finished: new Date(),
      timings: {indexMs: t1 - t0, logMs: t2 - t1},
    })
    // The checks read from the page cache while the device writes the copies back. Both settle
    // before anything else happens: promotion and manifest only after both succeeded, and no
    // removal of the staging directory under a running flush.
    const [flushed, checked] = await Promise.allSettled([
      flush(),
      traced('backup:assert-restorable', () => assertRestorable(staging, manifest, ctx.recordsChecked, opts.signal)),
    ])
    for (const outcome of [checked, flushed]) if (outcome.status === 'rejected') throw outcome.reason
    await promoteStaging(backupDir, id)
    await writeManifest(backupDir, manifest)
    if (current && current.dataDir !== manifest.dataDir) await removeInside(join(backupDir, current.dataDir), backupDir, protect)
    return manifest
  } catch (error) {
    await removeInside(staging, backupDir, protect).catch(() => undefined)
    if (opts.signal?.aborted && !(error instanceof AbortError)) throw new AbortError('backup aborted; the previous backup is unchanged')
    throw error
  } finally {
    try {
      await guard?.release()
    } catch (error) {
      // The backup itself is complete (or already failed): say loudly what is left to do.
      const url = redactUrlCredentials(opts.nodeGuard?.url ?? '')
      log(
        `warning: could not resume auto-scavenge on ${url}: ${redactUrlCredentials((error as Error).message)}; resume it with POST /auto-scavenge/resume`,
        'warning',
      )
    } finally {
      await release()
      await removeIfCreatedEmpty(backupDir, created)
    }
  }
}

/**
 * The backup already in the directory, read under the lock (a run that finished just before has
 * replaced the manifest and removed the data directory the old one named), and the leftovers of an
 * interrupted run removed. A damaged manifest throws, and so does one naming a data directory that
 * is not there (every other data directory would look like a leftover, the real data included):
 * nothing is removed then.
 */
async function openCurrentBackup(
  backupDir: string,
  protect: readonly string[],
  log: (line: string) => void,
): Promise<BackupManifest | undefined> {
  const current = await tryReadManifest(backupDir)
  if (current && !(await stat(join(backupDir, current.dataDir)).catch(() => undefined))?.isDirectory()) {
    throw new UnsoundBackupError(
      `the backup in ${backupDir} is not sound: ${MANIFEST_NAME} names the data directory ${current.dataDir}, which is missing; nothing was changed. Back up into a new directory`,
    )
  }
  const removed = await removeLeftovers(backupDir, current?.dataDir, protect)
  if (removed.length > 0) log(`removed leftovers of an interrupted run: ${removed.join(', ')}`)
  return current
}

/** What the first start after restoring this backup will do that an operator should know first. */
function restoreWarnings({writer, chaser}: {writer: number; chaser: number}, index: {map?: {commitCheckpoint: number}}): string[] {
  const warnings: string[] = []
  if (writer - chaser > MAX_TRUNCATION) {
    warnings.push(
      `writer.chk − chaser.chk = ${writer - chaser} bytes exceeds the default MaxTruncation (256 MiB): the first start after a restore needs MaxTruncation=-1`,
    )
  }
  if (index.map && index.map.commitCheckpoint >= chaser) {
    warnings.push(
      `indexmap commit checkpoint ${index.map.commitCheckpoint} is not below chaser.chk ${chaser}: the node will rebuild its index after a restore`,
    )
  }
  return warnings
}

/** The backup directory shares nothing with the node's data: neither lies inside the other (links resolved). */
async function checkRunPaths(db: string, index: string, backupDir: string): Promise<void> {
  const [dbReal, indexReal, backupReal] = await Promise.all([realPathOf(db), realPathOf(index), realPathOf(backupDir)])
  for (const [what, path, real] of [
    ['data directory', db, dbReal],
    ['index directory', index, indexReal],
  ] as const) {
    if (real === backupReal) throw new UsageError(`the ${what} ${path} is the backup directory; back up into a directory of its own`)
    if (isInside(real, backupReal))
      throw new UsageError(
        `the ${what} ${path} is inside the backup directory ${backupDir}; back up into a directory outside the node's data`,
      )
    if (isInside(backupReal, real))
      throw new UsageError(
        `the backup directory ${backupDir} is inside the ${what} ${path}; back up into a directory outside the node's data`,
      )
  }
}

/**
 * The staged backup must pass the checks a restore makes (structure, checkpoints, continuity,
 * headers, record framing, the manifest's sizes and checkpoint hashes) before it replaces the
 * previous one. Contents were hashed while copied (unless verification was skipped), so not again.
 */
async function assertRestorable(
  staging: string,
  manifest: BackupManifest,
  recordsChecked: ReadonlyMap<string, number>,
  signal?: AbortSignal,
): Promise<void> {
  const report = await verifyBackupData(staging, manifest, {hash: false, recordsChecked, signal})
  if (report.ok) return
  const first = report.problems[0]
  throw new UnsoundBackupError(
    `the new backup would not restore: ${first.file}: ${first.reason}; the previous backup is unchanged`,
    report.problems,
  )
}

/** Every file in staging must have a manifest entry and every entry a file. */
async function reconcile(ctx: BackupContext): Promise<ManifestFile[]> {
  const onDisk = new Set(await listTree(ctx.staging))
  for (const path of onDisk) {
    if (!ctx.files.has(path)) throw new EscError(`internal: ${path} is in the backup but not in its manifest`)
  }
  for (const path of ctx.files.keys()) {
    if (!onDisk.has(path)) ctx.files.delete(path)
  }
  return [...ctx.files.values()].sort((a, b) => a.path.localeCompare(b.path))
}

async function copyDuckDb(ctx: BackupContext, names: string[]): Promise<void> {
  for (const name of names) {
    const dst = join(ctx.staging, name)
    await copyFileAtomic(join(ctx.db, name), dst)
    const size = (await stat(dst)).size
    ctx.files.set(name, {path: name, kind: 'duckdb', size, md5: (await md5OfFile(dst)).toString('hex'), verified: true, origin: 'copied'})
  }
}

async function readLinkFrom(dir: string) {
  const manifest = await readManifest(resolve(dir))
  return indexPreviousBackup(manifest, join(resolve(dir), manifest.dataDir))
}

async function assertDirectory(path: string): Promise<void> {
  const st = await stat(path).catch(() => undefined)
  if (!st?.isDirectory()) throw new UsageError(`the data directory ${path} is not a directory`, {hint: {advice: 'db'}})
}
