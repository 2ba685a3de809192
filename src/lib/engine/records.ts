import {FormatError} from './format-error.js'
import {uleb128Bytes} from './leb128.js'

export const RECORD_FRAME_OVERHEAD = 8
export const MAX_RECORD_SIZE = 16 * 1024 * 1024

export const RecordType = {Prepare: 0, Commit: 1, System: 2} as const

export const PrepareFlags = {
  Data: 0x01,
  TransactionBegin: 0x02,
  TransactionEnd: 0x04,
  StreamDelete: 0x08,
  IsCommitted: 0x20,
  IsJson: 0x100,
} as const
/** What a normal append writes today: a single-event transaction, committed, JSON. */
export const SINGLE_WRITE_JSON =
  PrepareFlags.Data | PrepareFlags.TransactionBegin | PrepareFlags.TransactionEnd | PrepareFlags.IsCommitted | PrepareFlags.IsJson

const TICKS_AT_UNIX_EPOCH = 621_355_968_000_000_000n

/** .NET DateTime ticks (100 ns since 0001-01-01, UTC) for a JS time. */
export function dotnetTicks(ms: number): bigint {
  return TICKS_AT_UNIX_EPOCH + BigInt(Math.trunc(ms)) * 10_000n
}

/** A .NET-layout GUID (Data1..3 little-endian) from its canonical text. */
export function guidToBytes(guid: string): Buffer {
  const hex = guid.replaceAll('-', '')
  if (!/^[0-9a-fA-F]{32}$/.test(hex)) throw new Error(`not a GUID: ${guid}`)
  const b = Buffer.from(hex, 'hex')
  return Buffer.concat([
    Buffer.from(b.subarray(0, 4)).reverse(),
    Buffer.from(b.subarray(4, 6)).reverse(),
    Buffer.from(b.subarray(6, 8)).reverse(),
    b.subarray(8),
  ])
}

function uleb128(n: number): Buffer {
  return Buffer.from(uleb128Bytes(n))
}

/** Wraps a record body in its length prefix and suffix. */
export function frameRecord(body: Buffer): Buffer {
  const out = Buffer.allocUnsafe(body.length + RECORD_FRAME_OVERHEAD)
  out.writeInt32LE(body.length, 0)
  body.copy(out, 4)
  out.writeInt32LE(body.length, 4 + body.length)
  return out
}

export interface PrepareRecord {
  logPosition: number
  flags?: number
  transactionPosition?: number
  transactionOffset?: number
  expectedVersion: number
  streamId: string
  eventId: Buffer
  correlationId?: Buffer
  timestampTicks: bigint
  eventType: string
  data: Buffer
  metadata?: Buffer
}

/** Body of a V1 prepare (LogRecordType 0), the layout of every normal append. */
export function encodePrepareV1(r: PrepareRecord): Buffer {
  const stream = Buffer.from(r.streamId, 'utf8')
  const type = Buffer.from(r.eventType, 'utf8')
  const metadata = r.metadata ?? Buffer.alloc(0)
  const fixed = Buffer.alloc(1 + 1 + 8 + 2 + 8 + 4 + 8)
  fixed.writeUInt8(RecordType.Prepare, 0)
  fixed.writeUInt8(1, 1)
  fixed.writeBigInt64LE(BigInt(r.logPosition), 2)
  fixed.writeUInt16LE(r.flags ?? SINGLE_WRITE_JSON, 10)
  fixed.writeBigInt64LE(BigInt(r.transactionPosition ?? r.logPosition), 12)
  fixed.writeInt32LE(r.transactionOffset ?? 0, 20)
  fixed.writeBigInt64LE(BigInt(r.expectedVersion), 24)
  const ids = Buffer.alloc(16 + 16 + 8)
  r.eventId.copy(ids, 0, 0, 16)
  ;(r.correlationId ?? Buffer.alloc(16)).copy(ids, 16, 0, 16)
  ids.writeBigInt64LE(r.timestampTicks, 32)
  const dataLen = Buffer.alloc(4)
  dataLen.writeInt32LE(r.data.length)
  const metaLen = Buffer.alloc(4)
  metaLen.writeInt32LE(metadata.length)
  return Buffer.concat([fixed, uleb128(stream.length), stream, ids, uleb128(type.length), type, dataLen, r.data, metaLen, metadata])
}

export interface EpochRecord {
  logPosition: number
  timestampMs: number
  epochNumber: number
  epochId: string
  prevEpochPosition: number
  leaderInstanceId: string
}

/** Body of a V0 system record (type 2) holding an epoch, as a new node writes at position 0. */
export function encodeEpochSystemRecord(e: EpochRecord): Buffer {
  const json = Buffer.from(
    JSON.stringify({
      EpochPosition: e.logPosition,
      EpochNumber: e.epochNumber,
      EpochId: e.epochId,
      PrevEpochPosition: e.prevEpochPosition,
      TimeStamp: new Date(e.timestampMs).toISOString(),
      LeaderInstanceId: e.leaderInstanceId,
    }),
    'utf8',
  )
  const head = Buffer.alloc(1 + 1 + 8 + 8 + 1 + 1 + 8 + 4)
  head.writeUInt8(RecordType.System, 0)
  head.writeUInt8(0, 1)
  head.writeBigInt64LE(BigInt(e.logPosition), 2)
  head.writeBigInt64LE(dotnetTicks(e.timestampMs), 10)
  head.writeUInt8(1, 18) // SystemRecordType.Epoch
  head.writeUInt8(2, 19) // SystemRecordSerialization.Json
  head.writeBigInt64LE(0n, 20)
  head.writeInt32LE(json.length, 28)
  return Buffer.concat([head, json])
}

export interface FramedRecord {
  /** Offset of the length prefix within the buffer. */
  offset: number
  length: number
  type: number
  version: number
  logPosition: number
  /** Offset just after the suffix: where the next record starts. */
  next: number
}

/**
 * Reads the framed record at `offset`, checking the length prefix against the suffix the way the
 * server's reader does. `file` names the input in errors.
 */
export function readFramedRecord(buf: Buffer, offset: number, file = 'chunk'): FramedRecord {
  if (offset + 4 > buf.length) throw new FormatError(file, `record at offset ${offset} is cut short (no length prefix)`)
  const length = buf.readInt32LE(offset)
  if (length <= 0 || length > MAX_RECORD_SIZE) {
    throw new FormatError(file, `bad record length ${length} at offset ${offset}`)
  }
  const next = offset + length + RECORD_FRAME_OVERHEAD
  if (next > buf.length) throw new FormatError(file, `record at offset ${offset} is cut short (${length} bytes announced)`)
  const suffix = buf.readInt32LE(offset + 4 + length)
  if (suffix !== length) {
    throw new FormatError(file, `prefix/suffix length inconsistency at offset ${offset} (${length} vs ${suffix})`)
  }
  if (length < 10) throw new FormatError(file, `record at offset ${offset} is too short for a record header`)
  return {
    offset,
    length,
    type: buf.readUInt8(offset + 4),
    version: buf.readUInt8(offset + 5),
    logPosition: Number(buf.readBigInt64LE(offset + 6)),
    next,
  }
}
