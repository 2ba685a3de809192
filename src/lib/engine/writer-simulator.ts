import {type Hash, createHash} from 'node:crypto'
import {type FileHandle, chmod, mkdir, open, readFile, rename, unlink, writeFile} from 'node:fs/promises'
import {join, resolve} from 'node:path'

import {CHUNK_HEADER_SIZE} from './chunk-format.js'
import {completeChunk, createOngoingChunk} from './chunk-writer.js'
import {readCheckpoint, writeCheckpoint} from './checkpoint.js'
import {EventTemplate} from './event-template.js'
import {randomGuid} from './ids.js'
import {INDEXMAP_VERSION, type IndexMap, parseIndexMap, serializeIndexMap} from './indexmap.js'
import {chunkSizeOf, defaultIndexDir, discoverLayout} from './layout.js'
import {type IndexEntry, decodePTableEntries, encodePTable, encodeSafeBloomFilter} from './ptable.js'
import {dotnetTicks, guidToBytes} from './records.js'
import {streamHash} from './stream-hash.js'

export interface WriterSimulatorOptions {
  db: string
  index?: string
  /** Events per appendOnce (default 4). */
  eventsPerAppend?: number
  /** Framed bytes per event (default 512). */
  eventBytes?: number
  /** Pause between appends when started (default 0: next macrotask). */
  intervalMs?: number
  /** Add a PTable (and rewrite the indexmap) every this many appends; 0 = never (default). */
  ptableEvery?: number
  /** fsync data and checkpoints like the server (default true). */
  fsync?: boolean
  /** Called between the two halves of a PTable write: the file exists half-written under its final name. */
  onHalfWrittenPTable?: (path: string) => Promise<void> | void
}

const STREAM_BASE = 900_000
const STREAMS = 50

/**
 * Appends to a data directory the way the server does: record bytes flushed, then writer.chk,
 * then chaser.chk; at a chunk boundary the chunk is completed (padding, footer, MD5, truncate,
 * read-only) and the next one created; PTables are written under their final name, then the
 * indexmap is replaced (temp file, delete, rename). Hot-backup tests run against it.
 */
export class WriterSimulator {
  readonly stats = {appends: 0, events: 0, chunksCompleted: 0, ptablesAdded: 0, ptablesMerged: 0, writer: 0}
  private readonly db: string
  private readonly index: string
  private chunkSize = 0
  private fh?: FileHandle
  private path = ''
  private hash?: Hash
  private chunkNumber = 0
  private local = 0
  private template?: EventTemplate
  private pending: IndexEntry[] = []
  private eventNumbers = new Int32Array(STREAMS)
  private seq = 0
  private running = false
  private loop?: Promise<void>
  private failure?: unknown

  constructor(readonly options: WriterSimulatorOptions) {
    this.db = resolve(options.db)
    this.index = resolve(options.index ?? defaultIndexDir(this.db))
  }

  get writer(): number {
    return this.stats.writer
  }

  /** Opens the ongoing chunk at writer.chk (re-hashing what is already in it). Called by start/appendOnce. */
  async open(): Promise<void> {
    if (this.fh) return
    const layout = await discoverLayout(this.db, this.index)
    const size = await chunkSizeOf(layout)
    if (!size) throw new Error(`${this.db}: no chunks to append to (generate a data directory first)`)
    this.chunkSize = size
    this.stats.writer = await readCheckpoint(join(this.db, 'writer.chk'))
    this.chunkNumber = Math.floor(this.stats.writer / size)
    this.local = this.stats.writer - this.chunkNumber * size
    this.template = new EventTemplate(this.options.eventBytes ?? 512, guidToBytes(randomGuid()))
    if (this.template.framedSize > size - 512) throw new Error(`eventBytes ${this.options.eventBytes} does not fit chunk size ${size}`)
    const existing = layout.chunks.find((c) => c.start === this.chunkNumber)
    if (existing) {
      this.path = join(this.db, existing.name)
      this.fh = await open(this.path, 'r+')
      const prefix = Buffer.alloc(CHUNK_HEADER_SIZE + this.local)
      await this.fh.read(prefix, 0, prefix.length, 0)
      this.hash = createHash('md5').update(prefix)
    } else {
      await this.newChunk()
    }
  }

  /** One append: a few events flushed, then writer.chk, then chaser.chk (crossing a chunk boundary if needed). */
  async appendOnce(): Promise<void> {
    await this.open()
    const template = this.template!
    const count = this.options.eventsPerAppend ?? 4
    for (let i = 0; i < count; i++) {
      if (this.local + template.framedSize > this.chunkSize) await this.completeAndRoll()
      const record = Buffer.allocUnsafe(template.framedSize)
      const stream = this.seq % STREAMS
      const logPosition = this.chunkNumber * this.chunkSize + this.local
      template.write(record, 0, {
        logPosition,
        stream: STREAM_BASE + stream,
        eventNumber: this.eventNumbers[stream],
        seq: this.seq,
        timestampTicks: dotnetTicks(Date.now()),
      })
      this.pending.push({
        version: BigInt(this.eventNumbers[stream]),
        streamHash: streamHash(EventTemplate.streamName(STREAM_BASE + stream)),
        position: BigInt(logPosition),
      })
      this.eventNumbers[stream]++
      this.seq++
      await this.fh!.write(record, 0, record.length, CHUNK_HEADER_SIZE + this.local)
      this.hash!.update(record)
      this.local += record.length
      this.stats.events++
    }
    if (this.options.fsync !== false) await this.fh!.datasync()
    await this.writeCheckpoints(this.chunkNumber * this.chunkSize + this.local)
    this.stats.appends++
    const every = this.options.ptableEvery ?? 0
    if (every > 0 && this.stats.appends % every === 0) await this.addPTable()
  }

