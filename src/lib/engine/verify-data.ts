import {readdir} from 'node:fs/promises'
import {join} from 'node:path'

import {CHUNK_FOOTER_SIZE, CHUNK_HEADER_SIZE, type ChunkHeader, decodeChunkFooter, footerProblem} from './chunk-format.js'
import {MAX_TRUNCATION, decodeCheckpoint} from './checkpoint.js'
import {runPool} from './copy.js'
import {type FormatError, throwIfAborted} from './format-error.js'
import {parseIndexMap} from './indexmap.js'
import {type ChunkFile, STREAM_EXISTENCE_CHK, discoverLayout, readChunkHeader} from './layout.js'
import {checkTrailerMd5, readTail} from './md5.js'
import {HASHES_AHEAD} from './md5-pool.js'
import {isBloomFilterName, isPTableName, verifyPTable} from './ptable.js'
import {walkOngoingChunk} from './record-walk.js'
import {readRegularFile} from './regular-file.js'
import {INDEXMAP_READ_LIMIT, checkpointProblem} from './source-check.js'
import type {CheckpointValues, VerifyOptions, VerifyReport} from './types.js'

/** The checks of a data directory's contents (a backup's or a stopped node's), into `report`. */

const reasonOf = (error: unknown) => (error as FormatError).reason ?? (error as Error).message ?? String(error)

const CHECKPOINTS: [string, keyof CheckpointValues][] = [
  ['writer.chk', 'writer'],
  ['chaser.chk', 'chaser'],
  ['epoch.chk', 'epoch'],
  ['proposal.chk', 'proposal'],
  ['truncate.chk', 'truncate'],
  ['tag.chk', 'tag'],
]

async function readCheckpoints(dataDir: string, report: VerifyReport): Promise<void> {
  for (const [name, key] of CHECKPOINTS) {
    let bytes: Buffer
    try {
      bytes = await readRegularFile(join(dataDir, name), 64)
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') report.problems.push({file: name, reason: reasonOf(error)})
      else if (key === 'writer' || key === 'chaser') report.problems.push({file: name, reason: 'missing'})
      continue
    }
    try {
      report.checkpoints[key] = decodeCheckpoint(bytes, name)
      report.checked.checkpoints++
    } catch (error) {
      report.problems.push({file: name, reason: reasonOf(error)})
    }
  }
}

export async function checkData(dataDir: string, index: string, report: VerifyReport, opts: VerifyOptions): Promise<void> {
  await readCheckpoints(dataDir, report)
  const {writer, chaser, truncate} = report.checkpoints
  const bad = checkpointProblem(report.checkpoints)
  if (bad) report.problems.push({file: bad[0], reason: bad[1]})
  if (truncate !== undefined && truncate !== -1) {
    if (report.kind === 'backup')
      report.problems.push({file: 'truncate.chk', reason: `is ${truncate}; a backup must not carry a truncation (restore sets it)`})
    else
      report.warnings.push({file: 'truncate.chk', reason: `a truncation to ${truncate} is pending: the node truncates on its next start`})
  }
  if (writer !== undefined && chaser !== undefined && writer - chaser > MAX_TRUNCATION) {
    report.warnings.push({
      file: 'writer.chk',
      reason: `writer − chaser = ${writer - chaser} exceeds the default MaxTruncation: first start after restore needs MaxTruncation=-1`,
    })
  }
  const layout = await discoverLayout(dataDir, index)
  for (const name of layout.other.filter((n) => n.startsWith('chunk-')))
    report.problems.push({file: name, reason: 'not a valid chunk file name (chunk-NNNNNN.VVVVVV)'})
  for (const u of layout.unreadable) report.problems.push({file: u.name, reason: `cannot be read: ${u.reason}`})
  for (const c of layout.oldVersions)
    report.warnings.push({file: c.name, reason: 'older version of a chunk (the server deletes it at startup)'})
  if (layout.duckdb.length > 0)
    report.warnings.push({file: layout.duckdb[0], reason: 'secondary indexes (DuckDB): only a cold copy or volume snapshot is consistent'})
  if (layout.chunks.length === 0) {
    report.problems.push({file: dataDir, reason: 'no chunk files'})
    return
  }
  await checkChunks(dataDir, layout.chunks, report, opts)
  await checkIndex(index, report, opts)
}

