import {createHash} from 'node:crypto'
import {chmod, mkdir, open, readdir, writeFile} from 'node:fs/promises'
import {join, resolve} from 'node:path'

import {UsageError} from '../core/errors.js'
import {CHUNK_HEADER_SIZE, chunkFileName, encodeChunkHeader, preallocatedChunkFileSize} from './chunk-format.js'
import {completeChunk} from './chunk-writer.js'
import {writeCheckpoint} from './checkpoint.js'
import {EventTemplate} from './event-template.js'
import {prng, randomGuid} from './ids.js'
import {INDEXMAP_VERSION, serializeIndexMap} from './indexmap.js'
import {type IndexEntry, encodePTable, encodeSafeBloomFilter} from './ptable.js'
import {dotnetTicks, encodeEpochSystemRecord, frameRecord, guidToBytes} from './records.js'
import {streamHash} from './stream-hash.js'
import type {GenerateOptions, GenerateResult} from './types.js'

const BATCH_BYTES = 8 * 1024 * 1024
const STREAMS = 1000
export const MIN_CHUNK_SIZE = 4096

/**
 * Writes a data directory a KurrentDB node accepts: an epoch record at 0, V1 prepares with JSON
 * payloads, `chunks − 1` completed chunks (4 KiB aligned, footer, MD5, read-only), one ongoing
 * pre-allocated chunk half full, consistent checkpoints, and optionally an indexmap with PTables.
 * Streams through one fixed batch buffer, so memory stays flat for multi-GiB output.
 */
export async function generateDataDir(dir: string, opts: GenerateOptions): Promise<GenerateResult> {
  const db = resolve(dir)
  validate(opts)
  await mkdir(db, {recursive: true})
  const existing = (await readdir(db)).filter((n) => n.startsWith('chunk-') || n.endsWith('.chk'))
  if (existing.length > 0) throw new UsageError(`${db} already holds KurrentDB files (${existing[0]}); choose an empty directory`)
  const {chunkSize} = opts
  const next = prng(opts.seed ?? 1)
  const runId = guidToBytes(randomGuid(next))
  const eventsPerChunk = opts.eventsPerChunk ?? Math.max(1, Math.floor(chunkSize / 1024))
  const template = new EventTemplate(Math.floor((chunkSize - 1024) / eventsPerChunk), runId)
  if (template.framedSize > chunkSize - 512)
    throw new UsageError(
      `${eventsPerChunk} events per chunk are too few for a chunk size of ${chunkSize} bytes: one event would not fit in a chunk`,
    )
  const eventNumbers = new Int32Array(STREAMS)
  const startMs = Date.now() - 3_600_000
  const batch = Buffer.allocUnsafe(Math.min(BATCH_BYTES, chunkSize + CHUNK_HEADER_SIZE))
  const index = join(db, 'index')
  const ptables: string[] = []
  let seq = 0
  let bytes = 0
  let writer = 0
  let lastIndexed = -1

  for (let c = 0; c < opts.chunks; c++) {
    const last = c === opts.chunks - 1
    const path = join(db, chunkFileName(c, 0))
    const fh = await open(path, 'w')
    const hash = createHash('md5')
    const chunkStart = c * chunkSize
    const entries: IndexEntry[] = []
    let filled = 0
    let fileOffset = 0
    let local = 0
    const flush = async () => {
      hash.update(batch.subarray(0, filled))
      await fh.write(batch, 0, filled, fileOffset)
      fileOffset += filled
      filled = 0
    }
    // A failed write (a full disk) must not keep the file open: the filesystem could not be unmounted.
    try {
      encodeChunkHeader({chunkSize, startNumber: c, chunkId: guidToBytes(randomGuid(next))}).copy(batch, 0)
      filled = CHUNK_HEADER_SIZE
      if (c === 0) {
        const epoch = frameRecord(
          encodeEpochSystemRecord({
            logPosition: 0,
            timestampMs: startMs,
            epochNumber: 0,
            epochId: randomGuid(next),
            prevEpochPosition: -1,
            leaderInstanceId: randomGuid(next),
          }),
        )
        epoch.copy(batch, filled)
        filled += epoch.length
        local += epoch.length
      }
      const limit = last ? Math.floor(eventsPerChunk / 2) : Number.POSITIVE_INFINITY
      for (let n = 0; n < limit && local + template.framedSize <= chunkSize; n++) {
        if (filled + template.framedSize > batch.length) await flush()
        const stream = seq % STREAMS
        const logPosition = chunkStart + local
        template.write(batch, filled, {
          logPosition,
          stream,
          eventNumber: eventNumbers[stream],
          seq,
          timestampTicks: dotnetTicks(startMs + seq),
        })
        if (opts.withIndex && !last) {
          entries.push({
            version: BigInt(eventNumbers[stream]),
            streamHash: streamHash(EventTemplate.streamName(stream)),
            position: BigInt(logPosition),
          })
          lastIndexed = logPosition
        }
        eventNumbers[stream]++
        filled += template.framedSize
        local += template.framedSize
        seq++
      }
      await flush()
      if (last) {
        await fh.truncate(preallocatedChunkFileSize(chunkSize))
        writer = chunkStart + local
        bytes += preallocatedChunkFileSize(chunkSize)
        await fh.close()
      } else {
        const {size} = await completeChunk(fh, path, hash, local)
        await fh.close()
        bytes += size
      }
    } catch (error) {
      await fh.close().catch(() => undefined)
      throw error
    }
    if (entries.length > 0) ptables.push(await writeGeneratedPTable(index, entries, next))
  }

  await writeCheckpoint(join(db, 'chaser.chk'), writer)
  await writeCheckpoint(join(db, 'epoch.chk'), 0)
  await writeCheckpoint(join(db, 'writer.chk'), writer)
  await writeCheckpoint(join(db, 'proposal.chk'), 0)
  await writeCheckpoint(join(db, 'truncate.chk'), -1)
  if (opts.withIndex) {
    await mkdir(index, {recursive: true})
    const tables = ptables.map((file, position) => ({level: 0, position, file}))
    const cp = tables.length > 0 ? lastIndexed : -1
    await writeFile(
      join(index, 'indexmap'),
      serializeIndexMap({version: INDEXMAP_VERSION, prepareCheckpoint: cp, commitCheckpoint: cp, tables}),
    )
  }
  return {dir: db, index, chunkSize, chunks: opts.chunks, events: seq, writer, bytes, ptables}
}

async function writeGeneratedPTable(index: string, entries: IndexEntry[], next: () => number): Promise<string> {
  await mkdir(index, {recursive: true})
  const name = randomGuid(next)
  await writeFile(join(index, name), encodePTable(entries))
  await writeFile(join(index, `${name}.bloomfilter`), encodeSafeBloomFilter(entries.length))
  await chmod(join(index, name), 0o444)
  return name
}

function validate(opts: GenerateOptions): void {
  if (!Number.isInteger(opts.chunks) || opts.chunks < 1)
    throw new UsageError(`the number of chunks must be a whole number ≥ 1, got ${opts.chunks}`)
  if (!Number.isInteger(opts.chunkSize) || opts.chunkSize < MIN_CHUNK_SIZE || opts.chunkSize > 2 ** 30) {
    throw new UsageError(`the chunk size must be between 4 KiB and 1 GiB, got ${opts.chunkSize}`)
  }
  if (opts.eventsPerChunk !== undefined && (!Number.isInteger(opts.eventsPerChunk) || opts.eventsPerChunk < 1)) {
    throw new UsageError(`the number of events per chunk must be a whole number ≥ 1, got ${opts.eventsPerChunk}`)
  }
}
