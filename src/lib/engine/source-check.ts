import {lstat, stat} from 'node:fs/promises'
import {join} from 'node:path'

import {UsageError} from '../core/errors.js'
import {CHUNK_HEADER_SIZE} from './chunk-format.js'
import {decodeCheckpoint} from './checkpoint.js'
import {FormatError} from './format-error.js'
import {parseIndexMap} from './indexmap.js'
import {
  type ChunkFile,
  type DbLayout,
  INDEXMAP,
  SCAVENGING_DB,
  STREAM_EXISTENCE_CHK,
  STREAM_EXISTENCE_DAT,
  discoverLayout,
  readChunkHeader,
} from './layout.js'
import {assertRegularFile, readRegularFile} from './regular-file.js'

/**
 * The checks a node's data must pass before anything of a backup is written, and again on what a
 * run actually copied: checkpoints, the chunk range and its headers, the index. A failure names
 * the file and the reason (a FormatError), so the run stops before it replaces anything.
 */

/** Read (and copied) in this order: chaser and epoch before writer, which only grows, so they stay ≤ it. */
export const LOG_CHECKPOINT_ORDER = ['chaser.chk', 'epoch.chk', 'writer.chk', 'proposal.chk', 'tag.chk'] as const
const REQUIRED_CHECKPOINTS = new Set(['writer.chk', 'chaser.chk'])
/** Read at most this much of a checkpoint: enough to report a wrong size, never a device's stream. */
const CHECKPOINT_READ_LIMIT = 64
export const INDEXMAP_READ_LIMIT = 64 * 1024 * 1024

export interface CheckpointRead {
  name: string
  bytes: Buffer
  value: number
}

export interface LogCheckpoints {
  writer: number
  chaser: number
  epoch?: number
  proposal?: number
  tag?: number
}

/** Reads one checkpoint of the node: a regular file of exactly 8 bytes, or undefined when absent and optional. */
export async function readNodeCheckpoint(db: string, name: string): Promise<CheckpointRead | undefined> {
  const path = join(db, name)
  let bytes: Buffer
  try {
    bytes = await readRegularFile(path, CHECKPOINT_READ_LIMIT)
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error
    if (REQUIRED_CHECKPOINTS.has(name)) throw new FormatError(path, 'missing', `${db} is not a KurrentDB data directory: no ${name}`)
    return undefined
  }
  return {name, bytes, value: decodeCheckpoint(bytes, path)}
}

/** The first reason the checkpoint values cannot describe a log, as [file, reason]; undefined when sound. */
export function checkpointProblem(cp: Partial<LogCheckpoints>): [string, string] | undefined {
  const {writer, chaser, epoch, proposal} = cp
  if (writer !== undefined && writer < 0) return ['writer.chk', `value ${writer} is below 0`]
  if (chaser !== undefined && chaser < 0) return ['chaser.chk', `value ${chaser} is below 0`]
  if (writer !== undefined && chaser !== undefined && chaser > writer)
    return ['chaser.chk', `value ${chaser} is above writer.chk (${writer})`]
  if (epoch !== undefined && epoch < -1) return ['epoch.chk', `value ${epoch} is below -1`]
  if (writer !== undefined && epoch !== undefined && epoch > writer)
    return ['epoch.chk', `value ${epoch} is above writer.chk (${writer}): the epoch must lie inside the log`]
  if (proposal !== undefined && proposal < -1) return ['proposal.chk', `value ${proposal} is below -1`]
  return undefined
}

export function assertCheckpoints(db: string, cp: Partial<LogCheckpoints>): void {
  const problem = checkpointProblem(cp)
  if (problem) throw new FormatError(join(db, problem[0]), problem[1])
}

export interface LogPlan {
  chunkSize: number
  /** floor(writer / chunkSize): the chunk the log ends in. */
  lastChunk: number
  /** The chunks a backup copies: start ≤ lastChunk, continuous from chunk 0. */
  planned: ChunkFile[]
  /** Chunks that start after the last one (the writer rolled over after writer.chk was read). */
  excess: ChunkFile[]
}

/**
 * Which chunks make the log up to `writer`, checked: every one a readable regular file with a
 * sound header of the same chunk size, continuous from chunk 0 (a node without its first chunks
 * cannot start from the copy), the last one long enough to hold the data writer.chk points to.
 */
