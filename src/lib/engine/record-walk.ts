import {basename} from 'node:path'

import {CHUNK_HEADER_SIZE} from './chunk-format.js'
import {MAX_RECORD_SIZE, RECORD_FRAME_OVERHEAD, readFramedRecord} from './records.js'
import {FormatError} from './format-error.js'
import {openRegular} from './regular-file.js'

const WINDOW = MAX_RECORD_SIZE + RECORD_FRAME_OVERHEAD + 4 * 1024 * 1024

/**
 * Walks the framed records of `[from, to)` of a chunk file (raw offsets), checking framing and that
 * each record's log position matches where it sits. Reads through one bounded window.
 */
export async function walkRecords(
  path: string,
  from: number,
  to: number,
  logPositionAt: (offset: number) => number,
  onRecord?: (type: number, logPosition: number) => void,
): Promise<number> {
  const file = basename(path)
  const fh = await openRegular(path)
  const buf = Buffer.allocUnsafe(Math.min(WINDOW, Math.max(to - from, 1)))
  let count = 0
  try {
    let windowStart = from
    let windowLen = 0
    let offset = from
    while (offset < to) {
      const rel = offset - windowStart
      // Refill when the window cannot hold the next record in full.
      if (rel + 4 > windowLen || rel + 4 + buf.readInt32LE(rel) + 4 > windowLen) {
        windowStart = offset
        const want = Math.min(buf.length, to - offset)
        const {bytesRead} = await fh.read(buf, 0, want, offset)
        windowLen = bytesRead
        if (bytesRead < 4) throw new FormatError(file, `record at offset ${offset} is cut short`)
      }
      const view = buf.subarray(0, windowLen)
      const r = readFramedRecord(view, offset - windowStart, file)
      const expected = logPositionAt(offset)
      if (r.logPosition !== expected)
        throw new FormatError(file, `record at offset ${offset} says log position ${r.logPosition}, expected ${expected}`)
      onRecord?.(r.type, r.logPosition)
      offset = windowStart + r.next
      count++
    }
    if (offset !== to) throw new FormatError(file, `records overrun the end of data (${offset} > ${to})`)
    return count
  } finally {
    await fh.close()
  }
}

/**
 * Walks an ongoing chunk's records from its header to `dataEnd` (a raw offset: the header plus
 * writer.chk's distance from the chunk's start), each record's log position checked.
 */
export function walkOngoingChunk(path: string, startNumber: number, chunkSize: number, dataEnd: number): Promise<number> {
  return walkRecords(path, CHUNK_HEADER_SIZE, dataEnd, (off) => startNumber * chunkSize + off - CHUNK_HEADER_SIZE)
}
