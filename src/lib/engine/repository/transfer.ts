import {createHash} from 'node:crypto'
import {createReadStream, createWriteStream} from 'node:fs'
import {mkdir, rm} from 'node:fs/promises'
import {dirname} from 'node:path'
import {Transform} from 'node:stream'
import {pipeline} from 'node:stream/promises'
import {setTimeout as sleep} from 'node:timers/promises'

import {EscError, isEscError} from '../../core/errors.js'
import {fsyncFile} from '../copy.js'
import {UnsoundBackupError} from '../format-error.js'
import type {Repository} from './repository.js'

/** A pass-through that hashes what flows through it (SHA-256) and counts the bytes. */
export class HashingStream extends Transform {
  private readonly hash = createHash('sha256')
  bytes = 0

  override _transform(chunk: Buffer, _enc: BufferEncoding, done: (error?: Error | null, data?: Buffer) => void): void {
    this.hash.update(chunk)
    this.bytes += chunk.length
    done(null, chunk)
  }

  digest(): string {
    return this.hash.digest('hex')
  }
}

export async function sha256OfFile(path: string, signal?: AbortSignal): Promise<string> {
  const hash = createHash('sha256')
  for await (const part of createReadStream(path, {signal})) hash.update(part as Buffer)
  return hash.digest('hex')
}

/**
 * Bytes per read of a file being uploaded. The default 64 KiB cost a 1 GiB backup about one
 * CPU-second more (reads, stream hops, garbage) than 256 KiB, CPU that a store on the same machine
 * needs; 1 MiB saved no more and peaked higher (198-216 MiB in four runs, three uploads in flight).
 */
const UPLOAD_READ_BYTES = 256 * 1024

/**
 * Uploads a file as the object for `sha256`, through the codec. The bytes are hashed as they are
 * read; when they are not the bytes the manifest will name (the file changed since it was hashed),
 * the object is removed again and the upload fails: no object is ever stored under a wrong name.
 */
export async function uploadFile(repo: Repository, path: string, sha256: string, size: number, signal?: AbortSignal): Promise<void> {
  const key = repo.objectKey(sha256)
  const hasher = new HashingStream()
  const body = createReadStream(path, {highWaterMark: UPLOAD_READ_BYTES}).pipe(hasher).pipe(repo.codec.encode(key))
  // An error on the read side must reach the upload, which only sees the last stream.
  hasher.on('error', (e) => body.destroy(e))
  await repo.store.put(key, body, {size, signal})
  const got = hasher.digest()
  if (got !== sha256 || hasher.bytes !== size) {
    await repo.store.delete(key).catch(() => undefined)
    throw new EscError(`${path} changed while it was uploaded (SHA-256 ${got}, expected ${sha256}); nothing was recorded`, {
      kind: 'damaged-file',
    })
  }
}

/** Tries of one object's download whose body breaks off: pauses of 0.25, 0.5, 1 and 2 s between them. */
const DOWNLOAD_ATTEMPTS = 5

/**
 * Downloads the object for `sha256` into `dest` (temp name, fsync, rename by the caller's layout),
 * decoding it and checking the SHA-256 of the result: an object whose bytes are not what the
 * manifest names is refused, naming the file.
 */
export async function downloadFile(
  repo: Repository,
  file: {path: string; sha256: string; size: number},
  dest: string,
  signal?: AbortSignal,
): Promise<void> {
  const key = repo.objectKey(file.sha256)
  await mkdir(dirname(dest), {recursive: true})
  let hasher = new HashingStream()
  // A connection that drops mid-body is the network's fault, not the backup's: tried again after a
  // growing pause (the SDK retries only until the answer's headers), and then reported as
  // unavailable (never as damage, which would condemn a sound backup).
  for (let attempt = 1; ; attempt++) {
    hasher = new HashingStream()
    let readError: Error | undefined
    try {
      const body = await repo.store.get(key, {signal})
      body.once('error', (e: Error) => (readError ??= e))
      await pipeline(body, repo.codec.decode(key), hasher, createWriteStream(dest), {signal})
      break
    } catch (error) {
      await rm(dest, {force: true})
      // The codec names the object; the file and the repository make it a message a person can act on.
      if (isEscError(error) && error.kind === 'unsound-backup' && !error.message.startsWith(file.path))
        throw new UnsoundBackupError(`${file.path} in ${repo.description}: ${error.message}`, [{file: file.path, reason: error.message}])
      if (error instanceof EscError || (error as Error).name === 'AbortError' || signal?.aborted) throw error
      if (readError) {
        if (attempt < DOWNLOAD_ATTEMPTS) {
          await sleep(250 * 2 ** (attempt - 1), undefined, {signal})
          continue
        }
        throw new EscError(`could not download ${file.path} (object ${key}) from ${repo.description}: ${readError.message}`, {
          kind: 'unavailable',
          cause: error,
        })
      }
      throw new UnsoundBackupError(`${file.path} (object ${key}) could not be read from ${repo.description}: ${(error as Error).message}`, [
        {file: file.path, reason: (error as Error).message},
      ])
    }
  }
  const got = hasher.digest()
  if (got !== file.sha256 || hasher.bytes !== file.size) {
    await rm(dest, {force: true})
    const why = `object ${key} holds ${hasher.bytes} bytes with SHA-256 ${got}, not the ${file.size} bytes with SHA-256 ${file.sha256} the manifest names`
    throw new UnsoundBackupError(`${file.path} in ${repo.description} is damaged: ${why}`, [{file: file.path, reason: why}])
  }
  await fsyncFile(dest)
}
