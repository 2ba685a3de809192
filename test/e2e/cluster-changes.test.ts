import {strict as assert} from 'node:assert'

import {adminToken, assertBuilt, localIds, type RunningCloud, sandbox, type Sandbox, startCloud, stopCloud, until} from './support.js'

/**
 * The cluster changes against a real local cloud and the built CLI: the operation lock between
 * backups and changes in both orders, a scheduled run racing a resize, stop/start and protection.
 * A change takes ESC_LOCAL_CLUSTER_CHANGE_MS and the copy is slowed by a stall per file, so each
 * side of a race is still running when the other arrives, on any machine.
 */
const SLOW = {ESC_LOCAL_CLUSTER_CHANGE_MS: '6000', ESC_LOCAL_TEST_COPY_THROTTLE_MS: '500'}
const LOCKED =
  'the cluster is locked by another operation, such as another backup is in progress, disk expansion, cluster resize, database upgrade'

describe('e2e: cluster changes and the cluster operation lock', function () {
  this.timeout(120_000)
  let box: Sandbox
  let cloud: RunningCloud | undefined
  let cluster: string
  let mesdb: string
  let orchestrate: string
  before(async () => {
    assertBuilt()
    box = await sandbox()
    cloud = await startCloud(box, SLOW)
    const {orgId, projectId} = await localIds(box)
    mesdb = `/mesdb/v1/organizations/${orgId}/projects/${projectId}`
    orchestrate = `/orchestrate/v1/organizations/${orgId}/projects/${projectId}`
    cluster = (
      await box.esc(['local', 'demo-data', '--dir', box.stateDir, '--no-writer', '--chunks', '10', '--chunk-size', '262144'])
    ).stdout.trim()
  })
  after(async () => {
    if (cloud) await stopCloud(cloud)
    await box?.cleanup()
  })

  const api = async (method: string, path: string, body?: unknown) => {
    const token = await adminToken(box, cloud!.url)
    const res = await fetch(`${cloud!.url}${path}`, {
      method,
      headers: {authorization: `Bearer ${token}`, 'content-type': 'application/json'},
      body: body === undefined ? undefined : JSON.stringify(body),
    })
    return {status: res.status, body: (res.status === 204 ? undefined : await res.json()) as any}
  }
  const status = async () => (await api('GET', `${mesdb}/clusters/${cluster}`)).body.cluster.status as string
  const available = () => until('the cluster to be available', async () => ((await status()) === 'available' ? true : undefined), 60_000)

  it('a backup during an expand is refused (409, the lock); the expand ends with the bigger disk and backups work again', async () => {
    const expand = await box.esc(['mesdb', 'clusters', 'expand', '-i', cluster, '--disk-size-in-gb', '50'])
    assert.equal(expand.code, 0, expand.stderr)
    assert.equal(expand.stdout, '')
    assert.equal(await status(), 'expanding disks')
    const backup = await box.esc(['mesdb', 'backups', 'create', '--description', 'during expand', '--source-cluster-id', cluster])
    assert.equal(backup.code, 1)
    assert.match(backup.stderr, /409/)
    assert.ok(backup.stderr.includes(LOCKED), backup.stderr)
    const waited = await box.esc(['mesdb', 'clusters', 'wait', '-i', cluster, '--poll-interval', '1s', '--json'])
    assert.equal(waited.code, 0, waited.stderr)
    assert.equal(JSON.parse(waited.stdout).diskSizeGb, 50)
  })

  it('an expand during a backup is refused (409, the lock) and changes nothing', async () => {
    const backup = await box.esc(['mesdb', 'backups', 'create', '--description', 'before expand', '--source-cluster-id', cluster, '-q'])
    assert.equal(backup.code, 0, backup.stderr)
    const expand = await box.esc(['mesdb', 'clusters', 'expand', '-i', cluster, '--disk-size-in-gb', '60'])
    assert.equal(expand.code, 1)
    assert.ok(expand.stderr.includes(LOCKED), expand.stderr)
    const waited = await box.esc(['mesdb', 'backups', 'wait', '-i', backup.stdout.trim(), '--poll-interval', '1s', '-q'])
    assert.equal(waited.code, 0, waited.stderr)
    assert.equal((await api('GET', `${mesdb}/clusters/${cluster}`)).body.cluster.diskSizeGb, 50)
  })

  it('a scheduled run that finds the cluster locked by a resize is recorded as failed with that reason', async () => {
    const job = await api('POST', `${orchestrate}/jobs`, {
      type: 'ScheduledBackup',
      description: 'hourly',
      schedule: '0 * * * *',
      data: {clusterId: cluster, description: 'scheduled', maxBackupCount: 2},
    })
    const resize = await box.esc(['mesdb', 'clusters', 'resize', '-i', cluster, '--target-size', 'C4', '--fmt', 'api'])
    assert.equal(resize.code, 0, resize.stderr)
    assert.match(resize.stdout, /^\{"targetSize":"C4"\}\n\{"id":"\w+"\}\n$/)
    const run = await api('POST', `${orchestrate}/jobs/${job.body.id}/run`)
    const item = await until('the run to be recorded', async () => {
      const items = (await api('GET', `${orchestrate}/history?jobId=${job.body.id}`)).body.items
      return items.find((i: {id: string; status: string}) => i.id === run.body.historyId && i.status !== 'running')
    })
    assert.equal(item.status, 'failed')
    assert.equal(item.details, LOCKED)
    await available()
    assert.equal((await api('GET', `${mesdb}/clusters/${cluster}`)).body.cluster.instanceType, 'C4')
  })

  it('stop --wait ends stopped and refuses backups; a protected cluster is not deleted until update --protected false', async () => {
    const stop = await box.esc(['mesdb', 'clusters', 'stop', '-i', cluster, '--wait', '--poll-interval', '1s', '-q'])
    assert.equal(stop.code, 0, stop.stderr)
    assert.equal(stop.stdout, `${cluster}\n`)
    assert.equal(await status(), 'stopped')
    const backup = await box.esc(['mesdb', 'backups', 'create', '--description', 'stopped', '--source-cluster-id', cluster])
    assert.equal(backup.code, 1)
    assert.match(backup.stderr, /cluster is stopped/)
    const start = await box.esc(['mesdb', 'clusters', 'start', '-i', cluster, '--wait', '--poll-interval', '1s', '--json'])
    assert.equal(start.code, 0, start.stderr)
    assert.equal(JSON.parse(start.stdout).status, 'available')
    assert.equal((await box.esc(['mesdb', 'clusters', 'update', '-i', cluster, '--protected', 'true'])).code, 0)
    const refused = await box.esc(['mesdb', 'clusters', 'delete', '-i', cluster])
    assert.equal(refused.code, 1)
    assert.match(refused.stderr, /protected/)
    assert.equal((await box.esc(['mesdb', 'clusters', 'update', '-i', cluster, '--protected', 'false'])).code, 0)
    const deleted = await box.esc(['mesdb', 'clusters', 'delete', '-i', cluster])
    assert.equal(deleted.code, 0, deleted.stderr)
  })
})
