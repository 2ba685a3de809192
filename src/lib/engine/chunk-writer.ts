import {type Hash, createHash} from 'node:crypto'
import {type FileHandle, chmod, open, rename} from 'node:fs/promises'
import {join} from 'node:path'

import {
  CHUNK_FOOTER_SIZE,
  CHUNK_HEADER_SIZE,
  HASH_SIZE,
  chunkFileName,
  completedChunkFileSize,
  encodeChunkFooter,
  encodeChunkHeader,
  preallocatedChunkFileSize,
} from './chunk-format.js'
import {guidToBytes} from './records.js'

/**
 * Completes a chunk the way the server does (v3+ "aligned"): zero padding to a 4 KiB multiple,
 * the footer with its MD5, truncate to that size, read-only. `hash` has been fed the header and
 * every data byte already; returns the final file size and the MD5.
 */
export async function completeChunk(
  fh: FileHandle,
  path: string,
  hash: Hash,
  physicalDataSize: number,
): Promise<{size: number; md5: Buffer}> {
  const size = completedChunkFileSize(physicalDataSize)
  const paddingStart = CHUNK_HEADER_SIZE + physicalDataSize
  const padding = Buffer.alloc(size - CHUNK_FOOTER_SIZE - paddingStart)
  hash.update(padding)
  const footer = encodeChunkFooter({physicalDataSize})
  hash.update(footer.subarray(0, CHUNK_FOOTER_SIZE - HASH_SIZE))
  const md5 = hash.digest()
  md5.copy(footer, CHUNK_FOOTER_SIZE - HASH_SIZE)
  await fh.write(Buffer.concat([padding, footer]), 0, padding.length + footer.length, paddingStart)
  await fh.truncate(size)
  await fh.sync()
  await chmod(path, 0o444)
  return {size, md5}
}

/**
 * Creates the ongoing chunk `start` the way the server does: header written into a temp file
 * pre-sized (zero-filled) to a full chunk, then renamed to its final name. Returns the handle
 * and a hash already fed with the header.
 */
export async function createOngoingChunk(
  db: string,
  start: number,
  chunkSize: number,
  chunkId: string,
): Promise<{fh: FileHandle; path: string; hash: Hash}> {
  const name = chunkFileName(start, 0)
  const path = join(db, name)
  const tmp = join(db, `${name}.${chunkId}.tmp`)
  const header = encodeChunkHeader({chunkSize, startNumber: start, chunkId: guidToBytes(chunkId)})
  const fh = await open(tmp, 'w+')
  await fh.write(header, 0, header.length, 0)
  await fh.truncate(preallocatedChunkFileSize(chunkSize))
  await fh.sync()
  await rename(tmp, path)
  const hash = createHash('md5').update(header)
  return {fh, path, hash}
}
