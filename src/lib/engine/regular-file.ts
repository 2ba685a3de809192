import {constants, type Stats} from 'node:fs'
import {type FileHandle, open, stat} from 'node:fs/promises'
import {basename} from 'node:path'

import {FormatError} from './format-error.js'

/**
 * The engine reads only regular files. Opening a FIFO for reading blocks until a writer appears
 * (for ever, and on a thread of libuv's small pool), and a device such as /dev/zero never ends:
 * either would hang a backup past any signal. Files are therefore opened non-blocking and checked
 * with fstat before a single byte is read; O_NONBLOCK changes nothing for regular files.
 */
const READ_NONBLOCK = constants.O_RDONLY | constants.O_NONBLOCK

export function kindOf(st: Stats): string {
  if (st.isFile()) return 'a regular file'
  if (st.isDirectory()) return 'a directory'
  if (st.isFIFO()) return 'a FIFO'
  if (st.isCharacterDevice()) return 'a character device'
  if (st.isBlockDevice()) return 'a block device'
  if (st.isSocket()) return 'a socket'
  return 'not a file'
}

export class NotRegularFileError extends FormatError {
  constructor(path: string, st: Stats) {
    super(path, `not a regular file (${kindOf(st)})`, `${path} is not a regular file (${kindOf(st)})`)
    this.name = 'NotRegularFileError'
  }
}

/** Opens `path` for reading; throws NotRegularFileError (naming it) for anything but a regular file. */
export async function openRegular(path: string): Promise<FileHandle> {
  const fh = await open(path, READ_NONBLOCK)
  try {
    const st = await fh.stat()
    if (!st.isFile()) throw new NotRegularFileError(path, st)
    return fh
  } catch (error) {
    await fh.close()
    throw error
  }
}

/** Checks (following links) that `path` is a regular file before a call that opens it itself, such as fs.copyFile. */
export async function assertRegularFile(path: string): Promise<Stats> {
  const st = await stat(path)
  if (!st.isFile()) throw new NotRegularFileError(path, st)
  return st
}

/**
 * Reads a whole regular file of at most `maxBytes` (one more is read to tell a longer file):
 * checkpoints, indexmaps and manifests are small, and a huge one is damage, not data to buffer.
 */
export async function readRegularFile(path: string, maxBytes: number): Promise<Buffer> {
  const fh = await openRegular(path)
  try {
    // Sized from fstat (a 256 MiB limit must not mean a 256 MiB buffer per read); grown, within
    // the limit, if the file grows while it is read.
    const limit = maxBytes + 1
    let buf = Buffer.allocUnsafe(Math.min(limit, (await fh.stat()).size + 1))
    let filled = 0
    for (;;) {
      if (filled === buf.length) {
        if (buf.length === limit) break
        const grown = Buffer.allocUnsafe(Math.min(limit, buf.length * 2))
        buf.copy(grown, 0, 0, filled)
        buf = grown
      }
      const {bytesRead} = await fh.read(buf, filled, buf.length - filled, filled)
      if (bytesRead === 0) break
      filled += bytesRead
    }
    if (filled > maxBytes) throw new FormatError(basename(path), `larger than the ${maxBytes} bytes such a file can hold`)
    return buf.subarray(0, filled)
  } finally {
    await fh.close()
  }
}
