import {strict as assert} from 'node:assert'
import {existsSync, readdirSync} from 'node:fs'
import {join} from 'node:path'

import {isProcessAlive} from '../../src/lib/core/process.js'
import {adminToken, assertBuilt, localIds, type RunningCloud, sandbox, type Sandbox, startCloud, stopCloud, until} from './support.js'

/**
 * kill -9 during backups, racing backups, and the crash-safety rules after a restart. The copy is
 * slowed by ESC_LOCAL_TEST_COPY_THROTTLE_MS (a stall after each copied file), so a small cluster
 * takes seconds and the kill lands mid-copy, with part of the files on disk, on any machine.
 */
const THROTTLE = {ESC_LOCAL_TEST_COPY_THROTTLE_MS: '250'}

/** Files under a directory (recursively); [] when it does not exist. */
function filesUnder(dir: string): string[] {
  try {
    return readdirSync(dir, {recursive: true, encoding: 'utf8'})
  } catch {
    return []
  }
}
describe('e2e: crash safety and the per-cluster lock', function () {
  this.timeout(90_000)
  let box: Sandbox
  let cloud: RunningCloud | undefined
  before(async () => {
    assertBuilt()
    box = await sandbox()
  })
  after(async () => {
    if (cloud) await stopCloud(cloud)
    await box?.cleanup()
  })

  it('survives kill -9 mid-backup: in-flight work defunct/failed, partial dirs gone, available backups untouched', async () => {
    cloud = await startCloud(box)
    const {orgId, projectId} = await localIds(box)
    const demo = async () =>
      (await box.esc(['local', 'demo-data', '--dir', box.stateDir, '--no-writer', '--chunks', '8', '--chunk-size', '262144'])).stdout.trim()
    const x = await demo()
    const y = await demo()
    const api = async (method: string, path: string, body?: unknown) => {
      const token = await adminToken(box, cloud!.url)
      const res = await fetch(`${cloud!.url}${path}`, {
        method,
        headers: {authorization: `Bearer ${token}`, 'content-type': 'application/json'},
        body: body === undefined ? undefined : JSON.stringify(body),
      })
      return {status: res.status, body: (res.status === 204 ? undefined : await res.json()) as any}
    }
    const mesdb = `/mesdb/v1/organizations/${orgId}/projects/${projectId}`
    const orchestrate = `/orchestrate/v1/organizations/${orgId}/projects/${projectId}`
    const first = await box.esc(['mesdb', 'backups', 'create', '--description', 'kept', '--source-cluster-id', x])
    const keptId = /BackupId\("(\w+)"\)/.exec(first.stdout)![1]
    await until('the first backup', async () =>
      (await api('GET', `${mesdb}/backups/${keptId}`)).body.backup.status === 'available' ? true : undefined,
    )
    await stopCloud(cloud)

    cloud = await startCloud(box, THROTTLE)
    const job = await api('POST', `${orchestrate}/jobs`, {
      type: 'ScheduledBackup',
      description: 'hourly',
      schedule: '0 * * * *',
      data: {clusterId: x, description: 'scheduled', maxBackupCount: 2},
    })
    const run = await api('POST', `${orchestrate}/jobs/${job.body.id}/run`)
    const historyId = run.body.historyId
    // A manual backup racing the scheduled run: the run holds the lock.
    const manual = await box.esc(['mesdb', 'backups', 'create', '--description', 'manual', '--source-cluster-id', x])
    assert.equal(manual.code, 1)
    assert.match(manual.stderr, /409/)
    assert.match(manual.stderr, /cluster is locked by another operation/)
    // Two concurrent creates on one cluster: exactly one gets it.
    const [a, b] = await Promise.all(
      [1, 2].map((n) => box.esc(['mesdb', 'backups', 'create', '--description', `race ${n}`, '--source-cluster-id', y])),
    )
    assert.deepEqual([a.code, b.code].sort(), [0, 1])
    const raceId = /BackupId\("(\w+)"\)/.exec((a.code === 0 ? a : b).stdout)![1]
    const history = (await api('GET', `${orchestrate}/history?jobId=${job.body.id}`)).body.items
    assert.equal(history[0].status, 'running')
    const scheduledId = history[0].linkedResource
    // Mid-copy: some chunk files copied, no manifest yet.
    const partial = await until('a partial copy', async () => {
      const files = filesUnder(join(box.stateDir, 'backups', scheduledId))
      return files.some((f) => /chunk-\d{6}\.\d{6}$/.test(f)) ? files : undefined
    })
    assert.ok(!partial.includes('esc-backup.json'), `not finished yet: ${partial.join(', ')}`)
    assert.ok(existsSync(join(box.stateDir, 'backups', raceId)))

    cloud.child.kill('SIGKILL')
    await cloud.exited
    const stale = await box.esc(['local', 'status', '--dir', box.stateDir])
    assert.equal(stale.code, 1, 'the lock died with the server')

    cloud = await startCloud(box)
    for (const id of [scheduledId, raceId]) {
      const backup = (await api('GET', `${mesdb}/backups/${id}`)).body.backup
      assert.equal(backup.status, 'defunct')
      assert.match(backup.details, /interrupted/)
      assert.equal(existsSync(join(box.stateDir, 'backups', id)), false)
    }
    const kept = (await api('GET', `${mesdb}/backups/${keptId}`)).body.backup
    assert.equal(kept.status, 'available')
    const verify = await box.esc(['node', 'verify', join(box.stateDir, 'backups', keptId)])
    assert.equal(verify.code, 0, verify.stdout + verify.stderr)
    const item = (await api('GET', `${orchestrate}/history?jobId=${job.body.id}`)).body.items.find((i: {id: string}) => i.id === historyId)
    assert.equal(item.status, 'failed')
    assert.ok(item.endTime)
    // Locks were released: both clusters take a backup again.
    for (const cluster of [x, y]) {
      const again = await box.esc(['mesdb', 'backups', 'create', '--description', 'after restart', '--source-cluster-id', cluster])
      assert.equal(again.code, 0, again.stderr)
    }
  })

  it('stop waits for a running copy and marks it defunct', async () => {
    cloud ??= await startCloud(box)
    await stopCloud(cloud)
    cloud = await startCloud(box, THROTTLE)
    const {projectId} = await localIds(box)
    const clusters = JSON.parse((await box.esc(['mesdb', 'clusters', 'list', '--fmt', 'api'])).stdout).clusters
    const created = await box.esc([
      'mesdb',
      'backups',
      'create',
      '--description',
      'interrupted',
      '--source-cluster-id',
      clusters[0].id,
      '--project-id',
      projectId,
    ])
    const id = /BackupId\("(\w+)"\)/.exec(created.stdout)![1]
    const stop = await box.esc(['local', 'stop', '--dir', box.stateDir])
    assert.equal(stop.code, 0, stop.stderr)
    assert.match(stop.stdout, /Stopped the local cloud/)
    // "Stopped" means the process is gone (finding 7), not only that it let go of its lock.
    assert.equal(isProcessAlive(cloud.pid), false)
    await cloud.exited
    cloud = await startCloud(box)
    const got = JSON.parse((await box.esc(['mesdb', 'backups', 'get', '--id', id, '--fmt', 'api'])).stdout).backup
    assert.equal(got.status, 'defunct')
    assert.match(got.details, /shut down/)
  })

  it('start --detach returns once listening; status and stop manage it', async () => {
    if (cloud) await stopCloud(cloud)
    cloud = undefined
    const dir = join(box.root, 'detached')
    const started = await box.esc(['local', 'start', '--dir', dir, '--port', '0', '--detach'])
    assert.equal(started.code, 0, started.stderr)
    const url = /running at (http:\/\/\S+) /.exec(started.stdout)![1]
    const status = await box.esc(['local', 'status', '--dir', dir, '--json'])
    assert.equal(status.code, 0, status.stderr)
    const body = JSON.parse(status.stdout)
    assert.equal(body.url, url)
    assert.equal(typeof body.pid, 'number')
    const stopped = await box.esc(['local', 'stop', '--dir', dir])
    assert.equal(stopped.code, 0, stopped.stderr)
    assert.match(stopped.stdout, new RegExp(`Stopped the local cloud at ${url.replaceAll('.', '\\.')} \\(pid ${body.pid} has exited\\)`))
    const after = await box.esc(['local', 'status', '--dir', dir])
    assert.equal(after.code, 1)
    assert.match(after.stderr, /no local cloud is running/)
    const again = await box.esc(['local', 'stop', '--dir', dir])
    assert.equal(again.code, 1)
  })
})
