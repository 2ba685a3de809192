import {join, relative, resolve} from 'node:path'

import {EscError, isAbortError, UsageError} from '../core/errors.js'
import {ProgressTracker} from './backup-context.js'
import {MAX_TRUNCATION} from './checkpoint.js'
import {isInside, overlaps, realPathOf} from './contained-path.js'
import {AbortError, DiskFullError, UnsoundBackupError} from './format-error.js'
import {defaultIndexDir} from './layout.js'
import {type BackupManifest, readManifest} from './manifest.js'
import {type RestoreNode, promoteStaged, stageVerifiedCopy} from './restore-copy.js'
import {checkFreeSpace, restoreNeeds} from './restore-space.js'
import {RestoreTarget, checkRestoreTarget} from './restore-target.js'
import {traced} from './trace-timings.js'
import type {RestoreOptions, RestoreResult} from './types.js'
import {verifyBackupData} from './verify.js'

const isDiskFull = (error: unknown) => (error as NodeJS.ErrnoException)?.code === 'ENOSPC'

/**
 * Restores a backup onto one or more stopped nodes (every node of a new cluster can start from one
 * backup): checks the backup's manifest and structure, refuses a target inside or containing a
 * backup directory, refuses a non-empty target unless `force` (which moves it aside, never
 * deletes), checks the space, then copies each file once to every node's staging directory,
 * verifying its hash as it is written, writes truncate.chk as a copy of chaser.chk so each node cuts
 * the log back to the same position on its next start, and moves the staged files into place. A
 * restore that fails, finds a hash that differs, or is interrupted removes what it wrote and puts
 * every moved-aside target back. A backup directory the caller lets it consume (already verified,
 * private to this restore) has its files moved into the first node instead of copied.
 */
export async function restoreBackup(opts: RestoreOptions): Promise<RestoreResult> {
  const started = Date.now()
  const backupDir = resolve(opts.backupDir)
  const log = opts.log ?? (() => undefined)
  const manifest = await readManifest(backupDir)
  const nodes = await resolveNodes(opts)
  const dbs = nodes.map((n) => n.db)
  const where = dbs.join(', ')
  const targets = nodes.flatMap((n) => (n.indexSeparate ? [n.db, n.index] : [n.db]))
  for (const target of targets) await checkRestoreTarget(target, backupDir)
  log(`checking ${backupDir}`)
  await traced('restore:assert-sound', () => assertSound(backupDir, manifest, where, opts.signal))
  const dataDir = join(backupDir, manifest.dataDir)
  const files = manifest.files.filter((f) => f.path !== 'truncate.chk')
  // Files moved from a consumed backup directory take no new space on its filesystem.
  await checkFreeSpace(await restoreNeeds(nodes, files, opts.consumeBackupDir ? backupDir : undefined), opts.freeSpace)
  const target = await RestoreTarget.prepare(targets, {force: opts.force, protect: [backupDir], log, markers: dbs})
  const progress = new ProgressTracker(opts.onProgress)
  progress.addTotal(files.reduce((s, f) => s + f.size, 0))
  try {
    const consume = opts.consumeBackupDir === true
    await traced('restore:copy', () =>
      stageVerifiedCopy({backupDir, dataDir, files, nodes, concurrency: opts.concurrency ?? 3, progress, signal: opts.signal, consume}),
    )
    if (opts.signal?.aborted) throw new AbortError('restore interrupted')
    await traced('restore:promote', async () => {
      await promoteStaged(nodes)
      await target.commit()
    })
  } catch (error) {
    const state = await target.undo()
    if (opts.signal?.aborted) throw new AbortError(`restore interrupted; ${state}`)
    if (error instanceof UnsoundBackupError) throw new UnsoundBackupError(`${error.message}; ${state}`, error.problems)
    if (isDiskFull(error)) throw new DiskFullError(`the disk filled while restoring into ${where}; ${state}`, error)
    throw new EscError(`restore into ${where} failed: ${(error as Error).message}; ${state}`, {cause: error})
  }
  const {writer, chaser} = manifest.checkpoints
  const exceeds = writer - chaser > MAX_TRUNCATION
  return {
    db: nodes[0].db,
    index: nodes[0].index,
    nodes: nodes.map(({db, index}) => ({db, index})),
    files: files.length,
    bytes: progress.bytesDone,
    movedAside: target.movedAside,
    truncateTo: chaser,
    writer,
    chaser,
    exceedsMaxTruncation: exceeds,
    notes: restoreNotes(manifest, nodes.length, exceeds),
    durationMs: Date.now() - started,
  }
}

