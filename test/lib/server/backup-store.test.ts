import {strict as assert} from 'node:assert'
import {readdir} from 'node:fs/promises'

import {verifyDirectory} from '../../../src/lib/engine/index.js'
import {openRepository} from '../../../src/lib/engine/repository/open.js'
import {loadEngine} from '../../../src/lib/server/engine-adapter.js'
import {POINTER_FILE, withBackupStore} from '../../../src/lib/server/repository-engine.js'
import {TestS3, setEnv} from '../engine/repository/support/s3-server.js'
import {clusterBody, openTestCloud, type TestCloud} from './helpers.js'

/** `esc local start --backup-store s3://…`: the runner with the real engine, backups in s3rver. */
describe('local cloud with a backup store (s3rver on 127.0.0.1)', function () {
  this.timeout(30_000)
  let s3: TestS3
  let undoEnv: () => void
  let t: TestCloud
  let n = 0
  let url: string
  before(async () => {
    s3 = await TestS3.start()
    undoEnv = setEnv(s3.env())
  })
  after(async () => {
    undoEnv()
    await s3.stop()
  })
  beforeEach(async () => {
    url = s3.url(`cloud${++n}`)
    t = await openTestCloud({engine: withBackupStore(await loadEngine(), url)})
  })
  afterEach(() => t.close())

  const call = (method: 'GET' | 'POST' | 'DELETE', path: string, payload?: unknown) =>
    t.cloud.app.inject({method, url: path, headers: t.auth, ...(payload === undefined ? {} : {payload: payload as object})})
  const backup = async (clusterId: string) => {
    const res = await call('POST', `${t.mesdb}/backups`, {description: 'b {index}', sourceClusterId: clusterId})
    assert.equal(res.statusCode, 202, res.body)
    await t.cloud.ctx.runner.idle()
    return (await call('GET', `${t.mesdb}/backups/${res.json().id}`)).json().backup
  }

  it('stores backups in the repository, restores a cluster from it, and deleting a backup forgets it there', async () => {
    const demo = await call('POST', '/local/v1/demo-data', {chunks: 3, chunkSize: 256 * 1024, writer: false})
    assert.equal(demo.statusCode, 201, demo.body)
    const clusterId = demo.json().id as string
    const first = await backup(clusterId)
    assert.equal(first.status, 'available', first.details)
    const second = await backup(clusterId)
    assert.equal(second.status, 'available', second.details)
    // The state directory keeps a pointer only; the data is in the bucket.
    assert.deepEqual(await readdir(t.cloud.ctx.layout.backupDir(first.id)), [POINTER_FILE])
    const {repo} = await openRepository(url)
    assert.equal((await repo.backupIds()).length, 2)

    const restored = await call('POST', `${t.mesdb}/clusters`, {...clusterBody, description: 'restore', sourceBackupId: second.id})
    await t.cloud.ctx.runner.idle()
    const cluster = (await call('GET', `${t.mesdb}/clusters/${restored.json().id}`)).json().cluster
    assert.equal(cluster.status, 'available', cluster.details)
    const report = await verifyDirectory(t.cloud.ctx.layout.clusterDb(cluster.id))
    assert.ok(report.ok, JSON.stringify(report.problems))
    assert.equal(report.checkpoints.truncate, report.checkpoints.chaser)

    assert.equal((await call('DELETE', `${t.mesdb}/backups/${first.id}`)).statusCode, 204)
    const left = await repo.backupIds()
    assert.equal(left.length, 1)
    assert.equal(
      (await (await import('../../../src/lib/engine/repository/repo-restore.js')).verifyRepositoryBackup(repo, left[0])).ok,
      true,
    )
  })
})
