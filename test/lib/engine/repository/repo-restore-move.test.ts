import {strict as assert} from 'node:assert'
import {existsSync, readdirSync, statSync} from 'node:fs'
import {mkdir, mkdtemp, open, readFile, readdir, rm, stat, writeFile} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

import type {EscError} from '../../../../src/lib/core/errors.js'
import {isAbortError} from '../../../../src/lib/core/errors.js'
import {backupNode, generateDataDir, readManifest, restoreBackup} from '../../../../src/lib/engine/index.js'
import {FsObjectStore} from '../../../../src/lib/engine/repository/fs-store.js'
import {backupToRepository} from '../../../../src/lib/engine/repository/repo-backup.js'
import {restoreFromRepository} from '../../../../src/lib/engine/repository/repo-restore.js'
import {Repository} from '../../../../src/lib/engine/repository/repository.js'
import type {ProgressEvent} from '../../../../src/lib/engine/types.js'
import {snapshotTree} from '../support/sandbox.js'

const DOWNLOAD_PREFIX = '.esc-restore-download-'

/**
 * A restore from a repository writes each file once: the downloaded copy (its SHA-256 checked as it
 * arrived) is moved into the first node, not copied and hashed a second time. Seen from outside:
 * the restored file is the very inode the download wrote.
 */
