import {createHash} from 'node:crypto'
import {basename} from 'node:path'

import {FILE_TYPE_PTABLE, HASH_SIZE} from './chunk-format.js'
import {FormatError} from './format-error.js'
import {checkTrailerMd5, readTail} from './md5.js'
import {openRegular} from './regular-file.js'

export const PTABLE_HEADER_SIZE = 128
export const PTABLE_FOOTER_SIZE = 128
export const PTABLE_VERSION = 4
export const PTABLE_ENTRY_SIZE = 24
const GUID_NAME = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

export function isPTableName(name: string): boolean {
  return GUID_NAME.test(name)
}

export function isBloomFilterName(name: string): boolean {
  return name.endsWith('.bloomfilter') && isPTableName(name.slice(0, -'.bloomfilter'.length))
}

export interface IndexEntry {
  version: bigint
  streamHash: bigint
  position: bigint
}

export function ptableFileSize(entries: number, midpoints: number): number {
  return PTABLE_HEADER_SIZE + PTABLE_ENTRY_SIZE * (entries + midpoints) + PTABLE_FOOTER_SIZE + HASH_SIZE
}

/** A V4 PTable: header, entries sorted descending, midpoints, footer, MD5 of all of it. */
export function encodePTable(entries: IndexEntry[]): Buffer {
  const sorted = [...entries].sort(
    (a, b) => cmpDesc(a.streamHash, b.streamHash) || cmpDesc(a.version, b.version) || cmpDesc(a.position, b.position),
  )
  // Midpoints: first and last entry (what a tiny table caches).
  const mids = sorted.length === 0 ? [] : sorted.length === 1 ? [0] : [0, sorted.length - 1]
  const buf = Buffer.alloc(ptableFileSize(sorted.length, mids.length))
  buf.writeUInt8(FILE_TYPE_PTABLE, 0)
  buf.writeUInt8(PTABLE_VERSION, 1)
  let off = PTABLE_HEADER_SIZE
  for (const e of sorted) {
    buf.writeBigInt64LE(e.version, off)
    buf.writeBigUInt64LE(e.streamHash, off + 8)
    buf.writeBigInt64LE(e.position, off + 16)
    off += PTABLE_ENTRY_SIZE
  }
  for (const i of mids) {
    buf.writeBigInt64LE(sorted[i].version, off)
    buf.writeBigUInt64LE(sorted[i].streamHash, off + 8)
    buf.writeBigInt64LE(BigInt(i), off + 16)
    off += PTABLE_ENTRY_SIZE
  }
  buf.writeUInt8(FILE_TYPE_PTABLE, off)
  buf.writeUInt8(PTABLE_VERSION, off + 1)
  buf.writeUInt32LE(mids.length, off + 2)
  off += PTABLE_FOOTER_SIZE
  createHash('md5').update(buf.subarray(0, off)).digest().copy(buf, off)
  return buf
}

function cmpDesc(a: bigint, b: bigint): number {
  return a === b ? 0 : a > b ? -1 : 1
}

export interface PTableInfo {
  version: number
  entries: number
  midpoints: number
  size: number
}

/**
 * Checks header, footer, size formula and (unless `hash` is false) the MD5; throws FormatError
 * naming the file and the problem.
 */
export async function verifyPTable(path: string, signal?: AbortSignal, options: {hash?: boolean} = {}): Promise<PTableInfo> {
  const name = basename(path)
  const fh = await openRegular(path)
  let header: Buffer
  try {
    header = Buffer.alloc(2)
    await fh.read(header, 0, 2, 0)
  } finally {
    await fh.close()
  }
  const {size, tail} = await readTail(path, PTABLE_FOOTER_SIZE + HASH_SIZE)
  if (size < PTABLE_HEADER_SIZE + PTABLE_FOOTER_SIZE + HASH_SIZE) throw new FormatError(name, `PTable too short (${size} bytes)`)
  if (header[0] !== FILE_TYPE_PTABLE) throw new FormatError(name, `not a PTable (header file type ${header[0]})`)
  const version = header[1]
  if (version < 2 || version > PTABLE_VERSION) throw new FormatError(name, `unsupported PTable version ${version}`)
  let midpoints = 0
  let entrySize = version === 2 ? 20 : PTABLE_ENTRY_SIZE
  let body = size - PTABLE_HEADER_SIZE - HASH_SIZE
  if (version >= 4) {
    if (tail[0] !== FILE_TYPE_PTABLE || tail[1] !== version) throw new FormatError(name, 'PTable footer does not match its header')
    midpoints = tail.readUInt32LE(2)
    body -= PTABLE_FOOTER_SIZE + midpoints * PTABLE_ENTRY_SIZE
    entrySize = PTABLE_ENTRY_SIZE
  }
  if (body < 0 || body % entrySize !== 0) throw new FormatError(name, `PTable size ${size} does not fit its entry size (half-written?)`)
  if (options.hash === false) return {version, entries: body / entrySize, midpoints, size}
  const check = await checkTrailerMd5(path, signal)
  if (!check.ok)
    throw new FormatError(name, `PTable MD5 mismatch (stored ${check.stored.toString('hex')}, computed ${check.computed.toString('hex')})`)
  return {version, entries: body / entrySize, midpoints, size}
}

/** A `.bloomfilter` with every bit set: "corrupted, made safe" lines, so lookups never miss. */
export function encodeSafeBloomFilter(entryCount: number): Buffer {
  const logical = Math.min(Math.max(Math.floor(entryCount / 4), 10_000), 4_000_000_000)
  const size = Math.floor((64 + logical + Math.floor(logical / 60) * 4) / 64) * 64 + 64
  const buf = Buffer.alloc(size, 0xff)
  buf.fill(0, 0, 64)
  buf.writeUInt8(1, 0)
  buf.writeBigInt64LE(BigInt(logical) * 8n, 8)
  return buf
}

/** The entries of an encoded PTable, in file order (a merge reads its inputs with this). */
export function decodePTableEntries(buf: Buffer): IndexEntry[] {
  const footer = buf.length - HASH_SIZE - PTABLE_FOOTER_SIZE
  const mids = buf.readUInt32LE(footer + 2)
  const count = (footer - PTABLE_HEADER_SIZE) / PTABLE_ENTRY_SIZE - mids
  const entries: IndexEntry[] = []
  for (let i = 0, off = PTABLE_HEADER_SIZE; i < count; i++, off += PTABLE_ENTRY_SIZE) {
    entries.push({version: buf.readBigInt64LE(off), streamHash: buf.readBigUInt64LE(off + 8), position: buf.readBigInt64LE(off + 16)})
  }
  return entries
}
