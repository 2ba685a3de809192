import {strict as assert} from 'node:assert'
import {execFile} from 'node:child_process'
import {existsSync} from 'node:fs'
import {readFile} from 'node:fs/promises'
import {join} from 'node:path'

import {assertBuilt, localIds, repoRoot, type RunningCloud, sandbox, type Sandbox, startCloud, stopCloud} from './support.js'

/**
 * The restore recipe (docs/recipes/restore-into-test-project.md) as shipped: the script runs
 * unchanged against a real local cloud whose cluster has a live writer, with a check that runs
 * `esc node verify` on the restored cluster's data directory before the teardown.
 */
const SCRIPT = join(repoRoot, 'examples', 'restore-into-test-project.sh')
const BIN = join(repoRoot, 'bin', 'run.js')
const ID = /^[0-9a-v]{20}$/

interface ScriptRun {
  code: number
  stdout: string
  stderr: string
}

describe('e2e: the restore-into-test-project recipe', function () {
  this.timeout(180_000)
  let box: Sandbox
  let cloud: RunningCloud | undefined
  let source: string
  let ids: {orgId: string; projectId: string}
  before(async () => {
    assertBuilt()
    box = await sandbox()
    cloud = await startCloud(box)
    ids = await localIds(box)
    // Without --no-writer: the cluster keeps being written to while it is backed up.
    const demo = await box.esc(['local', 'demo-data', '--dir', box.stateDir, '--chunks', '4', '--chunk-size', '262144'])
    assert.equal(demo.code, 0, demo.stderr)
    source = demo.stdout.trim()
    const backup = await box.esc(['mesdb', 'backups', 'create', '--source-cluster-id', source, '--description', 'nightly', '--wait', '-q'])
    assert.equal(backup.code, 0, backup.stderr)
  })
  after(async () => {
    if (cloud) await stopCloud(cloud)
    await box?.cleanup()
  })

  /** The script as a CI job runs it: esc through ESC, the check as arguments. */
  const runScript = (check: string[]): Promise<ScriptRun> =>
    new Promise((done) => {
      const env = {...box.env, ESC: `${process.execPath} ${BIN}`, NODE: process.execPath, TEARDOWN_POLL_SECONDS: '1', WAIT_TIMEOUT: '2m'}
      execFile('bash', [SCRIPT, source, ...check], {env, cwd: box.root, timeout: 150_000}, (error, stdout, stderr) =>
        done({code: error ? Number(error.code) : 0, stdout, stderr}),
      )
    })
  /** A check that records what it was given, then runs `command` (a shell line). */
  const check = (record: string, command: string) => [
    'bash',
    '-c',
    `echo "$ESC_TEST_PROJECT_ID $ESC_TEST_NETWORK_ID $ESC_RESTORED_CLUSTER_ID" > '${join(box.root, record)}'; ${command}`,
  ]
  const recorded = async (record: string) => {
    const [project, network, cluster] = (await readFile(join(box.root, record), 'utf8')).trim().split(' ')
    return {project, network, cluster}
  }
  const projectIds = async () => {
    const list = await box.esc(['resources', 'projects', 'list', '--json'])
    assert.equal(list.code, 0, list.stderr)
    return (JSON.parse(list.stdout) as Array<{id: string}>).map((p) => p.id)
  }
  const assertGone = async (made: {project: string; network: string; cluster: string}) => {
    assert.deepEqual(await projectIds(), [ids.projectId])
    assert.equal((await box.esc(['infra', 'networks', 'get', '--project-id', made.project, '--id', made.network])).code, 1)
    assert.equal((await box.esc(['mesdb', 'clusters', 'get', '--project-id', made.project, '--id', made.cluster])).code, 1)
    assert.ok(!existsSync(join(box.stateDir, 'clusters', made.cluster)), 'the restored data directory is removed')
  }

  it('restores the newest backup into a new project, verifies the data with esc node verify, prints the id and deletes it all', async () => {
    const verify = `${process.execPath} ${BIN} node verify "${box.stateDir}/clusters/$ESC_RESTORED_CLUSTER_ID/db"`
    const r = await runScript(check('passing', verify))
    assert.equal(r.code, 0, r.stderr)
    const made = await recorded('passing')
    assert.match(made.cluster, ID)
    assert.notEqual(made.cluster, source)
    assert.notEqual(made.project, ids.projectId)
    assert.equal(r.stdout, `${made.cluster}\n`)
    assert.match(r.stderr, new RegExp(`OK: ${box.stateDir}/clusters/${made.cluster}/db \\(data directory\\)\\n`))
    assert.match(r.stderr, /restore-test: passed; tearing down\n/)
    await assertGone(made)
  })

  it('a check that fails ends with exit 15, and the teardown still deleted the cluster, the network and the project', async () => {
    const r = await runScript(check('failing', 'exit 3'))
    assert.equal(r.code, 15, r.stderr)
    const made = await recorded('failing')
    assert.equal(r.stdout, `${made.cluster}\n`)
    assert.match(r.stderr, /restore-test: FAILED: the check exited with 3\n/)
    await assertGone(made)
  })
})
