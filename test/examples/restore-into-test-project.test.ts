import {strict as assert} from 'node:assert'
import {execFile, spawnSync} from 'node:child_process'
import {mkdtemp, readFile, rm, stat} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import {join, resolve} from 'node:path'
import {fileURLToPath} from 'node:url'

import {writeFakeEsc} from './fake-esc.js'

/**
 * The restore recipe's script against a stand-in esc (fake-esc.ts): which calls it makes, in which
 * order, with which flags; what it prints; which exit code each failing step ends with; and that the
 * teardown runs after every failure once the project exists. The same script against a real local
 * cloud: test/e2e/recipe-restore.test.ts.
 */
const SCRIPT = resolve(fileURLToPath(new URL('.', import.meta.url)), '../../examples/restore-into-test-project.sh')

const BACKUPS = [
  {id: 'b-old', sourceClusterId: 'prod-cluster', status: 'available', sizeGb: 8, created: '2026-01-01T10:00:00+00:00'},
  {id: 'b-newest', sourceClusterId: 'prod-cluster', status: 'available', sizeGb: 20, created: '2026-01-03T10:00:00+00:00'},
  {id: 'b-creating', sourceClusterId: 'prod-cluster', status: 'creating', sizeGb: 8, created: '2026-01-04T10:00:00+00:00'},
  {id: 'b-defunct', sourceClusterId: 'prod-cluster', status: 'defunct', sizeGb: 8, created: '2026-01-05T10:00:00+00:00'},
  {id: 'b-other', sourceClusterId: 'other-cluster', status: 'available', sizeGb: 8, created: '2026-01-06T10:00:00+00:00'},
  {id: 'b-middle', sourceClusterId: 'prod-cluster', status: 'available', sizeGb: 8, created: '2026-01-02T23:00:00-05:00'},
]

interface Run {
  code: number
  stdout: string
  stderr: string
  calls: string[][]
}

