import {strict as assert} from 'node:assert'

import {clusterBody, createCluster, openTestCloud, type TestCloud} from './helpers.js'

/**
 * `clusters create` against the project's networks and ACLs, and the cloud's restore rules: each
 * rule refused (400 naming the field) and allowed.
 */
describe('local API: clusters create, networks, ACLs and the restore rules', () => {
  let t: TestCloud
  let clock: number
  let o: string
  let p: string
  let second: string
  beforeEach(async () => {
    clock = Date.parse('2026-12-01T10:00:00.000Z')
    t = await openTestCloud({now: () => new Date(clock)})
    ;({organizationId: o, projectId: p} = t.cloud.defaults)
    second = (await call('POST', `/resources/v1/organizations/${o}/projects`, {name: 'Test'})).json().id
  })
  afterEach(async () => {
    await t.close()
  })

  const call = (method: 'GET' | 'POST', url: string, payload?: unknown, headers = t.auth) =>
    t.cloud.app.inject({method, url, headers, ...(payload === undefined ? {} : {payload: payload as object})})
  const infra = (project: string) => `/infra/v1/organizations/${o}/projects/${project}`
  const clusters = (project: string) => `/mesdb/v1/organizations/${o}/projects/${project}/clusters`
  const newNetwork = async (project: string, body: Record<string, unknown> = {}) => {
    const res = await call('POST', `${infra(project)}/networks`, {
      description: 'n',
      provider: 'aws',
      publicAccess: false,
      region: 'local',
      ...body,
    })
    assert.equal(res.statusCode, 202, res.body)
    clock += 1000
    return res.json().id as string
  }
  const refused = (res: {statusCode: number; json(): {fields?: Record<string, string>}}, field: string, message: RegExp) => {
    assert.equal(res.statusCode, 400)
    assert.deepEqual(Object.keys(res.json().fields ?? {}), [field])
    assert.match(res.json().fields![field], message)
  }
  const backupOf = async (clusterId: string) => {
    const res = await call('POST', `/mesdb/v1/organizations/${o}/projects/${p}/backups`, {description: 'b', sourceClusterId: clusterId})
    await t.cloud.ctx.runner.idle()
    return res.json().id as string
  }

  describe('the network and the ACL', () => {
    it('refuses an unknown network, a network of another project and one still provisioning; takes its own', async () => {
      refused(
        await call('POST', clusters(p), {...clusterBody, networkId: 'c1ev3l5o0aeu6ojco7b0'}),
        'networkId',
        /network c1ev3l5o0aeu6ojco7b0 does not exist in project/,
      )
      const elsewhere = await newNetwork(second)
      refused(await call('POST', clusters(p), {...clusterBody, networkId: elsewhere}), 'networkId', /does not exist in project/)
      const fresh = (
        await call('POST', `${infra(p)}/networks`, {description: 'n', provider: 'aws', publicAccess: false, region: 'local'})
      ).json().id
      refused(
        await call('POST', clusters(p), {...clusterBody, networkId: fresh}),
        'networkId',
        /is provisioning; wait until it is available/,
      )
      clock += 1000
      assert.equal((await call('POST', clusters(p), {...clusterBody, networkId: fresh})).statusCode, 202)
      assert.equal((await call('POST', clusters(second), {...clusterBody, networkId: elsewhere})).statusCode, 202)
    })

    it("takes the network's provider and region, and refuses others", async () => {
      const gcp = await newNetwork(p, {provider: 'gcp', region: 'europe-west1'})
      refused(await call('POST', clusters(p), {...clusterBody, networkId: gcp, provider: 'aws'}), 'provider', /network .* is in gcp/)
      refused(
        await call('POST', clusters(p), {...clusterBody, networkId: gcp, region: 'us-central1'}),
        'region',
        /network .* is in europe-west1/,
      )
      const id = await createCluster(t, {...clusterBody, networkId: gcp})
      const cluster = (await call('GET', `${clusters(p)}/${id}`)).json().cluster
      assert.deepEqual([cluster.provider, cluster.region, cluster.networkId], ['gcp', 'europe-west1', gcp])
    })

    it('refuses an ACL of another project or a deleted one; takes its own', async () => {
      const theirs = (await call('POST', `${infra(second)}/acls`, {cidrBlocks: [], description: 'a'})).json().id
      refused(
        await call('POST', clusters(p), {...clusterBody, aclId: theirs}),
        'aclId',
        new RegExp(`ACL ${theirs} does not exist in project`),
      )
      refused(await call('POST', clusters(p), {...clusterBody, aclId: 'c1ev3l5o0aeu6ojco7b0'}), 'aclId', /does not exist/)
      const mine = (await call('POST', `${infra(p)}/acls`, {cidrBlocks: [], description: 'a'})).json().id
      const id = await createCluster(t, {...clusterBody, aclId: mine})
      assert.equal((await call('GET', `${clusters(p)}/${id}`)).json().cluster.aclId, mine)
    })
  })

  describe('restores', () => {
    let sourceId: string
    let backupId: string
    beforeEach(async () => {
      sourceId = await createCluster(t, {...clusterBody, diskSizeGb: 20, topology: 'three-node-multi-zone'})
      backupId = await backupOf(sourceId)
    })

    it('always makes a new cluster, and a three-node backup restores to a single node', async () => {
      const res = await call('POST', clusters(p), {...clusterBody, diskSizeGb: 20, sourceBackupId: backupId})
      assert.equal(res.statusCode, 202, res.body)
      await t.cloud.ctx.runner.idle()
      assert.notEqual(res.json().id, sourceId)
      const restored = (await call('GET', `${clusters(p)}/${res.json().id}`)).json().cluster
      assert.deepEqual([restored.status, restored.topology], ['available', 'single-node'])
      assert.equal((await call('GET', `${clusters(p)}/${sourceId}`)).json().cluster.status, 'available')
    })

    it("needs a disk at least the source cluster's", async () => {
      refused(
        await call('POST', clusters(p), {...clusterBody, diskSizeGb: 19, sourceBackupId: backupId}),
        'diskSizeGb',
        /at least the source cluster's 20 GB/,
      )
      assert.equal((await call('POST', clusters(p), {...clusterBody, diskSizeGb: 30, sourceBackupId: backupId})).statusCode, 202)
    })

    it("needs the backup's provider and region, also through the network", async () => {
      const body = {...clusterBody, diskSizeGb: 20, sourceBackupId: backupId}
      refused(
        await call('POST', clusters(p), {...body, provider: 'azure'}),
        'provider',
        /cannot be restored to another provider \(the backup's is aws\)/,
      )
      refused(
        await call('POST', clusters(p), {...body, region: 'us-west-2'}),
        'region',
        /cannot be restored to another region \(the backup's is local\)/,
      )
      const away = await newNetwork(p, {region: 'eu-west-1'})
      refused(
        await call('POST', clusters(p), {...body, networkId: away}),
        'region',
        /cannot be restored to another region \(the backup's is local; network \w+ is in eu-west-1\)/,
      )
      assert.equal((await call('POST', clusters(p), {...body, provider: 'aws', region: 'local'})).statusCode, 202)
    })

    it('needs the network in the target project', async () => {
      const body = {...clusterBody, diskSizeGb: 20, sourceBackupId: backupId, sourceBackupProjectId: p}
      refused(await call('POST', clusters(second), body), 'networkId', /does not exist in project/)
      const there = await newNetwork(second)
      assert.equal((await call('POST', clusters(second), {...body, networkId: there})).statusCode, 202)
    })

    it('needs sourceBackupProjectId for a backup of another project, and a project the caller can read', async () => {
      const there = await newNetwork(second)
      const body = {...clusterBody, networkId: there, diskSizeGb: 20, sourceBackupId: backupId}
      const without = await call('POST', clusters(second), body)
      assert.equal(without.statusCode, 404)
      assert.match(without.json().detail, /needs sourceBackupProjectId/)
      // Another identity's project: as unknown as a project that does not exist.
      const stranger = {authorization: `Bearer ${t.cloud.ctx.identity.issueAccessToken('someone@example.com')}`}
      const theirOrg = (await call('POST', '/resources/v1/organizations', {name: 'Theirs'}, stranger)).json().id
      const theirProject = (await call('POST', `/resources/v1/organizations/${theirOrg}/projects`, {name: 'P'}, stranger)).json().id
      const foreign = await call('POST', clusters(second), {...body, sourceBackupProjectId: theirProject})
      assert.equal(foreign.statusCode, 404)
      assert.doesNotMatch(foreign.body, /Theirs|"P"/)
      assert.equal((await call('POST', clusters(second), {...body, sourceBackupProjectId: p})).statusCode, 202)
    })
  })
})
