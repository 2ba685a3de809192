import {hostname} from 'node:os'
import {mkdir, rm, stat} from 'node:fs/promises'
import {join, resolve} from 'node:path'

import {EscError} from '../errors.js'
import {type BackupContext, ProgressTracker, indexPreviousBackup} from './backup-context.js'
import {hardLinkTree, listTree, lockBackupDir, newBackupId, openBackupDir, promoteStaging, removeLeftovers, stagingDirName} from './backup-dir.js'
import {backupIndex} from './backup-index.js'
import {backupLog} from './backup-log.js'
import {MAX_TRUNCATION} from './checkpoint.js'
import {copyFileAtomic} from './copy.js'
import {AbortError, throwIfAborted} from './format-error.js'
import {NodeGuard} from './guard.js'
import {defaultIndexDir, discoverLayout} from './layout.js'
import {type BackupManifest, MANIFEST_FORMAT, MANIFEST_FORMAT_VERSION, type ManifestFile, fsyncDir, readManifest, toolVersion, tryReadManifest, writeManifest} from './manifest.js'
import {md5OfFile} from './md5.js'
import type {BackupOptions} from './types.js'

/**
 * Backs up a node's data directory into `backupDir`: a full backup when the directory is empty or
 * `full` is set, otherwise differential against the backup already there (same code path). The new
 * backup is staged and the manifest written last; on error or abort the previous backup stays as it
 * was and the promise rejects (an AbortError on abort).
 */
