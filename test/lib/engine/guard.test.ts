import {strict as assert} from 'node:assert'
import {mkdtemp, rm, stat, writeFile} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

import nock from 'nock'

import {EscError, isAbortError} from '../../../src/lib/core/errors.js'
import {describeError, exitCodeOf} from '../../../src/lib/cli/error-exit.js'
import {NodeGuard} from '../../../src/lib/engine/guard.js'
import {backupNode, generateDataDir} from '../../../src/lib/engine/index.js'

const NODE = 'http://127.0.0.1:2113'
const AUTH = {authorization: `Basic ${Buffer.from('admin:changeit').toString('base64')}`}

function member(over: Record<string, unknown> = {}) {
  return {
    instanceId: 'a',
    state: 'Follower',
    isAlive: true,
    httpEndPointIp: '127.0.0.1',
    httpEndPointPort: 2113,
    writerCheckpoint: 1000,
    chaserCheckpoint: 1000,
    epochNumber: 3,
    epochId: 'e3',
    ...over,
  }
}

function gossip(self: Record<string, unknown>, leader: Record<string, unknown> = {}) {
  return {
    members: [member(self), member({instanceId: 'l', state: 'Leader', httpEndPointIp: '10.0.0.2', ...leader})],
    serverIp: '127.0.0.1',
    serverPort: 2113,
  }
}

