import {strict as assert} from 'node:assert'
import {readFile, readdir} from 'node:fs/promises'
import {join} from 'node:path'
import {Readable} from 'node:stream'

import {generateDataDir, WriterSimulator} from '../../../../src/lib/engine/index.js'
import {backupToRepository} from '../../../../src/lib/engine/repository/repo-backup.js'
import {restoreFromRepository, verifyRepositoryBackup} from '../../../../src/lib/engine/repository/repo-restore.js'
import {Repository} from '../../../../src/lib/engine/repository/repository.js'
import {openS3Store} from '../../../../src/lib/engine/repository/s3-store.js'
import {parseS3Url} from '../../../../src/lib/engine/repository/s3-url.js'
import {readCheckpointFile, walkLog} from '../support/independent-reader.js'
import {type TestS3, useTestS3} from './support/s3-server.js'

describe('backups in an S3 repository (s3rver on 127.0.0.1)', function () {
  this.timeout(30_000)
  const suite = useTestS3('repo')
  let s3: TestS3
  let dir: string
  let prefix: string
  beforeEach(() => ({s3, dir, prefix} = suite))

  const open = async (create = true) => Repository.open(await openS3Store(parseS3Url(s3.url(prefix))), {create})
  const puts = () => s3.requests.filter((r) => r.method === 'PUT' && r.url.includes(`/${prefix}/objects/`))

  it('backs up, restores with truncate.chk, and the restored log reads back record by record', async () => {
    const db = join(dir, 'db')
    await generateDataDir(db, {chunks: 3, chunkSize: 16384, withIndex: true})
    const repo = await open()
    const manifest = await backupToRepository({repository: repo, db})
    assert.equal(manifest.kind, 'full')
    assert.equal(manifest.uploaded.objects, new Set(manifest.files.map((f) => f.sha256)).size)
    const restored = join(dir, 'restored')
    const result = await restoreFromRepository(await open(false), undefined, {db: restored})
    assert.equal(result.id, manifest.id)
    for (const f of manifest.files) {
      const path = f.path.startsWith('index/') ? join(restored, 'index', f.path.slice(6)) : join(restored, f.path)
      assert.deepEqual(await readFile(path), await readFile(join(db, f.path)), f.path)
    }
    const truncate = readCheckpointFile(join(restored, 'truncate.chk'))
    assert.equal(truncate, manifest.checkpoints.chaser)
    assert.equal(walkLog(restored, truncate).endPosition, truncate)
    const report = await verifyRepositoryBackup(await open(false), manifest.id)
    assert.deepEqual(report.problems, [])
    assert.equal(report.ok, true)
  })

  it('uploads a large object in 5 MiB parts (the memory a backup holds is files × parts in flight × part size)', async () => {
    const repo = await open()
    const MiB = 1024 * 1024
    const body = Buffer.alloc(11 * MiB, 7)
    s3.requests.length = 0
    await repo.store.put('objects/big', Readable.from([body.subarray(0, 6 * MiB), body.subarray(6 * MiB)]), {size: body.length})
    const parts = s3.requests.filter((r) => r.method === 'PUT' && /[?&]partNumber=/.test(r.url))
    assert.deepEqual(
      parts.map((r) => r.bytes).sort((a, b) => b - a),
      [5 * MiB, 5 * MiB, 1 * MiB],
    )
  })

  it('a differential backup after one new chunk uploads only that chunk, the ongoing one, checkpoints, indexmap and new PTables', async () => {
    const db = join(dir, 'db')
    await generateDataDir(db, {chunks: 4, chunkSize: 65536, withIndex: true})
    const repo = await open()
    const first = await backupToRepository({repository: repo, db})
    const sim = new WriterSimulator({db, eventsPerAppend: 40, eventBytes: 1000, fsync: false, ptableEvery: 2})
    for (let i = 0; i < 2; i++) await sim.appendOnce()
    await sim.stop()
    s3.requests.length = 0
    const second = await backupToRepository({repository: repo, db})
    assert.equal(second.kind, 'differential')
    const before = new Map(first.files.map((f) => [f.path, f.sha256]))
    const changed = second.files.filter((f) => before.get(f.path) !== f.sha256)
    const changedPaths = changed.map((f) => f.path).sort()
    // Exactly the contents the repository lacked went up, each once, and nothing else (a
    // checkpoint may now hold what another held before: that object is there already).
    const had = new Set(first.files.map((f) => f.sha256))
    const fresh = new Map(changed.filter((f) => !had.has(f.sha256)).map((f) => [f.sha256, f.size]))
    assert.equal(puts().length, fresh.size)
    assert.equal(second.uploaded.objects, fresh.size)
    assert.equal(
      second.uploaded.bytes,
      [...fresh.values()].reduce((s, n) => s + n, 0),
    )
    assert.ok(puts().reduce((s, r) => s + r.bytes, 0) <= second.uploaded.bytes * 1.01 + 1024)
    for (const p of changedPaths) {
      assert.match(
        p,
        /^(chunk-00000[34]\.000000|writer\.chk|chaser\.chk|epoch\.chk|proposal\.chk|index\/indexmap|index\/[0-9a-f-]{36}(\.bloomfilter)?)$/,
        p,
      )
    }
    assert.ok(changedPaths.includes('chunk-000003.000000') && changedPaths.includes('chunk-000004.000000'), changedPaths.join(','))
    assert.ok(!changedPaths.some((p) => /chunk-00000[012]/.test(p)), 'completed chunks are not uploaded again')
    const restored = join(dir, 'restored')
    await restoreFromRepository(repo, second.id, {db: restored})
    assert.equal(readCheckpointFile(join(restored, 'truncate.chk')), second.checkpoints.chaser)
  })

  it('rides out 500s, 503s and a dropped connection through the SDK retries', async () => {
    const db = join(dir, 'db')
    await generateDataDir(db, {chunks: 3, chunkSize: 16384})
    const repo = await open()
    s3.fail({fault: {kind: 'status', status: 503}, times: 2, match: (m, u) => m === 'PUT' && u.includes('/objects/')})
    s3.fail({fault: {kind: 'status', status: 500}, times: 1, match: (m, u) => m === 'PUT' && u.includes('/objects/')})
    s3.fail({fault: {kind: 'drop'}, times: 1, match: (m, u) => m === 'PUT' && u.includes('/objects/')})
    const manifest = await backupToRepository({repository: repo, db})
    const report = await verifyRepositoryBackup(repo, manifest.id)
    assert.equal(report.ok, true, JSON.stringify(report.problems))
  })

  it('a backup that cannot finish leaves no manifest, and the previous backup still restores', async () => {
    const db = join(dir, 'db')
    await generateDataDir(db, {chunks: 3, chunkSize: 16384})
    const repo = await open()
    const first = await backupToRepository({repository: repo, db})
    const sim = new WriterSimulator({db, eventsPerAppend: 20, eventBytes: 1000, fsync: false})
    await sim.appendOnce()
    await sim.stop()
    // Every upload of an object now fails for good.
    s3.fail({fault: {kind: 'status', status: 500}, times: Infinity, match: (m, u) => m === 'PUT' && u.includes('/objects/')})
    await assert.rejects(backupToRepository({repository: repo, db}), /HTTP 500|InternalError/)
    s3.clearFaults()
    assert.deepEqual(await repo.backupIds(), [first.id])
    assert.deepEqual(await repo.locks(), [], 'the failed run released its lock')
    const restored = join(dir, 'restored')
    const result = await restoreFromRepository(repo, undefined, {db: restored})
    assert.equal(result.id, first.id)
    assert.equal(readCheckpointFile(join(restored, 'truncate.chk')), first.checkpoints.chaser)
  })

  it('downloads next to the target (same filesystem, not the temp directory) and leaves nothing behind', async () => {
    const db = join(dir, 'db')
    await generateDataDir(db, {chunks: 2, chunkSize: 16384})
    const repo = await open()
    await backupToRepository({repository: repo, db})
    const parent = join(dir, 'targets')
    const seen = new Set<string>()
    await restoreFromRepository(repo, undefined, {
      db: join(parent, 'node1'),
      onProgress: () =>
        void readdir(parent)
          .then((names) => names.forEach((n) => seen.add(n)))
          .catch(() => undefined),
    })
    assert.ok(
      [...seen].some((n) => n.startsWith('.esc-restore-download-')),
      [...seen].join(','),
    )
    assert.deepEqual(await readdir(parent), ['node1'])
  })

  it('refuses to restore a backup whose object was damaged in the bucket, and writes nothing', async () => {
    const db = join(dir, 'db')
    await generateDataDir(db, {chunks: 2, chunkSize: 16384})
    const repo = await open()
    const manifest = await backupToRepository({repository: repo, db})
    const chunk = manifest.files.find((f) => f.path === 'chunk-000000.000000')!
    await repo.store.put(repo.objectKey(chunk.sha256), Buffer.alloc(chunk.size, 1))
    const restored = join(dir, 'restored')
    await assert.rejects(restoreFromRepository(repo, manifest.id, {db: restored}), (error: Error) => {
      assert.match(error.message, /is not sound; nothing was restored/)
      return true
    })
    assert.deepEqual(await readdir(restored).catch(() => []), [])
    const report = await verifyRepositoryBackup(repo, manifest.id)
    assert.equal(report.ok, false)
    assert.equal(report.problems[0].file, 'chunk-000000.000000')
    assert.match(report.problems[0].reason, /SHA-256/)
  })
})
