import {strict as assert} from 'node:assert'
import {createHash} from 'node:crypto'
import {mkdir, readFile, readdir, writeFile} from 'node:fs/promises'
import {join} from 'node:path'

import {generateDataDir, WriterSimulator} from '../../../../src/lib/engine/index.js'
import {backupToRepository} from '../../../../src/lib/engine/repository/repo-backup.js'
import {restoreFromRepository, verifyRepositoryBackup} from '../../../../src/lib/engine/repository/repo-restore.js'
import {Repository, type RepositoryManifest} from '../../../../src/lib/engine/repository/repository.js'
import {openS3Store} from '../../../../src/lib/engine/repository/s3-store.js'
import {parseS3Url} from '../../../../src/lib/engine/repository/s3-url.js'
import {readCheckpointFile, walkLog} from '../support/independent-reader.js'
import {type TestS3, useTestS3} from './support/s3-server.js'

const immutable = (f: {kind: string; completed?: boolean}) => (f.kind === 'chunk' && f.completed === true) || f.kind === 'ptable'

describe('differential backups to S3: what the repository has is neither copied locally nor uploaded', function () {
  this.timeout(30_000)
  const suite = useTestS3('diff')
  let s3: TestS3
  let dir: string
  let prefix: string
  beforeEach(() => ({s3, dir, prefix} = suite))

  const open = async () => Repository.open(await openS3Store(parseS3Url(s3.url(prefix))), {create: true})
  const puts = () => s3.requests.filter((r) => r.method === 'PUT' && r.url.includes(`/${prefix}/objects/`))

  /** A backed-up node, then one more completed chunk (and a new PTable) appended by the writer. */
  async function backedUpThenAppended(): Promise<{db: string; repo: Repository; first: RepositoryManifest}> {
    const db = join(dir, 'db')
    await generateDataDir(db, {chunks: 4, chunkSize: 65536, withIndex: true})
    const repo = await open()
    const first = await backupToRepository({repository: repo, db})
    const sim = new WriterSimulator({db, eventsPerAppend: 40, eventBytes: 1000, fsync: false, ptableEvery: 2})
    for (let i = 0; i < 2; i++) await sim.appendOnce()
    await sim.stop()
    return {db, repo, first}
  }

  it('after one new chunk: copies locally and uploads only the new objects (both counted); the restore verifies', async () => {
    const {db, repo, first} = await backedUpThenAppended()
    const staging = join(dir, 'staging')
    await mkdir(staging)
    s3.requests.length = 0
    const second = await backupToRepository({repository: repo, db, stagingRoot: staging})
    assert.equal(second.kind, 'differential')
    const had = new Map(first.files.filter(immutable).map((f) => [`${f.path}\0${f.size}\0${f.md5}`, f.sha256]))
    const known = second.files.filter((f) => had.get(`${f.path}\0${f.size}\0${f.md5}`) === f.sha256)
    assert.ok(known.length >= 3, `completed chunks 0..2 and the old PTables are known (${known.map((f) => f.path).join(',')})`)
    const fresh = second.files.filter((f) => !known.includes(f))
    // Local copies: only what needs a snapshot (checkpoints, the ongoing chunk, index map, bloom
    // filters); the new completed chunk and new PTables go from the node to the store.
    const snapshot = second.files.filter((f) => !immutable(f))
    assert.deepEqual(second.staged, {files: snapshot.length, bytes: snapshot.reduce((s, f) => s + f.size, 0)})
    assert.ok(second.files.some((f) => f.path === 'chunk-000003.000000' && f.completed && f.origin === 'copied'))
    assert.ok(fresh.some((f) => f.path === 'chunk-000003.000000') && fresh.some((f) => f.path === 'chunk-000004.000000'))
    assert.ok(!fresh.some((f) => /^chunk-00000[012]/.test(f.path)), fresh.map((f) => f.path).join(','))
    // Uploads: the contents the repository lacked, each once.
    const shas = new Set(first.files.map((f) => f.sha256))
    const missing = new Map(fresh.filter((f) => !shas.has(f.sha256)).map((f) => [f.sha256, f.size]))
    assert.equal(puts().length, missing.size)
    assert.deepEqual(second.uploaded, {objects: missing.size, bytes: [...missing.values()].reduce((s, b) => s + b, 0)})
    assert.deepEqual(await readdir(staging), [], 'nothing left in the staging root')
    const report = await verifyRepositoryBackup(repo, second.id)
    assert.deepEqual(report.problems, [])
    const restored = join(dir, 'restored')
    await restoreFromRepository(repo, second.id, {db: restored})
    const truncate = readCheckpointFile(join(restored, 'truncate.chk'))
    assert.equal(truncate, second.checkpoints.chaser)
    assert.equal(walkLog(restored, truncate).endPosition, truncate)
  })

  it('an interrupted differential leaves no manifest, no lock and nothing staged; the previous backup restores', async () => {
    const {db, repo, first} = await backedUpThenAppended()
    const staging = join(dir, 'staging')
    await mkdir(staging)
    const ac = new AbortController()
    await assert.rejects(
      backupToRepository({repository: repo, db, stagingRoot: staging, signal: ac.signal, onProgress: () => ac.abort()}),
      /backup aborted; no backup was recorded/,
    )
    assert.deepEqual(await repo.backupIds(), [first.id])
    assert.deepEqual(await repo.locks(), [])
    assert.deepEqual(await readdir(staging), [])
    const restored = join(dir, 'restored')
    assert.equal((await restoreFromRepository(repo, undefined, {db: restored})).id, first.id)
  })

  it('a first backup stages no completed chunk nor PTable, and restores byte for byte', async () => {
    const db = join(dir, 'db')
    await generateDataDir(db, {chunks: 3, chunkSize: 16384, withIndex: true})
    const repo = await open()
    const m = await backupToRepository({repository: repo, db})
    const snapshot = m.files.filter((f) => !immutable(f))
    assert.ok(m.files.filter(immutable).length >= 2)
    assert.deepEqual(m.staged, {files: snapshot.length, bytes: snapshot.reduce((s, f) => s + f.size, 0)})
    assert.equal(m.uploaded.objects, new Set(m.files.map((f) => f.sha256)).size)
    const restored = join(dir, 'restored')
    await restoreFromRepository(repo, m.id, {db: restored})
    for (const f of m.files) {
      const at = (root: string) => (f.path.startsWith('index/') ? join(root, 'index', f.path.slice(6)) : join(root, f.path))
      assert.deepEqual(await readFile(at(restored)), await readFile(at(db)), f.path)
    }
  })

  it('a completed chunk that fails its footer MD5 is neither uploaded nor backed up: the engine names it', async () => {
    const db = join(dir, 'db')
    await generateDataDir(db, {chunks: 3, chunkSize: 16384})
    const path = join(db, 'chunk-000000.000000')
    const bytes = await readFile(path)
    bytes[200] ^= 0xff
    await writeFile(path, bytes)
    const repo = await open()
    s3.requests.length = 0
    await assert.rejects(backupToRepository({repository: repo, db}), /chunk-000000\.000000: the copy fails its footer MD5/)
    assert.deepEqual(await repo.backupIds(), [])
    console.log(s3.requests.filter((r) => r.method === 'PUT').map((r) => r.url + ' ' + r.bytes))
    // Named by its content address (its size is the ongoing chunk's too): the snapshot's other
    // files may be uploaded before the engine refuses the chunk, as objects no manifest names.
    const damaged = createHash('sha256').update(bytes).digest('hex')
    const puts = s3.requests.filter((r) => r.method === 'PUT')
    assert.ok(!puts.some((r) => r.url.includes(damaged)), 'the damaged chunk was not uploaded')
    assert.ok(puts.length > 0, 'the run did upload (the check above sees uploads)')
  })
})