describe('kurrentdb node guard (fake node over HTTP)', () => {
  const sleeps: number[] = []
  const lines: string[] = []
  const options = {
    url: NODE,
    username: 'admin',
    password: 'changeit',
    pollIntervalMs: 250,
    sleep: async (ms: number) => void sleeps.push(ms),
  }

  before(() => nock.disableNetConnect())
  after(() => nock.enableNetConnect())
  beforeEach(() => {
    sleeps.length = 0
    lines.length = 0
  })
  afterEach(() => nock.cleanAll())

  it('stops a running scavenge, pauses auto-scavenge, checks gossip, then resumes and restarts the scavenge', async () => {
    const scope = nock(NODE, {reqheaders: AUTH})
      .get('/admin/scavenge/current')
      .reply(200, {scavengeId: 'sc-1', scavengeLink: '/admin/scavenge/sc-1'})
      .delete('/admin/scavenge/sc-1')
      .reply(200, '"sc-1"')
      .post('/auto-scavenge/pause')
      .reply(200, {})
      .get('/gossip')
      .reply(200, gossip({}))
      .post('/auto-scavenge/resume')
      .reply(200, {})
      .post('/admin/scavenge')
      .reply(200, {scavengeId: 'sc-2'})
    const guard = new NodeGuard({...options, restartScavenge: true}, (l) => lines.push(l))
    const info = await guard.prepare()
    assert.equal(info.state, 'Follower')
    await guard.release()
    assert.ok(scope.isDone(), `pending: ${scope.pendingMocks()}`)
    assert.deepEqual(lines, ['stopping scavenge sc-1', 'scavenge sc-1 stopped', 'auto-scavenge resumed', 'scavenge restarted (sc-2)'])
  })

  it('takes credentials written into the node URL as Basic auth and never shows them (errors, logs, manifest)', async () => {
    const scope = nock(NODE, {reqheaders: AUTH})
      .get('/admin/scavenge/current')
      .reply(200, {scavengeId: ''})
      .post('/auto-scavenge/pause')
      .reply(404)
      .get('/gossip')
      .reply(500, 'boom')
    const guard = new NodeGuard({url: 'http://admin:changeit@127.0.0.1:2113/', pollIntervalMs: 250}, (l) => lines.push(l))
    await assert.rejects(guard.prepare(), (error: Error) => {
      assert.equal(error.message, 'GET /gossip on http://127.0.0.1:2113 answered 500: boom')
      return true
    })
    assert.ok(scope.isDone(), `pending: ${scope.pendingMocks()}`)
    assert.ok(!lines.join('\n').includes('changeit'))
    assert.throws(
      () => new NodeGuard({url: 'http://admin:changeit@bad host:x'}),
      (error: EscError) => {
        assert.equal(error.message, 'the node URL http://***@bad host:x is not a valid URL')
        assert.equal(exitCodeOf(error), 2)
        return true
      },
    )
  })

  it('polls auto-scavenge status after a 202 until Paused, with the injected interval', async () => {
    const scope = nock(NODE)
      .get('/admin/scavenge/current')
      .reply(200, {scavengeId: '', scavengeLink: ''})
      .post('/auto-scavenge/pause')
      .reply(202, {})
      .get('/auto-scavenge/status')
      .reply(200, {state: 'Pausing', schedule: '0 6 * * 6', timeUntilNextCycle: null})
      .get('/auto-scavenge/status')
      .reply(200, {state: 'Pausing', schedule: '0 6 * * 6', timeUntilNextCycle: null})
      .get('/auto-scavenge/status')
      .reply(200, {state: 'Paused', schedule: '0 6 * * 6', timeUntilNextCycle: null})
      .get('/gossip')
      .reply(200, gossip({state: 'Leader'}, {instanceId: 'a', state: 'Leader'}))
      .post('/auto-scavenge/resume')
      .reply(200, {})
    const guard = new NodeGuard(options)
    await guard.prepare()
    assert.deepEqual(sleeps, [250, 250])
    await guard.release()
    assert.ok(scope.isDone(), `pending: ${scope.pendingMocks()}`)
  })

  it('stops waiting for auto-scavenge to pause on abort (Ctrl-C, SIGTERM, shutdown) and still resumes it', async () => {
    const pausing = {state: 'Pausing', schedule: '0 6 * * 6', timeUntilNextCycle: null}
    const scope = nock(NODE)
      .get('/admin/scavenge/current')
      .reply(200, {scavengeId: '', scavengeLink: ''})
      .post('/auto-scavenge/pause')
      .reply(202, {})
      .get('/auto-scavenge/status')
      .times(2)
      .reply(200, pausing)
      .post('/auto-scavenge/resume')
      .reply(200, {})
    const controller = new AbortController()
    const sleep = async (ms: number) => {
      sleeps.push(ms)
      if (sleeps.length === 2) controller.abort()
    }
    const guard = new NodeGuard({...options, sleep}, (l) => lines.push(l), controller.signal)
    await assert.rejects(guard.prepare(), isAbortError)
    assert.deepEqual(sleeps, [250, 250], 'no poll after the abort')
    assert.ok(scope.isDone(), `pending: ${scope.pendingMocks()}`)
    assert.deepEqual(lines, ['auto-scavenge resumed'])
  })

  it('carries on without auto-scavenge (404 or 503) and then does not resume it', async () => {
    for (const status of [404, 503]) {
      const scope = nock(NODE)
        .get('/admin/scavenge/current')
        .reply(200, {scavengeId: '', scavengeLink: ''})
        .post('/auto-scavenge/pause')
        .reply(status, {title: 'AutoScavenge is not enabled'})
        .get('/gossip')
        .reply(200, gossip({}))
      const guard = new NodeGuard(options)
      await guard.prepare()
      await guard.release()
      assert.ok(scope.isDone())
      assert.equal(nock.pendingMocks().length, 0)
    }
  })

  it('refuses a lagging follower (exit 5) and still resumes auto-scavenge; --allow-lagging proceeds with a warning', async () => {
    const scope = nock(NODE)
      .get('/admin/scavenge/current')
      .reply(200, {scavengeId: '', scavengeLink: ''})
      .post('/auto-scavenge/pause')
      .reply(200, {})
      .get('/gossip')
      .reply(200, gossip({writerCheckpoint: 1000}, {writerCheckpoint: 1000 + 64 * 1024 * 1024}))
      .post('/auto-scavenge/resume')
      .reply(200, {})
    const guard = new NodeGuard(options)
    await assert.rejects(guard.prepare(), (e: EscError) => {
      assert.equal(exitCodeOf(e), 5)
      assert.match(e.message, /is lagging: 67108864 bytes behind the leader/)
      // The engine names the advice; only the CLI words it as a flag.
      assert.deepEqual(e.hint, {advice: 'allow-lagging'})
      assert.doesNotMatch([e.message, ...e.suggestions].join('\n'), /--[a-z]/)
      assert.match(describeError(e).suggestions.join('\n'), /pass --allow-lagging to back up this one anyway/)
      return true
    })
    assert.ok(scope.isDone(), `pending: ${scope.pendingMocks()}`)

    nock(NODE)
      .get('/admin/scavenge/current')
      .reply(200, {scavengeId: '', scavengeLink: ''})
      .post('/auto-scavenge/pause')
      .reply(200, {})
      .get('/gossip')
      .reply(200, gossip({epochNumber: 2, epochId: 'e2'}))
    const lenient = new NodeGuard({...options, allowLagging: true}, (l) => lines.push(l))
    await lenient.prepare()
    assert.match(
      lines.at(-1)!,
      /^warning: the node at http:\/\/127\.0\.0\.1:2113 is lagging: in epoch 2, the leader in 3 \(lagging allowed\)$/,
    )
  })

  it('refuses a node that is not Leader/Follower/ReadOnlyReplica', async () => {
    nock(NODE)
      .get('/admin/scavenge/current')
      .reply(200, {scavengeId: '', scavengeLink: ''})
      .post('/auto-scavenge/pause')
      .reply(404)
      .get('/gossip')
      .reply(200, gossip({state: 'CatchingUp'}))
    await assert.rejects(new NodeGuard(options).prepare(), /is in state CatchingUp; back up a Leader, Follower or ReadOnlyReplica/)
  })

  it('maps 401 to the auth exit code with a hint', async () => {
    nock(NODE).get('/admin/scavenge/current').reply(401, 'User not authorized')
    await assert.rejects(new NodeGuard(options).prepare(), (e: EscError) => {
      assert.equal(exitCodeOf(e), 3)
      assert.match(e.message, /GET \/admin\/scavenge\/current on http:\/\/127\.0\.0\.1:2113 answered 401: User not authorized/)
      assert.deepEqual(e.hint, {advice: 'node-credentials'})
      assert.doesNotMatch([e.message, ...e.suggestions].join('\n'), /--[a-z]/)
      assert.match(describeError(e).suggestions[0], /^Pass --username\/--password/)
      return true
    })
  })

  it('resumes auto-scavenge when the backup itself fails in the middle', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'esc-guard-'))
    try {
      const db = join(dir, 'db')
      await generateDataDir(db, {chunks: 2, chunkSize: 65536})
      await writeFile(join(db, 'writer.chk'), Buffer.alloc(3))
      const scope = nock(NODE)
        .get('/admin/scavenge/current')
        .reply(200, {scavengeId: '', scavengeLink: ''})
        .post('/auto-scavenge/pause')
        .reply(202, {})
        .get('/auto-scavenge/status')
        .reply(200, {state: 'Paused'})
        .get('/gossip')
        .reply(200, gossip({}))
        .post('/auto-scavenge/resume')
        .reply(200, {})
      await assert.rejects(
        backupNode({db, backupDir: join(dir, 'bk'), nodeGuard: options}),
        /writer\.chk: checkpoint must be exactly 8 bytes, found 3/,
      )
      assert.ok(scope.isDone(), `pending: ${scope.pendingMocks()}`)
    } finally {
      await rm(dir, {recursive: true, force: true})
    }
  })

  // Stopping someone's scavenge is a change to the node: the CLI shows it even when not on a terminal.
  it('logs stopping and restarting a scavenge at notice level, warnings at warning level', async () => {
    nock(NODE)
      .get('/admin/scavenge/current')
      .reply(200, {scavengeId: 'sc-1'})
      .delete('/admin/scavenge/sc-1')
      .reply(200, '"sc-1"')
      .post('/auto-scavenge/pause')
      .reply(404)
      .get('/gossip')
      .reply(200, gossip({epochNumber: 2, epochId: 'e2'}))
      .post('/admin/scavenge')
      .reply(200, {scavengeId: 'sc-2'})
    const leveled: Array<[string | undefined, string]> = []
    const guard = new NodeGuard({...options, restartScavenge: true, allowLagging: true}, (l, level) => leveled.push([level, l]))
    await guard.prepare()
    await guard.release()
    assert.deepEqual(
      leveled.filter(([level]) => level === 'notice').map(([, l]) => l),
      ['stopping scavenge sc-1', 'scavenge sc-1 stopped', 'scavenge restarted (sc-2)'],
    )
    assert.equal(leveled.filter(([level]) => level === 'warning').length, 1)
    assert.match(leveled.find(([level]) => level === 'warning')![1], /^warning: .*\(lagging allowed\)$/)
  })

  for (const [what, url, replies] of [
    ['a node URL that does not parse', 'garbage', false],
    ['a node that fails the check', NODE, true],
  ] as const) {
    it(`a failed backup into a new directory removes the directory it created (${what})`, async () => {
      const dir = await mkdtemp(join(tmpdir(), 'esc-guard-'))
      try {
        const db = join(dir, 'db')
        await generateDataDir(db, {chunks: 2, chunkSize: 65536})
        if (replies) nock(NODE).get('/admin/scavenge/current').reply(500, 'boom')
        await assert.rejects(backupNode({db, backupDir: join(dir, 'new', 'bk'), nodeGuard: {...options, url}}))
        await assert.rejects(stat(join(dir, 'new', 'bk')), /ENOENT/)
      } finally {
        await rm(dir, {recursive: true, force: true})
      }
    })
  }
})
