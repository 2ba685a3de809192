import {strict as assert} from 'node:assert'

import nock from 'nock'

import {API, capture, ORG, PROJECT, problem, useCommandEnv} from '../mesdb/clusters/helpers.js'

const ACLS = `/infra/v1/organizations/${ORG}/projects/${PROJECT}/acls`
const P = ['--project-id', PROJECT]
const acl = {
  cidrBlocks: [{address: '10.0.0.0/8', comment: 'Office VPN'}, {address: '192.168.1.7/32'}],
  created: '2024-05-01T10:00:00Z',
  description: 'office',
  id: 'c0acl1',
  projectId: PROJECT,
  status: 'active',
  extra: 'dropped',
}
const ACL_JSON = `{
  "cidrBlocks": [
    {
      "address": "10.0.0.0/8",
      "comment": "Office VPN"
    },
    {
      "address": "192.168.1.7/32"
    }
  ],
  "created": "2024-05-01T10:00:00Z",
  "description": "office",
  "id": "c0acl1",
  "projectId": "${PROJECT}",
  "status": "active"
}`
const indent = (s: string) => s.replaceAll('\n', '\n  ')

describe('esc infra acls', () => {
  const {env, esc} = useCommandEnv()

  it('create parses each --cidr-blocks "<cidr>,<comment>" (several after one flag, or repeated) and prints {"id"} in cli and json', async () => {
    const c = capture({id: 'c0acl1'})
    nock(API).post(ACLS).times(5).reply(c.reply)
    const args = ['infra', 'acls', 'create', ...P, '--description', 'office']
    const cli = await esc([...args, '--cidr-blocks', '10.0.0.0/8,Office VPN', '192.168.1.7', '--cidr-blocks', '172.16.0.0/12,'], {
      env: env(),
    })
    assert.equal(cli.stderr, '')
    assert.equal(cli.stdout, '{\n  "id": "c0acl1"\n}')
    assert.equal(
      c.bodies[0],
      '{"cidrBlocks":[{"address":"10.0.0.0/8","comment":"Office VPN"},{"address":"192.168.1.7/32"},{"address":"172.16.0.0/12","comment":""}],"description":"office"}',
    )
    assert.equal((await esc([...args, '--json'], {env: env()})).stdout, '{\n  "id": "c0acl1"\n}')
    assert.equal(c.bodies[1], '{"cidrBlocks":[],"description":"office"}')
    assert.equal((await esc([...args, '-q'], {env: env()})).stdout, 'c0acl1\n')
    assert.equal((await esc([...args, '--fmt', 'table'], {env: env()})).stdout, 'Created acl c0acl1\n')
    assert.equal((await esc([...args, '--fmt', 'api'], {env: env()})).stdout, '{"cidrBlocks":[],"description":"office"}\n{"id":"c0acl1"}\n')
  })

  it('create refuses a bad CIDR in one line and sends nothing', async () => {
    const r = await esc(['infra', 'acls', 'create', ...P, '--description', 'd', '--cidr-blocks', '10.0.0.1/8,x'], {env: env()})
    assert.equal(r.exitCode, 2)
    assert.equal(
      r.stderr,
      `Error: Invalid value for '--cidr-blocks <cidr-blocks>...': 10.0.0.1/8: Invalid CIDR input: host part of address was not zero; give "<cidr>,<optional comment>" such as "10.0.0.0/8,Office VPN"\n`,
    )
    const none = await esc(['infra', 'acls', 'create', ...P], {env: env()})
    assert.equal(none.exitCode, 2)
    assert.match(none.stderr, /Missing required flag description/)
  })

  it('get prints the API answer, wrapper kept, in cli and json alike; unknown fields dropped', async () => {
    nock(API).get(`${ACLS}/c0acl1`).times(5).reply(200, {acl})
    const get = ['infra', 'acls', 'get', ...P, '-i', 'c0acl1']
    const expected = `{\n  "acl": ${indent(ACL_JSON)}\n}`
    assert.equal((await esc(get, {env: env()})).stdout, expected)
    assert.equal((await esc([...get, '--json'], {env: env()})).stdout, expected)
    assert.equal((await esc([...get, '-q'], {env: env()})).stdout, 'c0acl1\n')
    assert.match(
      (await esc([...get, '--fmt', 'table'], {env: env()})).stdout,
      /CIDR blocks\s+10\.0\.0\.0\/8 \(Office VPN\), 192\.168\.1\.7\/32/,
    )
    assert.equal((await esc([...get, '--fmt', 'api'], {env: env()})).stdout, `${JSON.stringify({acl})}\n`)
  })

  it('get shows updated after status when the API sends it', async () => {
    nock(API)
      .get(`${ACLS}/c0acl1`)
      .reply(200, {acl: {...acl, updated: '2024-05-02T10:00:00Z'}})
    const r = await esc(['infra', 'acls', 'get', ...P, '-i', 'c0acl1'], {env: env()})
    assert.match(r.stdout, /"status": "active",\n {4}"updated": "2024-05-02T10:00:00Z"\n {2}}\n}$/)
  })

  it('list keeps the {"acls"} wrapper, also when empty', async () => {
    nock(API)
      .get(ACLS)
      .reply(200, {acls: [acl]})
    const args = ['infra', 'acls', 'list', ...P]
    assert.equal((await esc(args, {env: env()})).stdout, `{\n  "acls": [\n    ${ACL_JSON.replaceAll('\n', '\n    ')}\n  ]\n}`)
    nock(API).get(ACLS).twice().reply(200, {acls: []})
    assert.equal((await esc(args, {env: env()})).stdout, '{\n  "acls": []\n}')
    assert.equal((await esc([...args, '-q'], {env: env()})).stdout, '')
  })

  it('update always sends cidrBlocks (without the flag, [] empties the list) and description only when given', async () => {
    const c = capture('')
    nock(API).put(`${ACLS}/c0acl1`).twice().reply(c.reply)
    const a = await esc(['infra', 'acls', 'update', ...P, '-i', 'c0acl1'], {env: env()})
    assert.equal(a.exitCode, 0, a.stderr)
    assert.equal(a.stdout, '')
    assert.equal(c.bodies[0], '{"cidrBlocks":[]}')
    const b = await esc(['infra', 'acls', 'update', ...P, '-i', 'c0acl1', '--cidr-blocks', '10.1.0.0/16,lab', '--description', 'lab'], {
      env: env(),
    })
    assert.equal(b.exitCode, 0, b.stderr)
    assert.equal(c.bodies[1], '{"cidrBlocks":[{"address":"10.1.0.0/16","comment":"lab"}],"description":"lab"}')
  })

  it('delete sends DELETE and prints nothing; a 409 (a cluster uses it) is one line, exit 1', async () => {
    nock(API).delete(`${ACLS}/c0acl1`).reply(204)
    const r = await esc(['infra', 'acls', 'delete', ...P, '-i', 'c0acl1'], {env: env()})
    assert.equal(r.exitCode, 0, r.stderr)
    assert.equal(r.stdout, '')
    nock(API)
      .delete(`${ACLS}/c0acl1`)
      .reply(409, problem(409, 'Conflict', 'acl c0acl1 is used by cluster c1'))
    const busy = await esc(['infra', 'acls', 'delete', ...P, '-i', 'c0acl1'], {env: env()})
    assert.equal(busy.exitCode, 1)
    assert.equal(busy.stderr, `Error: Conflict: acl c0acl1 is used by cluster c1 (HTTP 409 DELETE ${ACLS}/c0acl1)\n`)
  })
})