export async function backupNode(opts: BackupOptions): Promise<BackupManifest> {
  const started = new Date()
  const db = resolve(opts.db)
  const index = resolve(opts.index ?? defaultIndexDir(db))
  const backupDir = resolve(opts.backupDir)
  const log = opts.log ?? (() => undefined)
  const offline = opts.offline ?? false
  await assertDirectory(db, '--db')
  const layout = await discoverLayout(db, index)
  if (layout.duckdb.length > 0 && !offline) {
    throw new EscError(`${db} has secondary-index files (${layout.duckdb.join(', ')}); a hot file copy of them is not safe`, {
      suggestions: ['Stop the node (POST /admin/shutdown) and run again with --offline, or use volume snapshots.'],
    })
  }
  if (index.startsWith(backupDir + '/') || backupDir === db || backupDir.startsWith(db + '/')) {
    throw new EscError(`the backup directory ${backupDir} must be outside the node's data directory ${db}`)
  }
  await openBackupDir(backupDir)
  const release = await lockBackupDir(backupDir)
  const guard = opts.nodeGuard ? new NodeGuard(opts.nodeGuard, log, opts.signal) : undefined
  const id = newBackupId(started)
  const staging = join(backupDir, stagingDirName(id))
  try {
    // Read under the lock: a run that finished just before took it has replaced the manifest and
    // removed the data directory the old one named (read earlier, the old one would make this run
    // remove the new data directory as a leftover).
    const current = await tryReadManifest(backupDir)
    const removed = await removeLeftovers(backupDir, current?.dataDir)
    if (removed.length > 0) log(`removed leftovers of an interrupted run: ${removed.join(', ')}`)
    const nodeInfo = guard ? await guard.prepare() : undefined
    throwIfAborted(opts.signal, 'backup')
    const differential = Boolean(current) && !opts.full
    if (differential) await hardLinkTree(join(backupDir, current!.dataDir), staging)
    else await mkdir(staging, {recursive: true})
    const linkFrom = opts.linkFrom ? await readLinkFrom(opts.linkFrom) : undefined
    const ctx: BackupContext = {
      db,
      index,
      staging,
      verify: opts.verify ?? true,
      offline,
      signal: opts.signal,
      log,
      previous: differential ? indexPreviousBackup(current!, join(backupDir, current!.dataDir)) : undefined,
      linkFrom,
      files: new Map(differential ? current!.files.map((f) => [f.path, {...f, origin: 'kept' as const}]) : []),
      progress: new ProgressTracker(opts.onProgress),
      warnings: [],
      concurrency: opts.concurrency ?? 3,
      sleep: opts.sleep ?? ((ms) => new Promise((r) => setTimeout(r, ms))),
    }
    const t0 = Date.now()
    const indexResult = await backupIndex(ctx)
    const t1 = Date.now()
    const logResult = await backupLog(ctx, layout.duckdb)
    if (offline) await copyDuckDb(ctx, layout.duckdb)
    const t2 = Date.now()
    throwIfAborted(opts.signal, 'backup')
    const {writer, chaser} = logResult.checkpoints
    if (writer - chaser > MAX_TRUNCATION) {
      ctx.warnings.push(`writer.chk − chaser.chk = ${writer - chaser} bytes exceeds the default MaxTruncation (256 MiB): the first start after a restore needs MaxTruncation=-1`)
    }
    if (indexResult.map && indexResult.map.commitCheckpoint >= chaser) {
      ctx.warnings.push(`indexmap commit checkpoint ${indexResult.map.commitCheckpoint} is not below chaser.chk ${chaser}: the node will rebuild its index after a restore`)
    }
    for (const w of ctx.warnings) log(`warning: ${w}`)
    const files = await reconcile(ctx)
    for (const sub of ['index', 'index/stream-existence', 'index/scavenging', '']) await fsyncDir(join(staging, sub)).catch(() => undefined)
    const dataDir = await promoteStaging(backupDir, id)
    const finished = new Date()
    const copied = files.filter((f) => f.origin === 'copied')
    const linked = files.filter((f) => f.origin === 'linked')
    const manifest: BackupManifest = {
      format: MANIFEST_FORMAT,
      formatVersion: MANIFEST_FORMAT_VERSION,
      complete: true,
      id,
      kind: differential ? 'differential' : 'full',
      dataDir,
      tool: {name: 'esc', version: toolVersion()},
      source: {db, index, hostname: hostname(), offline, duckdb: layout.duckdb.length > 0, ...(nodeInfo ? {nodeUrl: opts.nodeGuard!.url, node: nodeInfo} : {})},
      chunkSize: logResult.chunkSize,
      checkpoints: logResult.checkpoints,
      lastChunk: logResult.lastChunk,
      index: indexResult.map
        ? {prepareCheckpoint: indexResult.map.prepareCheckpoint, commitCheckpoint: indexResult.map.commitCheckpoint, tables: indexResult.map.tables.length, attempts: indexResult.attempts}
        : null,
      verification: ctx.verify ? 'md5' : 'skipped',
      warnings: ctx.warnings,
      timings: {startedAt: started.toISOString(), finishedAt: finished.toISOString(), durationMs: finished.getTime() - started.getTime(), indexMs: t1 - t0, logMs: t2 - t1},
      stats: {
        files: files.length,
        bytes: files.reduce((s, f) => s + f.size, 0),
        filesCopied: copied.length,
        bytesCopied: copied.reduce((s, f) => s + (f.hashedBytes ?? f.size), 0),
        filesKept: files.filter((f) => f.origin === 'kept').length,
        filesLinked: linked.length,
        bytesLinked: linked.reduce((s, f) => s + f.size, 0),
      },
      files,
    }
    await writeManifest(backupDir, manifest)
    if (current && current.dataDir !== dataDir) await rm(join(backupDir, current.dataDir), {recursive: true, force: true})
    return manifest
  } catch (error) {
    await rm(staging, {recursive: true, force: true}).catch(() => undefined)
    if (opts.signal?.aborted && !(error instanceof AbortError)) throw new AbortError('backup aborted; the previous backup is unchanged')
    throw error
  } finally {
    try {
      await guard?.release()
    } catch (error) {
      // The backup itself is complete (or already failed): say loudly what is left to do.
      log(`warning: could not resume auto-scavenge on ${opts.nodeGuard?.url}: ${(error as Error).message}; resume it with POST /auto-scavenge/resume`)
    } finally {
      await release()
    }
  }
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

async function assertDirectory(path: string, flag: string): Promise<void> {
  const st = await stat(path).catch(() => undefined)
  if (!st?.isDirectory()) throw new EscError(`${flag} ${path} is not a directory`, {suggestions: ['Point --db at the node\'s data directory (the one holding chunk-*.* and *.chk).']})
}
