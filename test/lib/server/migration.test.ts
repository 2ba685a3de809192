import {strict as assert} from 'node:assert'
import {readFile, rm} from 'node:fs/promises'
import {join} from 'node:path'

import Database from 'better-sqlite3'

import {clusterSpec} from '../../../src/lib/server/store/clusters.js'
import {SCHEMA_VERSION} from '../../../src/lib/server/store/migrations.js'
import {Store} from '../../../src/lib/server/store/index.js'
import {clusterBody, openTestCloud, tempDir, type TestCloud} from './helpers.js'

const FIXTURE = new URL('../../fixtures/local-state/schema-v5.sql', import.meta.url)
const ORG = 'dbk5u871l51o00vqms50'
const PROJECT = 'dbk5u85rfqh0oonqms5g'
const SECOND_PROJECT = 'dbk5u8dm1acsng7qms60'

/** A state database exactly as schema version 5 left it (see the fixture's header). */
export async function loadSchemaV5(file: string): Promise<void> {
  const db = new Database(file)
  db.exec(await readFile(FIXTURE, 'utf8'))
  assert.equal(db.pragma('user_version', {simple: true}), 5)
  db.close()
}

describe('migration of a state directory from before networks were served', () => {
  let dir: string
  let store: Store
  beforeEach(async () => {
    dir = await tempDir()
    await loadSchemaV5(join(dir, 'state.db'))
    store = new Store(join(dir, 'state.db'))
  })
  afterEach(async () => {
    store.close()
    await rm(dir, {recursive: true, force: true})
  })

  const networkOf = (clusterId: string) => clusterSpec(store.clusters.get(clusterId)!).networkId

  it('turns the invented network "local" into a real, available network of the default project', () => {
    assert.equal(store.db.pragma('user_version', {simple: true}), SCHEMA_VERSION)
    const id = networkOf('c1ev3l5o0aeu6ojco7a1')
    assert.match(id, /^[0-9a-v]{20}$/)
    assert.equal(networkOf('c1ev3l5o0aeu6ojco7a2'), id)
    assert.equal(store.getMeta('default_network_id'), id)
    const network = store.networks.find(ORG, PROJECT, id)!
    assert.deepEqual(
      {provider: network.provider, region: network.region, status: network.status, cidr: network.cidr_block},
      {provider: 'aws', region: 'local', status: 'available', cidr: '10.0.0.0/16'},
    )
    // The defaults stay the same organization and project, and now name the network too.
    assert.deepEqual(store.ensureDefaults(), {organizationId: ORG, projectId: PROJECT, networkId: id})
  })

  it("gives every network id clusters were created with a row in the cluster's project, with its provider and region", () => {
    assert.equal(networkOf('c1ev3l5o0aeu6ojco7a3'), 'c10dr5qrh41lbabqa2j0')
    assert.equal(store.networks.find(ORG, PROJECT, 'c10dr5qrh41lbabqa2j0')?.status, 'available')
    const net = networkOf('c1ev3l5o0aeu6ojco7a4')
    assert.match(net, /^[0-9a-v]{20}$/)
    const row = store.networks.find(ORG, PROJECT, net)!
    assert.deepEqual([row.provider, row.region], ['gcp', 'us-central1'])
    const elsewhere = networkOf('c1ev3l5o0aeu6ojco7a5')
    assert.notEqual(elsewhere, net)
    assert.ok(store.networks.find(ORG, SECOND_PROJECT, elsewhere))
    assert.equal(store.networks.find(ORG, PROJECT, elsewhere), undefined)
    const cidrs = store.networks.list(ORG, PROJECT).map((n) => n.cidr_block)
    assert.equal(new Set(cidrs).size, cidrs.length)
  })

  it('keeps the rows it had: clusters, backups, secrets', () => {
    assert.equal(store.clusters.list(ORG, PROJECT).length, 4)
    assert.equal(store.backups.get('c1ev3l5o0aeu6ojco7b1')?.status, 'available')
    assert.equal(store.getMeta('jwt_secret'), '00'.repeat(32))
    assert.equal(store.organizations.get(ORG)?.name, 'Local organization')
  })
})

describe('a local cloud started on a state directory from before networks were served', () => {
  let t: TestCloud
  beforeEach(async () => {
    const dir = await tempDir()
    await loadSchemaV5(join(dir, 'state.db'))
    t = await openTestCloud({dir})
  })
  afterEach(async () => {
    await t.close()
    await rm(t.dir, {recursive: true, force: true})
  })

  it('keeps its organization and project, and serves the networks its clusters use', async () => {
    assert.deepEqual([t.cloud.defaults.organizationId, t.cloud.defaults.projectId], [ORG, PROJECT])
    const get = (url: string) => t.cloud.app.inject({method: 'GET', url, headers: t.auth})
    const cluster = (await get(`${t.mesdb}/clusters/c1ev3l5o0aeu6ojco7a1`)).json().cluster
    assert.equal(cluster.networkId, t.cloud.defaults.networkId)
    const infra = `/infra/v1/organizations/${ORG}/projects/${PROJECT}`
    const network = (await get(`${infra}/networks/${cluster.networkId}`)).json().network
    assert.deepEqual([network.description, network.status, network.cidrBlock], ['Local network', 'available', '10.0.0.0/16'])
    const ids = (await get(`${infra}/networks`)).json().networks.map((n: {id: string}) => n.id)
    assert.ok(ids.includes('c10dr5qrh41lbabqa2j0'))
    const created = await t.cloud.app.inject({
      method: 'POST',
      url: `${t.mesdb}/clusters`,
      headers: t.auth,
      payload: {...clusterBody, networkId: cluster.networkId},
    })
    assert.equal(created.statusCode, 202, created.body)
  })
})
