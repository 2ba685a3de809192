import {strict as assert} from 'node:assert'
import nock from 'nock'

import {tmpHome} from '../../../support/tmp-home.js'
import {API, BACKUPS, ORG, PROJECT, problem, useBackupsEnv} from './helpers.js'

const SEED = [
  'mesdb',
  'backups',
  'create',
  '--description',
  'on demand backup',
  '--source-cluster-id',
  'c1eut65o0aeu6ojco7a0',
  '--project-id',
  PROJECT,
]
const BODY = '{"description":"on demand backup","sourceClusterId":"c1eut65o0aeu6ojco7a0"}'

describe('esc mesdb backups create', () => {
  const {env, esc} = useBackupsEnv()

  it('runs the seed command verbatim (org from the default profile) and prints BackupId("…")', async () => {
    const scope = nock(API, {
      reqheaders: {
        authorization: 'Bearer tok',
        'content-type': 'application/json',
        accept: 'application/json',
        'user-agent': /^esc\/\d+\.\d+\.\d+ node\/v\d+/,
      },
    })
      .post(BACKUPS, BODY)
      .reply(200, {id: 'c1ev3l5o0aeu6ojco7b0'})
    const r = await esc(SEED, {env: env()})
    assert.equal(r.stdout, 'BackupId("c1ev3l5o0aeu6ojco7b0")\n')
    assert.equal(r.stderr, '')
    assert.equal(r.exitCode, 0)
    assert.ok(scope.isDone())
  })

  it('--json prints a bare JSON string without a newline; -q just the id', async () => {
    nock(API).post(BACKUPS, BODY).twice().reply(200, {id: 'b1'})
    const a = await esc([...SEED, '--json'], {env: env()})
    assert.equal(a.stdout, '"b1"')
    const b = await esc([...SEED, '-q'], {env: env()})
    assert.equal(b.stdout, 'b1\n')
  })

  it('--fmt table (and a terminal by default) says what was created', async () => {
    nock(API).post(BACKUPS, BODY).twice().reply(200, {id: 'b1'})
    assert.equal((await esc([...SEED, '--fmt', 'table'], {env: env()})).stdout, 'Created backup b1\n')
    assert.equal((await esc(SEED, {env: env(), tty: true})).stdout, 'Created backup b1\n')
  })

  it('--fmt api echoes the request body then the raw response; api-verbose adds method, URL and status', async () => {
    nock(API).post(BACKUPS, BODY).twice().reply(200, '{"id":"b1"}')
    const a = await esc([...SEED, '--fmt', 'api'], {env: env()})
    assert.equal(a.stdout, `${BODY}\n{"id":"b1"}\n`)
    const b = await esc([...SEED, '--fmt', 'api-verbose'], {env: env()})
    assert.equal(b.stdout, `POST ${API}${BACKUPS}\n${BODY}\nstatus: 200\n{"id":"b1"}\n`)
    assert.equal(b.stderr, '')
  })

  it('requires --source-cluster-id and --description (exit 2)', async () => {
    const r = await esc(['mesdb', 'backups', 'create', '--description', 'x', '--project-id', PROJECT], {env: env()})
    assert.equal(r.exitCode, 2)
    assert.match(r.stderr, /^Error: .*source-cluster-id/)
    assert.equal(r.stdout, '')
  })

  it("without an org anywhere: esc's message plus the flag and env var that would supply it (exit 2)", async () => {
    const empty = await tmpHome({token: false})
    try {
      const r = await esc(SEED, {env: {...env(), ...empty.env}})
      assert.equal(r.exitCode, 2)
      assert.equal(
        r.stderr,
        "Error: Invalid value for '--org-id <org-id>': Not provided and you don't have an org-id property set in the [context] section of your settings.toml file\n" +
          '  Pass --org-id <id>, set ESC_ORG_ID, or run `esc profiles set -p default -n org-id -v <id>`\n',
      )
    } finally {
      await empty.cleanup()
    }
  })

  it('400 with field errors: one line plus one indented line per field (exit 1)', async () => {
    nock(API)
      .post(BACKUPS)
      .reply(
        400,
        problem(400, 'Validation failed', 'the request is invalid', {description: 'must not be empty', sourceClusterId: 'unknown cluster'}),
      )
    const r = await esc(SEED, {env: env()})
    assert.equal(r.exitCode, 1)
    assert.equal(r.stdout, '')
    assert.equal(
      r.stderr,
      `Error: Validation failed: the request is invalid (HTTP 400 POST ${BACKUPS})\n  description: must not be empty\n  sourceClusterId: unknown cluster\n`,
    )
  })

  it('409 (cluster locked by another backup) exits 1 with the problem title and detail', async () => {
    nock(API)
      .post(BACKUPS)
      .reply(409, problem(409, 'Conflict', 'cluster c1eut65o0aeu6ojco7a0 is locked by another operation'))
    const r = await esc(SEED, {env: env()})
    assert.equal(r.exitCode, 1)
    // Followed by the flag that waits for the lock (added by the friction fixes).
    assert.equal(
      r.stderr,
      `Error: Conflict: cluster c1eut65o0aeu6ojco7a0 is locked by another operation (HTTP 409 POST ${BACKUPS})\n` +
        '  Pass --retry-on-lock to retry until the cluster is free (a scheduled backup may hold it)\n',
    )
  })

  it('429 on POST is not retried', async () => {
    nock(API).post(BACKUPS).once().reply(429, problem(429, 'Too Many Requests'), {'Retry-After': '1'})
    const r = await esc(SEED, {env: env()})
    assert.equal(r.exitCode, 1)
    assert.deepEqual(r.sleeps, [])
    assert.equal(r.stderr, `Error: Too Many Requests (HTTP 429 POST ${BACKUPS})\n`)
  })

  it('500 in --fmt api: request body, status and body on stdout, nothing on stderr, exit 1', async () => {
    nock(API).post(BACKUPS).reply(500, '{"title":"boom"}')
    const r = await esc([...SEED, '--fmt', 'api'], {env: env()})
    assert.equal(r.exitCode, 1)
    assert.equal(r.stdout, `${BODY}\nstatus: 500\n{"title":"boom"}\n`)
    assert.equal(r.stderr, '')
  })

  it('401 with ESC_ACCESS_TOKEN: refresh is impossible, exit 3', async () => {
    nock(API).post(BACKUPS).reply(401)
    const r = await esc(SEED, {env: env()})
    assert.equal(r.exitCode, 3)
    assert.equal(r.stdout, '')
    assert.match(r.stderr, /^Error: the API rejected the access token in ESC_ACCESS_TOKEN\n/)
  })

  it('401 with a stored token: refreshes it at the identity provider and retries once', async () => {
    const home = await tmpHome({profile: {orgId: ORG}, token: {access_token: 'old-token', refresh_token: 'rt-1'}})
    try {
      const idp = nock('http://127.0.0.1:2181')
        .post('/oauth/token', (b) => b.grant_type === 'refresh_token' && b.refresh_token === 'rt-1')
        .reply(200, {access_token: 'new-token', scope: 'cloud:access', expires_in: 3600, token_type: 'Bearer'})
      nock(API, {reqheaders: {authorization: 'Bearer old-token'}})
        .post(BACKUPS, BODY)
        .reply(401)
      nock(API, {reqheaders: {authorization: 'Bearer new-token'}})
        .post(BACKUPS, BODY)
        .reply(200, {id: 'b7'})
      const r = await esc(SEED, {env: {...env(), ...home.env, ESC_ACCESS_TOKEN: undefined, ESC_IDENTITY_URL: 'http://127.0.0.1:2181'}})
      assert.equal(r.stderr, '')
      assert.equal(r.stdout, 'BackupId("b7")\n')
      assert.equal(r.exitCode, 0)
      assert.ok(idp.isDone())
    } finally {
      await home.cleanup()
    }
  })

  it('401 with a stored token whose refresh is refused: exit 3', async () => {
    const home = await tmpHome({profile: {orgId: ORG}, token: {access_token: 'old-token', refresh_token: 'rt-1'}})
    try {
      nock('http://127.0.0.1:2181').post('/oauth/token').reply(403, {error: 'invalid_grant'})
      nock(API).post(BACKUPS).reply(401)
      const r = await esc(SEED, {env: {...env(), ...home.env, ESC_ACCESS_TOKEN: undefined, ESC_IDENTITY_URL: 'http://127.0.0.1:2181'}})
      assert.equal(r.exitCode, 3)
      assert.equal(r.stdout, '')
      assert.match(r.stderr, /^Error: .*not authorized/)
    } finally {
      await home.cleanup()
    }
  })
})
