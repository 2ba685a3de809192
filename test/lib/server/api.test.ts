import {strict as assert} from 'node:assert'
import {existsSync} from 'node:fs'

import {join} from 'node:path'

import {addNetwork, clusterBody, createCluster, fakeDataDir, openTestCloud, tempDir, type TestCloud} from './helpers.js'

describe('local API: backups and clusters', () => {
  let t: TestCloud
  beforeEach(async () => {
    t = await openTestCloud()
  })
  afterEach(() => t.close())

  const call = (method: 'GET' | 'POST' | 'DELETE', url: string, payload?: unknown) =>
    t.cloud.app.inject({method, url, headers: t.auth, ...(payload === undefined ? {} : {payload: payload as object})})

  it('creates a cluster, backs it up in the background and serves the Backup shape', async () => {
    const clusterId = await createCluster(t)
    const cluster = (await call('GET', `${t.mesdb}/clusters/${clusterId}`)).json().cluster
    assert.equal(cluster.status, 'available')
    assert.equal(cluster.description, 'Demo-Backup')
    assert.equal(cluster.organizationId, t.cloud.defaults.organizationId)
    assert.equal(cluster.health, 'ok')

    t.engine.hold = true
    const created = await call('POST', `${t.mesdb}/backups`, {description: 'on demand {index} of {cluster}', sourceClusterId: clusterId})
    assert.equal(created.statusCode, 202)
    const {id} = created.json()
    assert.match(id, /^[0-9a-v]{20}$/)
    const creating = (await call('GET', `${t.mesdb}/backups/${id}`)).json().backup
    assert.equal(creating.status, 'creating')
    assert.equal(creating.description, 'on demand 1 of Demo-Backup')
    assert.equal((await call('GET', `${t.mesdb}/backups`)).json().backups[0].status, 'creating')
    await t.engine.release()
    await t.cloud.ctx.runner.idle()
    const backup = (await call('GET', `${t.mesdb}/backups/${id}`)).json().backup
    // sizeBytes: the local cloud's extension with the real size (sizeGb stays the contract's whole GiB, rounded up).
    assert.deepEqual(Object.keys(backup).sort(), [
      'availableNodeCount',
      'created',
      'description',
      'id',
      'projectId',
      'provider',
      'region',
      'serverVersion',
      'serverVersionTag',
      'sizeBytes',
      'sizeGb',
      'sourceClusterDescription',
      'sourceClusterId',
      'status',
    ])
    assert.equal(backup.status, 'available')
    assert.equal(backup.sizeGb, 4)
    assert.equal(backup.sizeBytes, 3 * 1024 ** 3 + 1)
    assert.equal(backup.sourceClusterDescription, 'Demo-Backup')
    const listed = await call('GET', `${t.mesdb}/backups`)
    assert.deepEqual(listed.json().backups, [backup], 'the cached list follows the status change')
    assert.match(listed.headers['content-type'] as string, /^application\/json/)
  })

  it('hard-links from the previous backup of the same cluster', async () => {
    const clusterId = await createCluster(t)
    const first = (await call('POST', `${t.mesdb}/backups`, {description: 'a', sourceClusterId: clusterId})).json().id
    await t.cloud.ctx.runner.idle()
    await call('POST', `${t.mesdb}/backups`, {description: 'b', sourceClusterId: clusterId})
    await t.cloud.ctx.runner.idle()
    assert.equal(t.engine.backups[0].linkFrom, undefined)
    assert.equal(t.engine.backups[1].linkFrom, t.cloud.ctx.layout.backupDir(first))
  })

  it('answers 409 to a second backup while one runs, and releases the lock on every outcome', async () => {
    const clusterId = await createCluster(t)
    t.engine.hold = true
    const [a, b] = await Promise.all([
      call('POST', `${t.mesdb}/backups`, {description: 'a', sourceClusterId: clusterId}),
      call('POST', `${t.mesdb}/backups`, {description: 'b', sourceClusterId: clusterId}),
    ])
    assert.deepEqual([a.statusCode, b.statusCode].sort(), [202, 409])
    const conflict = a.statusCode === 409 ? a : b
    assert.equal(
      conflict.json().detail,
      'the cluster is locked by another operation, such as another backup is in progress, disk expansion, cluster resize, database upgrade',
    )
    assert.equal(conflict.json().status, 409)
    await t.engine.release(new Error('No space left on device (ENOSPC)'))
    await t.cloud.ctx.runner.idle()
    const failed = (await call('GET', `${t.mesdb}/backups`)).json().backups[0]
    assert.equal(failed.status, 'defunct')
    assert.match(failed.details, /ENOSPC/)
    assert.equal(existsSync(t.cloud.ctx.layout.backupDir(failed.id)), false, 'partial directory removed')
    const again = call('POST', `${t.mesdb}/backups`, {description: 'c', sourceClusterId: clusterId})
    assert.equal((await again).statusCode, 202)
    await t.engine.release()
    await t.cloud.ctx.runner.idle()
    assert.equal(t.cloud.ctx.store.locks.all().length, 0)
  })

  it('validates bodies with a fields map naming each bad field', async () => {
    const res = await call('POST', `${t.mesdb}/clusters`, {...clusterBody, diskSizeGb: '10', topology: 'ring', description: undefined})
    assert.equal(res.statusCode, 400)
    const body = res.json()
    assert.equal(body.status, 400)
    assert.deepEqual(Object.keys(body.fields).sort(), ['description', 'diskSizeGb', 'topology'])
    const backup = await call('POST', `${t.mesdb}/backups`, {description: 'x {nope}', sourceClusterId: 'c1ev3l5o0aeu6ojco7b0'})
    assert.equal(backup.statusCode, 400)
    assert.ok(backup.json().fields.description)
    const badJson = await t.cloud.app.inject({
      method: 'POST',
      url: `${t.mesdb}/backups`,
      headers: {...t.auth, 'content-type': 'application/json'},
      payload: '{',
    })
    assert.equal(badJson.statusCode, 400)
  })

  it('rejects ids outside the id alphabet with 400 and unknown ids with 404', async () => {
    for (const bad of ['..%2Fx', '..%2F..%2Fetc', 'C1EV3L5O0AEU6OJCO7B0', 'short']) {
      const res = await call('GET', `${t.mesdb}/backups/${bad}`)
      assert.equal(res.statusCode, 400, bad)
      assert.ok(res.json().fields.backupId, bad)
    }
    const unknown = await call('GET', `${t.mesdb}/backups/c1ev3l5o0aeu6ojco7b0`)
    assert.equal(unknown.statusCode, 404)
    assert.equal(unknown.json().title, 'Not Found')
    assert.equal((await call('DELETE', `${t.mesdb}/clusters/c1ev3l5o0aeu6ojco7b0`)).statusCode, 404)
    assert.equal((await call('GET', `/mesdb/v1/organizations/c1ev3l5o0aeu6ojco7b0/projects/c1ev3l5o0aeu6ojco7b0/backups`)).statusCode, 404)
    assert.equal((await call('POST', `${t.mesdb}/backups`, {description: 'x', sourceClusterId: 'c1ev3l5o0aeu6ojco7b0'})).statusCode, 404)
  })

  it('restores a backup into a new cluster; a failed restore ends defunct with the reason', async () => {
    const clusterId = await createCluster(t)
    const backupId = (await call('POST', `${t.mesdb}/backups`, {description: 'a', sourceClusterId: clusterId})).json().id
    await t.cloud.ctx.runner.idle()
    const restored = await call('POST', `${t.mesdb}/clusters`, {...clusterBody, description: 'restore', sourceBackupId: backupId})
    assert.equal(restored.statusCode, 202)
    await t.cloud.ctx.runner.idle()
    assert.equal(t.engine.restores[0].backupDir, t.cloud.ctx.layout.backupDir(backupId))
    assert.equal((await call('GET', `${t.mesdb}/clusters/${restored.json().id}`)).json().cluster.status, 'available')

    t.engine.failWith = 'chunk-000001.000000: MD5 mismatch'
    const broken = (await call('POST', `${t.mesdb}/clusters`, {...clusterBody, sourceBackupId: backupId})).json().id
    await t.cloud.ctx.runner.idle()
    const cluster = (await call('GET', `${t.mesdb}/clusters/${broken}`)).json().cluster
    assert.equal(cluster.status, 'defunct')
    assert.match(cluster.details, /MD5 mismatch/)

    const smaller = await call('POST', `${t.mesdb}/clusters`, {...clusterBody, diskSizeGb: 5, sourceBackupId: backupId})
    assert.equal(smaller.statusCode, 400)
    assert.ok(smaller.json().fields.diskSizeGb)
    const elsewhere = await call('POST', `${t.mesdb}/clusters`, {...clusterBody, provider: 'gcp', sourceBackupId: backupId})
    assert.equal(elsewhere.statusCode, 400)
    assert.match(elsewhere.json().fields.provider, /the backup's is aws/)
  })

  it('restores across projects only with sourceBackupProjectId', async () => {
    const clusterId = await createCluster(t)
    const backupId = (await call('POST', `${t.mesdb}/backups`, {description: 'a', sourceClusterId: clusterId})).json().id
    await t.cloud.ctx.runner.idle()
    const {organizationId, projectId} = t.cloud.defaults
    const other = t.cloud.ctx.store.createProject(organizationId, 'other')
    const url = `/mesdb/v1/organizations/${organizationId}/projects/${other}/clusters`
    // A cluster is created on a network of its own project.
    const networkId = addNetwork(t, other)
    assert.equal((await call('POST', url, {...clusterBody, networkId, sourceBackupId: backupId})).statusCode, 404)
    const ok = await call('POST', url, {...clusterBody, networkId, sourceBackupId: backupId, sourceBackupProjectId: projectId})
    assert.equal(ok.statusCode, 202)
    await t.cloud.ctx.runner.idle()
    assert.equal((await call('GET', `${url}/${ok.json().id}`)).json().cluster.status, 'available')
  })

  it('deletes a backup directory, and a cluster while keeping its backups', async () => {
    const clusterId = await createCluster(t)
    const backupId = (await call('POST', `${t.mesdb}/backups`, {description: 'a', sourceClusterId: clusterId})).json().id
    await t.cloud.ctx.runner.idle()
    assert.equal((await call('DELETE', `${t.mesdb}/clusters/${clusterId}`)).statusCode, 204)
    assert.equal(existsSync(t.cloud.ctx.layout.clusterDir(clusterId)), false)
    assert.equal((await call('GET', `${t.mesdb}/clusters`)).json().clusters.length, 0)
    assert.equal((await call('GET', `${t.mesdb}/backups/${backupId}`)).json().backup.status, 'available')
    assert.equal((await call('DELETE', `${t.mesdb}/backups/${backupId}`)).statusCode, 204)
    assert.equal(existsSync(t.cloud.ctx.layout.backupDir(backupId)), false)
    assert.equal((await call('GET', `${t.mesdb}/backups/${backupId}`)).statusCode, 404)
  })

  it('refuses to delete a backup while a restore or a newer backup reads it', async () => {
    const clusterId = await createCluster(t)
    const first = (await call('POST', `${t.mesdb}/backups`, {description: 'a', sourceClusterId: clusterId})).json().id
    await t.cloud.ctx.runner.idle()
    t.engine.hold = true
    await call('POST', `${t.mesdb}/backups`, {description: 'b', sourceClusterId: clusterId})
    const busy = await call('DELETE', `${t.mesdb}/backups/${first}`)
    assert.equal(busy.statusCode, 409)
    assert.match(busy.json().detail, /being read/)
    await t.engine.release()
    await t.cloud.ctx.runner.idle()
    await call('POST', `${t.mesdb}/clusters`, {...clusterBody, sourceBackupId: first})
    assert.equal((await call('DELETE', `${t.mesdb}/backups/${first}`)).statusCode, 409)
    await t.engine.release()
    await t.cloud.ctx.runner.idle()
    assert.equal((await call('DELETE', `${t.mesdb}/backups/${first}`)).statusCode, 204)
  })

  it('refuses to delete a cluster while it is being backed up', async () => {
    const clusterId = await createCluster(t)
    t.engine.hold = true
    await call('POST', `${t.mesdb}/backups`, {description: 'a', sourceClusterId: clusterId})
    const res = await call('DELETE', `${t.mesdb}/clusters/${clusterId}`)
    assert.equal(res.statusCode, 409)
    await t.engine.release()
    await t.cloud.ctx.runner.idle()
  })

  it('attaches a self-hosted data directory; its backups pass the node URL to the engine guard', async () => {
    const db = await fakeDataDir(join(await tempDir('esc-node-'), 'node-data'))
    const res = await call('POST', '/local/v1/clusters/attach', {db, nodeUrl: 'http://127.0.0.1:2113', description: 'node 1'})
    assert.equal(res.statusCode, 201, res.body)
    const id = res.json().id
    assert.equal((await call('GET', `${t.mesdb}/clusters/${id}`)).json().cluster.status, 'available')
    await call('POST', `${t.mesdb}/backups`, {description: 'x', sourceClusterId: id})
    await t.cloud.ctx.runner.idle()
    assert.equal(t.engine.backups[0].db, db)
    assert.deepEqual(t.engine.backups[0].nodeGuard, {url: 'http://127.0.0.1:2113'})
    const missing = await call('POST', '/local/v1/clusters/attach', {db: db + '-nope'})
    assert.equal(missing.statusCode, 400)
    assert.ok(missing.json().fields.db)
    await call('DELETE', `${t.mesdb}/clusters/${id}`)
    assert.ok(existsSync(db), 'deleting an attached cluster keeps its data')
  })

  it("passes an attached node's credentials and TLS settings to the engine guard; they need the node URL", async () => {
    const db = await fakeDataDir(join(await tempDir('esc-node-'), 'node-data'))
    const caFile = join(db, '..', 'ca.crt')
    const {writeFile} = await import('node:fs/promises')
    await writeFile(caFile, '-----BEGIN CERTIFICATE-----\nx\n-----END CERTIFICATE-----\n')
    const res = await call('POST', '/local/v1/clusters/attach', {
      db,
      nodeUrl: 'https://127.0.0.1:2113',
      nodeUsername: 'admin',
      nodePassword: 'changeit',
      nodeCaFile: caFile,
      nodeInsecure: true,
    })
    assert.equal(res.statusCode, 201, res.body)
    await call('POST', `${t.mesdb}/backups`, {description: 'x', sourceClusterId: res.json().id})
    await t.cloud.ctx.runner.idle()
    assert.deepEqual(t.engine.backups[0].nodeGuard, {
      url: 'https://127.0.0.1:2113',
      username: 'admin',
      password: 'changeit',
      caFile,
      insecure: true,
    })
    const cluster = (await call('GET', `${t.mesdb}/clusters/${res.json().id}`)).body
    assert.doesNotMatch(cluster, /changeit/, 'the password is never served')
    const noUrl = await call('POST', '/local/v1/clusters/attach', {db, nodeUsername: 'admin', nodePassword: 'changeit'})
    assert.equal(noUrl.statusCode, 400)
    assert.ok(noUrl.json().fields.nodeUrl)
  })
})