/**
 * The targets, one per node: each data directory with its index directory (default `<db>/index`).
 * A data directory inside its own index directory is refused, and so are two nodes whose
 * directories overlap: the nodes of a cluster never share files.
 */
export async function resolveNodes(opts: Pick<RestoreOptions, 'db' | 'index' | 'nodes'>): Promise<RestoreNode[]> {
  const requested = opts.nodes ?? (opts.db === undefined ? [] : [{db: opts.db, index: opts.index}])
  if (requested.length === 0) throw new UsageError('no restore target: give the data directory of at least one node')
  const nodes: (RestoreNode & {reals: string[]})[] = []
  for (const r of requested) {
    const db = resolve(r.db)
    const index = resolve(r.index ?? defaultIndexDir(db))
    const [dbReal, indexReal] = [await realPathOf(db), await realPathOf(index)]
    if (dbReal === indexReal || isInside(dbReal, indexReal)) {
      throw new UsageError(
        `the restore target ${db} is, or is inside, the index directory ${index} (the default index directory is ${defaultIndexDir(db)})`,
        {hint: {advice: 'separate-index'}},
      )
    }
    const indexSeparate = !isInside(indexReal, dbReal)
    nodes.push({
      db,
      index,
      indexSeparate,
      ...(indexSeparate ? {} : {indexInDb: relative(dbReal, indexReal)}),
      reals: indexSeparate ? [dbReal, indexReal] : [dbReal],
    })
  }
  for (const [i, a] of nodes.entries()) {
    for (const b of nodes.slice(i + 1)) {
      const clash = a.reals.flatMap((x) => b.reals.filter((y) => overlaps(x, y)).map((y) => [x, y]))[0]
      if (clash) throw new UsageError(`the restore targets ${clash[0]} and ${clash[1]} overlap; give each node directories of its own`)
    }
  }
  return nodes.map(({reals: _, ...node}) => node)
}

/**
 * Everything but the contents' hashes, before a single byte is written: the manifest against the
 * files (sizes, stored MD5s, checkpoint hashes), structure, checkpoints, continuity and framing.
 * The hashes are checked while the files are copied.
 */
async function assertSound(backupDir: string, manifest: BackupManifest, where: string, signal?: AbortSignal): Promise<void> {
  const report = await verifyBackupData(join(backupDir, manifest.dataDir), manifest, {hash: false, signal}).catch((error: Error) => {
    throw isAbortError(error) ? new AbortError(`restore interrupted while checking the backup; nothing was written to ${where}`) : error
  })
  if (!report.ok) {
    const first = report.problems.slice(0, 5).map((p) => `${p.file}: ${p.reason}`)
    throw new UnsoundBackupError(`the backup in ${backupDir} is not sound; nothing was restored`, report.problems, [
      ...first,
      'Run `esc node verify` on it for the full list.',
    ])
  }
  if (signal?.aborted) throw new AbortError(`restore interrupted; nothing was written to ${where}`)
}

function restoreNotes(manifest: BackupManifest, count: number, exceeds: boolean): string[] {
  const {writer, chaser} = manifest.checkpoints
  const one = count === 1
  return [
    ...(one
      ? []
      : [
          `Start all ${count} nodes: each truncates its log to the same position (${chaser}), so they start from the same data; start none of them from other files (mixing nodes' files is not supported).`,
        ]),
    `truncate.chk = ${chaser} (copy of chaser.chk): on its first start ${one ? 'the node truncates' : 'each node truncates'} the log to it.`,
    `From 24.6 on ${one ? 'the node exits' : 'each node exits'} (code 0) after that truncation: start it a second time.`,
    ...(exceeds
      ? [
          `writer − chaser is ${writer - chaser} bytes, over the default MaxTruncation (256 MiB): start ${one ? 'the node' : 'each node'} once with MaxTruncation=-1.`,
        ]
      : []),
    ...(manifest.source.duckdb ? ['The backup holds secondary-index (DuckDB) files from a cold copy.'] : []),
    one
      ? 'If this node was the backup source, take a new full backup once it is back: a differential one would build on data the restore replaced.'
      : 'If one of these nodes was the backup source, take a new full backup once the cluster is back: a differential one would build on data the restore replaced.',
  ]
}
