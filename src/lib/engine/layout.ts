import {readdir, stat} from 'node:fs/promises'
import {join, resolve} from 'node:path'

import {CHUNK_HEADER_SIZE, type ChunkHeader, decodeChunkHeader, parseChunkName} from './chunk-format.js'
import {DB_CHECKPOINTS} from './checkpoint.js'
import {isBloomFilterName, isPTableName} from './ptable.js'
import {openRegular} from './regular-file.js'

export interface ChunkFile {
  name: string
  start: number
  version: number
  size: number
}

export interface DbLayout {
  db: string
  index: string
  /** Latest version per start number, sorted by start. */
  chunks: ChunkFile[]
  /** Lower versions of a start number (the server deletes them at startup). */
  oldVersions: ChunkFile[]
  checkpoints: string[]
  /** `kurrent.ddb*`: secondary indexes (DuckDB), mutated in place, unsafe to hot-copy. */
  duckdb: string[]
  /** Chunk names that cannot be read as files (dangling symlink, directory, no permission). */
  unreadable: {name: string; reason: string}[]
  /** Temp files and leftovers a backup skips. */
  ignored: string[]
  other: string[]
}

export const INDEXMAP = 'indexmap'
export const STREAM_EXISTENCE_CHK = join('stream-existence', 'streamExistenceFilter.chk')
export const STREAM_EXISTENCE_DAT = join('stream-existence', 'streamExistenceFilter.dat')
export const SCAVENGING_DB = join('scavenging', 'scavenging.db')

export function defaultIndexDir(db: string): string {
  return join(db, 'index')
}

/** Names a backup never copies: temp files, old indexmap temps, index-backup-* dirs, archive leftovers. */
export function isIgnoredName(name: string): boolean {
  return name.endsWith('.tmp') || /^indexmap\..*\.tmp$/.test(name) || name.startsWith('index-backup-') || name.endsWith('.archive.bkup')
}

export function isDuckDbName(name: string): boolean {
  return name === 'kurrent.ddb' || name.startsWith('kurrent.ddb.')
}

/** Lists a db directory (chunks by latest version, checkpoints, DuckDB files); does not read chunk contents. */
export async function discoverLayout(db: string, index?: string): Promise<DbLayout> {
  const dbDir = resolve(db)
  const entries = await readdir(dbDir, {withFileTypes: true})
  const all: ChunkFile[] = []
  const layout: DbLayout = {
    db: dbDir,
    index: resolve(index ?? defaultIndexDir(dbDir)),
    chunks: [],
    oldVersions: [],
    checkpoints: [],
    duckdb: [],
    unreadable: [],
    ignored: [],
    other: [],
  }
  for (const e of entries) {
    const parsed = parseChunkName(e.name)
    if (parsed) {
      // Follow symlinks: a chunk that is not a readable file must fail the backup, not leave a gap.
      const st = await stat(join(dbDir, e.name)).catch((error: NodeJS.ErrnoException) => error)
      if (st instanceof Error) {
        // Deleted between readdir and stat: switched out by the server, not ours to copy.
        if (st.code === 'ENOENT' && !e.isSymbolicLink()) continue
        layout.unreadable.push({name: e.name, reason: st.code === 'ENOENT' ? 'dangling symbolic link' : st.message})
      } else if (!st.isFile()) layout.unreadable.push({name: e.name, reason: 'not a regular file'})
      else all.push({name: e.name, ...parsed, size: st.size})
      continue
    }
    if (!e.isFile()) {
      if (isIgnoredName(e.name)) layout.ignored.push(e.name)
      continue
    }
    if ((DB_CHECKPOINTS as readonly string[]).includes(e.name)) layout.checkpoints.push(e.name)
    else if (isDuckDbName(e.name)) layout.duckdb.push(e.name)
    else if (isIgnoredName(e.name)) layout.ignored.push(e.name)
    else layout.other.push(e.name)
  }
  const latest = new Map<number, ChunkFile>()
  for (const c of all) {
    const seen = latest.get(c.start)
    if (!seen || c.version > seen.version) {
      if (seen) layout.oldVersions.push(seen)
      latest.set(c.start, c)
    } else layout.oldVersions.push(c)
  }
  layout.chunks = [...latest.values()].sort((a, b) => a.start - b.start)
  return layout
}

export async function readChunkHeader(path: string): Promise<ChunkHeader> {
  const fh = await openRegular(path)
  try {
    const buf = Buffer.alloc(CHUNK_HEADER_SIZE)
    const {bytesRead} = await fh.read(buf, 0, CHUNK_HEADER_SIZE, 0)
    return decodeChunkHeader(buf.subarray(0, bytesRead), path.split('/').pop())
  } finally {
    await fh.close()
  }
}

/** The chunk size the node writes with, from the first chunk's header (undefined without chunks). */
export async function chunkSizeOf(layout: DbLayout): Promise<number | undefined> {
  const first = layout.chunks[0]
  if (!first) return undefined
  return (await readChunkHeader(join(layout.db, first.name))).chunkSize
}

export interface IndexFiles {
  hasIndexMap: boolean
  ptables: string[]
  bloomfilters: string[]
  /** Top-level files other than the above (the server deletes unreferenced ones at startup). */
  other: string[]
  /** Any file at all, subdirectories included (step 1 of the index procedure). */
  anyFiles: boolean
}

export async function listIndexFiles(index: string): Promise<IndexFiles> {
  const out: IndexFiles = {hasIndexMap: false, ptables: [], bloomfilters: [], other: [], anyFiles: false}
  const entries = await readdir(index, {withFileTypes: true}).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return []
    throw error
  })
  for (const e of entries) {
    if (e.isDirectory()) {
      if (!out.anyFiles && (await hasAnyFile(join(index, e.name)))) out.anyFiles = true
      continue
    }
    out.anyFiles = true
    if (e.name === INDEXMAP) out.hasIndexMap = true
    else if (isPTableName(e.name)) out.ptables.push(e.name)
    else if (isBloomFilterName(e.name)) out.bloomfilters.push(e.name)
    else out.other.push(e.name)
  }
  return out
}

async function hasAnyFile(dir: string): Promise<boolean> {
  const entries = await readdir(dir, {withFileTypes: true}).catch(() => [])
  for (const e of entries) {
    if (!e.isDirectory()) return true
    if (await hasAnyFile(join(dir, e.name))) return true
  }
  return false
}
