import {strict as assert} from 'node:assert'
import nock from 'nock'

import {API, cluster, job, MESDB, ORCHESTRATE, ORG, PROJECT, problem, useCommandEnv} from './helpers.js'

const C = cluster()
const DOCS_JSON = {
  id: 'c1mnqjdo0aembuk4ljo0',
  organizationId: ORG,
  projectId: PROJECT,
  networkId: 'c10dr5qrh41lbabqa2j0',
  description: 'restore',
  provider: 'aws',
  region: 'eu-west-2',
  topology: 'single-node',
  instanceType: 'f1',
  diskSizeGb: 10,
  diskType: 'gp3',
  serverVersion: '24.10',
  projectionLevel: 'off',
  status: 'available',
  created: '2021-03-26T09:37:17Z',
  addresses: {
    tcp: ['c1mnqjdo0aembuk4ljo0.mesdb.eventstore.cloud:1113'],
    grpc: 'esdb://c1mnqjdo0aembuk4ljo0.mesdb.eventstore.cloud:2113',
    ui: 'https://c1mnqjdo0aembuk4ljo0.mesdb.eventstore.cloud:2113',
  },
}

describe('esc mesdb clusters get|list|delete', () => {
  const {env, esc} = useCommandEnv()

  it('get --id --project-id --json prints the docs output (v1 projection with addresses)', async () => {
    const scope = nock(API, {reqheaders: {authorization: 'Bearer tok'}})
      .get(`${MESDB}/clusters/${C.id}`)
      .reply(200, {cluster: C})
    const r = await esc(['mesdb', 'clusters', 'get', '--id', C.id, '--project-id', PROJECT, '--json'], {env: env()})
    assert.equal(r.exitCode, 0)
    assert.equal(r.stdout, JSON.stringify(DOCS_JSON, null, 2))
    assert.ok(scope.isDone())
  })

  it('get -i prints the EnrichedCluster Debug line by default', async () => {
    nock(API).get(`${MESDB}/clusters/${C.id}`).reply(200, {cluster: C})
    const r = await esc(['mesdb', 'clusters', 'get', '-i', C.id, '--project-id', PROJECT], {env: env()})
    assert.equal(
      r.stdout,
      `EnrichedCluster { cluster: Cluster { id: ClusterId("${C.id}"), org_id: OrgId("${ORG}"), project_id: ProjectId("${PROJECT}"), ` +
        'network_id: NetworkId("c10dr5qrh41lbabqa2j0"), description: "restore", provider: Aws, region: "eu-west-2", topology: SingleNode, ' +
        'instance_type: "f1", disk_size_gb: 10, disk_type: "gp3", server_version: "24.10", projection_level: Off, status: "available", ' +
        'created: 2021-03-26T09:37:17Z, disk_iops: None, disk_throughput: None }, addresses: ClusterAddresses { ' +
        `tcp: ["${C.id}.mesdb.eventstore.cloud:1113"], grpc: "esdb://${C.id}.mesdb.eventstore.cloud:2113", ui: "https://${C.id}.mesdb.eventstore.cloud:2113" } }\n`,
    )
  })

  it('get reports a missing cluster (exit 1) and needs an id (exit 2)', async () => {
    nock(API).get(`${MESDB}/clusters/nope`).reply(404, problem(404, 'Not Found'))
    const a = await esc(['mesdb', 'clusters', 'get', '-i', 'nope', '--project-id', PROJECT], {env: env()})
    assert.equal(a.exitCode, 1)
    assert.equal(a.stderr, `Error: Not Found (HTTP 404 GET ${MESDB}/clusters/nope)\n`)
    const b = await esc(['mesdb', 'clusters', 'get', '--project-id', PROJECT], {env: env()})
    assert.equal(b.exitCode, 2)
  })

  it('list prints every cluster: Debug lines, JSON array, raw body, ids with -q', async () => {
    const two = cluster({id: 'c2', topology: 'three-node-multi-zone'})
    nock(API)
      .get(`${MESDB}/clusters`)
      .times(4)
      .reply(200, {clusters: [C, two]})
    const base = ['mesdb', 'clusters', 'list', '--project-id', PROJECT]
    const cli = await esc(base, {env: env()})
    assert.equal(cli.stdout.split('\n').length, 4)
    assert.ok(cli.stdout.endsWith('}\n\n'))
    const json = JSON.parse((await esc([...base, '--json'], {env: env()})).stdout)
    assert.deepEqual(
      json.map((c: {id: string}) => c.id),
      [C.id, 'c2'],
    )
    assert.equal(json[1].addresses.grpc, 'esdb+discover://c2.mesdb.eventstore.cloud:2113')
    assert.equal((await esc([...base, '--fmt', 'api'], {env: env()})).stdout, `${JSON.stringify({clusters: [C, two]})}\n`)
    assert.equal((await esc([...base, '-q'], {env: env()})).stdout, `${C.id}\nc2\n`)
  })

  it('delete -i sends DELETE and prints nothing', async () => {
    const scope = nock(API).delete(`${MESDB}/clusters/${C.id}`).reply(200, '')
    const r = await esc(['mesdb', 'clusters', 'delete', '-i', C.id, '--project-id', PROJECT], {env: env()})
    assert.equal(r.stdout, '')
    assert.equal(r.stderr, '')
    assert.equal(r.exitCode, 0)
    assert.ok(scope.isDone())
  })

  it('delete names the active jobs that back up the deleted cluster (stderr), since their runs will fail', async () => {
    nock(API).delete(`${MESDB}/clusters/${C.id}`).reply(200, '')
    nock(API)
      .get(`${ORCHESTRATE}/jobs`)
      .reply(200, {
        jobs: [
          job({id: 'j-nightly', description: 'Nightly', data: {clusterId: C.id, description: 'n', maxBackupCount: 3}}),
          job({id: 'j-other', data: {clusterId: 'c-other', description: 'o', maxBackupCount: 3}}),
          job({id: 'j-gone', status: 'deleted', data: {clusterId: C.id, description: 'g', maxBackupCount: 3}}),
        ],
      })
    const r = await esc(['mesdb', 'clusters', 'delete', '-i', C.id, '--project-id', PROJECT], {env: env()})
    assert.equal(r.exitCode, 0)
    assert.equal(r.stdout, '')
    assert.equal(
      r.stderr,
      `Warning: job j-nightly ('Nightly') backs up cluster ${C.id}, which is being deleted: its runs will fail. ` +
        `Delete the job with: esc orchestrate jobs delete -i j-nightly --org-id ${ORG} --project-id ${PROJECT}\n`,
    )
    assert.ok(nock.isDone())
  })
})
