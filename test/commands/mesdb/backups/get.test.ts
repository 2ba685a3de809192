import {strict as assert} from 'node:assert'
import http from 'node:http'
import type {AddressInfo} from 'node:net'
import nock from 'nock'

import {backup} from '../../../lib/client/api/fixtures.js'
import {API, BACKUPS, PROJECT, problem, useBackupsEnv} from './helpers.js'

const ID = 'c1ev3l5o0aeu6ojco7b0'
const SEED = ['mesdb', 'backups', 'get', '--project-id', PROJECT, '--id', ID]
const DEBUG_LINE =
  `Backup { id: BackupId("${ID}"), project_id: ProjectId("${PROJECT}"), source_cluster_id: ClusterId("c1eut65o0aeu6ojco7a0"), ` +
  'source_cluster_description: "Demo-Backup", description: "on demand backup", size_gb: 8, provider: Aws, region: "eu-central-1", ' +
  'status: "available", created: "2021-03-26T14:38:12+00:00", linked_resource: None }\n'

describe('esc mesdb backups get', () => {
  const {env, esc} = useBackupsEnv()

  it("runs the seed command verbatim and prints esc's Debug line", async () => {
    const scope = nock(API, {reqheaders: {authorization: 'Bearer tok', accept: 'application/json'}})
      .get(`${BACKUPS}/${ID}`)
      .reply(200, {backup: backup()})
    const r = await esc(SEED, {env: env()})
    assert.equal(r.stdout, DEBUG_LINE)
    assert.equal(r.stderr, '')
    assert.equal(r.exitCode, 0)
    assert.ok(scope.isDone())
  })

  it('-i is --id; --json prints the v1 projection', async () => {
    nock(API)
      .get(`${BACKUPS}/${ID}`)
      .reply(200, {backup: backup({linkedResource: 'job1'})})
    const r = await esc(['mesdb', 'backups', 'get', '--project-id', PROJECT, '-i', ID, '--json'], {env: env()})
    assert.equal(
      r.stdout,
      JSON.stringify(
        {
          id: ID,
          projectId: PROJECT,
          sourceClusterId: 'c1eut65o0aeu6ojco7a0',
          sourceClusterDescription: 'Demo-Backup',
          description: 'on demand backup',
          sizeGb: 8,
          provider: 'aws',
          region: 'eu-central-1',
          status: 'available',
          created: '2021-03-26T14:38:12+00:00',
          linkedResource: 'job1',
        },
        null,
        2,
      ),
    )
  })

  it('--fmt api prints the raw body; api-verbose adds GET URL and status', async () => {
    const raw = JSON.stringify({backup: backup(), notInV1: true})
    nock(API).get(`${BACKUPS}/${ID}`).twice().reply(200, raw)
    assert.equal((await esc([...SEED, '--fmt', 'api'], {env: env()})).stdout, `${raw}\n`)
    assert.equal((await esc([...SEED, '--fmt', 'api-verbose'], {env: env()})).stdout, `GET ${API}${BACKUPS}/${ID}\nstatus: 200\n${raw}\n`)
  })

  it('defaults to a table on a terminal; the profile fmt wins over that', async () => {
    nock(API).get(`${BACKUPS}/${ID}`).reply(200, {backup: backup()})
    const r = await esc(SEED, {env: env(), tty: true})
    assert.match(r.stdout, /^ID {15}c1ev3l5o0aeu6ojco7b0\n/)
    assert.match(r.stdout, /\nCreated {10}2021-03-26 14:38 UTC \(.+ ago\)\n/)
  })

  it('an unknown status passes through; an unknown provider fails in cli (exit 1) but not in api', async () => {
    nock(API)
      .get(`${BACKUPS}/${ID}`)
      .reply(200, {backup: backup({status: 'vaulted'})})
    assert.match((await esc(SEED, {env: env()})).stdout, /status: "vaulted"/)
    nock(API)
      .get(`${BACKUPS}/${ID}`)
      .twice()
      .reply(200, {backup: backup({provider: 'oracle'})})
    const r = await esc(SEED, {env: env()})
    assert.equal(r.exitCode, 1)
    assert.equal(r.stdout, '')
    assert.equal(r.stderr, 'Error: unknown provider type: oracle\n')
    assert.equal((await esc([...SEED, '--fmt', 'api'], {env: env()})).exitCode, 0)
  })

  it('404: one line with title, detail, method and path (exit 1)', async () => {
    nock(API)
      .get(`${BACKUPS}/${ID}`)
      .reply(404, problem(404, 'Not Found', `backup ${ID} does not exist`))
    const r = await esc(SEED, {env: env()})
    assert.equal(r.exitCode, 1)
    assert.equal(r.stdout, '')
    assert.equal(r.stderr, `Error: Not Found: backup ${ID} does not exist (HTTP 404 GET ${BACKUPS}/${ID})\n`)
  })

  it('404 in --fmt api-verbose: the exchange on stdout, nothing on stderr, exit 1', async () => {
    const body = JSON.stringify(problem(404, 'Not Found'))
    nock(API).get(`${BACKUPS}/${ID}`).reply(404, body)
    const r = await esc([...SEED, '--fmt', 'api-verbose'], {env: env()})
    assert.equal(r.exitCode, 1)
    assert.equal(r.stdout, `GET ${API}${BACKUPS}/${ID}\nstatus: 404\n${body}\n`)
    assert.equal(r.stderr, '')
  })

  it('403 is an auth error (exit 3)', async () => {
    nock(API)
      .get(`${BACKUPS}/${ID}`)
      .reply(403, problem(403, 'Forbidden', 'no access to project'))
    const r = await esc(SEED, {env: env()})
    assert.equal(r.exitCode, 3)
    assert.equal(
      r.stderr,
      `Error: Forbidden: no access to project (HTTP 403 GET ${BACKUPS}/${ID})\n  Your account lacks permission for this organization or project\n`,
    )
  })

  it('500 without problem details shows an excerpt of the body (exit 1)', async () => {
    nock(API).get(`${BACKUPS}/${ID}`).reply(500, 'upstream\nexploded')
    const r = await esc(SEED, {env: env()})
    assert.equal(r.exitCode, 1)
    assert.equal(r.stderr, `Error: Internal server error: upstream exploded (HTTP 500 GET ${BACKUPS}/${ID})\n`)
  })

  it('429 with Retry-After is retried for GET, then succeeds', async () => {
    nock(API).get(`${BACKUPS}/${ID}`).reply(429, '', {'Retry-After': '3'}).get(`${BACKUPS}/${ID}`).reply(200, {backup: backup()})
    const r = await esc(SEED, {env: env()})
    assert.equal(r.exitCode, 0)
    assert.deepEqual(r.sleeps, [3000])
    assert.equal(r.stdout, DEBUG_LINE)
  })

  it('a non-JSON 2xx body is an error naming URL and status; --fmt api shows the body first', async () => {
    nock(API).get(`${BACKUPS}/${ID}`).twice().reply(200, 'OK')
    const r = await esc(SEED, {env: env()})
    assert.equal(r.exitCode, 1)
    assert.equal(r.stderr, `Error: unexpected response from the API: body is not JSON: "OK" (HTTP 200 GET ${API}${BACKUPS}/${ID})\n`)
    const a = await esc([...SEED, '--fmt', 'api'], {env: env()})
    assert.equal(a.exitCode, 1)
    assert.equal(a.stdout, 'OK\n')
  })

  it('a missing required field is an error (exit 1)', async () => {
    const {created: _c, ...noCreated} = backup()
    nock(API).get(`${BACKUPS}/${ID}`).reply(200, {backup: noCreated})
    const r = await esc(SEED, {env: env()})
    assert.equal(r.exitCode, 1)
    assert.equal(
      r.stderr,
      `Error: unexpected response from the API: missing required field "backup.created" (HTTP 200 GET ${API}${BACKUPS}/${ID})\n`,
    )
  })

  it('--debug traces the exchange on stderr without the token', async () => {
    nock(API).get(`${BACKUPS}/${ID}`).reply(200, {backup: backup()})
    const r = await esc([...SEED, '--debug'], {env: {...env(), ESC_ACCESS_TOKEN: 'SECRET-TOKEN-VALUE'}})
    assert.equal(r.exitCode, 0)
    assert.equal(r.stdout, DEBUG_LINE)
    assert.match(r.stderr, new RegExp(`\\[debug\\] GET ${API}${BACKUPS}/${ID}\n`))
    assert.match(r.stderr, /\[debug\] status: 200 in \d+ ms\n/)
    assert.ok(!r.stderr.includes('SECRET-TOKEN-VALUE'))
  })

  describe('network failures', () => {
    it('connection refused: exit 1 and the fix', async () => {
      nock.enableNetConnect('127.0.0.1')
      const probe = http.createServer()
      await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve))
      const url = `http://127.0.0.1:${(probe.address() as AddressInfo).port}`
      await new Promise<void>((resolve) => probe.close(() => resolve()))
      const r = await esc(SEED, {env: {...env(), ESC_API_URL: url}})
      nock.disableNetConnect()
      assert.equal(r.exitCode, 1)
      assert.equal(
        r.stderr,
        `Error: could not connect to ${url}: connection refused — is the local cloud running? start it with \`esc local start\`, or set --api-url/ESC_API_URL\n`,
      )
    })

    it('a stalled API times out after ESC_HTTP_TIMEOUT (exit 1)', async () => {
      nock.enableNetConnect('127.0.0.1')
      const stalled = http.createServer(() => {})
      await new Promise<void>((resolve) => stalled.listen(0, '127.0.0.1', resolve))
      const url = `http://127.0.0.1:${(stalled.address() as AddressInfo).port}`
      try {
        const r = await esc(SEED, {env: {...env(), ESC_API_URL: url, ESC_HTTP_TIMEOUT: '200ms'}})
        assert.equal(r.exitCode, 1)
        assert.equal(r.stderr, `Error: GET ${BACKUPS}/${ID} timed out after 200 ms — set ESC_HTTP_TIMEOUT to wait longer\n`)
      } finally {
        nock.disableNetConnect()
        stalled.closeAllConnections()
        await new Promise<void>((resolve) => stalled.close(() => resolve()))
      }
    })
  })
})