async function checkChunks(dataDir: string, chunks: ChunkFile[], report: VerifyReport, opts: VerifyOptions): Promise<void> {
  const headers = new Map<string, ChunkHeader>()
  for (const c of chunks) {
    try {
      const h = await readChunkHeader(join(dataDir, c.name))
      if (h.startNumber !== c.start) report.problems.push({file: c.name, reason: `header says start ${h.startNumber}, the name ${c.start}`})
      else headers.set(c.name, h)
    } catch (error) {
      report.problems.push({file: c.name, reason: reasonOf(error)})
    }
  }
  const chunkSize = report.chunkSize ?? headers.values().next().value?.chunkSize
  if (!chunkSize) return
  report.chunkSize = chunkSize
  const writer = Math.max(report.checkpoints.writer ?? 0, 0)
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
      report.problems.push({
        file: c.name,
        reason: `starts after the last chunk ${last} (writer.chk ${writer}): a restore's truncation fails on it`,
      })
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
      if (problem) report.problems.push({file: c.name, reason: `below the last chunk but ${problem}`})
      // Hashed below, several files at once (MD5 runs on worker threads).
      else if (opts.hash !== false) hashes.push({name: c.name, path, size})
      else report.checked.completedChunks++
      continue
    } else if (footer.isCompleted) {
      report.warnings.push({
        file: c.name,
        reason: 'the last chunk is completed (writer.chk at its start: the server moves the writer to its end)',
      })
    } else {
      const dataEnd = CHUNK_HEADER_SIZE + (writer - h.startNumber * chunkSize)
      try {
        if (opts.recordsChecked?.get(c.name) !== dataEnd) await walkOngoingChunk(path, h.startNumber, chunkSize, dataEnd)
      } catch (error) {
        report.problems.push({file: c.name, reason: reasonOf(error)})
      }
    }
    done += c.size
    opts.onProgress?.({bytesDone: done, bytesTotal: total, file: c.name})
  }
  // As many pending as keep the MD5 workers' lanes full (md5-pool.ts); the files stay on disk meanwhile.
  await runPool(
    hashes,
    HASHES_AHEAD,
    async ({name, path, size}) => {
      const check = await checkTrailerMd5(path, opts.signal)
      report.checked.bytesHashed += size
      report.checked.completedChunks++
      if (!check.ok)
        report.problems.push({
          file: name,
          reason: `MD5 mismatch (footer ${check.stored.toString('hex')}, computed ${check.computed.toString('hex')})`,
        })
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
  const optional = async (path: string, limit: number) =>
    readRegularFile(path, limit).catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') return undefined
      report.problems.push({file: path.startsWith(index) ? `index${path.slice(index.length)}` : path, reason: reasonOf(error)})
      return undefined
    })
  const bytes = await optional(join(index, 'indexmap'), INDEXMAP_READ_LIMIT)
  const names = await readdir(index).catch(() => [] as string[])
  const sec = await optional(join(index, STREAM_EXISTENCE_CHK), 64)
  if (sec) {
    try {
      const value = decodeCheckpoint(sec, 'streamExistenceFilter.chk')
      if (report.checkpoints.writer !== undefined && value > report.checkpoints.writer)
        report.warnings.push({
          file: 'index/stream-existence/streamExistenceFilter.chk',
          reason: 'ahead of writer.chk (the filter is rebuilt)',
        })
    } catch (error) {
      report.problems.push({file: 'index/stream-existence/streamExistenceFilter.chk', reason: reasonOf(error)})
    }
  }
  if (!bytes) {
    if (names.some((n) => isPTableName(n)))
      report.warnings.push({file: 'index/indexmap', reason: 'missing while PTables exist: the node rebuilds the index'})
    return
  }
  let referenced: string[] = []
  try {
    const map = parseIndexMap(bytes, 'index/indexmap')
    referenced = map.tables.map((t) => t.file)
    const chaser = report.checkpoints.chaser
    if (chaser !== undefined && map.commitCheckpoint >= chaser && map.tables.length > 0) {
      report.warnings.push({
        file: 'index/indexmap',
        reason: `commit checkpoint ${map.commitCheckpoint} is not below chaser ${chaser}: the node will rebuild the whole index`,
      })
    }
  } catch (error) {
    report.problems.push({file: 'index/indexmap', reason: reasonOf(error)})
  }
  for (const name of referenced) {
    throwIfAborted(opts.signal, 'verify')
    try {
      const info = await verifyPTable(join(index, name), opts.signal, {hash: opts.hash !== false})
      report.checked.ptables++
      if (opts.hash !== false) report.checked.bytesHashed += info.size
    } catch (error) {
      const reason = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'referenced by the indexmap but missing' : reasonOf(error)
      report.problems.push({file: `index/${name}`, reason})
    }
  }
  const keep = new Set(referenced.flatMap((n) => [n, `${n}.bloomfilter`]))
  for (const n of names) {
    if ((isPTableName(n) || isBloomFilterName(n)) && !keep.has(n))
      report.warnings.push({file: `index/${n}`, reason: 'not referenced by the indexmap (the server deletes it at startup)'})
  }
}
