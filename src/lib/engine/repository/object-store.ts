import type {Readable} from 'node:stream'

/** One stored object as a listing or a head request sees it. */
export interface ObjectInfo {
  /** Relative to the store's root (an S3 prefix or a directory), with `/` separators. */
  key: string
  size: number
  /** When the store last wrote it (the store's clock). */
  modified?: Date
}

export interface PutOptions {
  /** Bytes the body holds, when known (lets a store pick single or multipart upload). */
  size?: number
  signal?: AbortSignal
}

/**
 * Where a repository keeps its objects: a flat namespace of immutable objects by key. A key is
 * written once (a put that fails leaves no object under the key, or a complete one) and never
 * rewritten in place; the repository only ever creates, reads, lists and deletes whole objects.
 * Bodies stream both ways so that memory stays flat whatever the object's size.
 */
export interface ObjectStore {
  /** Where the store is, for messages: never credentials. */
  readonly description: string
  put(key: string, body: Readable | Buffer, opts?: PutOptions): Promise<void>
  /** The object's bytes; rejects with ObjectNotFoundError when it is not there. */
  get(key: string, opts?: {signal?: AbortSignal}): Promise<Readable>
  /** The object's size and time, or undefined when it is not there. */
  head(key: string): Promise<ObjectInfo | undefined>
  /** Every object whose key starts with `prefix`, in no particular order. */
  list(prefix: string): AsyncIterable<ObjectInfo>
  /** Removes the object; removing one that is not there is not an error. */
  delete(key: string): Promise<void>
  /** Releases connections and sockets. */
  close?(): Promise<void>
}

export class ObjectNotFoundError extends Error {
  constructor(
    readonly key: string,
    where: string,
  ) {
    super(`object ${key} is missing from ${where}`)
    this.name = 'ObjectNotFoundError'
  }
}

/** Reads a whole (small) body into memory: manifests, the repository's configuration, locks. */
export async function readAll(body: Readable): Promise<Buffer> {
  const parts: Buffer[] = []
  for await (const part of body) parts.push(typeof part === 'string' ? Buffer.from(part) : (part as Buffer))
  return Buffer.concat(parts)
}
