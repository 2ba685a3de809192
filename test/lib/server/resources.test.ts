import {strict as assert} from 'node:assert'

import {ADMIN_CLIENT_ID, ADMIN_USER} from '../../../src/lib/server/identity.js'
import {clusterBody, openTestCloud, type TestCloud} from './helpers.js'

const ORGS = '/resources/v1/organizations'

describe('local API: /resources/v1 organizations and projects', () => {
  let t: TestCloud
  let clock: number
  beforeEach(async () => {
    clock = Date.parse('2026-12-01T10:00:00.000Z')
    t = await openTestCloud({now: () => new Date(clock)})
  })
  afterEach(async () => {
    await t.close()
  })

  const as = (subject: string) => ({authorization: `Bearer ${t.cloud.ctx.identity.issueAccessToken(subject)}`})
  const call = (method: 'GET' | 'POST' | 'PUT' | 'DELETE', url: string, payload?: unknown, headers = t.auth) =>
    t.cloud.app.inject({method, url, headers, ...(payload === undefined ? {} : {payload: payload as object})})

  it('creates, reads, lists, renames and deletes an organization, with provisioningEnabled', async () => {
    const created = await call('POST', ORGS, {name: 'Acme'})
    assert.equal(created.statusCode, 201)
    const {id} = created.json()
    assert.match(id, /^[0-9a-v]{20}$/)
    const got = (await call('GET', `${ORGS}/${id}`)).json().organization
    assert.deepEqual(Object.keys(got).sort(), ['created', 'id', 'name', 'provisioningEnabled'])
    assert.deepEqual([got.id, got.name, got.provisioningEnabled], [id, 'Acme', true])
    assert.equal(new Date(got.created).toISOString(), got.created)
    const names = (await call('GET', ORGS)).json().organizations.map((o: {name: string}) => o.name)
    assert.deepEqual(names, ['Local organization', 'Acme'])
    assert.equal((await call('PUT', `${ORGS}/${id}`, {name: 'Acme 2'})).statusCode, 200)
    assert.equal((await call('GET', `${ORGS}/${id}`)).json().organization.name, 'Acme 2')
    assert.equal((await call('DELETE', `${ORGS}/${id}`)).statusCode, 204)
    const gone = await call('GET', `${ORGS}/${id}`)
    assert.equal(gone.statusCode, 404)
    assert.equal(gone.headers['content-type'], 'application/problem+json; charset=utf-8')
    assert.match(gone.json().detail, new RegExp(`organization ${id} not found`))
  })

  it('reads and sets the MFA status; POST echoes the new value', async () => {
    const {organizationId: o} = t.cloud.defaults
    assert.deepEqual((await call('GET', `${ORGS}/${o}/mfa`)).json(), {mfaEnabled: false})
    const set = await call('POST', `${ORGS}/${o}/mfa`, {mfaEnabled: true})
    assert.equal(set.statusCode, 200)
    assert.deepEqual(set.json(), {mfaEnabled: true})
    assert.deepEqual((await call('GET', `${ORGS}/${o}/mfa`)).json(), {mfaEnabled: true})
    const bad = await call('POST', `${ORGS}/${o}/mfa`, {mfaEnabled: 'yes'})
    assert.equal(bad.statusCode, 400)
    assert.ok(bad.json().fields.mfaEnabled)
  })

  it('creates, reads, lists, renames and deletes a project; names are unique in an organization', async () => {
    const org = (await call('POST', ORGS, {name: 'Acme'})).json().id
    const created = await call('POST', `${ORGS}/${org}/projects`, {name: 'Test'})
    assert.equal(created.statusCode, 201)
    const {id} = created.json()
    const project = (await call('GET', `${ORGS}/${org}/projects/${id}`)).json().project
    assert.deepEqual({...project, created: undefined}, {id, name: 'Test', organizationId: org, created: undefined})
    assert.deepEqual(
      (await call('GET', `${ORGS}/${org}/projects`)).json().projects.map((p: {id: string}) => p.id),
      [id],
    )
    const twice = await call('POST', `${ORGS}/${org}/projects`, {name: 'Test'})
    assert.equal(twice.statusCode, 409)
    assert.match(twice.json().detail, /a project named "Test" already exists/)
    assert.equal((await call('PUT', `${ORGS}/${org}/projects/${id}`, {name: 'Staging'})).statusCode, 200)
    assert.equal((await call('GET', `${ORGS}/${org}/projects/${id}`)).json().project.name, 'Staging')
    assert.equal((await call('DELETE', `${ORGS}/${org}/projects/${id}`)).statusCode, 204)
    assert.equal((await call('GET', `${ORGS}/${org}/projects/${id}`)).statusCode, 404)
  })

  it('answers 400 naming the field for a bad body', async () => {
    const res = await call('POST', ORGS, {})
    assert.equal(res.statusCode, 400)
    assert.deepEqual(Object.keys(res.json().fields), ['name'])
    const {organizationId: o} = t.cloud.defaults
    const project = await call('POST', `${ORGS}/${o}/projects`, {name: ''})
    assert.equal(project.statusCode, 400)
    assert.deepEqual(Object.keys(project.json().fields), ['name'])
  })

  it('refuses to delete a project that still has clusters, networks, ACLs, jobs or backups, naming them', async () => {
    const {organizationId: o} = t.cloud.defaults
    const p = (await call('POST', `${ORGS}/${o}/projects`, {name: 'Test'})).json().id
    const infra = `/infra/v1/organizations/${o}/projects/${p}`
    const net = (
      await call('POST', `${infra}/networks`, {
        cidrBlock: '10.9.0.0/16',
        description: 'n',
        provider: 'aws',
        publicAccess: false,
        region: 'local',
      })
    ).json().id
    await call('POST', `${infra}/acls`, {cidrBlocks: [], description: 'a'})
    const blocked = await call('DELETE', `${ORGS}/${o}/projects/${p}`)
    assert.equal(blocked.statusCode, 409)
    assert.match(blocked.json().detail, new RegExp(`project ${p} still has 1 network, 1 ACL; delete them first`))
    // Once the network is available, a cluster on it is in the way too.
    clock += 60_000
    const cluster = await call('POST', `/mesdb/v1/organizations/${o}/projects/${p}/clusters`, {...clusterBody, networkId: net})
    assert.equal(cluster.statusCode, 202, cluster.body)
    await t.cloud.ctx.runner.idle()
    const again = await call('DELETE', `${ORGS}/${o}/projects/${p}`)
    assert.match(again.json().detail, new RegExp(`project ${p} still has 1 cluster, 1 network, 1 ACL; delete them first`))
  })

  it('refuses to delete an organization with projects, and the local organization and project', async () => {
    const org = (await call('POST', ORGS, {name: 'Acme'})).json().id
    await call('POST', `${ORGS}/${org}/projects`, {name: 'Test'})
    const blocked = await call('DELETE', `${ORGS}/${org}`)
    assert.equal(blocked.statusCode, 409)
    assert.match(blocked.json().detail, new RegExp(`organization ${org} still has 1 project; delete it first`))
    const {organizationId: o, projectId: p} = t.cloud.defaults
    const local = await call('DELETE', `${ORGS}/${o}`)
    assert.equal(local.statusCode, 409)
    assert.match(local.json().detail, /the local organization .* cannot be deleted/)
    const project = await call('DELETE', `${ORGS}/${o}/projects/${p}`)
    assert.equal(project.statusCode, 409)
    assert.match(project.json().detail, /the local project .* cannot be deleted/)
  })

  describe('isolation between identities', () => {
    it("answers 404 for another identity's organization and everything in it, never its data", async () => {
      const org = (await call('POST', ORGS, {name: 'Secret org'})).json().id
      const project = (await call('POST', `${ORGS}/${org}/projects`, {name: 'Secret project'})).json().id
      const other = as('someone@example.com')
      const list = await call('GET', ORGS, undefined, other)
      assert.deepEqual(
        list.json().organizations.map((o: {name: string}) => o.name),
        ['Local organization'],
      )
      for (const url of [
        `${ORGS}/${org}`,
        `${ORGS}/${org}/mfa`,
        `${ORGS}/${org}/projects`,
        `${ORGS}/${org}/projects/${project}`,
        `/infra/v1/organizations/${org}/projects/${project}/networks`,
        `/infra/v1/organizations/${org}/projects/${project}/acls`,
        `/mesdb/v1/organizations/${org}/projects/${project}/clusters`,
        `/orchestrate/v1/organizations/${org}/projects/${project}/jobs`,
      ]) {
        const res = await call('GET', url, undefined, other)
        assert.equal(res.statusCode, 404, url)
        assert.doesNotMatch(res.body, /Secret/, url)
      }
      assert.equal((await call('PUT', `${ORGS}/${org}`, {name: 'mine'}, other)).statusCode, 404)
      assert.equal((await call('DELETE', `${ORGS}/${org}`, undefined, other)).statusCode, 404)
      assert.equal((await call('POST', `${ORGS}/${org}/projects`, {name: 'x'}, other)).statusCode, 404)
      assert.equal((await call('GET', `${ORGS}/${org}`)).json().organization.name, 'Secret org')
    })

    it('shares what the admin user creates with the admin client (one administrator)', async () => {
      const org = (await call('POST', ORGS, {name: 'Admin org'}, as(ADMIN_USER))).json().id
      assert.equal((await call('GET', `${ORGS}/${org}`, undefined, as(`client:${ADMIN_CLIENT_ID}`))).statusCode, 200)
      assert.equal((await call('GET', `${ORGS}/${org}`, undefined, as('test'))).statusCode, 404)
    })
  })
})
