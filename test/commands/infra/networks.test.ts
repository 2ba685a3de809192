import {strict as assert} from 'node:assert'

import nock from 'nock'

import {API, capture, ORG, PROJECT, problem, useCommandEnv} from '../mesdb/clusters/helpers.js'

const NETWORKS = `/infra/v1/organizations/${ORG}/projects/${PROJECT}/networks`
const P = ['--project-id', PROJECT]
const network = {
  cidrBlock: '172.21.0.0/16',
  created: '2024-05-01T10:00:00Z',
  description: 'My network',
  id: 'c0net1',
  projectId: PROJECT,
  provider: 'aws',
  publicAccess: false,
  region: 'us-west-2',
  status: 'available',
}
const NETWORK_DEBUG = `Network { project_id: ProjectId("${PROJECT}"), id: NetworkId("c0net1"), provider: Aws, region: "us-west-2", cidr_block: "172.21.0.0/16", description: "My network", status: "available" }`
const NETWORK_JSON = `{\n  "projectId": "${PROJECT}",\n  "id": "c0net1",\n  "provider": "aws",\n  "region": "us-west-2",\n  "cidrBlock": "172.21.0.0/16",\n  "description": "My network",\n  "status": "available"\n}`
const CREATE = ['infra', 'networks', 'create', ...P, '--provider', 'aws', '--region', 'us-west-2', '--description', 'My network']

