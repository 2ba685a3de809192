import {readdir} from 'node:fs/promises'
import {join} from 'node:path'

import {CHUNK_FOOTER_SIZE, HASH_SIZE, decodeChunkFooter} from '../chunk-format.js'
import {throwIfAborted} from '../format-error.js'
import {discoverLayout} from '../layout.js'
import {readTail} from '../md5.js'
import {sha256AndMd5Parallel} from '../sha256-pool.js'
import {isPTableName} from '../ptable.js'
import {traced} from '../trace-timings.js'
import type {Repository, RepositoryFile} from './repository.js'
import {uploadFile} from './transfer.js'
import type {UploadSlots} from './upload-slots.js'

/** A completed chunk or PTable of the node, identified by its footer (path, size, footer MD5). */
export interface ImmutableCandidate {
  path: string
  src: string
  kind: 'chunk' | 'ptable'
  size: number
  md5: string
}

/**
 * The node's completed chunks and PTables, each with the MD5 its footer records: files that never
 * change once written, so they can go from the node straight to the store with no snapshot. A file
 * too short for a footer, or a chunk not yet completed, is not one of them.
 */
export async function immutableCandidates(source: {db: string; index: string}): Promise<ImmutableCandidate[]> {
  const layout = await discoverLayout(source.db, source.index)
  const files = [
    ...layout.chunks.map((c) => ({path: c.name, src: join(source.db, c.name), kind: 'chunk' as const})),
    ...(await readdir(source.index).catch(() => [] as string[]))
      .filter((n) => isPTableName(n))
      .map((n) => ({path: `index/${n}`, src: join(source.index, n), kind: 'ptable' as const})),
  ]
  const out: ImmutableCandidate[] = []
  for (const c of files) {
    const tail = await readTail(c.src, CHUNK_FOOTER_SIZE).catch(() => undefined)
    if (!tail || tail.size < CHUNK_FOOTER_SIZE) continue
    if (c.kind === 'chunk' && !decodeChunkFooter(tail.tail, c.path).isCompleted) continue
    out.push({...c, size: tail.size, md5: tail.tail.subarray(CHUNK_FOOTER_SIZE - HASH_SIZE).toString('hex')})
  }
  return out
}

/** The manifest entry of a candidate, without its SHA-256 (known only once it is read). */
export function candidateEntry(c: ImmutableCandidate): Omit<RepositoryFile, 'sha256'> {
  return {
    path: c.path,
    size: c.size,
    md5: c.md5,
    kind: c.kind,
    ...(c.kind === 'chunk' ? {completed: true} : {}),
    verified: true,
    origin: 'copied',
  }
}

export interface DirectUploadOptions {
  /** Object keys present in the repository (an object this run stores is added). */
  present: Set<string>
  /** Uploads in flight, shared with the rest of the run. */
  slots: UploadSlots
  signal?: AbortSignal
  /** Called once per object stored, with its plaintext size. */
  onUploaded?: (file: RepositoryFile) => void
}

/**
 * Uploads one candidate straight from the node, never copying it locally. It is read twice: once
 * for its SHA-256 (the object's name) and for the check of its footer MD5 against its bytes, as
 * the local engine checks a copied file, then through the codec to the store, hashed again on the
 * way (a file whose bytes changed in between is refused by the upload). The first read holds no
 * upload slot, so it overlaps other files' uploads.
 *
 * A file that vanished meanwhile (a scavenge replaced it), or whose MD5 does not match (it is being
 * written or is damaged), is left to the local engine, which decides about it under its own rules:
 * undefined. Otherwise the file, stored (or found present), with its SHA-256.
 */
export async function uploadImmutable(
  repo: Repository,
  c: ImmutableCandidate,
  opts: DirectUploadOptions,
): Promise<RepositoryFile | undefined> {
  throwIfAborted(opts.signal, 'backup')
  // On a worker thread: the event loop stays free for the uploads of other files meanwhile.
  const hashed = await traced(`hash ${c.path}`, () => sha256AndMd5Parallel(c.src, c.size, c.size - HASH_SIZE)).catch(
    (error: NodeJS.ErrnoException) => {
      // Gone (a scavenge replaced it) or shorter than its footer said: not a completed file to trust.
      if (error.code === 'ENOENT' || error.code === 'ESHRUNK') return undefined
      throw error
    },
  )
  throwIfAborted(opts.signal, 'backup')
  if (!hashed || hashed.md5 !== c.md5) return undefined
  const file: RepositoryFile = {...candidateEntry(c), sha256: hashed.sha256}
  const key = repo.objectKey(file.sha256)
  if (opts.present.has(key)) return file
  opts.present.add(key)
  try {
    await opts.slots.run(() => traced(`upload ${c.path}`, () => uploadFile(repo, c.src, file.sha256, file.size, opts.signal)))
  } catch (error) {
    opts.present.delete(key)
    throw error
  }
  opts.onUploaded?.(file)
  return file
}
