import {strict as assert} from 'node:assert'
import {mkdtemp, readFile, rm} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

import {listTree} from '../../../src/lib/engine/backup-dir.js'
import {TestS3} from '../../lib/engine/repository/support/s3-server.js'
import {readCheckpointFile, walkLog} from '../../lib/engine/support/independent-reader.js'
import {runCli} from '../../support/run-cli.js'

/**
 * The "done when": a backup to s3:// restored into three nodes through the commands,
 * encrypted and not. Every target holds the same bytes and its own truncate.chk.
 */
describe('esc node backup s3://… then restore s3://… --db a --db b --db c', function () {
  this.timeout(60_000)
  let s3: TestS3
  let dir: string
  let n = 0
  before(async () => {
    s3 = await TestS3.start()
  })
  after(() => s3.stop())
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'esc-multi-s3-'))
  })
  afterEach(() => rm(dir, {recursive: true, force: true}))

  for (const encrypted of [false, true]) {
    it(`${encrypted ? 'encrypted' : 'not encrypted'}: three targets with identical bytes and truncate.chk in each`, async () => {
      const env = {...s3.env(), CI: 'true', ESC_NODE_URL: undefined, ESC_BACKUP_PASSWORD: encrypted ? 'three nodes' : undefined}
      const url = s3.url(`multi${++n}`)
      const db = join(dir, 'db')
      assert.equal((await runCli(['node', 'generate', db, '--chunks', '3', '--chunk-size', '64KiB', '--with-index'], {env})).exitCode, 0)
      const b = await runCli(['node', 'backup', url, '--db', db, ...(encrypted ? ['--encrypt'] : [])], {env})
      assert.equal(b.exitCode, 0, b.stderr)
      if (encrypted) assert.match(b.stdout, /encrypted \(AES-256-GCM\)/)
      const targets = ['a', 'b', 'c'].map((t) => join(dir, t))
      s3.requests.length = 0
      const r = await runCli(['node', 'restore', url, ...targets.flatMap((t) => ['--db', t])], {env})
      assert.equal(r.exitCode, 0, r.stderr)
      assert.match(r.stdout, new RegExp(`^Restored \\d+ files \\(.*\\) to 3 nodes: ${targets.join(', ')} in \\d+s\\n`))
      assert.match(r.stdout, /\n {2}- Start all 3 nodes: each truncates its log to the same position \(\d+\)/)
      const chaser = readCheckpointFile(join(db, 'chaser.chk'))
      // The generated node has a truncate.chk of its own (-1); a restore writes its own in each target.
      const expected = (await listTree(db)).filter((p) => p !== 'truncate.chk').sort()
      for (const t of targets) {
        assert.deepEqual((await listTree(t)).sort(), [...expected, 'truncate.chk'].sort(), t)
        for (const f of expected) assert.deepEqual(await readFile(join(t, f)), await readFile(join(db, f)), `${t}/${f}`)
        assert.equal(readCheckpointFile(join(t, 'truncate.chk')), chaser, t)
        assert.equal(walkLog(t, chaser).endPosition, chaser, t)
      }
      const gets = s3.requests.filter((q) => q.method === 'GET' && q.url.includes(`/multi${n}/objects/`)).length
      // (per file: checkpoints with equal contents share an object, and each is fetched for its file)
      assert.equal(gets, Number(/^Restored (\d+) files/.exec(r.stdout)?.[1]), 'each file downloaded once for the three nodes')
      // One download for the three: nothing of it is left next to the targets.
      assert.deepEqual(
        (await listTree(dir)).filter((p) => p.includes('.esc-restore-download-')),
        [],
      )
    })
  }
})
