import {createReadStream, createWriteStream} from 'node:fs'
import {mkdir, readdir, rename, rm, stat} from 'node:fs/promises'
import {dirname, join, relative, sep} from 'node:path'
import {Readable} from 'node:stream'
import {pipeline} from 'node:stream/promises'

import {fsyncFile} from '../copy.js'
import {isPlainRelativePath, removeInside} from '../contained-path.js'
import {type ObjectInfo, ObjectNotFoundError, type ObjectStore, type PutOptions} from './object-store.js'

/**
 * An object store in a local directory: one file per key, written to a temp name, fsynced and
 * renamed, so that a key holds a whole object or nothing. Used by tests and by repositories on a
 * mounted filesystem.
 */
export class FsObjectStore implements ObjectStore {
  readonly description: string

  constructor(private readonly root: string) {
    this.description = root
  }

  private path(key: string): string {
    if (!isPlainRelativePath(key)) throw new Error(`object key ${JSON.stringify(key)} is not a plain relative path`)
    return join(this.root, ...key.split('/'))
  }

  async put(key: string, body: Readable | Buffer, opts: PutOptions = {}): Promise<void> {
    const path = this.path(key)
    await mkdir(dirname(path), {recursive: true})
    const tmp = `${path}.${process.pid}.${Math.random().toString(36).slice(2)}.partial`
    try {
      await pipeline(Buffer.isBuffer(body) ? Readable.from([body]) : body, createWriteStream(tmp), {signal: opts.signal})
      await fsyncFile(tmp)
      await rename(tmp, path)
    } catch (error) {
      await rm(tmp, {force: true})
      throw error
    }
  }

  async get(key: string): Promise<Readable> {
    const path = this.path(key)
    if (!(await stat(path).catch(() => undefined))?.isFile()) throw new ObjectNotFoundError(key, this.description)
    return createReadStream(path)
  }

  async head(key: string): Promise<ObjectInfo | undefined> {
    const st = await stat(this.path(key)).catch(() => undefined)
    return st?.isFile() ? {key, size: st.size, modified: st.mtime} : undefined
  }

  async *list(prefix: string): AsyncIterable<ObjectInfo> {
    const walk = async function* (dir: string, root: string): AsyncGenerator<ObjectInfo> {
      const entries = await readdir(dir, {withFileTypes: true}).catch(() => [])
      for (const e of entries) {
        const full = join(dir, e.name)
        if (e.isDirectory()) yield* walk(full, root)
        else if (e.isFile() && !e.name.endsWith('.partial')) {
          const st = await stat(full)
          yield {key: relative(root, full).split(sep).join('/'), size: st.size, modified: st.mtime}
        }
      }
    }
    for await (const info of walk(this.root, this.root)) if (info.key.startsWith(prefix)) yield info
  }

  async delete(key: string): Promise<void> {
    // Contained like every other removal: a linked directory under the root cannot lead outside it.
    await removeInside(this.path(key), this.root)
  }
}
