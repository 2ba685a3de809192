import {strict as assert} from 'node:assert'
import {spawn} from 'node:child_process'
import {mkdtemp} from 'node:fs/promises'
import {join} from 'node:path'
import {createInterface} from 'node:readline'
import {fileURLToPath} from 'node:url'

import {generateDataDir, WriterSimulator} from '../../../../src/lib/engine/index.js'
import {FsObjectStore} from '../../../../src/lib/engine/repository/fs-store.js'
import {acquire} from '../../../../src/lib/engine/repository/locks.js'
import {openRepository} from '../../../../src/lib/engine/repository/open.js'
import {forgetBackups} from '../../../../src/lib/engine/repository/repo-admin.js'
import {backupToRepository} from '../../../../src/lib/engine/repository/repo-backup.js'
import {restoreFromRepository, verifyRepositoryBackup} from '../../../../src/lib/engine/repository/repo-restore.js'
import {Repository} from '../../../../src/lib/engine/repository/repository.js'
import {readCheckpointFile, walkLog} from '../support/independent-reader.js'
import {type TestS3, useTestS3} from './support/s3-server.js'

const here = fileURLToPath(new URL('.', import.meta.url))

/** Starts the child at `op`, waits until it is frozen at its known point, and kills it with SIGKILL. */
async function killAt(op: 'backup' | 'forget', url: string, arg: string): Promise<void> {
  const child = spawn(process.execPath, ['--import', 'tsx', join(here, 'support', 'repo-child.ts'), op, url, arg], {
    stdio: ['ignore', 'pipe', 'inherit'],
  })
  const line = await new Promise<string>((resolve) => createInterface({input: child.stdout!}).once('line', resolve))
  assert.equal(line, 'frozen')
  const exited = new Promise((resolve) => child.once('exit', resolve))
  child.kill('SIGKILL')
  await exited
}

