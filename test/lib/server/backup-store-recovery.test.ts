import {strict as assert} from 'node:assert'
import {existsSync} from 'node:fs'
import {rm} from 'node:fs/promises'
import {join} from 'node:path'

import {openRepository} from '../../../src/lib/engine/repository/open.js'
import {type Engine, loadEngine} from '../../../src/lib/server/engine-adapter.js'
import {POINTER_FILE, withBackupStore} from '../../../src/lib/server/repository-engine.js'
import {TestS3, setEnv} from '../engine/repository/support/s3-server.js'
import {openTestCloud, tempDir, type TestCloud} from './helpers.js'

/** Crash recovery of a local cloud with a backup store: the store ends up agreeing with the database. */
describe('local cloud crash recovery with a backup store (s3rver on 127.0.0.1)', function () {
  this.timeout(60_000)
  let s3: TestS3
  let undoEnv: () => void
  let dir: string
  let url: string
  let n = 0
  before(async () => {
    s3 = await TestS3.start()
    undoEnv = setEnv(s3.env())
  })
  after(async () => {
    undoEnv()
    await s3.stop()
  })
  beforeEach(async () => {
    dir = await tempDir()
    url = s3.url(`recover${++n}`)
    s3.clearFaults()
    s3.requests.length = 0
  })
  afterEach(() => rm(dir, {recursive: true, force: true}))

  const call = (t: TestCloud, method: 'GET' | 'POST' | 'DELETE', path: string, payload?: object) =>
    t.cloud.app.inject({method, url: path, headers: t.auth, ...(payload === undefined ? {} : {payload})})
  const demo = async (t: TestCloud) => {
    const res = await call(t, 'POST', '/local/v1/demo-data', {chunks: 2, chunkSize: 256 * 1024, writer: false})
    assert.equal(res.statusCode, 201, res.body)
    return res.json().id as string
  }
  const backup = async (t: TestCloud, clusterId: string) => {
    const res = await call(t, 'POST', `${t.mesdb}/backups`, {description: 'b', sourceClusterId: clusterId})
    assert.equal(res.statusCode, 202, res.body)
    return res.json().id as string
  }
  const storedIds = async () => (await openRepository(url)).repo.backupIds()
  /** Simulates kill -9: the process vanishes without any of its cleanup. */
  const crash = (t: TestCloud) => t.cloud.ctx.store.close()

  it('forgets in the store the manifest of a backup the crash left in progress, and keeps the others', async () => {
    const store = withBackupStore(await loadEngine(), url)
    let stored!: () => void
    const reached = new Promise<void>((resolve) => (stored = resolve))
    let hang = false
    // The copy reaches the store, then the process dies before the row says available.
    const engine: Engine = {
      ...store,
      async backup(request) {
        const result = await store.backup(request)
        if (!hang) return result
        stored()
        return new Promise(() => {})
      },
    }
    const t = await openTestCloud({dir, engine})
    const clusterId = await demo(t)
    const good = await backup(t, clusterId)
    await t.cloud.ctx.runner.idle()
    assert.equal(t.cloud.ctx.store.backups.get(good)!.status, 'available')
    const [kept] = await storedIds()
    hang = true
    const inFlight = await backup(t, clusterId)
    await reached
    assert.equal((await storedIds()).length, 2)
    crash(t)

    const restarted = await openTestCloud({dir, engine: withBackupStore(await loadEngine(), url)})
    try {
      assert.deepEqual(restarted.cloud.recovery.defunctBackups, [inFlight])
      assert.deepEqual(await storedIds(), [kept])
      assert.equal(existsSync(restarted.cloud.ctx.layout.backupDir(inFlight)), false)
      const res = await call(restarted, 'POST', `${restarted.mesdb}/clusters`, {
        ...(await import('./helpers.js')).clusterBody,
        description: 'from the kept one',
        sourceBackupId: good,
      })
      assert.equal(res.statusCode, 202, res.body)
      await restarted.cloud.ctx.runner.idle()
      const cluster = (await call(restarted, 'GET', `${restarted.mesdb}/clusters/${res.json().id}`)).json().cluster
      assert.equal(cluster.status, 'available', cluster.details)
    } finally {
      await restarted.close()
    }
  })

  it('finishes a deletion the crash interrupted: the backup is forgotten in the store too', async () => {
    const t = await openTestCloud({dir, engine: withBackupStore(await loadEngine(), url)})
    const clusterId = await demo(t)
    const first = await backup(t, clusterId)
    await t.cloud.ctx.runner.idle()
    const second = await backup(t, clusterId)
    await t.cloud.ctx.runner.idle()
    const ids = await storedIds()
    assert.equal(ids.length, 2)
    // The row's delete and its removal are recorded; the crash comes before the store hears of it.
    const db = t.cloud.ctx.store
    db.db.transaction(() => {
      db.removals.record('backup', first, t.cloud.ctx.now())
      db.backups.delete(first)
    })()
    crash(t)

    const restarted = await openTestCloud({dir, engine: withBackupStore(await loadEngine(), url)})
    try {
      assert.deepEqual(await storedIds(), [ids[1]])
      assert.equal(existsSync(restarted.cloud.ctx.layout.backupDir(first)), false)
      assert.equal(restarted.cloud.ctx.store.backups.get(second)!.status, 'available')
    } finally {
      await restarted.close()
    }
  })

  it('keeps the directory of a crashed backup when the store cannot be reached at start; deleting the backup later forgets it', async () => {
    const store = withBackupStore(await loadEngine(), url)
    let stored!: () => void
    const reached = new Promise<void>((resolve) => (stored = resolve))
    const engine: Engine = {
      ...store,
      async backup(request) {
        await store.backup(request)
        stored()
        return new Promise(() => {})
      },
    }
    const t = await openTestCloud({dir, engine})
    const inFlight = await backup(t, await demo(t))
    await reached
    crash(t)
    s3.fail({fault: {kind: 'status', status: 500}, times: Infinity})
    const restarted = await openTestCloud({dir, engine: withBackupStore(await loadEngine(), url)})
    try {
      const kept = restarted.cloud.ctx.layout.backupDir(inFlight)
      assert.equal(restarted.cloud.ctx.store.backups.get(inFlight)!.status, 'defunct')
      assert.ok(existsSync(join(kept, POINTER_FILE)), 'the pointer is kept for a later try')
      assert.ok(restarted.cloud.recovery.keptDirectories.includes(kept))
      s3.clearFaults()
      assert.equal((await storedIds()).length, 1)
      assert.equal((await call(restarted, 'DELETE', `${restarted.mesdb}/backups/${inFlight}`)).statusCode, 204)
      assert.deepEqual(await storedIds(), [])
      assert.equal(existsSync(kept), false)
    } finally {
      await restarted.close()
    }
  })

  it('forgets in the store a backup that fails after its manifest was written (no crash)', async () => {
    const store = withBackupStore(await loadEngine(), url)
    const engine: Engine = {
      ...store,
      async backup(request) {
        await store.backup(request)
        throw new Error('the copy failed after the store had it')
      },
    }
    const t = await openTestCloud({dir, engine})
    try {
      const id = await backup(t, await demo(t))
      await t.cloud.ctx.runner.idle()
      assert.equal(t.cloud.ctx.store.backups.get(id)!.status, 'defunct')
      assert.deepEqual(await storedIds(), [])
      assert.equal(existsSync(t.cloud.ctx.layout.backupDir(id)), false)
    } finally {
      await t.close()
    }
  })

  it('writes the pointer before the manifest: a crash while the manifest is stored still leaves its id', async () => {
    s3.fail({fault: {kind: 'stall'}, times: 1, match: (method, path) => method === 'PUT' && path.includes('/backups/')})
    const t = await openTestCloud({dir, engine: withBackupStore(await loadEngine(), url)})
    const clusterId = await demo(t)
    const id = await backup(t, clusterId)
    const pointer = join(t.cloud.ctx.layout.backupDir(id), POINTER_FILE)
    const deadline = Date.now() + 30_000
    while (!s3.requests.some((r) => r.method === 'PUT' && r.url.includes('/backups/')) && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 50))
    }
    assert.ok(existsSync(pointer), 'the pointer exists while the manifest is on its way')
    crash(t)
  })
})
