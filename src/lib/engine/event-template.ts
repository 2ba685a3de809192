import {RECORD_FRAME_OVERHEAD, encodePrepareV1, frameRecord} from './records.js'

const STREAM_DIGITS = 6
const SEQ_DIGITS = 12
const EVENT_TYPE = 'OrderPlaced'
const MIN_DATA = 64

/**
 * A framed V1 prepare with fixed-width fields, copied and patched per event. Building every record
 * from scratch would dominate generation time for multi-GiB logs; patching a template keeps it at
 * memcpy speed while every record stays a complete, valid prepare with a JSON payload.
 */
export class EventTemplate {
  readonly framedSize: number
  private readonly template: Buffer
  private readonly offsets: {
    logPosition: number
    txPosition: number
    expected: number
    stream: number
    eventId: number
    timestamp: number
    seq: number
    streamInData: number
  }

  constructor(framedSize: number, runId: Buffer) {
    const probe = this.build(MIN_DATA, runId)
    const dataBytes = Math.max(MIN_DATA, MIN_DATA + framedSize - probe.length)
    this.template = this.build(dataBytes, runId)
    this.framedSize = this.template.length
    const body = 4
    const stream = body + 32 + 1
    const eventId = stream + 'stream-'.length + STREAM_DIGITS
    const timestamp = eventId + 32
    const data = timestamp + 8 + 1 + EVENT_TYPE.length + 4
    const seq = this.template.indexOf('"seq":"', data) + 7
    const streamInData = this.template.indexOf('"stream":"', data) + 10
    this.offsets = {logPosition: body + 2, txPosition: body + 12, expected: body + 24, stream, eventId, timestamp, seq, streamInData}
  }

  private build(dataBytes: number, runId: Buffer): Buffer {
    const head = `{"seq":"${'0'.repeat(SEQ_DIGITS)}","stream":"stream-${'0'.repeat(STREAM_DIGITS)}","amount":1234,"currency":"EUR","note":"`
    const tail = '"}'
    const padding = Math.max(0, dataBytes - head.length - tail.length)
    const data = Buffer.from(head + 'x'.repeat(padding) + tail, 'utf8')
    const eventId = Buffer.alloc(16)
    runId.copy(eventId, 0, 0, 8)
    return frameRecord(
      encodePrepareV1({
        logPosition: 0,
        expectedVersion: -1,
        streamId: `stream-${'0'.repeat(STREAM_DIGITS)}`,
        eventId,
        correlationId: eventId,
        timestampTicks: 0n,
        eventType: EVENT_TYPE,
        data,
        metadata: Buffer.from('{}', 'utf8'),
      }),
    )
  }

  /** Writes one event at `offset` of `target` (which must have framedSize bytes free there). */
  write(
    target: Buffer,
    offset: number,
    e: {logPosition: number; stream: number; eventNumber: number; seq: number; timestampTicks: bigint},
  ): void {
    this.template.copy(target, offset)
    const o = this.offsets
    const pos = BigInt(e.logPosition)
    target.writeBigInt64LE(pos, offset + o.logPosition)
    target.writeBigInt64LE(pos, offset + o.txPosition)
    target.writeBigInt64LE(BigInt(e.eventNumber - 1), offset + o.expected)
    const streamDigits = String(e.stream).padStart(STREAM_DIGITS, '0')
    target.write(streamDigits, offset + o.stream + 'stream-'.length, 'latin1')
    target.write(streamDigits, offset + o.streamInData + 'stream-'.length, 'latin1')
    target.writeUInt32LE(e.seq >>> 0, offset + o.eventId + 8)
    target.writeUInt32LE(Math.floor(e.seq / 2 ** 32), offset + o.eventId + 12)
    target.writeBigInt64LE(e.timestampTicks, offset + o.timestamp)
    target.write(String(e.seq).padStart(SEQ_DIGITS, '0'), offset + o.seq, 'latin1')
  }

  static streamName(stream: number): string {
    return `stream-${String(stream).padStart(STREAM_DIGITS, '0')}`
  }
}

export const FRAME_OVERHEAD = RECORD_FRAME_OVERHEAD
