import {promisify} from 'node:util'
import zlib from 'node:zlib'

/**
 * Compression of an object's frames with node:zlib (Node 20 has no zstd). Each frame (1 MiB by
 * default) is compressed on its own, on libuv's thread pool: memory stays bounded by the frame,
 * several objects compress in parallel on every core, and a frame's decompressed size is capped at
 * the frame size, so a planted object cannot inflate without bound.
 */
export const COMPRESSIONS = ['none', 'gzip', 'deflate', 'brotli'] as const
export type Compression = (typeof COMPRESSIONS)[number]

/**
 * What a new repository compresses with when the run does not say. On generated JSON events,
 * deflate at level 1 stores 3 to 9 % of the bytes at 100-400 MiB/s per core (docs/BENCHMARKS.md):
 * cheaper than sending and storing the rest over any link slower than that. gzip is the same
 * algorithm with a costlier checksum; brotli saves 1-2 points more for 3-8 times the CPU.
 */
export const DEFAULT_COMPRESSION: Compression = 'deflate'

/** The id written in an object's header; never renumber. */
export const COMPRESSION_ID: Readonly<Record<Compression, number>> = {none: 0, gzip: 1, deflate: 2, brotli: 3}

export function compressionOfId(id: number): Compression | undefined {
  return COMPRESSIONS.find((c) => COMPRESSION_ID[c] === id)
}

/**
 * Levels chosen by bench/compress.js (docs/BENCHMARKS.md): on JSON events, gzip level 1 keeps 80 %
 * of level 6's ratio at 4 times the speed, brotli quality 4 two thirds of quality 11's at 50 times.
 */
const GZIP_LEVEL = 1
const BROTLI_QUALITY = 4

const gzip = promisify(zlib.gzip)
const gunzip = promisify(zlib.gunzip)
const deflate = promisify(zlib.deflate)
const inflate = promisify(zlib.inflate)
const brotli = promisify(zlib.brotliCompress)
const unbrotli = promisify(zlib.brotliDecompress)

export async function compressBlock(compression: Compression, block: Buffer): Promise<Buffer> {
  switch (compression) {
    case 'none':
      return block
    case 'gzip':
      return gzip(block, {level: GZIP_LEVEL})
    case 'deflate':
      return deflate(block, {level: GZIP_LEVEL})
    case 'brotli':
      return brotli(block, {
        params: {
          [zlib.constants.BROTLI_PARAM_QUALITY]: BROTLI_QUALITY,
          [zlib.constants.BROTLI_PARAM_SIZE_HINT]: block.length,
        },
      })
  }
}

/** The block back; rejects when it is not valid or would be larger than `max` bytes. */
export async function decompressBlock(compression: Compression, block: Buffer, max: number): Promise<Buffer> {
  switch (compression) {
    case 'none':
      if (block.length > max) throw new RangeError(`block of ${block.length} bytes exceeds ${max}`)
      return block
    case 'gzip':
      return gunzip(block, {maxOutputLength: max})
    case 'deflate':
      return inflate(block, {maxOutputLength: max})
    case 'brotli':
      return unbrotli(block, {maxOutputLength: max})
  }
}
