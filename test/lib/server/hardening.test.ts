import {strict as assert} from 'node:assert'
import {join} from 'node:path'

import {clusterBody, createCluster, fakeDataDir, openTestCloud, tempDir, type TestCloud} from './helpers.js'
import {UnsoundBackupError} from '../../../src/lib/engine/index.js'
import {NotABackupError} from '../../../src/lib/engine/manifest.js'

describe('local cloud hardening', () => {
  let t: TestCloud
  let logs: string[]
  beforeEach(async () => {
    logs = []
    t = await openTestCloud({log: (m) => logs.push(m)})
  })
  afterEach(() => t.close())

  const call = (method: 'GET' | 'POST' | 'DELETE', url: string, payload?: unknown) =>
    t.cloud.app.inject({method, url, headers: t.auth, ...(payload === undefined ? {} : {payload: payload as object})})
  const token = (payload: unknown, headers: Record<string, string> = {}, remoteAddress = '127.0.0.1') =>
    t.cloud.app.inject({
      method: 'POST',
      url: '/oauth/token',
      remoteAddress,
      headers: {'content-type': 'application/json', ...headers},
      payload: typeof payload === 'string' ? payload : JSON.stringify(payload),
    })

  // Finding 3: /oauth/token trusted field types (500 on a number), crashed on bad percent-encoding, hashed on the event loop.
  describe('/oauth/token', () => {
    it('answers 400 invalid_request problem details to fields that are not strings, and to a body that is not an object', async () => {
      const fields = ['grant_type', 'username', 'password', 'client_id', 'client_secret', 'refresh_token', 'scope', 'audience']
      for (const field of fields) {
        for (const value of [1, {a: 1}, ['x'], true, null]) {
          const res = await token({grant_type: 'password', username: 'admin@esc.local', password: 'x', [field]: value})
          assert.equal(res.statusCode, 400, `${field}=${JSON.stringify(value)}: ${res.body}`)
          const body = res.json()
          assert.equal(body.error, 'invalid_request')
          assert.equal(body.status, 400)
          assert.match(res.headers['content-type'] as string, /application\/problem\+json/)
        }
      }
      for (const body of ['[]', '"x"', '1', 'null']) {
        const res = await token(body)
        assert.equal(res.statusCode, 400, `${body}: ${res.body}`)
        assert.equal(res.json().error, 'invalid_request')
      }
      assert.equal(logs.filter((l) => l.includes('internal error')).length, 0, logs.join('\n'))
    })

    it('answers 400 to a Basic header with malformed percent-encoding or base64', async () => {
      for (const raw of ['%E0%A4%A:x', 'local-admin:%', 'local-admin:%zz']) {
        const basic = Buffer.from(raw).toString('base64')
        const res = await token({grant_type: 'client_credentials'}, {authorization: `Basic ${basic}`})
        assert.equal(res.statusCode, 400, `${raw}: ${res.body}`)
        assert.equal(res.json().error, 'invalid_request')
      }
      assert.equal(logs.filter((l) => l.includes('internal error') || l.includes('    at ')).length, 0, logs.join('\n'))
    })

    it('rate-limits failed attempts per client address with 429 and Retry-After; others are unaffected', async () => {
      const wrong = {grant_type: 'password', username: 'admin@esc.local', password: 'nope'}
      // Hashing runs off the event loop: the event loop turns while a grant checks a password.
      let turned = false
      const pending = t.cloud.ctx.identity.grant(wrong)
      setImmediate(() => {
        turned = true
      })
      await assert.rejects(Promise.resolve(pending), /wrong username or password/)
      assert.ok(turned, 'the event loop turned while the password was hashed')
      // Concurrent wrong passwords (known and unknown users) while an authenticated GET is served.
      const attempts = Array.from({length: 10}, (_, i) => token(i % 2 ? wrong : {...wrong, username: 'nobody@x'}))
      const get = call('GET', `${t.mesdb}/backups`)
      const results = await Promise.all(attempts)
      assert.equal((await get).statusCode, 200)
      for (const res of results) {
        assert.equal(res.statusCode, 403, res.body)
        assert.equal(res.json().error_description, 'wrong username or password', 'an unknown user answers like a known one')
      }
      const limited = await token({...wrong, password: t.cloud.bootstrap!.password})
      assert.equal(limited.statusCode, 429, limited.body)
      assert.ok(Number(limited.headers['retry-after']) > 0)
      assert.equal(limited.json().status, 429)
      const other = await token(
        {grant_type: 'password', username: 'admin@esc.local', password: t.cloud.bootstrap!.password},
        {},
        '127.0.0.2',
      )
      assert.equal(other.statusCode, 200, 'another address is not limited')
    })
  })

  // Finding 4: a full disk surfaced as 500 (or worse) instead of saying so.
  describe('disk full', () => {
    it('answers 507 problem details when SQLite or the filesystem reports a full disk', async () => {
      const clusterId = await createCluster(t)
      const full = Object.assign(new Error('database or disk is full'), {code: 'SQLITE_FULL'})
      const insert = t.cloud.ctx.store.backups.insert
      t.cloud.ctx.store.backups.insert = () => {
        throw full
      }
      const res = await call('POST', `${t.mesdb}/backups`, {description: 'x', sourceClusterId: clusterId})
      t.cloud.ctx.store.backups.insert = insert
      assert.equal(res.statusCode, 507, res.body)
      assert.match(res.json().detail, /disk .*full/)
      assert.equal(res.json().title, 'Insufficient Storage')
      t.engine.generate = async () => {
        throw Object.assign(new Error("ENOSPC: no space left on device, write '/x'"), {code: 'ENOSPC'})
      }
      const demo = await call('POST', '/local/v1/demo-data', {writer: false})
      assert.equal(demo.statusCode, 507, demo.body)
      assert.equal(logs.filter((l) => l.includes('    at ')).length, 0, `no stack traces: ${logs.join('\n')}`)
    })
  })

  // Finding 5: a backup found corrupt at restore stayed available, so every later restore failed again.
  describe('corrupt backups', () => {
    const verdicts: Record<string, () => Error> = {
      UnsoundBackupError: () => new UnsoundBackupError('chunk-000000.000000: md5 mismatch'),
      NotABackupError: () => new NotABackupError('/backup', 'chunk-000000.000000: md5 mismatch'),
    }
    for (const [name, verdict] of Object.entries(verdicts)) {
      it(`marks a backup defunct when a restore finds it unsound (${name})`, async () => {
        const clusterId = await createCluster(t)
        const backupId = (await call('POST', `${t.mesdb}/backups`, {description: 'b', sourceClusterId: clusterId})).json().id
        await t.cloud.ctx.runner.idle()
        t.engine.restore = async () => {
          throw verdict()
        }
        const restore = await call('POST', `${t.mesdb}/clusters`, {...clusterBody, sourceBackupId: backupId})
        assert.equal(restore.statusCode, 202)
        await t.cloud.ctx.runner.idle()
        const backup = (await call('GET', `${t.mesdb}/backups/${backupId}`)).json().backup
        assert.equal(backup.status, 'defunct')
        assert.match(backup.details, /md5 mismatch/)
        const again = await call('POST', `${t.mesdb}/clusters`, {...clusterBody, sourceBackupId: backupId})
        assert.equal(again.statusCode, 409, again.body)
      })
    }

    it('keeps a backup available when a restore fails for another reason', async () => {
      const clusterId = await createCluster(t)
      const backupId = (await call('POST', `${t.mesdb}/backups`, {description: 'b', sourceClusterId: clusterId})).json().id
      await t.cloud.ctx.runner.idle()
      t.engine.failWith = 'EACCES: permission denied'
      await call('POST', `${t.mesdb}/clusters`, {...clusterBody, sourceBackupId: backupId})
      await t.cloud.ctx.runner.idle()
      assert.equal((await call('GET', `${t.mesdb}/backups/${backupId}`)).json().backup.status, 'available')
    })
  })

  // Finding 6: credentials in a node URL reached backup details, API answers and server.log.
  describe('URL credentials', () => {
    it('never stores, serves or logs user:password@ of a URL', async () => {
      const db = await fakeDataDir(join(await tempDir('esc-node-'), 'node1'))
      const attached = await call('POST', '/local/v1/clusters/attach', {db, nodeUrl: 'http://admin:s3cret@127.0.0.1:2113'})
      assert.equal(attached.statusCode, 201, attached.body)
      const clusterId = attached.json().id
      const jobId = (
        await call('POST', `${t.orchestrate}/jobs`, {
          type: 'ScheduledBackup',
          description: 'j',
          schedule: '0 * * * *',
          data: {clusterId, description: 'x', maxBackupCount: 3},
        })
      ).json().id
      t.engine.failWith = 'node guard: cannot reach http://admin:s3cret@127.0.0.1:2113/gossip: ECONNREFUSED'
      const manual = (await call('POST', `${t.mesdb}/backups`, {description: 'b', sourceClusterId: clusterId})).json().id
      await t.cloud.ctx.runner.idle()
      await call('POST', `${t.orchestrate}/jobs/${jobId}/run`)
      await t.cloud.ctx.runner.idle()
      assert.deepEqual(
        t.engine.backups[0].nodeGuard,
        {url: 'http://127.0.0.1:2113', username: 'admin', password: 's3cret'},
        'the credentials reach the node guard as Basic auth',
      )
      const answers = [
        (await call('GET', `${t.mesdb}/backups/${manual}`)).body,
        (await call('GET', `${t.mesdb}/backups`)).body,
        (await call('GET', `${t.mesdb}/clusters/${clusterId}`)).body,
        (await call('GET', `${t.orchestrate}/history`)).body,
      ]
      assert.match(answers[0], /\*\*\*@127\.0\.0\.1/, answers[0])
      const store = t.cloud.ctx.store.db
        .prepare('SELECT details FROM backups UNION ALL SELECT details FROM history UNION ALL SELECT node_url FROM clusters')
        .all()
      for (const text of [...answers, logs.join('\n'), JSON.stringify(store)]) assert.doesNotMatch(text, /s3cret/, text)
    })
  })
})