export async function planLog(layout: DbLayout, writer: number): Promise<LogPlan> {
  const {db} = layout
  const u = layout.unreadable[0]
  if (u)
    throw new FormatError(
      join(db, u.name),
      `cannot be read (${u.reason})`,
      `${join(db, u.name)} cannot be read (${u.reason}); the backup would have a hole in the log`,
    )
  if (layout.chunks.length === 0) throw new FormatError(db, 'holds no chunk files: not a KurrentDB data directory')
  const chunkSize = (await readChunkHeader(join(db, layout.chunks[0].name))).chunkSize
  const lastChunk = Math.floor(writer / chunkSize)
  const planned = layout.chunks.filter((c) => c.start <= lastChunk)
  let expected = 0
  for (const c of planned) {
    if (c.start !== expected)
      throw new FormatError(db, `chunk ${expected} is missing (the log jumps to ${c.name}); the backup would have a hole in the log`)
    const header = await readChunkHeader(join(db, c.name))
    if (header.startNumber !== c.start) throw new FormatError(c.name, `header says start ${header.startNumber}, the name ${c.start}`)
    if (header.chunkSize !== chunkSize)
      throw new FormatError(c.name, `chunk size ${header.chunkSize} differs from the first chunk's ${chunkSize}`)
    expected = header.endNumber + 1
    if (c.start === lastChunk) {
      const needed = CHUNK_HEADER_SIZE + writer - c.start * chunkSize
      if (c.size < needed)
        throw new FormatError(c.name, `the file is ${c.size} bytes, shorter than writer.chk (${writer}) needs (${needed})`)
    }
  }
  if (expected < lastChunk || (expected === lastChunk && writer !== lastChunk * chunkSize)) {
    throw new FormatError(db, `chunk ${expected} is missing although writer.chk (${writer}) is in chunk ${lastChunk}`)
  }
  return {chunkSize, lastChunk, planned, excess: layout.chunks.filter((c) => c.start > lastChunk)}
}

/** The index directory's files a backup reads: regular files, and an indexmap that parses. */
async function checkIndexSource(index: string): Promise<void> {
  const bytes = await readRegularFile(join(index, INDEXMAP), INDEXMAP_READ_LIMIT).catch(async (error: NodeJS.ErrnoException) => {
    if (error.code !== 'ENOENT') throw error
    // A link to nothing is damage; only a missing name can be a rename in progress (the copy waits for it).
    if (
      await lstat(join(index, INDEXMAP)).then(
        () => true,
        () => false,
      )
    )
      throw new FormatError(join(index, INDEXMAP), 'a symbolic link to a file that does not exist')
    return undefined // none yet, or between delete and rename
  })
  const tables = bytes ? parseIndexMap(bytes, join(index, INDEXMAP)).tables.map((t) => t.file) : []
  for (const name of [...tables, STREAM_EXISTENCE_CHK, STREAM_EXISTENCE_DAT, SCAVENGING_DB]) {
    await assertRegularFile(join(index, name)).catch((error: NodeJS.ErrnoException) => {
      if (error.code !== 'ENOENT') throw error
    })
  }
}

/**
 * Everything a backup run reads, checked before it writes: a node's data that fails is refused
 * with the file and the reason. `indexGiven`: the index directory was named, so it must exist.
 */
export async function checkSource(db: string, index: string, indexGiven: boolean): Promise<void> {
  const indexExists = await checkIndexDirectory(index, indexGiven)
  const values: Record<string, number> = {}
  for (const name of LOG_CHECKPOINT_ORDER) {
    const read = await readNodeCheckpoint(db, name)
    if (read) values[name] = read.value
  }
  const cp = {writer: values['writer.chk'], chaser: values['chaser.chk'], epoch: values['epoch.chk'], proposal: values['proposal.chk']}
  assertCheckpoints(db, cp)
  await planLog(await discoverLayout(db, index), cp.writer)
  if (indexExists) await checkIndexSource(index)
}

/**
 * The index directory is a directory, or absent where the node has none yet; a named one must
 * exist (a mistyped --index would otherwise give a backup without an index). Returns whether it exists.
 */
export async function checkIndexDirectory(index: string, indexGiven: boolean): Promise<boolean> {
  const st = await stat(index).catch(() => undefined)
  if (st && !st.isDirectory()) throw new FormatError(index, 'not a directory', `the index directory ${index} is not a directory`)
  if (indexGiven && !st) throw new UsageError(`index directory ${index} does not exist`)
  return st !== undefined
}