describe('examples/restore-into-test-project.sh (with a stand-in esc)', function () {
  this.timeout(30_000)
  let dir: string
  let fake: string
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'esc-recipe-'))
    fake = await writeFakeEsc(dir)
  })
  afterEach(() => rm(dir, {recursive: true, force: true}))

  const run = (args: string[], env: NodeJS.ProcessEnv = {}, onStderr?: (text: string, kill: () => void) => void): Promise<Run> =>
    new Promise((done) => {
      const fullEnv = {
        PATH: process.env.PATH,
        ESC: `${process.execPath} ${fake}`,
        FAKE_ESC_DIR: dir,
        FAKE_ESC_BACKUPS: JSON.stringify(BACKUPS),
        TEARDOWN_POLL_SECONDS: '0',
        ...env,
      }
      const child = execFile('bash', [SCRIPT, ...args], {env: fullEnv}, (error, stdout, stderr) => {
        void readFile(join(dir, 'calls.log'), 'utf8')
          .catch(() => '')
          .then((log) => {
            const calls = log
              .split('\n')
              .filter(Boolean)
              .map((line) => JSON.parse(line) as string[])
            done({code: error ? Number(error.code) : 0, stdout, stderr, calls})
          })
      })
      let seen = ''
      child.stderr!.on('data', (data) => {
        seen += data
        onStderr?.(seen, () => child.kill('SIGTERM'))
      })
    })
  const commands = (r: Run) => r.calls.map((c) => c.slice(0, 3).join(' '))
  const teardown = [
    'mesdb clusters list',
    'mesdb clusters delete',
    'mesdb clusters list',
    'infra networks list',
    'infra networks delete',
    'resources projects delete',
  ]

  it('restores the newest available backup of the cluster into a new project, prints only the id, runs the check, deletes everything', async () => {
    const r = await run([
      'prod-cluster',
      'bash',
      '-c',
      'echo "checking $ESC_RESTORED_CLUSTER_ID in $ESC_TEST_PROJECT_ID from $ESC_SOURCE_BACKUP_ID"',
    ])
    assert.equal(r.code, 0, r.stderr)
    assert.equal(r.stdout, 'restored-cluster\n')
    assert.match(r.stderr, /checking restored-cluster in test-project from b-newest\n/)
    assert.deepEqual(commands(r), [
      'mesdb clusters get',
      'infra networks get',
      'mesdb backups list',
      'resources projects create',
      'infra networks create',
      'mesdb clusters create',
      ...teardown,
    ])
    assert.deepEqual(r.calls[2], ['mesdb', 'backups', 'list', '--org-id', 'org1', '--project-id', 'prod1', '--json'])
    assert.deepEqual(r.calls[4].slice(3), [
      '--org-id', 'org1', '--project-id', 'test-project', '--provider', 'aws', '--region', 'eu-west-1',
      '--description', 'restore test of prod-cluster', '--cidr-block', '172.21.0.0/16', '--wait', '--timeout', '60m', '-q',
    ]) // prettier-ignore
    // The disk is the larger of the source cluster's (16) and the backup's (20); the backup is the source project's.
    assert.deepEqual(r.calls[5].slice(3), [
      '--org-id', 'org1', '--project-id', 'test-project', '--source-backup-id', 'b-newest', '--source-project-id', 'prod1',
      '--network-id', 'test-network', '--description', 'restore test of prod-cluster from b-newest',
      '--topology', 'three-node-multi-zone', '--instance-type', 'C4', '--disk-size-in-gb', '20', '--disk-type', 'gp3',
      '--server-version', '24.10', '--projection-level', 'system', '--provider', 'aws', '--region', 'eu-west-1',
      '--wait', '--timeout', '60m', '-q',
    ]) // prettier-ignore
    assert.deepEqual(r.calls.at(-1), ['resources', 'projects', 'delete', '--org-id', 'org1', '--id', 'test-project'])
  })

  it('a failing check ends with exit 15 after the teardown; the id was printed', async () => {
    const r = await run(['prod-cluster'], {RESTORE_CHECK: 'echo "looked at $ESC_RESTORED_CLUSTER_ID"; exit 7'})
    assert.equal(r.code, 15, r.stderr)
    assert.equal(r.stdout, 'restored-cluster\n')
    assert.match(r.stderr, /looked at restored-cluster\n/)
    assert.match(r.stderr, /FAILED: the check exited with 7\n/)
    assert.deepEqual(commands(r).slice(-teardown.length), teardown)
  })

  for (const [step, code] of [
    ['mesdb clusters get', 10],
    ['infra networks get', 10],
    ['mesdb backups list', 10],
    ['resources projects create', 12],
  ] as const) {
    it(`${step} failing ends with exit ${code}, and nothing is left to delete`, async () => {
      const r = await run(['prod-cluster', 'true'], {FAKE_ESC_FAIL: step})
      assert.equal(r.code, code, r.stderr)
      assert.equal(r.stdout, '')
      assert.equal(commands(r).at(-1), step)
      assert.match(r.stderr, new RegExp(`Error: ${step} failed \\(fake\\)\\nrestore-test: FAILED: `))
    })
  }

  it('an answer that is not JSON is a failed read of the source (exit 10), not a crash of the script', async () => {
    const r = await run(['prod-cluster'], {FAKE_ESC_GARBLED: 'mesdb clusters get'})
    assert.equal(r.code, 10, r.stderr)
    assert.match(r.stderr, /restore-test: FAILED: esc answered no JSON cluster for prod-cluster\n$/)
  })

  it("a backup without a size still restores, on the source cluster's disk size", async () => {
    const r = await run(['prod-cluster'], {FAKE_ESC_BACKUPS: JSON.stringify([{...BACKUPS[0], sizeGb: undefined}])})
    assert.equal(r.code, 0, r.stderr)
    const restore = r.calls.find((c) => c.slice(0, 3).join(' ') === 'mesdb clusters create')!
    assert.equal(restore[restore.indexOf('--disk-size-in-gb') + 1], '16')
  })

  it('no available backup of the cluster: exit 11 before anything is created', async () => {
    const r = await run(['prod-cluster'], {FAKE_ESC_BACKUPS: JSON.stringify(BACKUPS.filter((b) => b.status !== 'available'))})
    assert.equal(r.code, 11, r.stderr)
    assert.match(r.stderr, /FAILED: cluster prod-cluster has no available backup in project prod1\n/)
    assert.deepEqual(commands(r), ['mesdb clusters get', 'infra networks get', 'mesdb backups list'])
  })

  it('a network that cannot be created: exit 13, and the project is deleted', async () => {
    const r = await run(['prod-cluster'], {FAKE_ESC_FAIL: 'infra networks create'})
    assert.equal(r.code, 13, r.stderr)
    assert.deepEqual(commands(r).slice(4), [
      'infra networks create',
      'mesdb clusters list',
      'infra networks list',
      'resources projects delete',
    ])
  })

  it('a restore that fails while waiting: exit 14, and the cluster it left, the network and the project are deleted', async () => {
    const r = await run(['prod-cluster'], {FAKE_ESC_RESTORE_FAILS: '1'})
    assert.equal(r.code, 14, r.stderr)
    assert.equal(r.stdout, '')
    assert.deepEqual(commands(r).slice(5), ['mesdb clusters create', ...teardown])
  })

  it('a teardown that fails after a passing run: exit 16, naming what is left', async () => {
    const r = await run(['prod-cluster'], {FAKE_ESC_FAIL: 'infra networks delete'})
    assert.equal(r.code, 16, r.stderr)
    assert.match(r.stderr, /teardown stopped at the networks of project test-project \(organization org1\): delete them by hand\n/)
    assert.ok(!commands(r).includes('resources projects delete'))
  })

  it('a teardown that fails after a failing step keeps the step exit code', async () => {
    const r = await run(['prod-cluster', 'false'], {FAKE_ESC_FAIL: 'mesdb clusters delete'})
    assert.equal(r.code, 15, r.stderr)
    assert.match(r.stderr, /teardown stopped at the clusters of project test-project/)
  })

  it('KEEP_ON_FAILURE=1 keeps what a failing run created', async () => {
    const r = await run(['prod-cluster', 'false'], {KEEP_ON_FAILURE: '1'})
    assert.equal(r.code, 15, r.stderr)
    assert.equal(commands(r).at(-1), 'mesdb clusters create')
    assert.match(r.stderr, /KEEP_ON_FAILURE=1: kept project test-project and what is in it\n/)
  })

  it('SIGTERM during the check (a cancelled CI job): exit 143 after the teardown', async () => {
    let sent = false
    const r = await run(['prod-cluster', 'sleep', '3'], {}, (text, kill) => {
      if (!sent && text.includes('check: sleep 3')) {
        sent = true
        kill()
      }
    })
    assert.equal(r.code, 143, r.stderr)
    assert.deepEqual(commands(r).slice(-teardown.length), teardown)
  })

  it('is executable, so a CI job can run the copied file as it is', async () => {
    assert.equal((await stat(SCRIPT)).mode & 0o111, 0o111)
  })

  it('is shellcheck-clean (CI installs shellcheck through .ci/system-deps.sh; elsewhere it may be missing)', function () {
    const result = spawnSync('shellcheck', [SCRIPT], {encoding: 'utf8'})
    if (result.error && !process.env.CI) this.skip()
    assert.equal(result.error, undefined, 'shellcheck is not installed: run .ci/system-deps.sh as root')
    assert.equal(result.status, 0, result.stdout)
  })

  it('without a source cluster: exit 2 and one line naming the fix', async () => {
    const r = await run([])
    assert.equal(r.code, 2)
    assert.equal(r.stderr, 'restore-test: FAILED: no source cluster: pass its id as the first argument or set SOURCE_CLUSTER_ID\n')
    assert.deepEqual(r.calls, [])
  })

  it('TEST_NETWORK_CIDR skips reading the source network; TEST_TOPOLOGY and TEST_INSTANCE_TYPE shape the restore', async () => {
    const r = await run(['prod-cluster'], {TEST_NETWORK_CIDR: '10.9.0.0/16', TEST_TOPOLOGY: 'single-node', TEST_INSTANCE_TYPE: 'F1'})
    assert.equal(r.code, 0, r.stderr)
    assert.ok(!commands(r).includes('infra networks get'))
    const network = r.calls.find((c) => c.slice(0, 3).join(' ') === 'infra networks create')!
    assert.equal(network[network.indexOf('--cidr-block') + 1], '10.9.0.0/16')
    const restore = r.calls.find((c) => c.slice(0, 3).join(' ') === 'mesdb clusters create')!
    assert.equal(restore[restore.indexOf('--topology') + 1], 'single-node')
    assert.equal(restore[restore.indexOf('--instance-type') + 1], 'F1')
  })
})
