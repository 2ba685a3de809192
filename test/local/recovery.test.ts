import {strict as assert} from 'node:assert'
import {existsSync} from 'node:fs'
import {mkdir, rm, writeFile} from 'node:fs/promises'
import {join} from 'node:path'

import {createCluster, openTestCloud, tempDir} from './helpers.js'

describe('local cloud crash recovery', () => {
  let dir: string
  beforeEach(async () => {
    dir = await tempDir()
  })
  afterEach(() => rm(dir, {recursive: true, force: true}))

  it('turns in-progress work into defunct/failed on start, removes partial directories, keeps available backups', async () => {
    const t = await openTestCloud({dir})
    const call = (method: 'GET' | 'POST', url: string, payload?: object) => t.cloud.app.inject({method, url, headers: t.auth, payload})
    const clusterId = await createCluster(t)
    const good = (await call('POST', `${t.mesdb}/backups`, {description: 'good', sourceClusterId: clusterId})).json().id
    await t.cloud.ctx.runner.idle()
    const jobId = (await call('POST', `${t.orchestrate}/jobs`, {type: 'ScheduledBackup', description: 'j', schedule: '0 * * * *', data: {clusterId, description: 'x', maxBackupCount: 1}})).json().id
    t.engine.hold = true
    const historyId = (await call('POST', `${t.orchestrate}/jobs/${jobId}/run`)).json().historyId
    await t.engine.reached()
    const inFlight = t.cloud.ctx.store.history.get(historyId)!.linked_resource
    assert.ok(existsSync(t.cloud.ctx.layout.backupDir(inFlight)))
    // Simulate kill -9: the process vanishes without running any of its cleanup.
    t.cloud.ctx.store.close()
    const stray = join(dir, 'backups', 'c1ev3l5o0aeu6ojco7b0')
    await mkdir(stray, {recursive: true})
    await writeFile(join(stray, 'chunk-000000.000000'), 'partial')

    const restarted = await openTestCloud({dir})
    try {
      const store = restarted.cloud.ctx.store
      assert.equal(store.backups.get(inFlight)!.status, 'defunct')
      assert.match(store.backups.get(inFlight)!.details!, /interrupted/)
      assert.equal(existsSync(restarted.cloud.ctx.layout.backupDir(inFlight)), false)
      assert.equal(existsSync(stray), false)
      assert.equal(store.backups.get(good)!.status, 'available')
      assert.ok(existsSync(restarted.cloud.ctx.layout.backupDir(good)))
      assert.equal(store.history.get(historyId)!.status, 'failed')
      assert.equal(store.locks.all().length, 0)
      assert.deepEqual(restarted.cloud.recovery.defunctBackups, [inFlight])
      const next = await restarted.cloud.app.inject({method: 'POST', url: `${restarted.mesdb}/backups`, headers: restarted.auth, payload: {description: 'after', sourceClusterId: clusterId}})
      assert.equal(next.statusCode, 202, 'lock released')
      await restarted.cloud.ctx.runner.idle()
    } finally {
      await restarted.close()
    }
  })

  it('marks an interrupted restore defunct and removes its partial data', async () => {
    const t = await openTestCloud({dir})
    const clusterId = await createCluster(t)
    const backupId = (await t.cloud.app.inject({method: 'POST', url: `${t.mesdb}/backups`, headers: t.auth, payload: {description: 'b', sourceClusterId: clusterId}})).json().id
    await t.cloud.ctx.runner.idle()
    t.engine.hold = true
    const {clusterBody} = await import('./helpers.js')
    const restoreId = (await t.cloud.app.inject({method: 'POST', url: `${t.mesdb}/clusters`, headers: t.auth, payload: {...clusterBody, sourceBackupId: backupId}})).json().id
    await t.engine.reached()
    t.cloud.ctx.store.close()
    const restarted = await openTestCloud({dir})
    try {
      const row = restarted.cloud.ctx.store.clusters.get(restoreId)!
      assert.equal(row.status, 'defunct')
      assert.match(row.details!, new RegExp(`restore of backup ${backupId} failed`))
      assert.equal(existsSync(restarted.cloud.ctx.layout.clusterDir(restoreId)), false)
      assert.equal(restarted.cloud.ctx.store.clusters.get(clusterId)!.status, 'available')
    } finally {
      await restarted.close()
    }
  })

  it('on graceful shutdown stops a running copy and marks it defunct', async () => {
    const t = await openTestCloud({dir})
    const clusterId = await createCluster(t)
    t.engine.hold = true
    const id = (await t.cloud.app.inject({method: 'POST', url: `${t.mesdb}/backups`, headers: t.auth, payload: {description: 'b', sourceClusterId: clusterId}})).json().id
    await t.engine.reached()
    await t.cloud.close(1000)
    const restarted = await openTestCloud({dir})
    try {
      const row = restarted.cloud.ctx.store.backups.get(id)!
      assert.equal(row.status, 'defunct')
      assert.match(row.details!, /shut down/)
      assert.deepEqual(restarted.cloud.recovery.defunctBackups, [])
    } finally {
      await restarted.close()
    }
  })

  it('keeps working after the state directory was moved: backup and cluster paths follow it', async () => {
    const before = join(dir, 'before')
    const t = await openTestCloud({dir: before})
    const clusterId = await createCluster(t)
    const first = (await t.cloud.app.inject({method: 'POST', url: `${t.mesdb}/backups`, headers: t.auth, payload: {description: 'b', sourceClusterId: clusterId}})).json().id
    await t.cloud.ctx.runner.idle()
    await t.close()
    const {rename} = await import('node:fs/promises')
    const after = join(dir, 'after')
    await rename(before, after)
    const moved = await openTestCloud({dir: after})
    try {
      const {layout} = moved.cloud.ctx
      const call = (method: 'POST' | 'DELETE', url: string, payload?: object) => moved.cloud.app.inject({method, url, headers: moved.auth, payload})
      assert.equal((await call('POST', `${moved.mesdb}/backups`, {description: 'c', sourceClusterId: clusterId})).statusCode, 202)
      await moved.cloud.ctx.runner.idle()
      const {clusterBody} = await import('./helpers.js')
      const restored = (await call('POST', `${moved.mesdb}/clusters`, {...clusterBody, sourceBackupId: first})).json().id
      await moved.cloud.ctx.runner.idle()
      const [backup] = moved.engine.backups
      assert.equal(backup.db, layout.clusterDb(clusterId))
      assert.equal(backup.linkFrom, layout.backupDir(first))
      assert.equal(moved.engine.restores[0].backupDir, layout.backupDir(first))
      assert.equal(moved.engine.restores[0].db, layout.clusterDb(restored))
      assert.equal((await call('DELETE', `${moved.mesdb}/backups/${first}`)).statusCode, 204)
      assert.equal(existsSync(layout.backupDir(first)), false, 'the moved backup directory is removed')
    } finally {
      await moved.close()
    }
  })
})
