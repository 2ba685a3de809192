/**
 * A reader written for the tests from the format reference alone, sharing no code with
 * src/lib/engine: it walks a data directory's log up to a position and checks every record and
 * every completed chunk's MD5 itself.
 */
import {createHash} from 'node:crypto'
import {readFileSync, readdirSync, renameSync, unlinkSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'

export interface WalkResult {
  records: number
  prepares: number
  systemRecords: number
  completedChunks: number
  lastPosition: number
  /** Where the walk stopped: upTo when the log is whole (a chunk boundary when upTo is one). */
  endPosition: number
}

export function readCheckpointFile(path: string): number {
  const b = readFileSync(path)
  if (b.length !== 8) throw new Error(`${path}: ${b.length} bytes`)
  return Number(b.readBigInt64LE(0))
}

/** Latest version per start number, from the names alone. */
export function chunkFiles(dir: string): Map<number, string> {
  const latest = new Map<number, string>()
  for (const name of readdirSync(dir).sort()) {
    const m = /^chunk-(\d{6})\.(\d{6})$/.exec(name)
    if (m) latest.set(Number(m[1]), name)
  }
  return latest
}

/** Walks records [0, upTo) across chunks; throws on any inconsistency. */
export function walkLog(dir: string, upTo: number): WalkResult {
  const files = chunkFiles(dir)
  const first = readFileSync(join(dir, files.get(0)!))
  const chunkSize = first.readInt32LE(2)
  const result: WalkResult = {records: 0, prepares: 0, systemRecords: 0, completedChunks: 0, lastPosition: 0, endPosition: 0}
  let pos = 0
  while (pos < upTo) {
    const n = Math.floor(pos / chunkSize)
    const name = files.get(n)
    if (!name) throw new Error(`no chunk file for chunk ${n} (position ${pos})`)
    const buf = readFileSync(join(dir, name))
    if (buf[0] !== 2 || buf.readInt32LE(6) !== n) throw new Error(`${name}: bad header`)
    const footer = buf.subarray(buf.length - 128)
    const completed = (footer[0] & 1) === 1
    let dataEnd = completed ? footer.readInt32LE(1) : chunkSize
    if (completed) {
      const md5 = createHash('md5')
        .update(buf.subarray(0, buf.length - 16))
        .digest()
      if (!md5.equals(buf.subarray(buf.length - 16))) throw new Error(`${name}: MD5 mismatch`)
      if (buf.length % 4096 !== 0) throw new Error(`${name}: completed size ${buf.length} not 4 KiB aligned`)
      result.completedChunks++
    }
    const chunkStart = n * chunkSize
    dataEnd = Math.min(dataEnd, upTo - chunkStart)
    let local = pos - chunkStart
    while (local < dataEnd) {
      const off = 128 + local
      const len = buf.readInt32LE(off)
      if (len <= 0 || off + 8 + len > buf.length) throw new Error(`${name}: bad length ${len} at ${off}`)
      if (buf.readInt32LE(off + 4 + len) !== len) throw new Error(`${name}: suffix mismatch at ${off}`)
      const type = buf[off + 4]
      const logPos = Number(buf.readBigInt64LE(off + 6))
      if (logPos !== chunkStart + local) throw new Error(`${name}: record at ${off} says ${logPos}`)
      if (type === 0) {
        const streamLen = buf[off + 4 + 32]
        const stream = buf.subarray(off + 4 + 33, off + 4 + 33 + streamLen).toString('utf8')
        const typeLenAt = off + 4 + 33 + streamLen + 40
        const dataLenAt = typeLenAt + 1 + buf[typeLenAt]
        const dataLen = buf.readInt32LE(dataLenAt)
        const json = JSON.parse(buf.subarray(dataLenAt + 4, dataLenAt + 4 + dataLen).toString('utf8')) as {stream: string}
        if (json.stream !== stream) throw new Error(`${name}: payload stream ${json.stream} vs ${stream}`)
        result.prepares++
      } else if (type === 2) result.systemRecords++
      else throw new Error(`${name}: unexpected record type ${type}`)
      result.records++
      local += len + 8
      result.lastPosition = chunkStart + local
    }
    if (local !== dataEnd && completed) throw new Error(`${name}: records overrun data end`)
    pos = completed && local >= dataEnd && upTo > chunkStart + dataEnd ? (n + 1) * chunkSize : chunkStart + local
    if (!completed) break
  }
  result.endPosition = pos
  return result
}

/**
 * What the server does when it adds a PTable, done synchronously from a test hook: the table under
 * its final name, then a new indexmap via temp file, delete, rename. The new table indexes nothing
 * new (same checkpoints), which the index accepts.
 */
export function addPTableSync(index: string): string {
  const text = readFileSync(join(index, 'indexmap'), 'utf8')
  const lines = text
    .split('\n')
    .slice(1)
    .filter((l) => l !== '')
  const level0 = lines.slice(3).filter((l) => l.startsWith('0,')).length
  const name = `${Date.now().toString(16).padStart(8, '0').slice(-8)}-0000-4000-8000-${String(level0).padStart(12, '0')}`
  const table = Buffer.alloc(128 + 24 + 24 + 128 + 16)
  table[0] = 1
  table[1] = 4
  table.writeBigInt64LE(0n, 128)
  table.writeBigUInt64LE(1n, 136)
  table.writeBigInt64LE(0n, 144)
  table.writeBigInt64LE(0n, 152)
  table.writeBigUInt64LE(1n, 160)
  table.writeBigInt64LE(0n, 168)
  table[176] = 1
  table[177] = 4
  table.writeUInt32LE(1, 178)
  createHash('md5')
    .update(table.subarray(0, table.length - 16))
    .digest()
    .copy(table, table.length - 16)
  writeFileSync(join(index, name), table)
  const body = '\n' + [...lines, `0,${level0},${name}`].join('\n') + '\n'
  const md5 = createHash('md5').update(body).digest('hex').toUpperCase()
  const tmp = join(index, `indexmap.${name}.indexmap.tmp`)
  writeFileSync(tmp, md5 + body)
  unlinkSync(join(index, 'indexmap'))
  renameSync(tmp, join(index, 'indexmap'))
  return name
}
