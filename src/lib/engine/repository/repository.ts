import {randomBytes} from 'node:crypto'

import {EscError} from '../../core/errors.js'
import {UnsoundBackupError} from '../format-error.js'
import {type BackupManifest, type ManifestFile, manifestProblem} from '../manifest.js'
import {type CodecFactory, type ObjectCodec, identityFactory} from './codec.js'
import {ObjectNotFoundError, type ObjectStore, readAll} from './object-store.js'

export const REPOSITORY_CONFIG_KEY = 'esc-repository.json'
export const REPOSITORY_FORMAT = 'esc-kurrentdb-repository'
const OBJECTS = 'objects/'
const BACKUPS = 'backups/'
const LOCKS = 'locks/'

/** A file of a backup in a repository: the local manifest's entry plus the SHA-256 of its bytes. */
export interface RepositoryFile extends ManifestFile {
  sha256: string
}

/** The manifest of a backup in a repository; the same shape as a local backup's, with content hashes. */
export interface RepositoryManifest extends BackupManifest {
  files: RepositoryFile[]
  /** Bytes this backup added to the repository (objects it was the first to need). */
  uploaded: {objects: number; bytes: number}
  /**
   * Files the run copied into its local staging directory before uploading (the rest the
   * repository already held). Absent in manifests written before it was recorded.
   */
  staged?: {files: number; bytes: number}
}

export interface RepositoryConfig {
  format: typeof REPOSITORY_FORMAT
  version: 1
  codec: {name: string; params: Record<string, unknown>}
}

/** A lock a running backup or prune holds in the repository. */
export interface LockInfo {
  key: string
  kind: 'backup' | 'prune'
  modified?: Date
}

const BACKUP_ID = /^[0-9A-Za-z._-]+$/
const MANIFEST_KEY = /^backups\/[0-9TZ.]+_([0-9A-Za-z._-]+)\.json$/

/**
 * A backup repository in an object store: immutable objects under a content address
 * (`objects/<codec name of the SHA-256>`), one manifest per backup (`backups/<time>_<id>.json`, sealed by
 * the codec, written last: a backup exists when its manifest does), and the locks of running
 * backups and prunes (`locks/`).
 */
export class Repository {
  private constructor(
    readonly store: ObjectStore,
    readonly codec: ObjectCodec,
  ) {}

  get description(): string {
    return this.store.description
  }

  /**
   * Opens the repository in `store`. `create`: write its configuration when there is none (a
   * backup's first run); otherwise an empty store is not a repository.
   */
  static async open(store: ObjectStore, opts: {create?: boolean; codecs?: CodecFactory} = {}): Promise<Repository> {
    const factory = opts.codecs ?? identityFactory
    const stored = await readConfig(store)
    if (!stored) {
      if (!opts.create) {
        throw new EscError(`${store.description} holds no esc backup repository (no ${REPOSITORY_CONFIG_KEY})`, {kind: 'not-found'})
      }
      const codec = await factory(undefined)
      const config: RepositoryConfig = {format: REPOSITORY_FORMAT, version: 1, codec: {name: codec.name, params: codec.params}}
      await store.put(REPOSITORY_CONFIG_KEY, Buffer.from(JSON.stringify(config, null, 2) + '\n'))
      return new Repository(store, codec)
    }
    return new Repository(store, await factory(stored.codec))
  }

  objectKey(sha256: string): string {
    return OBJECTS + this.codec.objectName(sha256)
  }

  /** Keys of every object in the repository (one listing, not a request per object). */
  async objectKeys(): Promise<Set<string>> {
    const keys = new Set<string>()
    for await (const o of this.store.list(OBJECTS)) keys.add(o.key)
    return keys
  }

  /**
   * Manifest keys by backup id, oldest first. A key starts with the backup's start time to the
   * millisecond (`backups/<time>_<id>.json`), so that listing order is time order even for two
   * backups started within the same second.
   */
  async manifestKeys(): Promise<Map<string, string>> {
    const keys: string[] = []
    for await (const o of this.store.list(BACKUPS)) if (MANIFEST_KEY.test(o.key)) keys.push(o.key)
    return new Map(keys.sort().map((k) => [MANIFEST_KEY.exec(k)![1], k]))
  }

  /** Ids of the backups whose manifest exists, oldest first. */
  async backupIds(): Promise<string[]> {
    return [...(await this.manifestKeys()).keys()]
  }

  async readManifest(id: string): Promise<RepositoryManifest> {
    return this.readManifestAt(id, BACKUP_ID.test(id) ? (await this.manifestKeys()).get(id) : undefined)
  }

  /** Every backup's manifest, oldest first, from one listing of `backups/`. */
  async readManifests(): Promise<RepositoryManifest[]> {
    const out: RepositoryManifest[] = []
    for (const [id, key] of await this.manifestKeys()) out.push(await this.readManifestAt(id, key))
    return out
  }

