import {mkdir, readFile, writeFile} from 'node:fs/promises'
import {join} from 'node:path'

import {EscError} from '../core/errors.js'
import type {Engine} from './engine-adapter.js'

/** What a backup's directory holds when its data lives in the backup store: where to find it. */
export const POINTER_FILE = 'esc-repository-backup.json'

interface Pointer {
  repository: string
  id: string
}

/**
 * The local cloud with a backup store (`s3://bucket/prefix`): every backup of every cluster goes to
 * that repository, and its directory under the state keeps only a pointer to it; restores read
 * from the repository, and deleting a backup (by hand or by a job's pruning) forgets it there.
 * The repository code (and the S3 client) load on the first backup or restore, not at start-up.
 */
export function withBackupStore(engine: Engine, url: string, log: (line: string) => void = () => {}): Engine {
  const open = async () => (await import('../engine/repository/open.js')).openRepository(url, {create: true})
  const readPointer = async (backupDir: string): Promise<Pointer> => {
    const text = await readFile(join(backupDir, POINTER_FILE), 'utf8').catch(() => undefined)
    const pointer = text ? (JSON.parse(text) as Partial<Pointer>) : undefined
    if (!pointer || typeof pointer.id !== 'string' || typeof pointer.repository !== 'string') {
      throw new EscError(`${backupDir} has no ${POINTER_FILE}: the backup was not made with a backup store`, {kind: 'unsound-backup'})
    }
    return pointer as Pointer
  }
  return {
    ...engine,
    async backup(request) {
      const {backupToRepository} = await import('../engine/repository/repo-backup.js')
      const {repo} = await open()
      // The pointer is written before the manifest it names: a crash in between leaves the
      // backup's directory able to say what to forget in the repository (crash recovery does).
      const writeManifest = repo.writeManifest.bind(repo)
      repo.writeManifest = async (manifest) => {
        await mkdir(request.backupDir, {recursive: true})
        const pointer: Pointer = {repository: repo.description, id: manifest.id}
        await writeFile(join(request.backupDir, POINTER_FILE), JSON.stringify(pointer) + '\n')
        await writeManifest(manifest)
      }
      try {
        const ca = request.nodeGuard?.caFile ? await readFile(request.nodeGuard.caFile) : undefined
        const manifest = await backupToRepository({
          repository: repo,
          db: request.db,
          index: request.index,
          nodeGuard: request.nodeGuard ? {...request.nodeGuard, ca} : undefined,
          signal: request.signal,
        })
        log(`backup ${manifest.id} stored in ${repo.description} (${manifest.uploaded.bytes} bytes uploaded)`)
        return {sizeBytes: manifest.stats.bytes}
      } finally {
        await repo.store.close?.()
      }
    },
    async restore(request) {
      const {restoreFromRepository} = await import('../engine/repository/repo-restore.js')
      const pointer = await readPointer(request.backupDir)
      const {repo} = await open()
      try {
        await restoreFromRepository(repo, pointer.id, {db: request.db, index: request.index, signal: request.signal})
      } finally {
        await repo.store.close?.()
      }
    },
    async forget(request) {
      const pointer = await readPointer(request.backupDir).catch(() => undefined)
      // A backup that failed before it was stored has nothing in the repository to forget.
      if (!pointer) return
      const {forgetBackups} = await import('../engine/repository/repo-admin.js')
      const {repo} = await open()
      try {
        const result = await forgetBackups(repo, {id: pointer.id}).catch((error: EscError) => {
          if (error.kind === 'not-found') return undefined
          throw error
        })
        if (result?.skipped) log(`backup ${pointer.id} forgotten in ${repo.description}; prune skipped: ${result.skipped}`)
      } finally {
        await repo.store.close?.()
      }
    },
  }
}
