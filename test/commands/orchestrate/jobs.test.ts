import {strict as assert} from 'node:assert'
import nock from 'nock'

import {API, historyItem, job, ORCHESTRATE, ORG, PROJECT, problem, useCommandEnv} from '../mesdb/clusters/helpers.js'

const J = job()
const JOB_DEBUG =
  `Job { id: JobId("c1jobjobjob0aeu6ojco"), org_id: OrgId("${ORG}"), project_id: ProjectId("${PROJECT}"), ` +
  'description: "My Hourly Backup", schedule: "0 */1 * * *", status: "active", data: ScheduledBackup(JobDataScheduledBackup { ' +
  'description: "{cluster} Hourly Backup {datetime:RFC3339}", max_backup_count: 2, cluster_id: ClusterId("c196ogto0aeqohe3ommq") }) }'
const JOB_V1 = {
  id: J.id,
  organizationId: ORG,
  projectId: PROJECT,
  description: 'My Hourly Backup',
  schedule: '0 */1 * * *',
  status: 'active',
  type: 'ScheduledBackup',
  data: {description: '{cluster} Hourly Backup {datetime:RFC3339}', maxBackupCount: 2, clusterId: 'c196ogto0aeqohe3ommq'},
}

describe('esc orchestrate jobs get|list|delete', () => {
  const {env, esc} = useCommandEnv()
  const e = () => ({...env(), ESC_PROJECT_ID: PROJECT})

  it('get -i prints the Debug line (cli), the v1 JSON (--json) and the raw body (api)', async () => {
    nock(API, {reqheaders: {authorization: 'Bearer tok'}})
      .get(`${ORCHESTRATE}/jobs/${J.id}`)
      .times(3)
      .reply(200, {job: J})
    const cli = await esc(['orchestrate', 'jobs', 'get', '-i', J.id], {env: e()})
    assert.equal(cli.stdout, `${JOB_DEBUG}\n`)
    assert.equal(cli.exitCode, 0)
    const json = await esc(['orchestrate', 'jobs', 'get', '--id', J.id, '--json'], {env: e()})
    assert.equal(json.stdout, JSON.stringify(JOB_V1, null, 2))
    const api = await esc(['orchestrate', 'jobs', 'get', '--id', J.id, '--fmt', 'api'], {env: e()})
    assert.equal(api.stdout, `${JSON.stringify({job: J})}\n`)
  })

  it('get needs -i (exit 2) and reports a missing job (exit 1)', async () => {
    const a = await esc(['orchestrate', 'jobs', 'get'], {env: e()})
    assert.equal(a.exitCode, 2)
    assert.match(a.stderr, /^Error: Missing required flag id/)
    nock(API)
      .get(`${ORCHESTRATE}/jobs/nope`)
      .reply(404, problem(404, 'Not Found', 'job nope does not exist'))
    const b = await esc(['orchestrate', 'jobs', 'get', '-i', 'nope'], {env: e()})
    assert.equal(b.exitCode, 1)
    assert.equal(b.stderr, `Error: Not Found: job nope does not exist (HTTP 404 GET ${ORCHESTRATE}/jobs/nope)\n`)
  })

  it('list prints one Debug line per job then an empty line; a table lists them for people', async () => {
    const other = job({id: 'j2', description: 'Weekly', schedule: '30 13 * * 0'})
    nock(API)
      .get(`${ORCHESTRATE}/jobs`)
      .twice()
      .reply(200, {jobs: [J, other]})
    const cli = await esc(['orchestrate', 'jobs', 'list'], {env: e()})
    assert.equal(
      cli.stdout,
      `${JOB_DEBUG}\n${JOB_DEBUG.replace('JobId("c1jobjobjob0aeu6ojco")', 'JobId("j2")').replace('My Hourly Backup', 'Weekly').replace('0 */1 * * *', '30 13 * * 0')}\n\n`,
    )
    const table = await esc(['orchestrate', 'jobs', 'list', '--fmt', 'table'], {env: e()})
    assert.match(table.stdout, /ID\s+│\s+Description\s+│\s+Schedule/)
    assert.match(table.stdout, /j2\s+│\s+Weekly\s+│\s+30 13 \* \* 0/)
  })

  it('a table of jobs shows when each runs next and how its last run ended', async () => {
    const weekly = job({id: 'j2', description: 'Weekly', schedule: '30 13 * * 0'})
    const stopped = job({id: 'j3', description: 'Old', status: 'stopped'})
    nock(API)
      .get(`${ORCHESTRATE}/jobs`)
      .reply(200, {jobs: [J, weekly, stopped]})
    nock(API)
      .get(`${ORCHESTRATE}/history`)
      .reply(200, {
        items: [
          historyItem({id: 'h0', status: 'succeeded', startTime: '2023-11-14T20:00:00Z', endTime: '2023-11-14T20:05:00Z'}),
          historyItem({id: 'h1', status: 'failed', startTime: '2023-11-14T21:00:00Z', endTime: '2023-11-14T21:00:05Z'}),
          historyItem({id: 'h2', jobId: 'j3', status: 'succeeded', startTime: '2023-11-01T10:00:00Z'}),
        ],
      })
    // The command's clock reads 2023-11-14T22:13:20Z (a Tuesday).
    const r = await esc(['orchestrate', 'jobs', 'list', '--fmt', 'table'], {env: e()})
    assert.equal(r.exitCode, 0, r.stderr)
    assert.match(r.stdout, /ID\s+│\s+Description\s+│\s+Schedule\s+│\s+Next run\s+│\s+Status\s+│\s+Last result\s+│/)
    assert.match(
      r.stdout,
      /c1jobjobjob0aeu6ojco\s+│.*│\s+2023-11-14 23:00 UTC \(in 47 minutes\)\s+│\s+active\s+│\s+failed \(1 hour ago\)\s+│/,
    )
    assert.match(r.stdout, /j2\s+│.*│\s+2023-11-19 13:30 UTC \(in 5 days\)\s+│\s+active\s+│\s+—\s+│/)
    assert.match(r.stdout, /j3\s+│.*│\s+—\s+│\s+stopped\s+│\s+succeeded \(14 days ago\)\s+│/)
    assert.ok(nock.isDone())
  })

  it('a table of jobs still prints when the history cannot be read (last result unknown)', async () => {
    nock(API)
      .get(`${ORCHESTRATE}/jobs`)
      .reply(200, {jobs: [J]})
    nock(API).get(`${ORCHESTRATE}/history`).reply(403, problem(403, 'Forbidden'))
    const r = await esc(['orchestrate', 'jobs', 'list', '--fmt', 'table'], {env: e()})
    assert.equal(r.exitCode, 0)
    assert.match(r.stdout, /c1jobjobjob0aeu6ojco\s+│.*│\s+active\s+│\s+\?\s+│/)
  })

  it('list with no jobs prints just a newline (cli) and [] (json)', async () => {
    nock(API).get(`${ORCHESTRATE}/jobs`).twice().reply(200, {jobs: []})
    assert.equal((await esc(['orchestrate', 'jobs', 'list'], {env: e()})).stdout, '\n')
    assert.equal((await esc(['orchestrate', 'jobs', 'list', '--json'], {env: e()})).stdout, '[]')
  })

  it('delete -i sends DELETE and prints nothing', async () => {
    const scope = nock(API).delete(`${ORCHESTRATE}/jobs/${J.id}`).reply(200, '')
    const r = await esc(['orchestrate', 'jobs', 'delete', '-i', J.id, '--project-id', PROJECT, '--org-id', ORG], {env: env()})
    assert.equal(r.stdout, '')
    assert.equal(r.stderr, '')
    assert.equal(r.exitCode, 0)
    assert.ok(scope.isDone())
  })
})