  /** Writes a PTable of the events indexed since the last one, then replaces the indexmap. */
  async addPTable(): Promise<string | undefined> {
    const entries = this.pending.filter((e) => e.position < BigInt(this.stats.writer))
    if (entries.length === 0) return undefined
    this.pending = this.pending.slice(entries.length)
    await mkdir(this.index, {recursive: true})
    const name = await this.writePTable(entries, this.options.onHalfWrittenPTable)
    const current = await this.readIndexMap()
    const position = current.tables.filter((t) => t.level === 0).length
    const checkpoint = Number(entries.at(-1)!.position)
    let map: IndexMap = {
      ...current,
      prepareCheckpoint: checkpoint,
      commitCheckpoint: checkpoint,
      tables: [...current.tables, {level: 0, position, file: name}],
    }
    await this.replaceIndexMap(map)
    this.stats.ptablesAdded++
    // As the server does: two tables on a level merge into one on the next, so after hours of
    // appends the index holds a few dozen files, not thousands.
    for (let level = 0; ; level++) {
      const merging = map.tables.filter((t) => t.level === level)
      if (merging.length === 0 && !map.tables.some((t) => t.level > level)) break
      if (merging.length < 2) continue
      const merged: IndexEntry[] = []
      for (const t of merging) merged.push(...decodePTableEntries(await readFile(join(this.index, t.file))))
      const file = await this.writePTable(merged)
      const above = map.tables.filter((t) => t.level === level + 1).length
      map = {...map, tables: [...map.tables.filter((t) => t.level !== level), {level: level + 1, position: above, file}]}
      await this.replaceIndexMap(map)
      for (const t of merging) {
        await unlink(join(this.index, t.file)).catch(() => undefined)
        await unlink(join(this.index, `${t.file}.bloomfilter`)).catch(() => undefined)
      }
      this.stats.ptablesMerged += merging.length
    }
    return name
  }

  /** A PTable and its bloom filter under their final names (read-only, as the server leaves them). */
  private async writePTable(entries: IndexEntry[], onHalfWritten?: (path: string) => Promise<void> | void): Promise<string> {
    const name = randomGuid()
    const path = join(this.index, name)
    const bytes = encodePTable(entries)
    const half = Math.floor(bytes.length / 2)
    await writeFile(join(this.index, `${name}.bloomfilter`), encodeSafeBloomFilter(entries.length))
    const fh = await open(path, 'w')
    try {
      await fh.write(bytes, 0, half, 0)
      await onHalfWritten?.(path)
      await fh.write(bytes, half, bytes.length - half, half)
      if (this.options.fsync !== false) await fh.sync()
    } finally {
      await fh.close()
    }
    await chmod(path, 0o444)
    return name
  }

  /** The server's indexmap replacement: temp file, delete, rename (a backup may see it missing). */
  private async replaceIndexMap(map: IndexMap): Promise<void> {
    const tmp = join(this.index, `indexmap.${randomGuid()}.indexmap.tmp`)
    await writeFile(tmp, serializeIndexMap(map))
    await unlink(join(this.index, 'indexmap')).catch(() => undefined)
    await rename(tmp, join(this.index, 'indexmap'))
  }

  /** Appends until stop(); `intervalMs` between appends. */
  async start(): Promise<void> {
    if (this.running) return
    await this.open()
    this.running = true
    this.loop = (async () => {
      while (this.running) {
        try {
          await this.appendOnce()
        } catch (error) {
          this.failure = error
          this.running = false
          return
        }
        await new Promise((r) => setTimeout(r, this.options.intervalMs ?? 0))
      }
    })()
  }

  /** Stops after the append in progress; rethrows an error the loop hit. */
  async stop(): Promise<void> {
    this.running = false
    await this.loop
    this.loop = undefined
    await this.fh?.close()
    this.fh = undefined
    if (this.failure) throw this.failure
  }

  private async completeAndRoll(): Promise<void> {
    await completeChunk(this.fh!, this.path, this.hash!, this.local)
    await this.fh!.close()
    this.stats.chunksCompleted++
    this.chunkNumber++
    this.local = 0
    // The writer jumps to the boundary when a chunk completes.
    await this.writeCheckpoints(this.chunkNumber * this.chunkSize)
    await this.newChunk()
  }

  private async newChunk(): Promise<void> {
    const created = await createOngoingChunk(this.db, this.chunkNumber, this.chunkSize, randomGuid())
    this.fh = created.fh
    this.path = created.path
    this.hash = created.hash
  }

  private async writeCheckpoints(writer: number): Promise<void> {
    const sync = this.options.fsync !== false
    await writeCheckpoint(join(this.db, 'writer.chk'), writer, {sync})
    await writeCheckpoint(join(this.db, 'chaser.chk'), writer, {sync})
    this.stats.writer = writer
  }

  private async readIndexMap(): Promise<IndexMap> {
    try {
      return parseIndexMap(await readFile(join(this.index, 'indexmap')))
    } catch {
      return {version: INDEXMAP_VERSION, prepareCheckpoint: -1, commitCheckpoint: -1, tables: []}
    }
  }
}