  private async readManifestAt(id: string, key: string | undefined): Promise<RepositoryManifest> {
    if (!key) {
      throw new EscError(`${this.description} has no backup ${id}`, {
        kind: 'not-found',
        suggestions: ['`esc node backups list` shows the backups it has.'],
      })
    }
    let sealed: Buffer
    try {
      sealed = await readAll(await this.store.get(key))
    } catch (error) {
      if (error instanceof ObjectNotFoundError)
        throw new EscError(`${this.description} has no backup ${id} (it was just forgotten)`, {kind: 'not-found'})
      throw error
    }
    const plain = await this.codec.openManifest(sealed, id)
    let parsed: Partial<RepositoryManifest>
    try {
      parsed = JSON.parse(plain.toString('utf8')) as Partial<RepositoryManifest>
    } catch {
      throw this.unsound(id, 'it is not valid JSON')
    }
    const problem = parsed && typeof parsed === 'object' ? manifestProblem(parsed) : 'it is not a JSON object'
    if (problem) throw this.unsound(id, problem)
    for (const [i, f] of (parsed.files ?? []).entries()) {
      if (typeof f.sha256 !== 'string' || !/^[0-9a-f]{64}$/.test(f.sha256)) throw this.unsound(id, `files[${i}].sha256 is not a SHA-256`)
    }
    if (parsed.id !== id) throw this.unsound(id, `it describes backup ${String(parsed.id)}`)
    return parsed as RepositoryManifest
  }

  /** The newest backup, or undefined in an empty repository. */
  async latest(): Promise<RepositoryManifest | undefined> {
    const newest = [...(await this.manifestKeys())].at(-1)
    return newest ? this.readManifestAt(...newest) : undefined
  }

  /** The last step of a backup: from here on it exists. */
  async writeManifest(manifest: RepositoryManifest): Promise<void> {
    const sealed = await this.codec.sealManifest(Buffer.from(JSON.stringify(manifest) + '\n'), manifest.id)
    const stamp = manifest.timings.startedAt.replace(/[-:]/g, '')
    await this.store.put(`${BACKUPS}${stamp}_${manifest.id}.json`, sealed)
  }

  /**
   * The first step of forgetting backups: from here on they do not exist. `keys`: a listing the
   * caller just made (manifestKeys), so that it is not listed again.
   */
  async deleteManifests(ids: readonly string[], keys?: Map<string, string>): Promise<void> {
    if (ids.length === 0) return
    keys ??= await this.manifestKeys()
    for (const id of ids) {
      const key = keys.get(id)
      if (key) await this.store.delete(key)
    }
  }

  async locks(): Promise<LockInfo[]> {
    const out: LockInfo[] = []
    for await (const o of this.store.list(LOCKS)) {
      const name = o.key.slice(LOCKS.length)
      if (name.startsWith('backup-')) out.push({key: o.key, kind: 'backup', modified: o.modified})
      else if (name.startsWith('prune-')) out.push({key: o.key, kind: 'prune', modified: o.modified})
    }
    return out
  }

  /** Takes a lock of `kind`; the returned function releases it. */
  async lock(kind: LockInfo['kind'], now: Date): Promise<{key: string; release: () => Promise<void>}> {
    const key = `${LOCKS}${kind}-${now.toISOString().replace(/[:.]/g, '')}-${randomBytes(4).toString('hex')}.json`
    await this.store.put(key, Buffer.from(JSON.stringify({kind, pid: process.pid, at: now.toISOString()}) + '\n'))
    return {key, release: () => this.store.delete(key)}
  }

  private unsound(id: string, why: string): UnsoundBackupError {
    return new UnsoundBackupError(`the manifest of backup ${id} in ${this.description} is not sound: ${why}`, [
      {file: `backup ${id}`, reason: why},
    ])
  }
}

async function readConfig(store: ObjectStore): Promise<RepositoryConfig | undefined> {
  let text: string
  try {
    text = (await readAll(await store.get(REPOSITORY_CONFIG_KEY))).toString('utf8')
  } catch (error) {
    if (error instanceof ObjectNotFoundError) return undefined
    throw error
  }
  let parsed: Partial<RepositoryConfig>
  try {
    parsed = JSON.parse(text) as Partial<RepositoryConfig>
  } catch {
    parsed = {}
  }
  if (parsed.format !== REPOSITORY_FORMAT || typeof parsed.codec?.name !== 'string') {
    throw new UnsoundBackupError(`${store.description}/${REPOSITORY_CONFIG_KEY} is not an esc repository configuration`, [
      {file: REPOSITORY_CONFIG_KEY, reason: 'unknown format'},
    ])
  }
  if ((parsed.version ?? 0) > 1) {
    throw new EscError(`${store.description} was written by a newer esc (repository version ${parsed.version})`, {kind: 'failed-state'})
  }
  return parsed as RepositoryConfig
}
