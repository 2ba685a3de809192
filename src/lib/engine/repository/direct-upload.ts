import {createHash} from 'node:crypto'
import {createReadStream} from 'node:fs'
import {readdir} from 'node:fs/promises'
import {join} from 'node:path'

import {CHUNK_FOOTER_SIZE, HASH_SIZE, decodeChunkFooter} from '../chunk-format.js'
import {runPool} from '../copy.js'
import {throwIfAborted} from '../format-error.js'
import {discoverLayout} from '../layout.js'
import {readTail} from '../md5.js'
import {isPTableName} from '../ptable.js'
import {traced} from '../trace-timings.js'
import type {Repository, RepositoryFile} from './repository.js'
import {identity} from './skeleton.js'
import {uploadFile} from './transfer.js'

export interface DirectUploadOptions {
  /** Identities (skeleton.identity) the repository already holds: neither read nor uploaded. */
  known: Set<string>
  /** Object keys present in the repository. */
  present: Set<string>
  concurrency: number
  signal?: AbortSignal
  /** Called once per object stored, with its plaintext size. */
  onUploaded?: (file: RepositoryFile) => void
}

/**
 * Uploads, straight from the node, the completed chunks and PTables the repository does not have:
 * files that never change once written, so no snapshot of them is needed. Each is read twice and
 * never copied locally: once for its SHA-256 (the object's name) and for the check of its footer
 * MD5 against its bytes, as the local engine checks a copied file, then through the codec to the
 * store, hashed again on the way (a file whose bytes changed in between is refused by the upload).
 *
 * A file that vanishes meanwhile (a scavenge replaced it), or whose MD5 does not match (it is being
 * written or is damaged), is left to the local engine, which decides about it under its own rules.
 * Returns the files stored (or found present), each with its SHA-256.
 */
export async function uploadImmutablesDirect(
  repo: Repository,
  source: {db: string; index: string},
  opts: DirectUploadOptions,
): Promise<RepositoryFile[]> {
  const layout = await discoverLayout(source.db, source.index)
  const candidates = [
    ...layout.chunks.map((c) => ({path: c.name, src: join(source.db, c.name), kind: 'chunk' as const})),
    ...(await readdir(source.index).catch(() => [] as string[]))
      .filter((n) => isPTableName(n))
      .map((n) => ({path: `index/${n}`, src: join(source.index, n), kind: 'ptable' as const})),
  ]
  const out: RepositoryFile[] = []
  await runPool(
    candidates,
    opts.concurrency,
    async (c) => {
      throwIfAborted(opts.signal, 'backup')
      const tail = await readTail(c.src, CHUNK_FOOTER_SIZE).catch(() => undefined)
      if (!tail || tail.size < CHUNK_FOOTER_SIZE) return
      if (c.kind === 'chunk' && !decodeChunkFooter(tail.tail, c.path).isCompleted) return
      const md5 = tail.tail.subarray(CHUNK_FOOTER_SIZE - HASH_SIZE).toString('hex')
      const entry = {path: c.path, size: tail.size, md5}
      if (opts.known.has(identity(entry))) return
      const hashed = await traced(`hash ${c.path}`, () => hashFile(c.src, tail.size, opts.signal)).catch((error: NodeJS.ErrnoException) => {
        if (error.code === 'ENOENT') return undefined
        throw error
      })
      if (!hashed || hashed.md5 !== md5) return
      const file: RepositoryFile = {
        ...entry,
        kind: c.kind,
        ...(c.kind === 'chunk' ? {completed: true} : {}),
        verified: true,
        origin: 'copied',
        sha256: hashed.sha256,
      }
      const key = repo.objectKey(file.sha256)
      if (!opts.present.has(key)) {
        opts.present.add(key)
        try {
          await traced(`upload ${c.path}`, () => uploadFile(repo, c.src, file.sha256, file.size, opts.signal))
        } catch (error) {
          opts.present.delete(key)
          throw error
        }
        opts.onUploaded?.(file)
      }
      out.push(file)
    },
    opts.signal,
  )
  return out
}

/** The SHA-256 of the whole file and the MD5 of all but its last 16 bytes, in one read. */
async function hashFile(path: string, size: number, signal?: AbortSignal): Promise<{sha256: string; md5: string}> {
  const sha = createHash('sha256')
  const md5 = createHash('md5')
  const bodyEnd = size - HASH_SIZE
  let at = 0
  for await (const part of createReadStream(path, {signal, end: size - 1})) {
    const buf = part as Buffer
    sha.update(buf)
    if (at < bodyEnd) md5.update(at + buf.length <= bodyEnd ? buf : buf.subarray(0, bodyEnd - at))
    at += buf.length
  }
  return {sha256: sha.digest('hex'), md5: md5.digest('hex')}
}
