import {strict as assert} from 'node:assert'

import nock from 'nock'

import {API, capture, ORG, PROJECT, problem, useCommandEnv} from '../mesdb/clusters/helpers.js'

const PEERINGS = `/infra/v1/organizations/${ORG}/projects/${PROJECT}/peerings`
const NETWORKS = `/infra/v1/organizations/${ORG}/projects/${PROJECT}/networks`
const P = ['--project-id', PROJECT]
const peering = {
  created: '2024-05-01T10:00:00Z',
  description: 'peer',
  id: 'c0peer1',
  networkId: 'c0net1',
  networkCidrBlock: '172.21.0.0/16',
  projectId: PROJECT,
  provider: 'aws',
  peerAccountId: '123456789012',
  peerNetworkId: 'vpc-0abc',
  peerNetworkRegion: 'us-west-2',
  routes: ['10.20.0.0/16'],
  status: 'initiated',
}
const PEERING_DEBUG = `Peering { id: PeeringId("c0peer1"), project_id: ProjectId("${PROJECT}"), provider: Aws, network_id: NetworkId("c0net1"), description: "peer", peer_account: Some("123456789012"), peer_network: Some("vpc-0abc"), peer_network_region: "us-west-2", routes: ["10.20.0.0/16"], status: "initiated" }`
const CREATE = [
  'infra',
  'peerings',
  'create',
  ...P,
  '--network-id',
  'c0net1',
  '--peer-account-id',
  '123456789012',
  '--peer-network-id',
  'vpc-0abc',
  '--peer-network-region',
  'us-west-2',
  '--description',
  'peer',
]
const network = {
  cidrBlock: '172.21.0.0/16',
  created: 'x',
  description: 'n',
  id: 'c0net1',
  projectId: PROJECT,
  provider: 'aws',
  publicAccess: false,
  region: 'us-west-2',
  status: 'available',
}
const commands = [
  {
    language: 'shell',
    title: 'Accept the peering request',
    value: 'aws ec2 accept-vpc-peering-connection --vpc-peering-connection-id pcx-1',
  },
  {fileName: 'policy.json', language: 'json', title: 'Create role policy', value: '{\n  "a": 1\n}'},
]

