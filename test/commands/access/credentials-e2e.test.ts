import assert from 'node:assert/strict'
import {existsSync, mkdirSync, readFileSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'

import nock from 'nock'

import {runCli} from '../../support/run-cli.js'
import {type TempHome, tempHome} from '../../lib/client/config/temp-home.js'
import {fakeJwt} from '../../lib/client/auth/jwt.js'

const API = 'http://127.0.0.1:2181'
const IDP = 'http://127.0.0.1:2180'

/** Credentials through a real command (mesdb backups list) and the API client. */
describe('credentials end to end (esc mesdb backups list)', () => {
  let t: TempHome
  const tokenFile = () => join(t.configDir, 'tokens', 'api.eventstore.cloud')
  const env = (extra: Record<string, string> = {}) => ({
    ...t.env,
    ESC_API_URL: API,
    ESC_IDENTITY_URL: IDP,
    ESC_ORG_ID: 'o1',
    ESC_PROJECT_ID: 'p1',
    ESC_ACCESS_TOKEN: undefined,
    ESC_TOKEN: undefined,
    ESC_CLIENT_ID: undefined,
    ESC_CLIENT_SECRET: undefined,
    ESC_REFRESH_TOKEN: undefined,
    ...extra,
  })
  const list = (extra: Record<string, string> = {}, ...flags: string[]) =>
    runCli(['mesdb', 'backups', 'list', '--fmt', 'api', ...flags], {env: env(extra)})

  before(() => nock.disableNetConnect())
  after(() => nock.enableNetConnect())
  beforeEach(() => {
    t = tempHome()
  })
  afterEach(() => {
    nock.cleanAll()
    t.cleanup()
  })

  it('without credentials: exit 3 and the list of options on stderr, nothing on stdout', async () => {
    const r = await list({}, '--noninteractive')
    assert.equal(r.exitCode, 3)
    assert.equal(r.stdout, '')
    assert.match(
      r.stderr,
      /^Error: No previous token was found and interactive mode is disabled\. Authenticate with one of: --refresh-token <token>; ESC_ACCESS_TOKEN=<access token>; ESC_TOKEN or ESC_REFRESH_TOKEN=<refresh token>; ESC_CLIENT_ID and ESC_CLIENT_SECRET \(service account\); or run `esc access tokens create` once to store a token\n/,
    )
  })

  it('ESC_ACCESS_TOKEN goes straight into the Authorization header', async () => {
    let auth: string | undefined
    nock(API)
      .get('/mesdb/v1/organizations/o1/projects/p1/backups')
      .reply(function () {
        auth = this.req.headers.authorization as string
        return [200, {backups: []}]
      })
    const r = await list({ESC_ACCESS_TOKEN: 'env-token'})
    assert.equal(r.exitCode, 0, r.stderr)
    assert.equal(auth, 'Bearer env-token')
  })

  it('`export ESC_TOKEN=$(esc access tokens display)`: the refresh token is exchanged, the access token used, nothing stored', async () => {
    const fresh = fakeJwt(Math.floor(Date.now() / 1000) + 3600)
    let grant = ''
    nock(IDP)
      .post('/oauth/token')
      .reply((_uri, body) => {
        grant = String(body)
        return [200, {access_token: fresh, scope: 'cloud:access', expires_in: 3600, token_type: 'Bearer'}]
      })
    let auth: string | undefined
    nock(API)
      .get('/mesdb/v1/organizations/o1/projects/p1/backups')
      .reply(function () {
        auth = this.req.headers.authorization as string
        return [200, {backups: []}]
      })
    const r = await list({ESC_TOKEN: 'displayed-refresh'}, '--noninteractive')
    assert.equal(r.exitCode, 0, r.stderr)
    assert.equal(grant, 'grant_type=refresh_token&client_id=OraYp3cFES9O8aWuQtnqi1A7m534iTwt&refresh_token=displayed-refresh')
    assert.equal(auth, `Bearer ${fresh}`)
    assert.equal(existsSync(tokenFile()), false)
  })

  it('an expired stored token is refreshed at the identity URL, used, and stored again', async () => {
    mkdirSync(join(t.configDir, 'tokens'), {recursive: true})
    const expired = fakeJwt(Math.floor(Date.now() / 1000) - 600)
    writeFileSync(
      tokenFile(),
      JSON.stringify({access_token: expired, refresh_token: 'stored-refresh', scope: 's', expires_in: 60, token_type: 'Bearer'}),
      {mode: 0o600},
    )
    const fresh = fakeJwt(Math.floor(Date.now() / 1000) + 3600)
    let grant = ''
    nock(IDP)
      .post('/oauth/token')
      .reply((_uri, body) => {
        grant = String(body)
        return [200, {access_token: fresh, scope: 's', expires_in: 3600, token_type: 'Bearer'}]
      })
    let auth: string | undefined
    nock(API)
      .get('/mesdb/v1/organizations/o1/projects/p1/backups')
      .reply(function () {
        auth = this.req.headers.authorization as string
        return [200, {backups: []}]
      })
    const r = await list()
    assert.equal(r.exitCode, 0, r.stderr)
    assert.equal(grant, 'grant_type=refresh_token&client_id=OraYp3cFES9O8aWuQtnqi1A7m534iTwt&refresh_token=stored-refresh')
    assert.equal(auth, `Bearer ${fresh}`)
    assert.equal(
      readFileSync(tokenFile(), 'utf8'),
      `{"access_token":"${fresh}","refresh_token":"stored-refresh","scope":"s","expires_in":3600,"token_type":"Bearer"}`,
    )
  })

  it('a 401 from the API triggers one refresh of the stored token and a retry', async () => {
    mkdirSync(join(t.configDir, 'tokens'), {recursive: true})
    writeFileSync(
      tokenFile(),
      JSON.stringify({access_token: 'opaque-old', refresh_token: 'stored-refresh', scope: 's', expires_in: 86400, token_type: 'Bearer'}),
      {mode: 0o600},
    )
    nock(IDP).post('/oauth/token').reply(200, {access_token: 'opaque-new', scope: 's', expires_in: 86400, token_type: 'Bearer'})
    const seen: string[] = []
    nock(API)
      .get('/mesdb/v1/organizations/o1/projects/p1/backups')
      .times(2)
      .reply(function () {
        seen.push(this.req.headers.authorization as string)
        return seen.length === 1 ? [401, ''] : [200, {backups: []}]
      })
    const r = await list()
    assert.equal(r.exitCode, 0, r.stderr)
    assert.deepEqual(seen, ['Bearer opaque-old', 'Bearer opaque-new'])
    assert.equal(JSON.parse(readFileSync(tokenFile(), 'utf8')).access_token, 'opaque-new')
  })
})
