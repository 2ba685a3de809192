import {strict as assert} from 'node:assert'
import {stat} from 'node:fs/promises'
import {join} from 'node:path'

import {assertBuilt, localIds, type RunningCloud, sandbox, type Sandbox, startCloud, stopCloud, until} from './support.js'

/** The seed's command lines, verbatim, through the built CLI against a real local cloud. */
describe('e2e: esc against the local cloud', function () {
  this.timeout(60_000)
  let box: Sandbox
  let cloud: RunningCloud
  let ids: {orgId: string; projectId: string}
  let clusterId: string
  /** The default project's network, where the demo cluster lives: clusters are created on it. */
  let networkId: string

  before(async () => {
    assertBuilt()
    box = await sandbox()
    cloud = await startCloud(box)
    ids = await localIds(box)
    const demo = await box.esc(['local', 'demo-data', '--dir', box.stateDir, '--chunks', '4', '--chunk-size', '262144'])
    assert.equal(demo.code, 0, demo.stderr)
    clusterId = demo.stdout.trim()
    assert.match(clusterId, /^[0-9a-v]{20}$/)
    networkId = JSON.parse((await box.esc(['mesdb', 'clusters', 'get', '--id', clusterId, '--fmt', 'api'])).stdout).cluster.networkId
  })
  after(async () => {
    if (cloud) await stopCloud(cloud)
    await box?.cleanup()
  })

  it('start wrote the local profile, a 0600 token and a 0700 state directory, and printed the next commands', async () => {
    assert.match(cloud.banner, /Credentials of this local cloud/)
    assert.match(
      cloud.banner,
      new RegExp(`^Console: ${cloud.url.replaceAll('.', '\\.')}/ \\(sign in as admin@esc\\.local with the password below\\)$`, 'm'),
    )
    assert.match(cloud.banner, /esc mesdb backups list --profile local/)
    assert.equal((await stat(box.stateDir)).mode & 0o777, 0o700)
    const tokenDir = join(box.env.ESC_CONFIG_DIR!, 'tokens')
    assert.equal((await stat(tokenDir)).mode & 0o777, 0o700)
    assert.equal((await stat(join(tokenDir, `esc-local-${ids.orgId}`))).mode & 0o777, 0o600)
    assert.equal((await stat(join(box.stateDir, 'state.db'))).mode & 0o777, 0o600)
    assert.equal((await stat(join(box.stateDir, 'admin-credentials.json'))).mode & 0o777, 0o600)
    const status = await box.esc(['local', 'status', '--dir', box.stateDir])
    assert.equal(status.code, 0, status.stderr)
    assert.match(status.stdout, new RegExp(`URL: +${cloud.url.replaceAll('.', '\\.')}`))
    assert.match(status.stdout, /clusters: +1/)
  })

  it('seed: on-demand backup, get, list and delete', async () => {
    const created = await box.esc([
      'mesdb',
      'backups',
      'create',
      '--description',
      'on demand backup',
      '--source-cluster-id',
      clusterId,
      '--project-id',
      ids.projectId,
    ])
    assert.equal(created.code, 0, created.stderr)
    const backupId = /^BackupId\("([0-9a-v]{20})"\)\n$/.exec(created.stdout)![1]
    const waited = await box.esc(['mesdb', 'backups', 'wait', '--id', backupId, '--poll-interval', '1s', '--timeout', '30s'])
    assert.equal(waited.code, 0, waited.stderr)
    const got = await box.esc(['mesdb', 'backups', 'get', '--project-id', ids.projectId, '--id', backupId, '--json'])
    assert.equal(got.code, 0, got.stderr)
    const backup = JSON.parse(got.stdout)
    assert.equal(backup.status, 'available')
    assert.equal(backup.sourceClusterId, clusterId)
    assert.equal(backup.sourceClusterDescription, 'Demo cluster')
    const debug = await box.esc(['mesdb', 'backups', 'get', '--project-id', ids.projectId, '--id', backupId])
    assert.match(debug.stdout, new RegExp(`^Backup \\{ id: BackupId\\("${backupId}"\\), project_id: ProjectId\\("${ids.projectId}"\\)`))
    const list = await box.esc(['mesdb', 'backups', 'list', '--profile', 'local', '--fmt', 'api'])
    assert.equal(list.code, 0, list.stderr)
    assert.equal(JSON.parse(list.stdout).backups.length, 1)
    const deleted = await box.esc(['mesdb', 'backups', 'delete', '--id', backupId])
    assert.equal(deleted.code, 0, deleted.stderr)
    assert.equal(deleted.stdout, '')
    const gone = await box.esc(['mesdb', 'backups', 'get', '--id', backupId])
    assert.equal(gone.code, 1)
    assert.match(gone.stderr, /not found/)
  })

  it('labels: the CLI sends the description as typed, the local cloud renders it once; {index} continues after a delete', async () => {
    const created = await box.esc([
      'mesdb',
      'backups',
      'create',
      '--description',
      '{{literal}} <v24> a > b #{index}',
      '--source-cluster-id',
      clusterId,
      '--wait',
      '--poll-interval',
      '1s',
      '--timeout',
      '30s',
      '--json',
    ])
    assert.equal(created.code, 0, created.stderr)
    // The previous test's backup (index 1) was deleted: the number is not reused.
    assert.equal(JSON.parse(created.stdout).description, '{literal} <v24> a > b #2')
    const typo = await box.esc(['mesdb', 'backups', 'create', '--description', '{clustr}', '--source-cluster-id', clusterId])
    assert.equal(typo.code, 2)
    assert.match(typo.stderr, /^Error: Unknown token 'clustr' in the label template \(did you mean 'cluster'\?\)/)
  })

  it('seed: restore with clusters create --source-backup-id, then verify the restored data', async () => {
    const created = await box.esc([
      'mesdb',
      'backups',
      'create',
      '--description',
      '{cluster} #{index}',
      '--source-cluster-id',
      clusterId,
      '--wait',
      '--poll-interval',
      '1s',
      '--timeout',
      '30s',
    ])
    assert.equal(created.code, 0, created.stderr)
    const backupId = /BackupId\("([0-9a-v]{20})"\)/.exec(created.stdout)![1]
    assert.match(created.stdout, /status: "available"|available/)
    const restore = await box.esc([
      'mesdb',
      'clusters',
      'create',
      '--description',
      'restore',
      '--source-backup-id',
      backupId,
      '--instance-type',
      'F1',
      '--disk-size-in-gb',
      '10',
      '--disk-type',
      'gp3',
      '--network-id',
      networkId,
      '--projection-level',
      'off',
      '--server-version',
      '24.10',
      '--topology',
      'single-node',
      '--project-id',
      ids.projectId,
      '--wait',
      '--poll-interval',
      '1s',
      '--timeout',
      '30s',
    ])
    assert.equal(restore.code, 0, restore.stderr)
    const restoredId = /ClusterId\("([0-9a-v]{20})"\)/.exec(restore.stdout)![1]
    const got = await box.esc(['mesdb', 'clusters', 'get', '--id', restoredId, '--project-id', ids.projectId, '--json'])
    const cluster = JSON.parse(got.stdout)
    assert.equal(cluster.status, 'available')
    assert.equal(cluster.description, 'restore')
    assert.equal(cluster.addresses.grpc, `esdb://${restoredId}.mesdb.eventstore.cloud:2113`)
    const verify = await box.esc(['node', 'verify', join(box.stateDir, 'clusters', restoredId, 'db')])
    assert.equal(verify.code, 0, verify.stdout + verify.stderr)
    const viaRestore = await box.esc([
      'mesdb',
      'backups',
      'restore',
      '-i',
      backupId,
      '--description',
      'restore 2',
      '--wait',
      '--poll-interval',
      '1s',
      '--timeout',
      '30s',
    ])
    assert.equal(viaRestore.code, 0, viaRestore.stderr)
    const secondId = /ClusterId\("([0-9a-v]{20})"\)/.exec(viaRestore.stdout)![1]
    const waited = await box.esc(['mesdb', 'clusters', 'wait', '--id', secondId, '--poll-interval', '1s', '--timeout', '30s'])
    assert.equal(waited.code, 0, waited.stderr)
    const list = await box.esc(['mesdb', 'clusters', 'list', '--json'])
    assert.equal(JSON.parse(list.stdout).length, 3)
    for (const id of [restoredId, secondId]) {
      const del = await box.esc(['mesdb', 'clusters', 'delete', '--id', id])
      assert.equal(del.code, 0, del.stderr)
    }
    assert.equal(JSON.parse((await box.esc(['mesdb', 'clusters', 'list', '--json'])).stdout).length, 1)
  })

  it('seed: an hourly scheduled-backup job, runs with pruning, history, delete', async () => {
    const created = await box.esc([
      'orchestrate',
      'jobs',
      'create',
      '--description',
      'My Hourly Backup',
      '--schedule',
      '0 */1 * * *',
      'scheduled-backup',
      '--description',
      '{cluster} Hourly Backup {datetime:RFC3339}',
      '--max-backup-count',
      '2',
      '--cluster-id',
      clusterId,
    ])
    assert.equal(created.code, 0, created.stderr)
    const jobId = /^JobId\("([0-9a-v]{20})"\)\n$/.exec(created.stdout)![1]
    const list = await box.esc(['orchestrate', 'jobs', 'list'])
    assert.match(list.stdout, new RegExp(`^Job \\{ id: JobId\\("${jobId}"\\).*schedule: "0 \\*/1 \\* \\* \\*", status: "active"`))
    const got = await box.esc(['orchestrate', 'jobs', 'get', '--id', jobId, '--json'])
    assert.equal(got.code, 0, got.stderr)
    assert.deepEqual(JSON.parse(got.stdout).data, {description: '{cluster} Hourly Backup {datetime:RFC3339}', maxBackupCount: 2, clusterId})
    const runs: string[] = []
    for (let i = 0; i < 3; i++) {
      const run = await box.esc(['orchestrate', 'jobs', 'run', '--id', jobId, '--wait', '--poll-interval', '1s', '--timeout', '30s'])
      assert.equal(run.code, 0, run.stderr)
      runs.push(/linked_resource: "([0-9a-v]{20})"/.exec(run.stdout)![1])
    }
    const history = await box.esc(['orchestrate', 'history', 'list', '--job-id', jobId])
    assert.equal(history.code, 0, history.stderr)
    assert.equal(history.stdout.split('\n').filter((l) => l.startsWith('HistoryItem')).length, 3)
    assert.match(history.stdout, /status: "succeeded"/)
    assert.match(history.stdout, new RegExp(`pruned ${runs[0]}`))
    const backups = JSON.parse((await box.esc(['mesdb', 'backups', 'list', '--fmt', 'api'])).stdout).backups
    const mine = backups.filter((b: {linkedResource?: string}) => b.linkedResource === jobId).map((b: {id: string}) => b.id)
    assert.deepEqual(mine, runs.slice(1))
    assert.match(
      backups.find((b: {id: string}) => b.id === runs[2]).description,
      /^Demo cluster Hourly Backup \d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/,
    )
    const del = await box.esc(['orchestrate', 'jobs', 'delete', '--id', jobId])
    assert.equal(del.code, 0, del.stderr)
    assert.equal((await box.esc(['orchestrate', 'jobs', 'list'])).stdout, '\n')
  })

  it('attaches a self-hosted data directory and backs it up', async () => {
    const db = join(box.root, 'node1')
    const generated = await box.esc(['node', 'generate', db, '--chunks', '3', '--chunk-size', '256KiB', '--with-index'])
    assert.equal(generated.code, 0, generated.stderr)
    const attached = await box.esc(['local', 'clusters', 'attach', '--dir', box.stateDir, '--db', db, '--description', 'node 1'])
    assert.equal(attached.code, 0, attached.stderr)
    const id = attached.stdout.trim()
    const cluster = JSON.parse((await box.esc(['mesdb', 'clusters', 'get', '--id', id, '--fmt', 'api'])).stdout).cluster
    assert.equal(cluster.status, 'available')
    assert.equal(cluster.description, 'node 1')
    const backup = await box.esc(['mesdb', 'backups', 'create', '--description', 'self-hosted', '--source-cluster-id', id])
    const backupId = /BackupId\("(\w+)"\)/.exec(backup.stdout)![1]
    await until('the backup', async () =>
      JSON.parse((await box.esc(['mesdb', 'backups', 'get', '--id', backupId, '--fmt', 'api'])).stdout).backup.status === 'available'
        ? true
        : undefined,
    )
    const missing = await box.esc(['local', 'clusters', 'attach', '--dir', box.stateDir, '--db', join(box.root, 'nope')])
    assert.equal(missing.code, 1)
    assert.match(missing.stderr, /is not a KurrentDB data directory/)
    const insecure = await box.esc(['local', 'clusters', 'attach', '--dir', box.stateDir, '--db', db, '--insecure'])
    assert.equal(insecure.code, 2)
    assert.match(insecure.stderr, /--ca-file and --insecure need --node-url/)
    assert.equal((await box.esc(['mesdb', 'clusters', 'delete', '--id', id])).code, 0)
    const {existsSync} = await import('node:fs')
    assert.ok(existsSync(join(db, 'chunk-000000.000000')), 'deleting an attached cluster keeps its data')
  })

  it('creates an empty cluster and waits for it', async () => {
    const created = await box.esc([
      'mesdb',
      'clusters',
      'create',
      '--description',
      'empty',
      '--instance-type',
      'F1',
      '--disk-size-in-gb',
      '10',
      '--disk-type',
      'gp3',
      '--network-id',
      networkId,
      '--projection-level',
      'off',
      '--server-version',
      '24.10',
      '--topology',
      'single-node',
      '--wait',
      '--poll-interval',
      '1s',
      '--timeout',
      '30s',
    ])
    assert.equal(created.code, 0, created.stderr)
    const id = /ClusterId\("([0-9a-v]{20})"\)/.exec(created.stdout)![1]
    const verify = await box.esc(['node', 'verify', join(box.stateDir, 'clusters', id, 'db')])
    assert.equal(verify.code, 0, verify.stdout + verify.stderr)
    const bad = await box.esc([
      'mesdb',
      'clusters',
      'create',
      '--description',
      'x',
      '--instance-type',
      'F1',
      '--disk-size-in-gb',
      '10',
      '--disk-type',
      'gp3',
      '--network-id',
      networkId,
      '--projection-level',
      'off',
      '--server-version',
      '24.10',
      '--topology',
      'single-node',
      '--source-backup-id',
      'c1ev3l5o0aeu6ojco7b0',
    ])
    assert.equal(bad.code, 1)
    assert.match(bad.stderr, /404/)
    assert.equal((await box.esc(['mesdb', 'clusters', 'delete', '--id', id])).code, 0)
  })

  it('answers bad ids with 400 and unknown ones with 404 through the CLI', async () => {
    const bad = await box.esc(['mesdb', 'backups', 'get', '--id', '../x'])
    assert.equal(bad.code, 1)
    assert.match(bad.stderr, /400/)
    assert.match(bad.stderr, /backupId: must be an id/)
    const unknown = await box.esc(['mesdb', 'clusters', 'get', '--id', 'c1ev3l5o0aeu6ojco7b0'])
    assert.equal(unknown.code, 1)
    assert.match(unknown.stderr, /404/)
  })

  it('refuses a second server on the same directory', async () => {
    const second = await box.esc(['local', 'start', '--dir', box.stateDir, '--port', '0'])
    assert.equal(second.code, 1)
    assert.match(second.stderr, new RegExp(`already running on .* \\(pid ${cloud.pid}, ${cloud.url.replaceAll('.', '\\.')}\\)`))
  })

  it('refuses a second detached server on the same directory the same way, with the stop command', async () => {
    const second = await box.esc(['local', 'start', '--dir', box.stateDir, '--port', '0', '--detach'])
    assert.equal(second.code, 1)
    assert.equal(second.stdout, '')
    assert.equal(
      second.stderr,
      `Error: a local cloud is already running on ${box.stateDir} (pid ${cloud.pid}, ${cloud.url})\n  Stop it with \`esc local stop --dir ${box.stateDir}\`\n`,
    )
  })
})
