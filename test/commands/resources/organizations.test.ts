import {strict as assert} from 'node:assert'

import nock from 'nock'

import {API, capture, ORG, problem, useCommandEnv} from '../mesdb/clusters/helpers.js'

const ORGS = '/resources/v1/organizations'
const org = {id: 'c0org1', name: 'My Org', created: '2021-03-26T09:37:17.123456Z', provisioningEnabled: true}
const org2 = {id: 'c0org2', name: 'Second "quoted"', created: '2022-01-01T00:00:00Z', provisioningEnabled: false}
const ORG_DEBUG = 'Organization { id: OrgId("c0org1"), name: "My Org", created: 2021-03-26T09:37:17.123456Z }'
const ORG2_DEBUG = 'Organization { id: OrgId("c0org2"), name: "Second \\"quoted\\"", created: 2022-01-01T00:00:00Z }'

describe('esc resources organizations', () => {
  const {env, esc} = useCommandEnv()

  it('create -n sends {"name"} and prints the id in every format', async () => {
    const c = capture({id: 'c0org1'})
    nock(API).post(ORGS).times(5).reply(c.reply)
    const args = ['resources', 'organizations', 'create', '-n', 'My Org']
    const cli = await esc(args, {env: env()})
    assert.equal(cli.stderr, '')
    assert.equal(cli.stdout, 'OrgId("c0org1")\n')
    assert.equal(c.bodies[0], '{"name":"My Org"}')
    assert.equal((await esc([...args, '--json'], {env: env()})).stdout, '"c0org1"')
    assert.equal((await esc([...args, '-q'], {env: env()})).stdout, 'c0org1\n')
    assert.equal((await esc([...args, '--fmt', 'table'], {env: env()})).stdout, 'Created organization c0org1\n')
    assert.equal(
      (await esc(['resources', 'organizations', 'create', '--name', 'My Org', '--fmt', 'api'], {env: env()})).stdout,
      '{"name":"My Org"}\n{"id":"c0org1"}\n',
    )
    assert.equal(c.bodies.length, 5)
  })

  it('create without --name is refused before anything is sent', async () => {
    const r = await esc(['resources', 'organizations', 'create'], {env: env()})
    assert.equal(r.exitCode, 2)
    assert.match(r.stderr, /Missing required flag name/)
  })

  it('get -i prints the projection (no provisioningEnabled) in every format', async () => {
    nock(API).get(`${ORGS}/c0org1`).times(5).reply(200, {organization: org})
    const get = ['resources', 'organizations', 'get', '-i', 'c0org1']
    assert.equal((await esc(get, {env: env()})).stdout, `${ORG_DEBUG}\n`)
    assert.equal(
      (await esc([...get, '--json'], {env: env()})).stdout,
      '{\n  "id": "c0org1",\n  "name": "My Org",\n  "created": "2021-03-26T09:37:17.123456Z"\n}',
    )
    assert.equal((await esc([...get, '-q'], {env: env()})).stdout, 'c0org1\n')
    assert.match((await esc([...get, '--fmt', 'table'], {env: env()})).stdout, /Name\s+My Org/)
    assert.equal((await esc([...get, '--fmt', 'api'], {env: env()})).stdout, `${JSON.stringify({organization: org})}\n`)
  })

  it('get without --id reads the org-id of the profile', async () => {
    nock(API)
      .get(`${ORGS}/${ORG}`)
      .reply(200, {organization: {...org, id: ORG}})
    const r = await esc(['resources', 'organizations', 'get'], {env: env()})
    assert.equal(r.exitCode, 0, r.stderr)
    assert.match(r.stdout, new RegExp(`OrgId\\("${ORG}"\\)`))
  })

  it('get refuses an answer without provisioningEnabled in one line', async () => {
    const {provisioningEnabled: _, ...bare} = org
    nock(API).get(`${ORGS}/c0org1`).reply(200, {organization: bare})
    const r = await esc(['resources', 'organizations', 'get', '-i', 'c0org1'], {env: env()})
    assert.equal(r.exitCode, 1)
    assert.match(r.stderr, /^Error: unexpected response from the API: missing required field "organization.provisioningEnabled"/)
    assert.equal(r.stderr.split('\n').length, 2)
  })

  it('list prints one line per organization and an empty line; [] in JSON; ids with -q', async () => {
    nock(API)
      .get(ORGS)
      .times(4)
      .reply(200, {organizations: [org, org2]})
    const args = ['resources', 'organizations', 'list']
    assert.equal((await esc(args, {env: env()})).stdout, `${ORG_DEBUG}\n${ORG2_DEBUG}\n\n`)
    const json = JSON.parse((await esc([...args, '--json'], {env: env()})).stdout) as unknown[]
    assert.deepEqual(json, [
      {id: 'c0org1', name: 'My Org', created: '2021-03-26T09:37:17.123456Z'},
      {id: 'c0org2', name: 'Second "quoted"', created: '2022-01-01T00:00:00Z'},
    ])
    assert.equal((await esc([...args, '-q'], {env: env()})).stdout, 'c0org1\nc0org2\n')
    assert.match((await esc([...args, '--fmt', 'table'], {env: env()})).stdout, /│ c0org2 │ Second "quoted" │/)
    nock(API).get(ORGS).twice().reply(200, {organizations: []})
    assert.equal((await esc(args, {env: env()})).stdout, '\n')
    assert.equal((await esc([...args, '--json'], {env: env()})).stdout, '[]')
  })

  it('update needs -i (no profile fallback) and -n; sends PUT {"name"} and prints nothing', async () => {
    const c = capture('')
    nock(API).put(`${ORGS}/c0org1`).reply(c.reply)
    const r = await esc(['resources', 'organizations', 'update', '-i', 'c0org1', '-n', 'Renamed'], {env: env()})
    assert.equal(r.exitCode, 0, r.stderr)
    assert.equal(r.stdout, '')
    assert.equal(c.bodies[0], '{"name":"Renamed"}')
    const noId = await esc(['resources', 'organizations', 'update', '-n', 'Renamed'], {env: env()})
    assert.equal(noId.exitCode, 2)
    assert.match(noId.stderr, /Missing required flag id/)
  })

  it('delete needs -i, sends DELETE and prints nothing; a 404 is one line, exit 1', async () => {
    nock(API).delete(`${ORGS}/c0org1`).reply(204)
    const r = await esc(['resources', 'organizations', 'delete', '--id', 'c0org1'], {env: env()})
    assert.equal(r.exitCode, 0, r.stderr)
    assert.equal(r.stdout, '')
    nock(API)
      .delete(`${ORGS}/nope`)
      .reply(404, problem(404, 'Not Found', 'Organization not found'))
    const missing = await esc(['resources', 'organizations', 'delete', '-i', 'nope'], {env: env()})
    assert.equal(missing.exitCode, 1)
    assert.equal(missing.stderr, `Error: Not Found: Organization not found (HTTP 404 DELETE ${ORGS}/nope)\n`)
    assert.equal((await esc(['resources', 'organizations', 'delete'], {env: env()})).exitCode, 2)
  })

  it('a 400 problem details is one line, exit 1', async () => {
    nock(API)
      .post(ORGS)
      .reply(400, problem(400, 'Bad Request', 'name is too long'))
    const r = await esc(['resources', 'organizations', 'create', '-n', 'x'], {env: env()})
    assert.equal(r.exitCode, 1)
    assert.equal(r.stderr, `Error: Bad Request: name is too long (HTTP 400 POST ${ORGS})\n`)
  })

  it('get-mfa-status and update-mfa-status: GET and POST …/mfa, in every format', async () => {
    nock(API).get(`${ORGS}/${ORG}/mfa`).times(5).reply(200, {mfaEnabled: true})
    const get = ['resources', 'organizations', 'get-mfa-status']
    assert.equal((await esc(get, {env: env()})).stdout, 'MfaStatus { mfa_enabled: true }\n')
    assert.equal((await esc([...get, '-q'], {env: env()})).stdout, 'true\n')
    assert.equal((await esc([...get, '--fmt', 'table'], {env: env()})).stdout, 'MFA required: yes\n')
    assert.equal((await esc([...get, '--json'], {env: env()})).stdout, '{\n  "mfaEnabled": true\n}')
    assert.equal((await esc([...get, '--fmt', 'api'], {env: env()})).stdout, '{"mfaEnabled":true}\n')
    const c = capture({mfaEnabled: false})
    nock(API).post(`${ORGS}/c0org1/mfa`).twice().reply(c.reply)
    const set = ['resources', 'organizations', 'update-mfa-status', '-i', 'c0org1', '-e', 'false']
    assert.equal((await esc(set, {env: env()})).stdout, 'UpdateMfaResponse { mfa_enabled: false }\n')
    assert.equal((await esc([...set, '--json'], {env: env()})).stdout, '{\n  "mfaEnabled": false\n}')
    assert.deepEqual(c.bodies, ['{"mfaEnabled":false}', '{"mfaEnabled":false}'])
  })

  it('update-mfa-status needs --enabled true or false', async () => {
    const none = await esc(['resources', 'organizations', 'update-mfa-status'], {env: env()})
    assert.equal(none.exitCode, 2)
    assert.match(none.stderr, /Missing required flag enabled/)
    const bad = await esc(['resources', 'organizations', 'update-mfa-status', '--enabled', 'yes'], {env: env()})
    assert.equal(bad.exitCode, 2)
    assert.match(bad.stderr, /Expected --enabled=yes to be one of: true, false/)
  })
})