describe('esc infra networks', () => {
  const {env, esc, clock} = useCommandEnv()

  it('create sends the official body (cidrBlock first, publicAccess always) and prints the id in every format', async () => {
    const c = capture({id: 'c0net1'})
    nock(API).post(NETWORKS).times(4).reply(c.reply)
    const cli = await esc([...CREATE, '--cidr-block', '172.21.0.0/16'], {env: env()})
    assert.equal(cli.stderr, '')
    assert.equal(cli.stdout, 'NetworkId("c0net1")\n')
    assert.equal(
      c.bodies[0],
      '{"cidrBlock":"172.21.0.0/16","description":"My network","provider":"aws","publicAccess":false,"region":"us-west-2"}',
    )
    assert.equal((await esc([...CREATE, '--json'], {env: env()})).stdout, '"c0net1"')
    assert.equal(c.bodies[1], '{"description":"My network","provider":"aws","publicAccess":false,"region":"us-west-2"}')
    assert.equal((await esc([...CREATE, '-q', '--public-access'], {env: env()})).stdout, 'c0net1\n')
    assert.equal(c.bodies[2], '{"description":"My network","provider":"aws","publicAccess":true,"region":"us-west-2"}')
    const api = await esc([...CREATE, '--cidr-block', '10.1.2.3/32', '--fmt', 'api'], {env: env()})
    assert.equal(
      api.stdout,
      '{"cidrBlock":"10.1.2.3","description":"My network","provider":"aws","publicAccess":false,"region":"us-west-2"}\n{"id":"c0net1"}\n',
    )
  })

  it('create refuses an unknown provider, a missing region and a bad CIDR before sending', async () => {
    const upper = await esc(['infra', 'networks', 'create', ...P, '--provider', 'AWS', '--region', 'r', '--description', 'd'], {env: env()})
    assert.equal(upper.exitCode, 2)
    assert.match(upper.stderr, /Expected --provider=AWS to be one of: aws, gcp, azure/)
    const noRegion = await esc(['infra', 'networks', 'create', ...P, '--provider', 'aws', '--description', 'd'], {env: env()})
    assert.equal(noRegion.exitCode, 2)
    assert.match(noRegion.stderr, /Missing required flag region/)
    const cidr = await esc([...CREATE, '--cidr-block', '10.0.0.1/8'], {env: env()})
    assert.equal(cidr.exitCode, 2)
    assert.equal(
      cidr.stderr,
      "Error: Invalid value for '--cidr-block <cidr-block>': 10.0.0.1/8: host part of address was not zero; give an IPv4 network such as 172.21.0.0/16\n",
    )
  })

  it('create --wait polls until available, progress on stderr, the network on stdout', async () => {
    nock(API).post(NETWORKS).reply(200, {id: 'c0net1'})
    nock(API)
      .get(`${NETWORKS}/c0net1`)
      .reply(200, {network: {...network, status: 'provisioning'}})
    nock(API).get(`${NETWORKS}/c0net1`).reply(200, {network})
    const r = await esc([...CREATE, '--cidr-block', '172.21.0.0/16', '--wait'], {env: env()})
    assert.equal(r.exitCode, 0, r.stderr)
    assert.equal(r.stdout, `${NETWORK_DEBUG}\n`)
    assert.match(r.stderr, /network c0net1.*provisioning/)
    assert.match(r.stderr, /available/)
    assert.deepEqual(clock().sleeps, [500])
  })

  it('create --wait exits 5 on defunct and 4 on timeout; --timeout alone is refused', async () => {
    nock(API).post(NETWORKS).reply(200, {id: 'c0net1'})
    nock(API)
      .get(`${NETWORKS}/c0net1`)
      .reply(200, {network: {...network, status: 'defunct'}})
    const failed = await esc([...CREATE, '--wait', '-q'], {env: env()})
    assert.equal(failed.exitCode, 5)
    assert.equal(failed.stdout, 'c0net1\n')
    assert.match(failed.stderr, /The network c0net1 ended with status 'defunct'/)
    nock(API).post(NETWORKS).reply(200, {id: 'c0net1'})
    nock(API)
      .get(`${NETWORKS}/c0net1`)
      .times(20)
      .reply(200, {network: {...network, status: 'provisioning'}})
    const slow = await esc([...CREATE, '--wait', '--timeout', '5s', '--poll-interval', '1s'], {env: env()})
    assert.equal(slow.exitCode, 4)
    assert.match(slow.stderr, /Timed out after 5s waiting for the network c0net1 \(last status: 'provisioning'\)/)
    assert.match(
      slow.stderr,
      new RegExp(
        `Re-attach with: esc infra networks wait -i c0net1 --org-id ${ORG} --project-id ${PROJECT} --timeout 10s --poll-interval 1s\n`,
      ),
    )
    const alone = await esc([...CREATE, '--timeout', '5s'], {env: env()})
    assert.equal(alone.exitCode, 2)
  })

  it('get prints the projection (no created, no publicAccess) in every format', async () => {
    nock(API).get(`${NETWORKS}/c0net1`).times(5).reply(200, {network})
    const get = ['infra', 'networks', 'get', ...P, '-i', 'c0net1']
    assert.equal((await esc(get, {env: env()})).stdout, `${NETWORK_DEBUG}\n`)
    assert.equal((await esc([...get, '--json'], {env: env()})).stdout, NETWORK_JSON)
    assert.equal((await esc([...get, '-q'], {env: env()})).stdout, 'c0net1\n')
    assert.match((await esc([...get, '--fmt', 'table'], {env: env()})).stdout, /CIDR block\s+172\.21\.0\.0\/16/)
    assert.equal((await esc([...get, '--fmt', 'api'], {env: env()})).stdout, `${JSON.stringify({network})}\n`)
  })

  it('get shows a network without cidrBlock (the official CLI crashes) and refuses an unknown provider in one line', async () => {
    const {cidrBlock: _, ...bare} = network
    nock(API).get(`${NETWORKS}/c0net1`).reply(200, {network: bare})
    const r = await esc(['infra', 'networks', 'get', ...P, '-i', 'c0net1'], {env: env()})
    assert.equal(r.exitCode, 0, r.stderr)
    assert.match(r.stdout, /cidr_block: "",/)
    nock(API)
      .get(`${NETWORKS}/c0net1`)
      .reply(200, {network: {...network, provider: 'local'}})
    const odd = await esc(['infra', 'networks', 'get', ...P, '-i', 'c0net1'], {env: env()})
    assert.equal(odd.exitCode, 1)
    assert.equal(odd.stderr, 'Error: unknown provider type: local\n')
  })

  it('list prints one line per network and an empty line; an array in JSON', async () => {
    nock(API)
      .get(NETWORKS)
      .times(3)
      .reply(200, {networks: [network]})
    const args = ['infra', 'networks', 'list', ...P]
    assert.equal((await esc(args, {env: env()})).stdout, `${NETWORK_DEBUG}\n\n`)
    assert.equal((await esc([...args, '--json'], {env: env()})).stdout, `[\n${NETWORK_JSON.replaceAll(/^/gm, '  ')}\n]`)
    assert.match((await esc([...args, '--fmt', 'table'], {env: env()})).stdout, /│ c0net1 │ My network/)
  })

  it('update needs --description and sends PUT {"description"}; prints nothing', async () => {
    const c = capture('')
    nock(API).put(`${NETWORKS}/c0net1`).reply(c.reply)
    const r = await esc(['infra', 'networks', 'update', ...P, '-i', 'c0net1', '--description', 'Renamed'], {env: env()})
    assert.equal(r.exitCode, 0, r.stderr)
    assert.equal(r.stdout, '')
    assert.equal(c.bodies[0], '{"description":"Renamed"}')
    const none = await esc(['infra', 'networks', 'update', ...P, '-i', 'c0net1'], {env: env()})
    assert.equal(none.exitCode, 2)
    assert.match(none.stderr, /Missing required flag description/)
  })

  it('delete sends DELETE and prints nothing; with --wait it polls until the network is gone', async () => {
    nock(API).delete(`${NETWORKS}/c0net1`).reply(202)
    const r = await esc(['infra', 'networks', 'delete', ...P, '-i', 'c0net1'], {env: env()})
    assert.equal(r.exitCode, 0, r.stderr)
    assert.equal(r.stdout, '')
    nock(API).delete(`${NETWORKS}/c0net1`).reply(202)
    nock(API)
      .get(`${NETWORKS}/c0net1`)
      .reply(200, {network: {...network, status: 'deleting'}})
    nock(API)
      .get(`${NETWORKS}/c0net1`)
      .reply(404, problem(404, 'Not Found', 'network not found'))
    const wait = await esc(['infra', 'networks', 'delete', ...P, '-i', 'c0net1', '--wait'], {env: env()})
    assert.equal(wait.exitCode, 0, wait.stderr)
    assert.equal(wait.stdout, '')
    assert.match(wait.stderr, /deleting/)
    assert.ok(nock.isDone())
  })

  it('wait (ours) polls an existing network until available, or with --until deleted until it is gone', async () => {
    nock(API)
      .get(`${NETWORKS}/c0net1`)
      .reply(200, {network: {...network, status: 'provisioning'}})
    nock(API).get(`${NETWORKS}/c0net1`).reply(200, {network})
    const r = await esc(['infra', 'networks', 'wait', ...P, '-i', 'c0net1', '-q'], {env: env()})
    assert.equal(r.exitCode, 0, r.stderr)
    assert.equal(r.stdout, 'c0net1\n')
    nock(API)
      .get(`${NETWORKS}/c0net1`)
      .reply(200, {network: {...network, status: 'deleting'}})
    nock(API)
      .get(`${NETWORKS}/c0net1`)
      .reply(404, problem(404, 'Not Found', 'network not found'))
    const gone = await esc(['infra', 'networks', 'wait', ...P, '-i', 'c0net1', '--until', 'deleted'], {env: env()})
    assert.equal(gone.exitCode, 0, gone.stderr)
    assert.equal(gone.stdout, '')
    nock(API).delete(`${NETWORKS}/c0net1`).reply(202)
    nock(API)
      .get(`${NETWORKS}/c0net1`)
      .times(20)
      .reply(200, {network: {...network, status: 'deleting'}})
    const slow = await esc(['infra', 'networks', 'delete', ...P, '-i', 'c0net1', '--wait', '--timeout', '5s'], {env: env()})
    assert.equal(slow.exitCode, 4)
    assert.match(slow.stderr, /Re-attach with: esc infra networks wait -i c0net1 .* --until deleted --timeout 10s\n/)
  })

  it('delete --wait also ends on a network that stays listed as deleted', async () => {
    nock(API).delete(`${NETWORKS}/c0net1`).reply(202)
    nock(API)
      .get(`${NETWORKS}/c0net1`)
      .reply(200, {network: {...network, status: 'deleted'}})
    const r = await esc(['infra', 'networks', 'delete', ...P, '-i', 'c0net1', '--wait'], {env: env()})
    assert.equal(r.exitCode, 0, r.stderr)
  })

  it('a 409 (a cluster uses the network) and a 404 are one line, exit 1', async () => {
    nock(API)
      .delete(`${NETWORKS}/c0net1`)
      .reply(409, problem(409, 'Conflict', 'network c0net1 is used by cluster c1 (restore)'))
    const r = await esc(['infra', 'networks', 'delete', ...P, '-i', 'c0net1', '--wait'], {env: env()})
    assert.equal(r.exitCode, 1)
    assert.equal(r.stderr, `Error: Conflict: network c0net1 is used by cluster c1 (restore) (HTTP 409 DELETE ${NETWORKS}/c0net1)\n`)
    nock(API)
      .get(`${NETWORKS}/nope`)
      .reply(404, problem(404, 'Not Found', 'network not found'))
    const missing = await esc(['infra', 'networks', 'get', ...P, '-i', 'nope'], {env: env()})
    assert.equal(missing.exitCode, 1)
    assert.equal(missing.stderr, `Error: Not Found: network not found (HTTP 404 GET ${NETWORKS}/nope)\n`)
  })
})
