import {lstat, readdir, stat} from 'node:fs/promises'
import {join, resolve} from 'node:path'

import {isAbortError} from '../core/errors.js'
import {throwIfAborted} from './format-error.js'
import {defaultIndexDir} from './layout.js'
import {type BackupManifest, MANIFEST_NAME, NotABackupError, readManifest} from './manifest.js'
import {md5OfFile, readTail} from './md5.js'
import {kindOf} from './regular-file.js'
import {RESTORE_MARKER} from './restore-target.js'
import type {VerifyOptions, VerifyReport} from './types.js'
import {checkData} from './verify-data.js'

/**
 * Checks a backup (its manifest, then its data) or a stopped node's data directory against the
 * checks a restore depends on: chunk names, headers, footers and MD5, continuity, checkpoints, indexmap
 * and PTables. Never throws for a bad input: every problem lands in the report, naming the file.
 */
export async function verifyDirectory(dir: string, opts: VerifyOptions = {}): Promise<VerifyReport> {
  const root = resolve(dir)
  const report = emptyReport(root)
  const st = await stat(root).catch(() => undefined)
  if (!st?.isDirectory()) {
    report.problems.push({file: root, reason: 'not a directory'})
    return report
  }
  let manifest: BackupManifest | undefined
  try {
    manifest = await readManifest(root)
  } catch (error) {
    if (!(error instanceof NotABackupError)) {
      // Present but not to be trusted: its paths are not followed.
      report.kind = 'backup'
      report.problems.push({
        file: MANIFEST_NAME,
        reason: (error as {problems?: {reason: string}[]}).problems?.[0]?.reason ?? (error as Error).message,
      })
      return report
    }
  }
  if (manifest) return verifyBackupData(join(root, manifest.dataDir), manifest, opts, report)
  if ((await readdir(root)).some((n) => n.startsWith('.staging-') || n.startsWith('data-'))) {
    report.kind = 'backup'
    report.problems.push({
      file: MANIFEST_NAME,
      reason: 'missing or incomplete: this directory holds no complete backup (an interrupted first run?)',
    })
    return report
  }
  const index = resolve(opts.index ?? defaultIndexDir(root))
  if (opts.index !== undefined && !(await stat(index).catch(() => undefined))?.isDirectory()) {
    report.problems.push({file: index, reason: 'index directory does not exist'})
    return report
  }
  if (
    await lstat(join(root, RESTORE_MARKER)).then(
      () => true,
      () => false,
    )
  ) {
    report.problems.push({
      file: RESTORE_MARKER,
      reason: 'a restore into this directory did not finish: restore into it again, or remove it, before starting the node',
    })
  }
  return checkDataInto(root, index, opts, report)
}

/**
 * Checks a backup's data directory against its manifest, then its contents. Used by
 * verifyDirectory and, with `hash: false`, on a new backup before it replaces the previous one.
 */
export async function verifyBackupData(
  dataDir: string,
  manifest: BackupManifest,
  opts: VerifyOptions = {},
  report = emptyReport(dataDir),
): Promise<VerifyReport> {
  report.kind = 'backup'
  await checkManifest(manifest, dataDir, report, opts)
  return checkDataInto(dataDir, join(dataDir, 'index'), opts, report)
}

function emptyReport(dir: string): VerifyReport {
  return {
    ok: false,
    kind: 'data-directory',
    dir,
    problems: [],
    warnings: [],
    checked: {chunks: 0, completedChunks: 0, ptables: 0, checkpoints: 0, bytesHashed: 0},
    checkpoints: {},
  }
}

async function checkDataInto(dataDir: string, index: string, opts: VerifyOptions, report: VerifyReport): Promise<VerifyReport> {
  try {
    await checkData(dataDir, index, report, opts)
  } catch (error) {
    if (isAbortError(error)) throw error
    const e = error as NodeJS.ErrnoException & {file?: string; reason?: string}
    report.problems.push({file: e.file ?? e.path ?? dataDir, reason: e.reason ?? (e.code === 'ENOENT' ? 'missing' : e.message)})
  }
  report.ok = report.problems.length === 0
  return report
}

async function checkManifest(manifest: BackupManifest, dataDir: string, report: VerifyReport, opts: VerifyOptions): Promise<void> {
  report.chunkSize = manifest.chunkSize
  const listed = new Set(manifest.files.map((f) => f.path))
  for (const f of manifest.files) {
    throwIfAborted(opts.signal, 'verify')
    const path = join(dataDir, f.path)
    const st = await lstat(path).catch(() => undefined)
    if (!st) {
      report.problems.push({file: f.path, reason: 'listed in the manifest but missing'})
      continue
    }
    if (!st.isFile()) {
      report.problems.push({file: f.path, reason: `not a regular file (${kindOf(st)})`})
      continue
    }
    if (st.size !== f.size) {
      report.problems.push({file: f.path, reason: `size ${st.size} differs from the manifest's ${f.size}`})
      continue
    }
    // Completed chunks and PTables carry their own MD5 (checked below); compare it with the manifest.
    if ((f.kind === 'chunk' && f.completed) || f.kind === 'ptable') {
      const {tail} = await readTail(path, 16)
      if (tail.toString('hex') !== f.md5)
        report.problems.push({file: f.path, reason: 'stored MD5 differs from the manifest (replaced file?)'})
      continue
    }
    // Without hashing, only checkpoints (8 bytes, and what a restore trusts most) are compared.
    if (opts.hash === false && f.kind !== 'checkpoint') continue
    const md5 = (await md5OfFile(path, f.hashedBytes ?? f.size, opts.signal)).toString('hex')
    report.checked.bytesHashed += f.hashedBytes ?? f.size
    if (md5 !== f.md5) report.problems.push({file: f.path, reason: `MD5 ${md5} differs from the manifest's ${f.md5}`})
  }
  const walk = async (dir: string, prefix: string): Promise<void> => {
    for (const e of await readdir(dir, {withFileTypes: true})) {
      const rel = prefix ? `${prefix}/${e.name}` : e.name
      if (e.isDirectory()) await walk(join(dir, e.name), rel)
      else if (!listed.has(rel)) report.problems.push({file: rel, reason: 'in the backup but not in its manifest'})
    }
  }
  await walk(dataDir, '').catch(() =>
    report.problems.push({file: manifest.dataDir, reason: 'data directory named by the manifest is missing'}),
  )
  if (manifest.verification === 'skipped')
    report.warnings.push({
      file: MANIFEST_NAME,
      reason: 'taken without verification: chunk copies were not checked at backup time (checked now)',
    })
}
