import {readFile, readdir, stat} from 'node:fs/promises'
import {join, resolve} from 'node:path'

import {CHUNK_FOOTER_SIZE, CHUNK_HEADER_SIZE, type ChunkHeader, decodeChunkFooter, footerProblem} from './chunk-format.js'
import {MAX_TRUNCATION, decodeCheckpoint} from './checkpoint.js'
import {FormatError, throwIfAborted} from './format-error.js'
import {parseIndexMap} from './indexmap.js'
import {STREAM_EXISTENCE_CHK, defaultIndexDir, discoverLayout, readChunkHeader} from './layout.js'
import {type BackupManifest, MANIFEST_NAME, tryReadManifest} from './manifest.js'
import {runPool} from './copy.js'
import {checkTrailerMd5, md5OfFile, readTail} from './md5.js'
import {isBloomFilterName, isPTableName, verifyPTable} from './ptable.js'
import {walkRecords} from './record-walk.js'
import type {VerifyOptions, VerifyReport} from './types.js'

/**
 * Checks a backup (its manifest, then its data) or a stopped node's data directory against the
 * reference checklist: chunk names, headers, footers and MD5, continuity, checkpoints, indexmap and
 * PTables. Never throws for a bad input: every problem lands in the report, naming the file.
 */
export async function verifyDirectory(dir: string, opts: VerifyOptions = {}): Promise<VerifyReport> {
  const root = resolve(dir)
  const report: VerifyReport = {ok: false, kind: 'data-directory', dir: root, problems: [], warnings: [], checked: {chunks: 0, completedChunks: 0, ptables: 0, checkpoints: 0, bytesHashed: 0}, checkpoints: {}}
  const st = await stat(root).catch(() => undefined)
  if (!st?.isDirectory()) {
    report.problems.push({file: root, reason: 'not a directory'})
    return report
  }
  let dataDir = root
  let index = resolve(opts.index ?? defaultIndexDir(root))
  const manifest = await tryReadManifest(root).catch(() => undefined)
  if (manifest) {
    report.kind = 'backup'
    dataDir = join(root, manifest.dataDir)
    index = join(dataDir, 'index')
    await checkManifest(manifest, dataDir, report, opts)
  } else if ((await readdir(root)).some((n) => n === MANIFEST_NAME || n.startsWith('.staging-') || n.startsWith('data-'))) {
    report.kind = 'backup'
    report.problems.push({file: MANIFEST_NAME, reason: 'missing or incomplete: this directory holds no complete backup (an interrupted first run?)'})
    report.ok = false
    return report
  }
  try {
    await checkData(dataDir, index, report, opts)
  } catch (error) {
    if ((error as Error).name === 'AbortError') throw error
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
    const size = (await stat(path).catch(() => undefined))?.size
    if (size === undefined) {
      report.problems.push({file: f.path, reason: 'listed in the manifest but missing'})
      continue
    }
    if (size !== f.size) {
      report.problems.push({file: f.path, reason: `size ${size} differs from the manifest's ${f.size}`})
      continue
    }
    // Completed chunks and PTables carry their own MD5 (checked below); compare it with the manifest.
    if ((f.kind === 'chunk' && f.completed) || f.kind === 'ptable') {
      const {tail} = await readTail(path, 16)
      if (tail.toString('hex') !== f.md5) report.problems.push({file: f.path, reason: 'stored MD5 differs from the manifest (replaced file?)'})
      continue
    }
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
  await walk(dataDir, '').catch(() => report.problems.push({file: manifest.dataDir, reason: 'data directory named by the manifest is missing'}))
  if (manifest.verification === 'skipped') report.warnings.push({file: MANIFEST_NAME, reason: 'taken with --no-verify: chunk copies were not checked at backup time (checked now)'})
}

async function readCheckpoints(dataDir: string, report: VerifyReport): Promise<void> {
  for (const name of ['writer.chk', 'chaser.chk', 'epoch.chk', 'proposal.chk', 'truncate.chk', 'tag.chk']) {
    const bytes = await readFile(join(dataDir, name)).catch(() => undefined)
    if (!bytes) {
      if (name === 'writer.chk' || name === 'chaser.chk') report.problems.push({file: name, reason: 'missing'})
      continue
    }
    try {
      report.checkpoints[name.replace('.chk', '')] = decodeCheckpoint(bytes, name)
      report.checked.checkpoints++
    } catch (error) {
      report.problems.push({file: name, reason: (error as FormatError).reason ?? String(error)})
    }
  }
}

async function checkData(dataDir: string, index: string, report: VerifyReport, opts: VerifyOptions): Promise<void> {
  await readCheckpoints(dataDir, report)
  const cp = report.checkpoints
  const {writer, chaser, epoch, truncate} = cp
  if (writer !== undefined && chaser !== undefined && chaser > writer) report.problems.push({file: 'chaser.chk', reason: `chaser ${chaser} is above writer ${writer}`})
  if (writer !== undefined && epoch !== undefined && epoch > writer) report.problems.push({file: 'epoch.chk', reason: `epoch ${epoch} is above writer ${writer}`})
  if (truncate !== undefined && truncate !== -1) {
    if (report.kind === 'backup') report.problems.push({file: 'truncate.chk', reason: `is ${truncate}; a backup must not carry a truncation (restore sets it)`})
    else report.warnings.push({file: 'truncate.chk', reason: `a truncation to ${truncate} is pending: the node truncates on its next start`})
  }
  if (writer !== undefined && chaser !== undefined && writer - chaser > MAX_TRUNCATION) {
    report.warnings.push({file: 'writer.chk', reason: `writer − chaser = ${writer - chaser} exceeds the default MaxTruncation: first start after restore needs MaxTruncation=-1`})
  }
  const layout = await discoverLayout(dataDir, index)
  for (const name of layout.other.filter((n) => n.startsWith('chunk-'))) report.problems.push({file: name, reason: 'not a valid chunk file name (chunk-NNNNNN.VVVVVV)'})
  for (const u of layout.unreadable) report.problems.push({file: u.name, reason: `cannot be read: ${u.reason}`})
  for (const c of layout.oldVersions) report.warnings.push({file: c.name, reason: 'older version of a chunk (the server deletes it at startup)'})
  if (layout.duckdb.length > 0) report.warnings.push({file: layout.duckdb[0], reason: 'secondary indexes (DuckDB): only a cold copy or volume snapshot is consistent'})
  if (layout.chunks.length === 0) {
    report.problems.push({file: dataDir, reason: 'no chunk files'})
    return
  }
  await checkChunks(dataDir, layout.chunks, report, opts)
  await checkIndex(index, report, opts)
}

async function checkChunks(dataDir: string, chunks: {name: string; start: number; size: number}[], report: VerifyReport, opts: VerifyOptions): Promise<void> {
  const headers = new Map<string, ChunkHeader>()
  for (const c of chunks) {
    try {
      const h = await readChunkHeader(join(dataDir, c.name))
      if (h.startNumber !== c.start) throw new FormatError(c.name, `header says start ${h.startNumber}, the name ${c.start}`)
      headers.set(c.name, h)
    } catch (error) {
      report.problems.push({file: c.name, reason: (error as FormatError).reason ?? String(error)})
    }
  }
  const chunkSize = report.chunkSize ?? headers.values().next().value?.chunkSize
  if (!chunkSize) return
  report.chunkSize = chunkSize
  const writer = report.checkpoints.writer ?? 0
  const last = Math.floor(writer / chunkSize)
  let expected = 0
  const total = chunks.reduce((s, c) => s + c.size, 0)
  let done = 0
  const hashes: {name: string; path: string; size: number}[] = []
  for (const c of chunks) {
    throwIfAborted(opts.signal, 'verify')
    const h = headers.get(c.name)
    if (!h) continue
    report.checked.chunks++
    if (h.chunkSize !== chunkSize) report.problems.push({file: c.name, reason: `chunk size ${h.chunkSize} differs from ${chunkSize}`})
    if (c.start > last) {
      report.problems.push({file: c.name, reason: `starts after the last chunk ${last} (writer.chk ${writer}): a restore's truncation fails on it`})
      continue
    }
    if (c.start > expected) report.problems.push({file: c.name, reason: `gap: chunks ${expected}..${c.start - 1} are missing`})
    else if (c.start < expected) report.problems.push({file: c.name, reason: `overlaps the chunk before it (expected start ${expected})`})
    expected = h.endNumber + 1
    const path = join(dataDir, c.name)
    const {size, tail} = await readTail(path, CHUNK_FOOTER_SIZE)
    const footer = decodeChunkFooter(tail, c.name)
    if (h.endNumber < last) {
      const problem = footerProblem(footer, size)
      if (problem) {
        report.problems.push({file: c.name, reason: `below the last chunk but ${problem}`})
        continue
      }
      // Hashed below, several files at once (MD5 runs on worker threads).
      hashes.push({name: c.name, path, size})
      continue
    } else if (footer.isCompleted) {
      report.warnings.push({file: c.name, reason: 'the last chunk is completed (writer.chk at its start: the server moves the writer to its end)'})
    } else {
      const dataEnd = CHUNK_HEADER_SIZE + (writer - h.startNumber * chunkSize)
      try {
        await walkRecords(path, CHUNK_HEADER_SIZE, dataEnd, (off) => h.startNumber * chunkSize + off - CHUNK_HEADER_SIZE)
      } catch (error) {
        report.problems.push({file: c.name, reason: (error as FormatError).reason ?? String(error)})
      }
    }
    done += c.size
    opts.onProgress?.({bytesDone: done, bytesTotal: total, file: c.name})
  }
  await runPool(
    hashes,
    4,
    async ({name, path, size}) => {
      const check = await checkTrailerMd5(path, opts.signal)
      report.checked.bytesHashed += size
      report.checked.completedChunks++
      if (!check.ok) report.problems.push({file: name, reason: `MD5 mismatch (footer ${check.stored.toString('hex')}, computed ${check.computed.toString('hex')})`})
      done += size
      opts.onProgress?.({bytesDone: done, bytesTotal: total, file: name})
    },
    opts.signal,
  )
  report.problems.sort((a, b) => a.file.localeCompare(b.file))
  if (expected < last || (expected === last && writer !== last * chunkSize)) {
    report.problems.push({file: `chunk ${expected}`, reason: `missing: the log ends at writer.chk ${writer} (chunk ${last})`})
  }
}

async function checkIndex(index: string, report: VerifyReport, opts: VerifyOptions): Promise<void> {
  const bytes = await readFile(join(index, 'indexmap')).catch(() => undefined)
  const names = await readdir(index).catch(() => [] as string[])
  const sec = await readFile(join(index, STREAM_EXISTENCE_CHK)).catch(() => undefined)
  if (sec) {
    try {
      const value = decodeCheckpoint(sec, 'streamExistenceFilter.chk')
      if (report.checkpoints.writer !== undefined && value > report.checkpoints.writer) report.warnings.push({file: 'index/stream-existence/streamExistenceFilter.chk', reason: 'ahead of writer.chk (the filter is rebuilt)'})
    } catch (error) {
      report.problems.push({file: 'index/stream-existence/streamExistenceFilter.chk', reason: (error as FormatError).reason})
    }
  }
  if (!bytes) {
    if (names.some((n) => isPTableName(n))) report.warnings.push({file: 'index/indexmap', reason: 'missing while PTables exist: the node rebuilds the index'})
    return
  }
  let referenced: string[] = []
  try {
    const map = parseIndexMap(bytes, 'index/indexmap')
    referenced = map.tables.map((t) => t.file)
    const chaser = report.checkpoints.chaser
    if (chaser !== undefined && map.commitCheckpoint >= chaser && map.tables.length > 0) {
      report.warnings.push({file: 'index/indexmap', reason: `commit checkpoint ${map.commitCheckpoint} is not below chaser ${chaser}: the node will rebuild the whole index`})
    }
  } catch (error) {
    report.problems.push({file: 'index/indexmap', reason: (error as FormatError).reason ?? String(error)})
  }
  for (const name of referenced) {
    throwIfAborted(opts.signal, 'verify')
    try {
      const info = await verifyPTable(join(index, name), opts.signal)
      report.checked.ptables++
      report.checked.bytesHashed += info.size
    } catch (error) {
      const reason = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'referenced by the indexmap but missing' : ((error as FormatError).reason ?? String(error))
      report.problems.push({file: `index/${name}`, reason})
    }
  }
  const keep = new Set(referenced.flatMap((n) => [n, `${n}.bloomfilter`]))
  for (const n of names) {
    if ((isPTableName(n) || isBloomFilterName(n)) && !keep.has(n)) report.warnings.push({file: `index/${n}`, reason: 'not referenced by the indexmap (the server deletes it at startup)'})
  }
}
