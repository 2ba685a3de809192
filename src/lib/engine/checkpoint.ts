import {open, readFile, rename} from 'node:fs/promises'
import {basename} from 'node:path'

import {FormatError} from './format-error.js'

export const CHECKPOINT_SIZE = 8
export const DB_CHECKPOINTS = ['chaser.chk', 'epoch.chk', 'writer.chk', 'proposal.chk', 'truncate.chk', 'tag.chk'] as const

/** The server's default MaxTruncation: a first start that must cut more than this off the log refuses to. */
export const MAX_TRUNCATION = 256 * 1024 * 1024

export function encodeCheckpoint(value: number | bigint): Buffer {
  const buf = Buffer.alloc(CHECKPOINT_SIZE)
  buf.writeBigInt64LE(BigInt(value))
  return buf
}

/** Decodes a checkpoint's bytes; anything but exactly 8 bytes is refused (the server would read it as 0). */
export function decodeCheckpoint(buf: Buffer, file = 'checkpoint'): number {
  if (buf.length !== CHECKPOINT_SIZE) {
    const hint = buf.length === 0 ? ' (an empty checkpoint reads as 0 on the server)' : ''
    throw new FormatError(file, `checkpoint must be exactly 8 bytes, found ${buf.length}${hint}`)
  }
  return Number(buf.readBigInt64LE(0))
}

export async function readCheckpoint(path: string): Promise<number> {
  return decodeCheckpoint(await readFile(path), basename(path))
}

/**
 * Writes an 8-byte checkpoint and fsyncs it. In place by default (as the server does); `atomic`
 * writes a sibling temp file and renames it, so a reader never sees a short file.
 */
export async function writeCheckpoint(
  path: string,
  value: number | bigint,
  options: {atomic?: boolean; sync?: boolean} = {},
): Promise<void> {
  const target = options.atomic ? `${path}.${process.pid}.tmp` : path
  const fh = await open(target, options.atomic ? 'w' : await existsFlag(path))
  try {
    await fh.write(encodeCheckpoint(value), 0, CHECKPOINT_SIZE, 0)
    await fh.truncate(CHECKPOINT_SIZE)
    if (options.sync !== false) await fh.sync()
  } finally {
    await fh.close()
  }
  if (options.atomic) await rename(target, path)
}

async function existsFlag(path: string): Promise<string> {
  try {
    const fh = await open(path, 'r')
    await fh.close()
    return 'r+'
  } catch {
    return 'w'
  }
}
