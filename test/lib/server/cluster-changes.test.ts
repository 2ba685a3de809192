import {strict as assert} from 'node:assert'

import {clusterBody, createCluster, openTestCloud, type TestCloud} from './helpers.js'

const LOCKED =
  'the cluster is locked by another operation, such as another backup is in progress, disk expansion, cluster resize, database upgrade'

describe('local API: cluster changes (update, expand, resize, upgrade, stop, start) and the operation lock', () => {
  let t: TestCloud
  let id: string
  beforeEach(async () => {
    t = await openTestCloud()
    id = await createCluster(t)
  })
  afterEach(() => t.close())

  const call = (method: 'GET' | 'POST' | 'PUT' | 'DELETE', url: string, payload?: unknown) =>
    t.cloud.app.inject({method, url, headers: t.auth, ...(payload === undefined ? {} : {payload: payload as object})})
  const get = async () => (await call('GET', `${t.mesdb}/clusters/${id}`)).json().cluster
  const put = (path: string, payload?: unknown) => call('PUT', `${t.mesdb}/clusters/${id}${path}`, payload)
  const backup = () => call('POST', `${t.mesdb}/backups`, {description: 'manual', sourceClusterId: id})

  it('expand goes through expanding disks and grows the disk; a smaller or equal size is a 400 naming diskSizeGb', async () => {
    t.engine.hold = true
    const res = await put('/disk/expand', {diskSizeGb: 20, diskIops: 3000, diskThroughput: 125, diskType: 'gp3'})
    assert.equal(res.statusCode, 202)
    assert.equal((await get()).status, 'expanding disks')
    await t.engine.release()
    await t.cloud.ctx.runner.idle()
    const after = await get()
    assert.deepEqual([after.status, after.diskSizeGb, after.diskIops, after.diskThroughput], ['available', 20, 3000, 125])
    for (const size of [10, 20]) {
      const shrink = await put('/disk/expand', {diskSizeGb: size})
      assert.equal(shrink.statusCode, 400)
      assert.deepEqual(Object.keys(shrink.json().fields), ['diskSizeGb'])
      assert.match(shrink.json().fields.diskSizeGb, /larger than the current 20 GB/)
    }
  })

  it('resize changes the instance type, upgrade the server version; both answer an {"id"} and go through their status', async () => {
    t.engine.hold = true
    const resize = await put('/commands/resize', {targetSize: 'C4'})
    assert.equal(resize.statusCode, 202)
    assert.equal(typeof resize.json().id, 'string')
    assert.equal((await get()).status, 'resizing')
    await t.engine.release()
    await t.cloud.ctx.runner.idle()
    assert.deepEqual([(await get()).status, (await get()).instanceType], ['available', 'C4'])
    const upgrade = await put('/commands/upgrade', {targetTag: '24.10.1'})
    assert.equal(upgrade.statusCode, 202)
    assert.equal((await get()).status, 'upgrading')
    await t.engine.release()
    await t.cloud.ctx.runner.idle()
    const after = await get()
    assert.deepEqual([after.status, after.serverVersion, after.serverVersionTag], ['available', '24.10.1', '24.10.1'])
  })

  it('refuses an instance type or a version the local cloud does not offer (400 naming the field)', async () => {
    const size = await put('/commands/resize', {targetSize: 'Z9'})
    assert.equal(size.statusCode, 400)
    assert.deepEqual(Object.keys(size.json().fields), ['targetSize'])
    const tag = await put('/commands/upgrade', {targetTag: '99.1.0'})
    assert.equal(tag.statusCode, 400)
    assert.deepEqual(Object.keys(tag.json().fields), ['targetTag'])
    assert.match(tag.json().fields.targetTag, /24\.10\.1/)
    assert.equal((await get()).status, 'available')
  })

  it('stop goes through stopping to stopped; a stopped cluster refuses a backup (409 cluster is stopped); start brings it back', async () => {
    t.engine.hold = true
    assert.equal((await put('/commands/stop')).statusCode, 202)
    assert.equal((await get()).status, 'stopping')
    await t.engine.release()
    await t.cloud.ctx.runner.idle()
    assert.equal((await get()).status, 'stopped')
    const refused = await backup()
    assert.equal(refused.statusCode, 409)
    assert.match(refused.json().detail, /cluster is stopped/)
    assert.equal((await put('/commands/stop')).statusCode, 409)
    assert.equal((await put('/commands/start')).statusCode, 202)
    assert.equal((await get()).status, 'starting')
    await t.engine.release()
    await t.cloud.ctx.runner.idle()
    assert.equal((await get()).status, 'available')
    assert.equal((await put('/commands/start')).statusCode, 409, 'an available cluster cannot be started')
  })

  it('update changes description, ACL and protected; a protected cluster cannot be deleted until unprotected', async () => {
    // The ACL must be one of the cluster's project.
    const infra = t.mesdb.replace('/mesdb/', '/infra/')
    const acl = (await call('POST', `${infra}/acls`, {cidrBlocks: [], description: 'office'})).json().id
    const unknown = await put('', {aclId: 'c1ev3l5o0aeu6ojco7b0'})
    assert.equal(unknown.statusCode, 400)
    assert.match(unknown.json().fields.aclId, /ACL c1ev3l5o0aeu6ojco7b0 does not exist in project/)
    assert.equal((await put('', {aclId: acl, description: 'orders', protected: true})).statusCode, 200)
    const after = await get()
    assert.deepEqual([after.description, after.aclId, after.protected, after.status], ['orders', acl, true, 'available'])
    const refused = await call('DELETE', `${t.mesdb}/clusters/${id}`)
    assert.equal(refused.statusCode, 409)
    assert.match(refused.json().detail, /protected/)
    assert.equal((await put('', {})).statusCode, 200, 'an empty update is valid')
    assert.equal((await get()).protected, true)
    assert.equal((await put('', {protected: false})).statusCode, 200)
    assert.equal((await call('DELETE', `${t.mesdb}/clusters/${id}`)).statusCode, 204)
  })

  it('a backup during an expand answers 409 with the lock message; the lock is released when the expand ends', async () => {
    t.engine.hold = true
    assert.equal((await put('/disk/expand', {diskSizeGb: 20})).statusCode, 202)
    const refused = await backup()
    assert.equal(refused.statusCode, 409)
    assert.equal(refused.json().detail, LOCKED)
    await t.engine.release()
    await t.cloud.ctx.runner.idle()
    t.engine.hold = false
    assert.equal((await backup()).statusCode, 202)
    await t.cloud.ctx.runner.idle()
  })

  it('an expand during a backup answers 409 and changes nothing; so do update, resize and stop', async () => {
    t.engine.hold = true
    assert.equal((await backup()).statusCode, 202)
    const refused = await put('/disk/expand', {diskSizeGb: 20})
    assert.equal(refused.statusCode, 409)
    assert.equal(refused.json().detail, LOCKED)
    assert.equal((await put('/commands/resize', {targetSize: 'C4'})).statusCode, 409)
    assert.equal((await put('/commands/stop')).statusCode, 409)
    assert.equal((await put('', {description: 'x'})).statusCode, 409)
    const unchanged = await get()
    assert.deepEqual([unchanged.status, unchanged.diskSizeGb, unchanged.description], ['available', 10, clusterBody.description])
    await t.engine.release()
    await t.cloud.ctx.runner.idle()
    assert.equal((await put('/disk/expand', {diskSizeGb: 20})).statusCode, 202)
    await t.engine.release()
    await t.cloud.ctx.runner.idle()
  })

  it('a failed change puts the cluster back as it was, with the reason, and releases the lock', async () => {
    t.engine.hold = true
    assert.equal((await put('/commands/resize', {targetSize: 'C4'})).statusCode, 202)
    await t.engine.release(new Error('no capacity for C4'))
    await t.cloud.ctx.runner.idle()
    const after = await get()
    assert.deepEqual([after.status, after.instanceType], ['available', 'F1'])
    assert.match(after.details, /resize failed: no capacity for C4/)
    assert.equal(t.cloud.ctx.store.locks.holder(id), undefined)
  })

  it('a scheduled run that finds the cluster locked by a resize is recorded as failed with that reason', async () => {
    const job = {
      type: 'ScheduledBackup',
      data: {clusterId: id, description: 'scheduled', maxBackupCount: 2},
      description: 'j',
      schedule: '0 */1 * * *',
    }
    const jobId = (await call('POST', `${t.orchestrate}/jobs`, job)).json().id
    t.engine.hold = true
    assert.equal((await put('/commands/resize', {targetSize: 'C4'})).statusCode, 202)
    const run = await call('POST', `${t.orchestrate}/jobs/${jobId}/run`)
    const item = (await call('GET', `${t.orchestrate}/history?jobId=${jobId}`)).json().items[0]
    assert.equal(item.id, run.json().historyId)
    assert.equal(item.status, 'failed')
    assert.equal(item.details, LOCKED)
    await t.engine.release()
    await t.cloud.ctx.runner.idle()
  })

  it('a cluster being changed cannot be deleted (409, the lock)', async () => {
    t.engine.hold = true
    assert.equal((await put('/commands/upgrade', {targetTag: '24.10.1'})).statusCode, 202)
    const refused = await call('DELETE', `${t.mesdb}/clusters/${id}`)
    assert.equal(refused.statusCode, 409)
    assert.equal(refused.json().detail, LOCKED)
    await t.engine.release()
    await t.cloud.ctx.runner.idle()
  })

  it('answers 404 for an unknown cluster and 400 for a bad body', async () => {
    assert.equal((await call('PUT', `${t.mesdb}/clusters/c0000000000000000000/commands/stop`)).statusCode, 404)
    assert.equal((await put('/disk/expand', {})).statusCode, 400)
    assert.equal((await put('/disk/expand', {diskSizeGb: 'big'})).statusCode, 400)
  })
})
