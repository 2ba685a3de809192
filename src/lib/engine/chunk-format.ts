import {FormatError} from './format-error.js'

export const CHUNK_HEADER_SIZE = 128
export const CHUNK_FOOTER_SIZE = 128
export const HASH_SIZE = 16
export const ALIGNMENT = 4096
export const DEFAULT_CHUNK_SIZE = 256 * 1024 * 1024
export const FILE_TYPE_PTABLE = 1
export const FILE_TYPE_CHUNK = 2
/** Header version byte written by current servers for identity-transform chunks. */
export const CHUNK_MIN_COMPATIBLE_VERSION = 3
export const CHUNK_VERSION = 4

const CHUNK_NAME = /^chunk-(\d{6})\.(\d{6})$/

export interface ChunkName {
  start: number
  version: number
}

export function parseChunkName(name: string): ChunkName | undefined {
  const m = CHUNK_NAME.exec(name)
  return m ? {start: Number(m[1]), version: Number(m[2])} : undefined
}

export function chunkFileName(start: number, version = 0): string {
  return `chunk-${String(start).padStart(6, '0')}.${String(version).padStart(6, '0')}`
}

export function alignUp(n: number, alignment = ALIGNMENT): number {
  return Math.ceil(n / alignment) * alignment
}

/** Size of a new or ongoing chunk file: pre-allocated to hold a full chunk plus header and footer. */
export function preallocatedChunkFileSize(chunkSize: number): number {
  return alignUp(CHUNK_HEADER_SIZE + chunkSize + CHUNK_FOOTER_SIZE)
}

/** Size of a completed (aligned, v3+) chunk: header, data, posmap, zero padding, footer. */
export function completedChunkFileSize(physicalDataSize: number, mapSize = 0): number {
  return alignUp(CHUNK_HEADER_SIZE + physicalDataSize + mapSize + CHUNK_FOOTER_SIZE)
}

export interface ChunkHeader {
  fileType: number
  minCompatibleVersion: number
  chunkSize: number
  startNumber: number
  endNumber: number
  isScavenged: boolean
  chunkId: Buffer
  version: number
  transformType: number
}

export function encodeChunkHeader(h: Partial<ChunkHeader> & {chunkSize: number; startNumber: number}): Buffer {
  const buf = Buffer.alloc(CHUNK_HEADER_SIZE)
  const version = h.version ?? CHUNK_VERSION
  buf.writeUInt8(h.fileType ?? FILE_TYPE_CHUNK, 0)
  buf.writeUInt8(h.minCompatibleVersion ?? CHUNK_MIN_COMPATIBLE_VERSION, 1)
  buf.writeInt32LE(h.chunkSize, 2)
  buf.writeInt32LE(h.startNumber, 6)
  buf.writeInt32LE(h.endNumber ?? h.startNumber, 10)
  buf.writeInt32LE(h.isScavenged ? 1 : 0, 14)
  ;(h.chunkId ?? Buffer.alloc(16)).copy(buf, 18, 0, 16)
  if (version >= 4) {
    buf.writeUInt8(version, 34)
    buf.writeUInt8(h.transformType ?? 0, 35)
  }
  return buf
}

export function decodeChunkHeader(buf: Buffer, file = 'chunk'): ChunkHeader {
  if (buf.length < CHUNK_HEADER_SIZE) {
    throw new FormatError(file, `too short for a chunk header (${buf.length} of ${CHUNK_HEADER_SIZE} bytes)`)
  }
  const fileType = buf.readUInt8(0)
  if (fileType !== FILE_TYPE_CHUNK) throw new FormatError(file, `not a chunk file (header file type ${fileType}, expected 2)`)
  const minCompatibleVersion = buf.readUInt8(1)
  const chunkSize = buf.readInt32LE(2)
  const startNumber = buf.readInt32LE(6)
  const endNumber = buf.readInt32LE(10)
  const isScavenged = buf.readInt32LE(14) !== 0
  if (chunkSize <= 0) throw new FormatError(file, `bad chunk size ${chunkSize} in header`)
  if (startNumber < 0 || endNumber < startNumber) {
    throw new FormatError(file, `bad chunk range ${startNumber}-${endNumber} in header`)
  }
  const versionByte = buf.readUInt8(34)
  return {
    fileType,
    minCompatibleVersion,
    chunkSize,
    startNumber,
    endNumber,
    isScavenged,
    chunkId: Buffer.from(buf.subarray(18, 34)),
    version: versionByte === 0 ? minCompatibleVersion : versionByte,
    transformType: versionByte >= 4 ? buf.readUInt8(35) : 0,
  }
}

export interface ChunkFooter {
  isCompleted: boolean
  isMap12Bytes: boolean
  physicalDataSize: number
  logicalDataSize: number
  mapSize: number
  md5: Buffer
}

/** The footer's first 112 bytes; the MD5 goes in the last 16 once the file's hash is known. */
export function encodeChunkFooter(f: {physicalDataSize: number; logicalDataSize?: number; mapSize?: number; md5?: Buffer}): Buffer {
  const buf = Buffer.alloc(CHUNK_FOOTER_SIZE)
  buf.writeUInt8(0x03, 0)
  buf.writeInt32LE(f.physicalDataSize, 1)
  buf.writeBigInt64LE(BigInt(f.logicalDataSize ?? f.physicalDataSize), 5)
  buf.writeInt32LE(f.mapSize ?? 0, 13)
  if (f.md5) f.md5.copy(buf, CHUNK_FOOTER_SIZE - HASH_SIZE)
  return buf
}

export function decodeChunkFooter(buf: Buffer, file = 'chunk'): ChunkFooter {
  if (buf.length < CHUNK_FOOTER_SIZE) {
    throw new FormatError(file, `too short for a chunk footer (${buf.length} of ${CHUNK_FOOTER_SIZE} bytes)`)
  }
  const flags = buf.readUInt8(0)
  const isMap12Bytes = (flags & 0x02) !== 0
  const physicalDataSize = buf.readInt32LE(1)
  const logicalDataSize = isMap12Bytes ? Number(buf.readBigInt64LE(5)) : buf.readInt32LE(5)
  const mapSize = buf.readInt32LE(isMap12Bytes ? 13 : 9)
  return {
    isCompleted: (flags & 0x01) !== 0,
    isMap12Bytes,
    physicalDataSize,
    logicalDataSize,
    mapSize,
    md5: Buffer.from(buf.subarray(CHUNK_FOOTER_SIZE - HASH_SIZE)),
  }
}

/** Checks a completed footer's fields against each other and the file size; returns the problem or undefined. */
export function footerProblem(footer: ChunkFooter, fileSize: number): string | undefined {
  if (!footer.isCompleted) return 'footer is not marked completed'
  if (footer.physicalDataSize < 0) return `negative physical data size ${footer.physicalDataSize}`
  if (footer.logicalDataSize < footer.physicalDataSize) {
    return `logical data size ${footer.logicalDataSize} is below physical ${footer.physicalDataSize}`
  }
  const entry = footer.isMap12Bytes ? 12 : 8
  if (footer.mapSize < 0 || footer.mapSize % entry !== 0) return `posmap size ${footer.mapSize} is not a multiple of ${entry}`
  const minimum = CHUNK_HEADER_SIZE + footer.physicalDataSize + footer.mapSize + CHUNK_FOOTER_SIZE
  if (fileSize < minimum) return `file is ${fileSize} bytes, footer needs at least ${minimum}`
  return undefined
}
