import {strict as assert} from 'node:assert'
import {mkdtemp, rm} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

import nock from 'nock'

import {runCli} from '../../support/run-cli.js'

const NODE = 'http://127.0.0.1:2113'

describe('esc node backup --node-url: what it does to the node is said on stderr', () => {
  let dir: string
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'esc-node-notice-'))
    nock.disableNetConnect()
  })
  afterEach(async () => {
    nock.cleanAll()
    nock.enableNetConnect()
    await rm(dir, {recursive: true, force: true})
  })

  it('cancelling and restarting a scavenge are shown even when stderr is not a terminal', async () => {
    const db = join(dir, 'db')
    assert.equal((await runCli(['node', 'generate', db, '--chunks', '2', '--chunk-size', '64KiB'], {env: {CI: 'true'}})).exitCode, 0)
    const member = {
      state: 'Leader',
      isAlive: true,
      httpEndPointIp: '127.0.0.1',
      httpEndPointPort: 2113,
      writerCheckpoint: 5,
      chaserCheckpoint: 5,
      epochNumber: 1,
      epochId: 'e',
    }
    const scope = nock(NODE)
      .get('/admin/scavenge/current')
      .reply(200, {scavengeId: 'sc-1'})
      .delete('/admin/scavenge/sc-1')
      .reply(200, '"sc-1"')
      .post('/auto-scavenge/pause')
      .reply(200, {})
      .get('/gossip')
      .reply(200, {members: [member], serverIp: '127.0.0.1', serverPort: 2113})
      .post('/auto-scavenge/resume')
      .reply(200, {})
      .post('/admin/scavenge')
      .reply(200, {scavengeId: 'sc-2'})
    const r = await runCli(['node', 'backup', join(dir, 'bk'), '--db', db, '--node-url', NODE, '--restart-scavenge', '--json'], {
      env: {CI: 'true', ESC_NODE_USERNAME: 'admin', ESC_NODE_PASSWORD: 'changeit'},
    })
    assert.equal(r.exitCode, 0, r.stderr)
    assert.ok(scope.isDone(), `pending: ${scope.pendingMocks()}`)
    // Only what changed the node: no progress detail (auto-scavenge pause/resume is routine and undone).
    assert.equal(r.stderr, 'stopping scavenge sc-1\nscavenge sc-1 stopped\nscavenge restarted (sc-2)\n')
  })
})
