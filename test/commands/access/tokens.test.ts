import assert from 'node:assert/strict'
import {existsSync, mkdirSync, readFileSync, statSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'

import nock from 'nock'

import {runCli} from '../../support/run-cli.js'
import {type TempHome, tempHome} from '../../lib/client/config/temp-home.js'

const IDP = 'http://127.0.0.1:2180'

describe('esc access tokens …', () => {
  let t: TempHome
  let bodies: string[]
  const tokenFile = () => join(t.configDir, 'tokens', 'api.eventstore.cloud')
  const esc = (...argv: string[]) => runCli(argv, {env: {...t.env, ESC_IDENTITY_URL: IDP}})

  before(() => nock.disableNetConnect())
  after(() => nock.enableNetConnect())
  beforeEach(() => {
    t = tempHome()
    bodies = []
  })
  afterEach(() => {
    nock.cleanAll()
    t.cleanup()
  })

  it("create --noninteractive prints esc's message and exits 255, even with --unsafe-password", async () => {
    const r = await esc('access', 'tokens', 'create', '-e', 'me@example.com', '--unsafe-password', 'pw', '--noninteractive')
    assert.deepEqual([r.stdout, r.exitCode], ['--noninteractive mode set, cannot prompt for password\n', 255])
    assert.equal(existsSync(tokenFile()), false)
  })

  it('create with email and password: password grant, prints only the refresh token, stores the token (0600)', async () => {
    nock(IDP)
      .post('/oauth/token')
      .reply((_uri, body) => {
        bodies.push(String(body))
        return [
          200,
          {access_token: 'acc', refresh_token: 'ref-123', scope: 'cloud:access offline_access', expires_in: 86400, token_type: 'Bearer'},
        ]
      })
    const r = await esc('access', 'tokens', 'create', '--email', 'me@example.com', '--unsafe-password', 'pw')
    assert.deepEqual([r.stdout, r.stderr, r.exitCode], ['ref-123\n', '', 0])
    assert.equal(
      bodies[0],
      'grant_type=password&username=me%40example.com&password=pw&scope=cloud%3Aaccess+offline_access&client_id=OraYp3cFES9O8aWuQtnqi1A7m534iTwt&audience=https%3A%2F%2Fapi.eventstore.cloud',
    )
    assert.equal(
      readFileSync(tokenFile(), 'utf8'),
      '{"access_token":"acc","refresh_token":"ref-123","scope":"cloud:access offline_access","expires_in":86400,"token_type":"Bearer"}',
    )
    assert.equal(statSync(tokenFile()).mode & 0o777, 0o600)
    const shown = await esc('access', 'tokens', 'display')
    assert.deepEqual([shown.stdout, shown.exitCode], ['ref-123\n', 0])
  })

  it('create --no-keychain stores the token in the file the official esc reads (0600)', async () => {
    nock(IDP).post('/oauth/token').reply(200, {
      access_token: 'acc',
      refresh_token: 'ref-9',
      scope: 'cloud:access offline_access',
      expires_in: 86400,
      token_type: 'Bearer',
    })
    const r = await esc('access', 'tokens', 'create', '-e', 'me@example.com', '--unsafe-password', 'pw', '--no-keychain')
    assert.deepEqual([r.stdout, r.stderr, r.exitCode], ['ref-9\n', '', 0])
    assert.equal(JSON.parse(readFileSync(tokenFile(), 'utf8')).refresh_token, 'ref-9')
    assert.equal(statSync(tokenFile()).mode & 0o777, 0o600)
  })

  it('create with a wrong password: exit 3, nothing stored', async () => {
    nock(IDP).post('/oauth/token').reply(403, {error: 'invalid_grant', error_description: 'Wrong email or password.'})
    const r = await esc('access', 'tokens', 'create', '-e', 'me@example.com', '--unsafe-password', 'bad')
    assert.equal(r.exitCode, 3)
    assert.equal(r.stdout, '')
    assert.match(r.stderr, /^Error: 403: not authorized \(password grant refused by the identity provider: Wrong email or password\.\)/)
    assert.equal(existsSync(tokenFile()), false)
  })

  it('create rejects a malformed email before calling anyone (exit 2)', async () => {
    const r = await esc('access', 'tokens', 'create', '-e', 'not-an-email', '--unsafe-password', 'pw')
    assert.equal(r.exitCode, 2)
    assert.match(r.stderr, /invalid email "not-an-email"/)
  })

  it('display without a stored token: "No active refresh token" and exit 255', async () => {
    const r = await esc('access', 'tokens', 'display')
    assert.deepEqual([r.stdout, r.exitCode], ['No active refresh token\n', 255])
  })

  it('display reads a token file written by the official esc', async () => {
    mkdirSync(join(t.configDir, 'tokens'), {recursive: true})
    writeFileSync(
      tokenFile(),
      '{"access_token":"a","refresh_token":"esc-written-refresh","scope":"cloud:access offline_access","expires_in":86400,"token_type":"Bearer"}',
      {mode: 0o600},
    )
    const r = await esc('access', 'tokens', 'display')
    assert.deepEqual([r.stdout, r.stderr, r.exitCode], ['esc-written-refresh\n', '', 0])
  })
})
