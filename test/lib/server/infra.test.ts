import {strict as assert} from 'node:assert'

import {clusterBody, openTestCloud, type TestCloud} from './helpers.js'

const network = {cidrBlock: '172.21.0.0/16', description: 'My network', provider: 'aws', publicAccess: false, region: 'us-west-2'}

describe('local API: /infra/v1 networks, ACLs and peerings', () => {
  let t: TestCloud
  let clock: number
  let infra: string
  let other: string
  beforeEach(async () => {
    clock = Date.parse('2026-12-01T10:00:00.000Z')
    t = await openTestCloud({now: () => new Date(clock)})
    const {organizationId: o, projectId: p} = t.cloud.defaults
    infra = `/infra/v1/organizations/${o}/projects/${p}`
    const second = (await call('POST', `/resources/v1/organizations/${o}/projects`, {name: 'Other'})).json().id
    other = `/infra/v1/organizations/${o}/projects/${second}`
  })
  afterEach(async () => {
    await t.close()
  })

  const call = (method: 'GET' | 'POST' | 'PUT' | 'DELETE', url: string, payload?: unknown) =>
    t.cloud.app.inject({method, url, headers: t.auth, ...(payload === undefined ? {} : {payload: payload as object})})

  describe('networks', () => {
    it('creates a network that is provisioning, then available a moment later, with every field esc requires', async () => {
      const before = (await call('GET', `${infra}/networks`)).json().networks.map((n: {id: string}) => n.id)
      assert.ok(before.includes(t.cloud.defaults.networkId))
      const created = await call('POST', `${infra}/networks`, network)
      assert.equal(created.statusCode, 202)
      const {id} = created.json()
      const first = (await call('GET', `${infra}/networks/${id}`)).json().network
      assert.deepEqual(first, {
        cidrBlock: '172.21.0.0/16',
        created: '2026-12-01T10:00:00.000Z',
        description: 'My network',
        id,
        projectId: t.cloud.defaults.projectId,
        provider: 'aws',
        publicAccess: false,
        region: 'us-west-2',
        status: 'provisioning',
      })
      clock += 1000
      assert.equal((await call('GET', `${infra}/networks/${id}`)).json().network.status, 'available')
      const listed = (await call('GET', `${infra}/networks`)).json().networks
      assert.deepEqual(
        listed.map((n: {id: string}) => n.id),
        [...before, id],
      )
    })

    it('gives a network created without a block a free private /16, and keeps each project apart', async () => {
      const {id} = (
        await call('POST', `${other}/networks`, {description: 'n', provider: 'gcp', publicAccess: true, region: 'us-central1'})
      ).json()
      const got = (await call('GET', `${other}/networks/${id}`)).json().network
      assert.equal(got.cidrBlock, '10.0.0.0/16')
      assert.equal(got.publicAccess, true)
      assert.equal((await call('GET', `${infra}/networks/${id}`)).statusCode, 404)
      assert.equal((await call('GET', `${other}/networks`)).json().networks.length, 1)
    })

    it('changes only the description, and goes deleting then deleted (still answered, no longer listed)', async () => {
      const before = (await call('GET', `${infra}/networks`)).json().networks.map((n: {id: string}) => n.id)
      const {id} = (await call('POST', `${infra}/networks`, network)).json()
      assert.equal((await call('PUT', `${infra}/networks/${id}`, {description: 'renamed'})).statusCode, 200)
      assert.equal((await call('GET', `${infra}/networks/${id}`)).json().network.description, 'renamed')
      assert.equal((await call('DELETE', `${infra}/networks/${id}`)).statusCode, 204)
      assert.equal((await call('GET', `${infra}/networks/${id}`)).json().network.status, 'deleting')
      clock += 1000
      assert.equal((await call('GET', `${infra}/networks/${id}`)).json().network.status, 'deleted')
      assert.deepEqual(
        (await call('GET', `${infra}/networks`)).json().networks.map((n: {id: string}) => n.id),
        before,
      )
      assert.equal((await call('PUT', `${infra}/networks/${id}`, {description: 'x'})).statusCode, 404)
    })

    const refusals: Array<[string, Record<string, unknown>, string, RegExp]> = [
      ['a malformed block', {cidrBlock: '10.1.2/16'}, 'cidrBlock', /not an IPv4 CIDR block|must match pattern/],
      ['an octet over 255', {cidrBlock: '10.300.0.0/16'}, 'cidrBlock', /not an IPv4 CIDR block/],
      ['a public range', {cidrBlock: '8.8.0.0/16'}, 'cidrBlock', /not a private range/],
      ['a block too small', {cidrBlock: '10.1.2.0/28'}, 'cidrBlock', /at least a \/25/],
      ['host bits', {cidrBlock: '10.1.2.3/16'}, 'cidrBlock', /host bits set: the block is 10\.1\.0\.0\/16/],
      ['a region the provider does not have', {region: 'us-central1'}, 'region', /unknown region "us-central1" for aws/],
      ['an unknown provider', {provider: 'oracle'}, 'provider', /aws, gcp, azure/],
      ['a missing description', {description: undefined}, 'description', /required/],
    ]
    for (const [what, change, field, message] of refusals) {
      it(`refuses ${what} with 400 naming ${field}`, async () => {
        const res = await call('POST', `${infra}/networks`, {...network, ...change})
        assert.equal(res.statusCode, 400)
        assert.deepEqual(Object.keys(res.json().fields), [field])
        assert.match(res.json().fields[field], message)
        assert.match(res.json().detail, new RegExp(`invalid body: ${field}`))
      })
    }

    it('accepts the private ranges, the local region of every provider, and each provider’s own regions', async () => {
      for (const body of [
        {cidrBlock: '10.0.0.0/8', provider: 'aws', region: 'local'},
        {cidrBlock: '172.16.0.0/12', provider: 'gcp', region: 'europe-west1'},
        {cidrBlock: '192.168.4.0/25', provider: 'azure', region: 'westeurope'},
      ]) {
        const res = await call('POST', `${other}/networks`, {...network, ...body})
        assert.equal(res.statusCode, 202, res.body)
      }
    })

    it('refuses to delete a network a cluster uses (409 naming the cluster), then allows it', async () => {
      const {id} = (await call('POST', `${infra}/networks`, network)).json()
      clock += 1000
      const cluster = await call('POST', `${t.mesdb}/clusters`, {...clusterBody, networkId: id, region: 'us-west-2'})
      assert.equal(cluster.statusCode, 202, cluster.body)
      await t.cloud.ctx.runner.idle()
      const clusterId = cluster.json().id
      const blocked = await call('DELETE', `${infra}/networks/${id}`)
      assert.equal(blocked.statusCode, 409)
      assert.match(blocked.json().detail, new RegExp(`network ${id} is used by cluster ${clusterId}; delete the cluster first`))
      assert.equal((await call('DELETE', `${t.mesdb}/clusters/${clusterId}`)).statusCode, 204)
      await t.cloud.ctx.runner.idle()
      assert.equal((await call('DELETE', `${infra}/networks/${id}`)).statusCode, 204)
    })
  })

  describe('ACLs', () => {
    const acl = {
      cidrBlocks: [{address: '10.0.0.0/8', comment: 'Office VPN'}, {address: '192.168.1.7/32'}, {address: '172.16.0.0/12', comment: ''}],
      description: 'office',
    }

    it('creates, reads, lists, replaces and deletes an ACL', async () => {
      const created = await call('POST', `${infra}/acls`, acl)
      assert.equal(created.statusCode, 201)
      const {id} = created.json()
      assert.deepEqual((await call('GET', `${infra}/acls/${id}`)).json(), {
        acl: {...acl, created: '2026-12-01T10:00:00.000Z', id, projectId: t.cloud.defaults.projectId, status: 'active'},
      })
      assert.deepEqual(
        (await call('GET', `${infra}/acls`)).json().acls.map((a: {id: string}) => a.id),
        [id],
      )
      clock += 5000
      assert.equal((await call('PUT', `${infra}/acls/${id}`, {cidrBlocks: [{address: '1.2.3.4'}]})).statusCode, 200)
      const replaced = (await call('GET', `${infra}/acls/${id}`)).json().acl
      assert.deepEqual(
        [replaced.cidrBlocks, replaced.description, replaced.updated],
        [[{address: '1.2.3.4'}], 'office', '2026-12-01T10:00:05.000Z'],
      )
      // Like the cloud: an update without blocks empties the list.
      await call('PUT', `${infra}/acls/${id}`, {cidrBlocks: [], description: 'closed'})
      assert.deepEqual((await call('GET', `${infra}/acls/${id}`)).json().acl.cidrBlocks, [])
      assert.equal((await call('DELETE', `${infra}/acls/${id}`)).statusCode, 204)
      assert.equal((await call('GET', `${infra}/acls/${id}`)).json().acl.status, 'deleted')
      assert.deepEqual((await call('GET', `${infra}/acls`)).json(), {acls: []})
      assert.equal((await call('GET', `${other}/acls/${id}`)).statusCode, 404)
    })

    it('refuses a bad block with 400 naming the entry', async () => {
      const res = await call('POST', `${infra}/acls`, {cidrBlocks: [{address: '10.0.0.0/8'}, {address: '10.0.0.1/8'}], description: 'x'})
      assert.equal(res.statusCode, 400)
      assert.deepEqual(Object.keys(res.json().fields), ['cidrBlocks.1.address'])
      assert.match(res.json().fields['cidrBlocks.1.address'], /host bits set/)
      const update = await call('PUT', `${infra}/acls/c1ev3l5o0aeu6ojco7b0`, {cidrBlocks: [{address: 'nope'}]})
      assert.equal(update.statusCode, 400)
    })

    it('refuses to delete an ACL a cluster uses', async () => {
      const {id} = (await call('POST', `${infra}/acls`, acl)).json()
      const cluster = await call('POST', `${t.mesdb}/clusters`, {...clusterBody, aclId: id})
      assert.equal(cluster.statusCode, 202, cluster.body)
      await t.cloud.ctx.runner.idle()
      const blocked = await call('DELETE', `${infra}/acls/${id}`)
      assert.equal(blocked.statusCode, 409)
      assert.match(blocked.json().detail, new RegExp(`ACL ${id} is used by cluster ${cluster.json().id}; delete the cluster first`))
    })
  })

  it('answers every peering request 501 with problem details: peering needs a cloud provider', async () => {
    const peering = {
      networkId: t.cloud.defaults.networkId,
      description: 'peer',
      peerAccountId: '123456789012',
      peerNetworkId: 'vpc-0abc',
      peerNetworkRegion: 'us-west-2',
      routes: ['10.20.0.0/16'],
    }
    for (const [method, url, body] of [
      ['POST', `${infra}/peerings`, peering],
      ['GET', `${infra}/peerings`],
      ['GET', `${infra}/peerings/c1ev3l5o0aeu6ojco7b0`],
      ['PUT', `${infra}/peerings/c1ev3l5o0aeu6ojco7b0`, {description: 'x'}],
      ['DELETE', `${infra}/peerings/c1ev3l5o0aeu6ojco7b0`],
      ['POST', `${infra}/peerings/commands`, {provider: 'aws', peerAccountId: '1', peerNetworkId: 'v'}],
    ] as const) {
      const res = await call(method, url, body)
      assert.equal(res.statusCode, 501, `${method} ${url}`)
      assert.equal(res.headers['content-type'], 'application/problem+json; charset=utf-8')
      assert.equal(res.json().title, 'Not Implemented')
      assert.match(res.json().detail, /peering needs a cloud provider/)
    }
  })
})
