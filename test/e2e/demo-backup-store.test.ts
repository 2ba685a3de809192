import {strict as assert} from 'node:assert'

import {openRepository} from '../../src/lib/engine/repository/open.js'
import {TestS3, setEnv} from '../lib/engine/repository/support/s3-server.js'
import {assertBuilt, runDemo} from './support.js'

/** `npm start -- --backup-store s3://…`: the demo's local cloud keeps its backups in the store, and restores from it. */
describe('e2e: npm start with a backup store (s3rver on 127.0.0.1)', function () {
  this.timeout(240_000)
  let s3: TestS3
  before(async () => {
    assertBuilt()
    s3 = await TestS3.start()
  })
  after(() => s3?.stop())

  it('backs up into the store, forgets the pruned backup there, and restores from it', async () => {
    const url = s3.url('demo')
    const env: NodeJS.ProcessEnv = {PATH: process.env.PATH, HOME: process.env.HOME, CI: 'true', TMPDIR: process.env.TMPDIR, ...s3.env()}
    const {code, out} = await runDemo(['--backup-store', url], env)
    assert.equal(code, 0, out)
    assert.match(out, /\$ esc local start --dir \S+ --port 0 --backup-store s3:\/\/esc-test\/demo /)
    // The manual backup and the job's newest two: the third run's pruning forgot the oldest in the store.
    const undoEnv = setEnv(s3.env())
    let stored: string[]
    try {
      stored = await (await openRepository(url)).repo.backupIds()
    } finally {
      undoEnv()
    }
    assert.equal(stored.length, 3, out)
    assert.match(out, new RegExp(`\\$ esc node backups list ${url}\\n`))
    for (const id of stored) assert.ok(out.includes(id), `the demo lists ${id} in the store`)
    // The restore downloaded the backup's objects: nothing else reads them.
    assert.ok(
      s3.requests.some((r) => r.method === 'GET' && r.url.startsWith('/esc-test/demo/objects/')),
      'the restore read from the store',
    )
    assert.match(out, /node verify passed; project deleted\n/)
    assert.match(out, new RegExp(`backups stored in ${url}\\n`))
  })
})