describe('repository safety: locks, kill -9, hot differential backups', function () {
  this.timeout(30_000)
  const suite = useTestS3('safety')
  let s3: TestS3
  let dir: string
  let url: string
  beforeEach(() => {
    ;({s3, dir} = suite)
    url = s3.url(suite.prefix)
  })

  const grow = async (db: string, appends: number) => {
    const sim = new WriterSimulator({db, eventsPerAppend: 20, eventBytes: 1000, fsync: false})
    for (let i = 0; i < appends; i++) await sim.appendOnce()
    await sim.stop()
  }

  it('kill -9 in the middle of a backup leaves no backup, and the next backup and the previous restore work', async () => {
    const db = join(dir, 'db')
    await generateDataDir(db, {chunks: 3, chunkSize: 16384})
    const {repo} = await openRepository(url, {create: true})
    const first = await backupToRepository({repository: repo, db})
    await grow(db, 2)
    s3.requests.length = 0
    await killAt('backup', url, db)
    assert.deepEqual(await repo.backupIds(), [first.id], 'the killed run recorded nothing')
    assert.ok(
      s3.requests.some((r) => r.method === 'PUT' && r.url.includes('/objects/')),
      'the killed run had uploaded',
    )
    // Its lock is left behind: a prune does not run until it is stale (24 hours), and says so.
    const forget = await forgetBackups(repo, {keepLast: 1})
    assert.match(forget.skipped ?? '', /a backup is running .*\(lock locks\/backup-/)
    await restoreFromRepository(repo, undefined, {db: join(dir, 'r1')})
    const next = await backupToRepository({repository: repo, db})
    assert.equal((await verifyRepositoryBackup(repo, next.id)).ok, true)
  })

  it('Ctrl-C (an abort) during the uploads stops the backup: an AbortError, no backup recorded, the lock released', async () => {
    const db = join(dir, 'db')
    await generateDataDir(db, {chunks: 3, chunkSize: 16384})
    const {repo} = await openRepository(url, {create: true})
    const controller = new AbortController()
    let uploading = false
    await assert.rejects(
      backupToRepository({
        repository: repo,
        db,
        concurrency: 1,
        signal: controller.signal,
        log: (line) => void (uploading ||= line.startsWith('uploading')),
        onProgress: () => (uploading ? controller.abort() : undefined),
      }),
      (e: Error) => e.name === 'AbortError' && /no backup was recorded in s3:\/\/esc-test\/safety\d+/.test(e.message),
    )
    assert.deepEqual(await repo.backupIds(), [])
    assert.deepEqual(await repo.locks(), [])
  })

  it('kill -9 in the middle of a prune loses nothing a manifest names', async () => {
    const db = join(dir, 'db')
    await generateDataDir(db, {chunks: 3, chunkSize: 16384})
    const {repo} = await openRepository(url, {create: true})
    for (let i = 0; i < 3; i++) {
      await backupToRepository({repository: repo, db})
      await grow(db, 2)
    }
    const ids = await repo.backupIds()
    await killAt('forget', url, '1')
    // The manifests went first: only the newest is left, and it is whole.
    assert.deepEqual(await repo.backupIds(), [ids[2]])
    const report = await verifyRepositoryBackup(repo, ids[2])
    assert.equal(report.ok, true, JSON.stringify(report.problems))
    // The killed prune's lock is a leftover: within the hour, a backup waits for nobody but says so.
    await assert.rejects(backupToRepository({repository: repo, db}), /objects are being pruned in .*\(lock locks\/prune-/)
  })

  it('a prune does not run while a backup holds its lock, nor a backup while a prune does', async () => {
    const root = await mkdtemp(join(dir, 'repo-'))
    const repo = await Repository.open(new FsObjectStore(root), {create: true})
    const db = join(dir, 'db')
    await generateDataDir(db, {chunks: 2, chunkSize: 16384})
    const first = await backupToRepository({repository: repo, db})
    await grow(db, 2)
    await backupToRepository({repository: repo, db})
    const release = await acquire(repo, 'backup', () => new Date())
    const result = await forgetBackups(repo, {id: first.id})
    assert.deepEqual(result.forgotten, [first.id])
    assert.equal(result.pruned, undefined)
    assert.match(result.skipped ?? '', /a backup is running/)
    await release()
    const prune = await acquire(repo, 'prune', () => new Date())
    await assert.rejects(backupToRepository({repository: repo, db}), (e: Error & {kind?: string}) => e.kind === 'conflict')
    await prune()
    // A lock older than it is honoured (a killed run's) is ignored.
    const old = await acquire(repo, 'prune', () => new Date(Date.now() - 2 * 60 * 60 * 1000))
    const later = new Date(Date.now() + 2 * 60 * 60 * 1000)
    await backupToRepository({repository: repo, db, now: () => later})
    await old()
    const pruned = await forgetBackups(repo, {keepLast: 1})
    assert.ok((pruned.pruned?.objects ?? 0) > 0)
  })

  it('hot differential backups to S3 while the writer appends restore a log that reads back up to the truncate position', async () => {
    const db = join(dir, 'db')
    await generateDataDir(db, {chunks: 3, chunkSize: 16384, withIndex: true})
    const {repo} = await openRepository(url, {create: true})
    // No PTable churn here: the local engine's handling of it is covered by its own hot-backup tests.
    const sim = new WriterSimulator({db, eventsPerAppend: 2, eventBytes: 1000, fsync: false})
    let writing: Promise<void> = Promise.resolve()
    const onProgress = () => {
      writing = writing.then(() => sim.appendOnce())
    }
    const runs = []
    for (let i = 0; i < 3; i++) runs.push(await backupToRepository({repository: repo, db, onProgress}))
    await writing
    await sim.stop()
    assert.deepEqual(
      runs.map((r) => r.kind),
      ['full', 'differential', 'differential'],
    )
    for (const run of runs) {
      const restored = join(dir, `restored-${run.id}`)
      await restoreFromRepository(repo, run.id, {db: restored})
      const truncate = readCheckpointFile(join(restored, 'truncate.chk'))
      assert.equal(truncate, run.checkpoints.chaser)
      assert.equal(walkLog(restored, truncate).endPosition, truncate, 'every record up to the truncate position reads back')
    }
  })
})