describe('restore from a repository: the download is moved into place, not copied again', function () {
  this.timeout(30_000)
  let dir: string
  let db: string
  let repo: Repository
  let id: string
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'esc-repo-move-'))
    db = join(dir, 'db')
    await generateDataDir(db, {chunks: 3, chunkSize: 64 * 1024})
    repo = await Repository.open(new FsObjectStore(join(dir, 'repo')), {create: true})
    id = (await backupToRepository({repository: repo, db})).id
  })
  afterEach(() => rm(dir, {recursive: true, force: true}))

  /** Records the inode of each downloaded file as its download ends (the download reports each file once). */
  function inodeRecorder(root: string, dataDir: string) {
    const inodes = new Map<string, number>()
    let downloading = true
    const onProgress = (p: ProgressEvent) => {
      if (p.file === undefined) downloading = false
      if (!downloading || p.file === undefined) return
      const staging = readdirSyncPrefix(root)
      inodes.set(p.file, statIno(join(root, staging, dataDir, p.file)))
    }
    return {inodes, onProgress}
  }

  it('each file of the first node is the downloaded file itself; bytes identical; truncate.chk = chaser; the download is gone', async () => {
    const target = join(dir, 'restored')
    const rec = inodeRecorder(dir, (await repo.readManifest(id)).dataDir)
    const result = await restoreFromRepository(repo, id, {db: target, onProgress: rec.onProgress})
    const manifest = await repo.readManifest(id)
    assert.equal(rec.inodes.size, manifest.files.length)
    for (const f of manifest.files) {
      const st = await stat(join(target, f.path))
      assert.equal(st.ino, rec.inodes.get(f.path), `${f.path} was written a second time`)
      assert.deepEqual(await readFile(join(target, f.path)), await readFile(join(db, f.path)), f.path)
    }
    assert.deepEqual(await readFile(join(target, 'truncate.chk')), await readFile(join(db, 'chaser.chk')))
    assert.equal(result.truncateTo, Number((await readFile(join(db, 'chaser.chk'))).readBigInt64LE(0)))
    assert.deepEqual(
      (await readdir(dir)).filter((n) => n.startsWith(DOWNLOAD_PREFIX)),
      [],
    )
    assert.equal(existsSync(join(target, '.esc-restore-staging')), false)
  })

  it('several nodes: the first gets the downloaded files, the others copies; every node byte-identical', async () => {
    const rec = inodeRecorder(dir, (await repo.readManifest(id)).dataDir)
    const nodes = [{db: join(dir, 'n1')}, {db: join(dir, 'n2')}, {db: join(dir, 'n3')}]
    await restoreFromRepository(repo, id, {nodes, onProgress: rec.onProgress})
    const manifest = await repo.readManifest(id)
    for (const f of manifest.files) {
      const original = await readFile(join(db, f.path))
      for (const n of nodes) assert.deepEqual(await readFile(join(n.db, f.path)), original, `${n.db}: ${f.path}`)
      assert.equal((await stat(join(nodes[0].db, f.path))).ino, rec.inodes.get(f.path))
      assert.notEqual((await stat(join(nodes[1].db, f.path))).ino, rec.inodes.get(f.path))
    }
    for (const n of nodes) assert.deepEqual(await readFile(join(n.db, 'truncate.chk')), await readFile(join(db, 'chaser.chk')))
  })

  it('an index directory on another filesystem gets verified copies; the data directory still gets the downloaded files', async function () {
    if (!existsSync('/dev/shm') || statSync('/dev/shm').dev === statSync(dir).dev) this.skip()
    const other: string = await mkdtemp('/dev/shm/esc-repo-move-')
    await rm(db, {recursive: true, force: true})
    await generateDataDir(db, {chunks: 3, chunkSize: 64 * 1024, withIndex: true})
    id = (await backupToRepository({repository: repo, db})).id
    try {
      const rec = inodeRecorder(dir, (await repo.readManifest(id)).dataDir)
      const target = join(dir, 'node')
      await restoreFromRepository(repo, id, {db: target, index: join(other, 'index'), onProgress: rec.onProgress})
      const manifest = await repo.readManifest(id)
      const indexFiles = manifest.files.filter((f) => f.path.startsWith('index/'))
      assert.ok(indexFiles.length > 0)
      for (const f of manifest.files) {
        const at: string = f.path.startsWith('index/') ? join(other, f.path) : join(target, f.path)
        assert.deepEqual(await readFile(at), await readFile(join(db, f.path)), f.path)
        if (!f.path.startsWith('index/')) assert.equal((await stat(at)).ino, rec.inodes.get(f.path), f.path)
      }
    } finally {
      await rm(other, {recursive: true, force: true})
    }
  })

  it('interrupted while moving files into place: the target is as it was (previous contents back), nothing left behind', async () => {
    const target = join(dir, 'node')
    await mkdir(target)
    await writeFile(join(target, 'old.txt'), 'the node before')
    const before = await snapshotTree(target)
    const ac = new AbortController()
    let restoring = false
    const onProgress = (p: ProgressEvent) => {
      if (p.file === undefined) restoring = true
      else if (restoring) ac.abort()
    }
    await assert.rejects(
      restoreFromRepository(repo, id, {db: target, force: true, signal: ac.signal, onProgress, concurrency: 1}),
      (e: Error) => isAbortError(e) && /previous contents are back/.test(e.message),
    )
    assert.deepEqual(await snapshotTree(target), before)
    assert.deepEqual(
      (await readdir(dir)).filter((n) => n.startsWith(DOWNLOAD_PREFIX) || n.includes('before-restore')),
      [],
    )
  })

  it('interrupted during the download: nothing written to the target, the download directory removed', async () => {
    const target = join(dir, 'node')
    await mkdir(target)
    await writeFile(join(target, 'old.txt'), 'the node before')
    const before = await snapshotTree(dir)
    const ac = new AbortController()
    await assert.rejects(
      restoreFromRepository(repo, id, {db: target, force: true, signal: ac.signal, concurrency: 1, onProgress: () => ac.abort()}),
      (e: Error) =>
        isAbortError(e) &&
        e.message === `restore interrupted while downloading backup ${id} from ${repo.description}; nothing was written to ${target}`,
    )
    assert.deepEqual(await snapshotTree(dir), before)
  })

  it('a local restore still copies and verifies: the backup keeps its files, a flipped byte is refused, the target untouched', async () => {
    const bk = join(dir, 'bk')
    await backupNode({db, backupDir: bk})
    const manifest = await readManifest(bk)
    const chunk = join(bk, manifest.dataDir, 'chunk-000001.000000')
    const ino = (await stat(chunk)).ino
    await restoreBackup({backupDir: bk, db: join(dir, 'ok')})
    assert.equal((await stat(chunk)).ino, ino)
    assert.notEqual((await stat(join(dir, 'ok', 'chunk-000001.000000'))).ino, ino)
    const fh = await open(chunk, 'r+')
    const b = Buffer.alloc(1)
    await fh.read(b, 0, 1, 1000)
    b[0] ^= 0xff
    await fh.write(b, 0, 1, 1000)
    await fh.close()
    await assert.rejects(
      restoreBackup({backupDir: bk, db: join(dir, 'bad')}),
      (e: EscError) => e.kind === 'unsound-backup' && /chunk-000001\.000000: MD5 [0-9a-f]{32} differs/.test(e.message),
    )
    assert.equal(existsSync(join(dir, 'bad')), false)
  })
})

function readdirSyncPrefix(root: string): string {
  const names = readdirSync(root).filter((n) => n.startsWith(DOWNLOAD_PREFIX))
  assert.equal(names.length, 1)
  return names[0]
}

function statIno(path: string): number {
  return statSync(path).ino
}
