import {strict as assert} from 'node:assert'

import nock from 'nock'

import {API, capture, ORG, PROJECT, problem, useCommandEnv} from '../mesdb/clusters/helpers.js'

const PROJECTS = `/resources/v1/organizations/${ORG}/projects`
const project = {id: 'c0proj1', organizationId: ORG, name: 'Prod', created: '2021-03-26T09:37:17Z'}
const PROJECT_DEBUG = `Project { id: ProjectId("c0proj1"), org_id: OrgId("${ORG}"), name: "Prod", created: 2021-03-26T09:37:17Z }`

describe('esc resources projects', () => {
  const {env, esc} = useCommandEnv()

  it('create -n sends {"name"} under the profile org and prints the id in every format', async () => {
    const c = capture({id: 'c0proj1'})
    nock(API).post(PROJECTS).times(4).reply(c.reply)
    const args = ['resources', 'projects', 'create', '-n', 'Prod']
    const cli = await esc(args, {env: env()})
    assert.equal(cli.stderr, '')
    assert.equal(cli.stdout, 'ProjectId("c0proj1")\n')
    assert.equal(c.bodies[0], '{"name":"Prod"}')
    assert.equal((await esc([...args, '--json'], {env: env()})).stdout, '"c0proj1"')
    assert.equal((await esc([...args, '-q'], {env: env()})).stdout, 'c0proj1\n')
    assert.equal((await esc([...args, '--fmt', 'api'], {env: env()})).stdout, '{"name":"Prod"}\n{"id":"c0proj1"}\n')
  })

  it('create under another --org-id', async () => {
    nock(API).post('/resources/v1/organizations/c0org2/projects', {name: 'Test'}).reply(200, {id: 'c0proj2'})
    const r = await esc(['resources', 'projects', 'create', '--org-id', 'c0org2', '--name', 'Test', '-q'], {env: env()})
    assert.equal(r.stdout, 'c0proj2\n', r.stderr)
  })

  it('get -i prints the projection (organizationId) in every format', async () => {
    nock(API).get(`${PROJECTS}/c0proj1`).times(5).reply(200, {project})
    const get = ['resources', 'projects', 'get', '-i', 'c0proj1']
    assert.equal((await esc(get, {env: env()})).stdout, `${PROJECT_DEBUG}\n`)
    assert.equal(
      (await esc([...get, '--json'], {env: env()})).stdout,
      `{\n  "id": "c0proj1",\n  "organizationId": "${ORG}",\n  "name": "Prod",\n  "created": "2021-03-26T09:37:17Z"\n}`,
    )
    assert.equal((await esc([...get, '-q'], {env: env()})).stdout, 'c0proj1\n')
    assert.match((await esc([...get, '--fmt', 'table'], {env: env()})).stdout, /Organization\s+bt77lfqrh41scaatc180/)
    assert.equal(
      (await esc([...get, '--fmt', 'api-verbose'], {env: env()})).stdout,
      `GET ${API}${PROJECTS}/c0proj1\nstatus: 200\n${JSON.stringify({project})}\n`,
    )
  })

  it('get without -i reads the project-id of the environment or profile; none is one line, exit 2', async () => {
    nock(API)
      .get(`${PROJECTS}/${PROJECT}`)
      .reply(200, {project: {...project, id: PROJECT}})
    const r = await esc(['resources', 'projects', 'get', '-q'], {env: {...env(), ESC_PROJECT_ID: PROJECT}})
    assert.equal(r.stdout, `${PROJECT}\n`, r.stderr)
    const none = await esc(['resources', 'projects', 'get'], {env: env()})
    assert.equal(none.exitCode, 2)
    assert.match(
      none.stderr,
      /^Error: Invalid value for '--id <id>': Not provided and you don't have an project-id property set in the \[context\] section of your settings.toml file\n/,
    )
  })

  it('list prints one line per project and an empty line; an array in JSON', async () => {
    nock(API)
      .get(PROJECTS)
      .times(3)
      .reply(200, {projects: [project]})
    const args = ['resources', 'projects', 'list']
    assert.equal((await esc(args, {env: env()})).stdout, `${PROJECT_DEBUG}\n\n`)
    assert.deepEqual(JSON.parse((await esc([...args, '--json'], {env: env()})).stdout), [
      {id: 'c0proj1', organizationId: ORG, name: 'Prod', created: '2021-03-26T09:37:17Z'},
    ])
    assert.match((await esc([...args, '--fmt', 'table'], {env: env()})).stdout, /│ c0proj1 │ Prod/)
  })

  it('update sends PUT {"name"} to the profile project when -i is absent, and prints nothing', async () => {
    const c = capture('')
    nock(API).put(`${PROJECTS}/c0proj1`).reply(c.reply)
    const r = await esc(['resources', 'projects', 'update', '-i', 'c0proj1', '-n', 'Staging'], {env: env()})
    assert.equal(r.exitCode, 0, r.stderr)
    assert.equal(r.stdout, '')
    assert.equal(c.bodies[0], '{"name":"Staging"}')
    nock(API).put(`${PROJECTS}/${PROJECT}`, {name: 'x'}).reply(200)
    const fallback = await esc(['resources', 'projects', 'update', '-n', 'x'], {env: {...env(), ESC_PROJECT_ID: PROJECT}})
    assert.equal(fallback.exitCode, 0, fallback.stderr)
  })

  it('delete needs both --org-id and -i (no fallback), sends DELETE and prints nothing', async () => {
    nock(API).delete(`${PROJECTS}/c0proj1`).reply(204)
    const r = await esc(['resources', 'projects', 'delete', '--org-id', ORG, '-i', 'c0proj1'], {env: env()})
    assert.equal(r.exitCode, 0, r.stderr)
    assert.equal(r.stdout, '')
    const noOrg = await esc(['resources', 'projects', 'delete', '-i', 'c0proj1'], {env: env()})
    assert.equal(noOrg.exitCode, 2)
    assert.match(noOrg.stderr, /Missing required flag org-id/)
  })

  it('a 409 problem details (the project still has resources) is one line, exit 1', async () => {
    nock(API)
      .delete(`${PROJECTS}/c0proj1`)
      .reply(409, problem(409, 'Conflict', 'project c0proj1 still has 1 network (c0net1)'))
    const r = await esc(['resources', 'projects', 'delete', '--org-id', ORG, '-i', 'c0proj1'], {env: env()})
    assert.equal(r.exitCode, 1)
    assert.equal(r.stderr, `Error: Conflict: project c0proj1 still has 1 network (c0net1) (HTTP 409 DELETE ${PROJECTS}/c0proj1)\n`)
  })
})
