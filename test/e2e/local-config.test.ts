import {strict as assert} from 'node:assert'
import {mkdir, readFile, readdir, writeFile} from 'node:fs/promises'
import {join} from 'node:path'

import {openRepository} from '../../src/lib/engine/repository/open.js'
import {POINTER_FILE} from '../../src/lib/server/repository-engine.js'
import {TestS3, setEnv} from '../lib/engine/repository/support/s3-server.js'
import {assertBuilt, sandbox, type Sandbox, startCloud, stopCloud} from './support.js'

/** `esc local start` with `backup-store` in `<state dir>/config.toml`: the built CLI, a real cloud, s3rver. */
describe('e2e: the local cloud reads its backup store from its configuration file', function () {
  this.timeout(120_000)
  let s3: TestS3
  let box: Sandbox
  before(async () => {
    assertBuilt()
    s3 = await TestS3.start()
  })
  after(() => s3?.stop())
  beforeEach(async () => {
    box = await sandbox()
  })
  afterEach(() => box.cleanup())

  const storedIds = async (url: string) => {
    const undo = setEnv(s3.env())
    try {
      return await (await openRepository(url)).repo.backupIds()
    } finally {
      undo()
    }
  }

  it("keeps every backup in the store the file names (its size is the store's), takes the file's profile, and --port over its port", async () => {
    const url = s3.url('configured')
    await mkdir(box.stateDir, {recursive: true})
    // port: --port 0 (startCloud's) wins over the file's; profile: the file's wins over the default.
    await writeFile(
      join(box.stateDir, 'config.toml'),
      `# the local cloud's settings\nbackup-store = "${url}"\nport = 1\nprofile = "configured"\n`,
    )
    const cloud = await startCloud(box, s3.env())
    try {
      assert.match(await readFile(join(box.env.ESC_CONFIG_DIR!, 'settings.toml'), 'utf8'), /name = "configured"/)
      const demo = await box.esc(['local', 'demo-data', '--dir', box.stateDir, '--chunks', '2', '--chunk-size', '262144', '--no-writer'])
      assert.equal(demo.code, 0, demo.stderr)
      const clusterId = demo.stdout.trim()
      const created = await box.esc([
        'mesdb',
        'backups',
        'create',
        '--description',
        'd',
        '--source-cluster-id',
        clusterId,
        '--wait',
        '--fmt',
        'api',
      ])
      assert.equal(created.code, 0, created.stderr)
      const backup = JSON.parse(created.stdout).backup as {id: string; status: string; sizeBytes?: number}
      assert.equal(backup.status, 'available')
      assert.deepEqual(await readdir(join(box.stateDir, 'backups', backup.id)), [POINTER_FILE])
      const stored = await storedIds(url)
      assert.equal(stored.length, 1)
      const listed = await box.esc(['node', 'backups', 'list', url, '--json'], s3.env())
      assert.equal(listed.code, 0, listed.stderr)
      const [summary] = JSON.parse(listed.stdout) as {id: string; sizeBytes: number}[]
      assert.equal(summary.id, stored[0])
      assert.ok(summary.sizeBytes > 0, listed.stdout)
      const got = await box.esc(['mesdb', 'backups', 'get', '--id', backup.id, '--fmt', 'api'])
      assert.equal(JSON.parse(got.stdout).backup.sizeBytes, summary.sizeBytes)
    } finally {
      await stopCloud(cloud)
    }
  })
})
