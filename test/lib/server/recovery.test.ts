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
    const jobId = (
      await call('POST', `${t.orchestrate}/jobs`, {
        type: 'ScheduledBackup',
        description: 'j',
        schedule: '0 * * * *',
        data: {clusterId, description: 'x', maxBackupCount: 1},
      })
    ).json().id
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
      assert.ok(existsSync(join(stray, 'chunk-000000.000000')), 'a directory the store never recorded is kept')
      assert.ok(restarted.cloud.recovery.keptDirectories.includes(stray))
      assert.equal(store.backups.get(good)!.status, 'available')
      assert.ok(existsSync(restarted.cloud.ctx.layout.backupDir(good)))
      assert.equal(store.history.get(historyId)!.status, 'failed')
      assert.equal(store.locks.all().length, 0)
      assert.deepEqual(restarted.cloud.recovery.defunctBackups, [inFlight])
      const next = await restarted.cloud.app.inject({
        method: 'POST',
        url: `${restarted.mesdb}/backups`,
        headers: restarted.auth,
        payload: {description: 'after', sourceClusterId: clusterId},
      })
      assert.equal(next.statusCode, 202, 'lock released')
      await restarted.cloud.ctx.runner.idle()
    } finally {
      await restarted.close()
    }
  })

  it('marks an interrupted restore defunct and removes its partial data', async () => {
    const t = await openTestCloud({dir})
    const clusterId = await createCluster(t)
    const backupId = (
      await t.cloud.app.inject({
        method: 'POST',
        url: `${t.mesdb}/backups`,
        headers: t.auth,
        payload: {description: 'b', sourceClusterId: clusterId},
      })
    ).json().id
    await t.cloud.ctx.runner.idle()
    t.engine.hold = true
    const {clusterBody} = await import('./helpers.js')
    const restoreId = (
      await t.cloud.app.inject({
        method: 'POST',
        url: `${t.mesdb}/clusters`,
        headers: t.auth,
        payload: {...clusterBody, sourceBackupId: backupId},
      })
    ).json().id
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
    const id = (
      await t.cloud.app.inject({
        method: 'POST',
        url: `${t.mesdb}/backups`,
        headers: t.auth,
        payload: {description: 'b', sourceClusterId: clusterId},
      })
    ).json().id
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
    const first = (
      await t.cloud.app.inject({
        method: 'POST',
        url: `${t.mesdb}/backups`,
        headers: t.auth,
        payload: {description: 'b', sourceClusterId: clusterId},
      })
    ).json().id
    await t.cloud.ctx.runner.idle()
    await t.close()
    const {rename} = await import('node:fs/promises')
    const after = join(dir, 'after')
    await rename(before, after)
    const moved = await openTestCloud({dir: after})
    try {
      const {layout} = moved.cloud.ctx
      const call = (method: 'POST' | 'DELETE', url: string, payload?: object) =>
        moved.cloud.app.inject({method, url, headers: moved.auth, payload})
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

  // Finding 1: recovery removed every entry of backups/ that was not a backup id (and attach accepted a path there).
  it('removes only directories the store recorded, never unknown entries of backups/ or an attached data directory', async () => {
    const logs: string[] = []
    const t = await openTestCloud({dir, log: (m) => logs.push(m)})
    const store = t.cloud.ctx.store
    const {organizationId, projectId} = t.cloud.defaults
    // A node's data attached (by an older esc) inside backups/, and a user's files there.
    const nodeId = 'c1ev3l5o0aeu6ojco7b1'
    const nodeData = join(dir, 'backups', nodeId, 'db')
    await mkdir(nodeData, {recursive: true})
    await writeFile(join(nodeData, 'writer.chk'), Buffer.alloc(8))
    store.clusters.insert({
      id: 'c1ev3l5o0aeu6ojco7b2',
      organization_id: organizationId,
      project_id: projectId,
      status: 'available',
      created: new Date().toISOString(),
      kind: 'attached',
      db_dir: nodeData,
      spec: {
        description: 'n',
        diskSizeGb: 1,
        diskType: 'x',
        instanceType: 'x',
        networkId: 'x',
        projectionLevel: 'off',
        serverVersion: '24.10',
        topology: 'single-node',
      },
    })
    // A backup row left creating whose id names that directory: recovery must still refuse to remove it.
    store.backups.insert({
      id: nodeId,
      organization_id: organizationId,
      project_id: projectId,
      cluster_id: 'c1ev3l5o0aeu6ojco7b2',
      cluster_description: 'n',
      description: 'x',
      created: new Date().toISOString(),
      job_id: null,
      dir: join(dir, 'backups', nodeId),
      cluster_spec: {
        description: 'n',
        diskSizeGb: 1,
        diskType: 'x',
        instanceType: 'x',
        networkId: 'x',
        projectionLevel: 'off',
        serverVersion: '24.10',
        topology: 'single-node',
      },
    })
    const notAnId = join(dir, 'backups', 'my-notes')
    await mkdir(notAnId)
    await writeFile(join(notAnId, 'keep.txt'), 'precious')
    // A delete that crashed after its row went: the store recorded the removal first.
    const deleted = 'c1ev3l5o0aeu6ojco7b3'
    await mkdir(join(dir, 'backups', deleted))
    store.removals.record('backup', deleted)
    // A creating backup whose directory is a link to somewhere else: only the link goes.
    const outside = await tempDir()
    await writeFile(join(outside, 'x'), 'x')
    const linked = 'c1ev3l5o0aeu6ojco7b4'
    store.backups.insert({
      id: linked,
      organization_id: organizationId,
      project_id: projectId,
      cluster_id: 'c1ev3l5o0aeu6ojco7b2',
      cluster_description: 'n',
      description: 'x',
      created: new Date().toISOString(),
      job_id: null,
      dir: join(dir, 'backups', linked),
      cluster_spec: {
        description: 'n',
        diskSizeGb: 1,
        diskType: 'x',
        instanceType: 'x',
        networkId: 'x',
        projectionLevel: 'off',
        serverVersion: '24.10',
        topology: 'single-node',
      },
    })
    const {symlink} = await import('node:fs/promises')
    await symlink(outside, join(dir, 'backups', linked))
    t.cloud.ctx.store.close()

    const restarted = await openTestCloud({dir, log: (m) => logs.push(m)})
    try {
      assert.ok(existsSync(join(nodeData, 'writer.chk')), "an attached cluster's data is never removed")
      assert.ok(existsSync(join(notAnId, 'keep.txt')), 'an entry the store never recorded is kept')
      assert.equal(existsSync(join(dir, 'backups', deleted)), false, 'a recorded removal is finished')
      assert.equal(restarted.cloud.ctx.store.removals.all().length, 0)
      assert.equal(existsSync(join(dir, 'backups', linked)), false, 'the link is removed')
      assert.ok(existsSync(join(outside, 'x')), 'what the link pointed to is not')
      assert.equal(restarted.cloud.ctx.store.backups.get(nodeId)!.status, 'defunct')
      const {recovery} = restarted.cloud
      assert.ok(recovery.keptDirectories.includes(notAnId))
      assert.ok(recovery.keptDirectories.includes(join(dir, 'backups', nodeId)))
      assert.ok(recovery.removedDirectories.includes(join(dir, 'backups', deleted)))
      assert.ok(
        logs.some((l) => l.includes('kept') && l.includes(notAnId)),
        logs.join('\n'),
      )
      assert.ok(
        logs.some((l) => l.includes('removed') && l.includes(deleted)),
        logs.join('\n'),
      )
    } finally {
      await restarted.close()
      await rm(outside, {recursive: true, force: true})
    }
  })

  it('after a crash during a cluster change, puts the cluster back as it was and releases its lock', async () => {
    const t = await openTestCloud({dir})
    const put = (id: string, path: string, payload?: object) =>
      t.cloud.app.inject({method: 'PUT', url: `${t.mesdb}/clusters/${id}${path}`, headers: t.auth, payload})
    const expanding = await createCluster(t)
    const stopped = await createCluster(t)
    assert.equal((await put(stopped, '/commands/stop')).statusCode, 202)
    await t.cloud.ctx.runner.idle()
    t.engine.hold = true
    assert.equal((await put(expanding, '/disk/expand', {diskSizeGb: 50})).statusCode, 202)
    assert.equal((await put(stopped, '/commands/start')).statusCode, 202)
    // Simulate kill -9 mid-change.
    t.cloud.ctx.store.close()

    const restarted = await openTestCloud({dir})
    try {
      const store = restarted.cloud.ctx.store
      const a = store.clusters.get(expanding)!
      assert.equal(a.status, 'available')
      assert.match(a.details!, /^expand failed: interrupted/)
      assert.equal(JSON.parse(a.spec).diskSizeGb, 10, 'the change was not applied')
      assert.equal(store.clusters.get(stopped)!.status, 'stopped')
      assert.equal(store.locks.all().length, 0)
      const again = await restarted.cloud.app.inject({
        method: 'PUT',
        url: `${restarted.mesdb}/clusters/${expanding}/disk/expand`,
        headers: restarted.auth,
        payload: {diskSizeGb: 50},
      })
      assert.equal(again.statusCode, 202, 'lock released')
      await restarted.cloud.ctx.runner.idle()
    } finally {
      await restarted.close()
    }
  })
})