describe('esc infra peerings', () => {
  const {env, esc} = useCommandEnv()

  it('create sends the official body (routes several per flag or repeated) and prints nothing on success but with -q or --fmt api', async () => {
    const c = capture({id: 'c0peer1'})
    nock(API).post(PEERINGS).times(4).reply(c.reply)
    const cli = await esc([...CREATE, '--routes', '10.20.0.0/16', '10.30.0.0/16'], {env: env()})
    assert.equal(cli.exitCode, 0, cli.stderr)
    assert.equal(cli.stdout, '')
    assert.equal(
      c.bodies[0],
      '{"networkId":"c0net1","description":"peer","peerAccountId":"123456789012","peerNetworkId":"vpc-0abc","peerNetworkRegion":"us-west-2","routes":["10.20.0.0/16","10.30.0.0/16"]}',
    )
    assert.equal((await esc([...CREATE, '--routes', 'a', '--routes', 'b', '--json'], {env: env()})).stdout, '')
    assert.match(c.bodies[1], /"routes":\["a","b"\]/)
    assert.equal((await esc([...CREATE, '-q'], {env: env()})).stdout, 'c0peer1\n')
    const api = await esc([...CREATE, '--fmt', 'api'], {env: env()})
    assert.equal(
      api.stdout,
      '{"networkId":"c0net1","description":"peer","peerAccountId":"123456789012","peerNetworkId":"vpc-0abc","peerNetworkRegion":"us-west-2","routes":[]}\n{"id":"c0peer1"}\n',
    )
  })

  it('create without --network-id sends "" (the official default)', async () => {
    const c = capture({id: 'c0peer1'})
    nock(API).post(PEERINGS).reply(c.reply)
    const args = [
      'infra',
      'peerings',
      'create',
      ...P,
      '--peer-account-id',
      '1',
      '--peer-network-id',
      'v',
      '--peer-network-region',
      'r',
      '--description',
      'p',
    ]
    assert.equal((await esc(args, {env: env()})).exitCode, 0)
    assert.equal(
      c.bodies[0],
      '{"networkId":"","description":"p","peerAccountId":"1","peerNetworkId":"v","peerNetworkRegion":"r","routes":[]}',
    )
  })

  it('a 501 problem details (the local cloud has no provider to peer with) is one line, exit 1', async () => {
    nock(API)
      .post(PEERINGS)
      .reply(501, problem(501, 'Not Implemented', 'peering needs a cloud provider; the local cloud has none'))
    const r = await esc(CREATE, {env: env()})
    assert.equal(r.exitCode, 1)
    assert.equal(r.stdout, '')
    assert.equal(r.stderr, `Error: Not Implemented: peering needs a cloud provider; the local cloud has none (HTTP 501 POST ${PEERINGS})\n`)
  })

  it('a 412 (the provider side needs configuration) fetches the network, asks for the commands and prints them, exit 0', async () => {
    nock(API)
      .post(PEERINGS)
      .times(2)
      .reply(412, problem(412, 'Precondition Failed', 'configure the provider'))
    nock(API).get(`${NETWORKS}/c0net1`).times(2).reply(200, {network})
    const c = capture({commands})
    nock(API).post(`${PEERINGS}/commands`).times(2).reply(c.reply)
    const r = await esc(CREATE, {env: env()})
    assert.equal(r.exitCode, 0, r.stderr)
    assert.equal(
      r.stdout,
      'Upstream provider requires configuration.\n\nAccept the peering request:\naws ec2 accept-vpc-peering-connection --vpc-peering-connection-id pcx-1\n\nCreate role policy:\n{\n  "a": 1\n}\n',
    )
    assert.equal(c.bodies[0], '{"provider":"aws","peerAccountId":"123456789012","peerNetworkId":"vpc-0abc"}')
    const json = await esc([...CREATE, '--json'], {env: env()})
    assert.deepEqual(JSON.parse(json.stdout), [
      {language: 'shell', title: 'Accept the peering request', value: commands[0].value},
      {fileName: 'policy.json', language: 'json', title: 'Create role policy', value: commands[1].value},
    ])
  })

  it('a 412 in --fmt api: the exchanges, then the commands text (with --json only the exchanges)', async () => {
    nock(API).post(PEERINGS).twice().reply(412, {title: 'Precondition Failed'})
    nock(API).get(`${NETWORKS}/c0net1`).twice().reply(200, {network})
    nock(API)
      .post(`${PEERINGS}/commands`)
      .twice()
      .reply(200, {commands: [commands[0]]})
    const body =
      '{"networkId":"c0net1","description":"peer","peerAccountId":"123456789012","peerNetworkId":"vpc-0abc","peerNetworkRegion":"us-west-2","routes":[]}'
    const traffic = [
      body,
      'status: 412',
      '{"title":"Precondition Failed"}',
      JSON.stringify({network}),
      '{"provider":"aws","peerAccountId":"123456789012","peerNetworkId":"vpc-0abc"}',
      JSON.stringify({commands: [commands[0]]}),
    ].join('\n')
    const r = await esc([...CREATE, '--fmt', 'api'], {env: env()})
    assert.equal(r.exitCode, 0, r.stderr)
    assert.equal(r.stdout, `${traffic}\nUpstream provider requires configuration.\n\nAccept the peering request:\n${commands[0].value}\n`)
    const json = await esc([...CREATE, '--fmt', 'api', '--json'], {env: env()})
    assert.equal(json.stdout, `${traffic}\n`)
  })

  it('get prints the projection (peerAccount, peerNetwork) in every format', async () => {
    nock(API).get(`${PEERINGS}/c0peer1`).times(4).reply(200, {peering})
    const get = ['infra', 'peerings', 'get', ...P, '-i', 'c0peer1']
    assert.equal((await esc(get, {env: env()})).stdout, `${PEERING_DEBUG}\n`)
    assert.equal(
      (await esc([...get, '--json'], {env: env()})).stdout,
      `{\n  "id": "c0peer1",\n  "projectId": "${PROJECT}",\n  "provider": "aws",\n  "networkId": "c0net1",\n  "description": "peer",\n  "peerAccount": "123456789012",\n  "peerNetwork": "vpc-0abc",\n  "peerNetworkRegion": "us-west-2",\n  "routes": [\n    "10.20.0.0/16"\n  ],\n  "status": "initiated"\n}`,
    )
    assert.equal((await esc([...get, '-q'], {env: env()})).stdout, 'c0peer1\n')
    assert.equal((await esc([...get, '--fmt', 'api'], {env: env()})).stdout, `${JSON.stringify({peering})}\n`)
  })

  it('list prints one line per peering and an empty line; a table; a 501 is one line', async () => {
    nock(API)
      .get(PEERINGS)
      .twice()
      .reply(200, {peerings: [peering]})
    const args = ['infra', 'peerings', 'list', ...P]
    assert.equal((await esc(args, {env: env()})).stdout, `${PEERING_DEBUG}\n\n`)
    assert.match((await esc([...args, '--fmt', 'table'], {env: env()})).stdout, /│ c0peer1 │ peer/)
    nock(API)
      .get(PEERINGS)
      .reply(501, problem(501, 'Not Implemented', 'peering needs a cloud provider'))
    const local = await esc(args, {env: env()})
    assert.equal(local.exitCode, 1)
    assert.equal(local.stderr, `Error: Not Implemented: peering needs a cloud provider (HTTP 501 GET ${PEERINGS})\n`)
  })

  it('update needs --description and sends PUT {"description"}; delete sends DELETE; both print nothing', async () => {
    const c = capture('')
    nock(API).put(`${PEERINGS}/c0peer1`).reply(c.reply)
    nock(API).delete(`${PEERINGS}/c0peer1`).reply(204)
    const u = await esc(['infra', 'peerings', 'update', ...P, '-i', 'c0peer1', '--description', 'x'], {env: env()})
    assert.equal(u.exitCode, 0, u.stderr)
    assert.equal(u.stdout, '')
    assert.equal(c.bodies[0], '{"description":"x"}')
    const d = await esc(['infra', 'peerings', 'delete', ...P, '-i', 'c0peer1'], {env: env()})
    assert.equal(d.exitCode, 0, d.stderr)
    assert.equal(d.stdout, '')
    assert.equal((await esc(['infra', 'peerings', 'update', ...P, '-i', 'c0peer1'], {env: env()})).exitCode, 2)
  })
})
