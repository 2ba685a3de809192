import {createHash} from 'node:crypto'

import {HASH_SIZE} from './chunk-format.js'
import {throwIfAborted} from './format-error.js'
import {md5OfFileParallel} from './md5-pool.js'
import {assertRegularFile, openRegular} from './regular-file.js'

/** Files above this size are hashed (and, for a restore, copied) on the hashing workers. */
export const PARALLEL_THRESHOLD = 4 * 1024 * 1024

const READ_BUFFER = 1024 * 1024

/** Streams MD5 over `[0, end)` of a file with one fixed buffer: memory stays flat whatever the size. */
export async function md5OfFile(path: string, end?: number, signal?: AbortSignal): Promise<Buffer> {
  const length = end ?? (await assertRegularFile(path)).size
  if (length > PARALLEL_THRESHOLD) {
    throwIfAborted(signal, 'hashing')
    return md5OfFileParallel(path, length, signal)
  }
  const fh = await openRegular(path)
  try {
    const size = length
    const hash = createHash('md5')
    const buf = Buffer.allocUnsafe(Math.min(READ_BUFFER, Math.max(size, 1)))
    let pos = 0
    while (pos < size) {
      throwIfAborted(signal, 'hashing')
      const {bytesRead} = await fh.read(buf, 0, Math.min(buf.length, size - pos), pos)
      if (bytesRead === 0) throw new Error(`${path}: file shrank while hashing (at ${pos} of ${size})`)
      hash.update(buf.subarray(0, bytesRead))
      pos += bytesRead
    }
    return hash.digest()
  } finally {
    await fh.close()
  }
}

export async function readTail(path: string, length: number): Promise<{size: number; tail: Buffer}> {
  const fh = await openRegular(path)
  try {
    const {size} = await fh.stat()
    const n = Math.min(length, size)
    const tail = Buffer.alloc(n)
    if (n > 0) await fh.read(tail, 0, n, size - n)
    return {size, tail}
  } finally {
    await fh.close()
  }
}

export interface TrailerCheck {
  ok: boolean
  size: number
  /** The hash stored in the file's last 16 bytes. */
  stored: Buffer
  /** MD5 of everything before it. */
  computed: Buffer
}

/**
 * Chunks and PTables end with the MD5 of all bytes before it: `MD5(file[0:len-16]) == file[len-16:]`.
 */
export async function checkTrailerMd5(path: string, signal?: AbortSignal): Promise<TrailerCheck> {
  const {size, tail} = await readTail(path, HASH_SIZE)
  if (size < HASH_SIZE) return {ok: false, size, stored: tail, computed: Buffer.alloc(0)}
  throwIfAborted(signal, 'hashing')
  const computed = await md5OfFile(path, size - HASH_SIZE, signal)
  return {ok: computed.equals(tail), size, stored: tail, computed}
}
