import {strict as assert} from 'node:assert'
import nock from 'nock'

import {API, historyItem, ORCHESTRATE, ORG, PROJECT, useCommandEnv} from '../mesdb/clusters/helpers.js'

const HISTORY = `${ORCHESTRATE}/history`
const older = historyItem({id: 'h1', jobId: 'j1', startTime: '2021-03-26T13:00:00Z', endTime: '2021-03-26T13:02:30Z', linkedResource: 'b1'})
const newer = historyItem({
  id: 'h2',
  jobId: 'j1',
  status: 'failed',
  details: 'cluster locked',
  startTime: '2021-03-26T14:00:00Z',
  endTime: undefined,
  linkedResource: 'b2',
})
const debugLine = (h: typeof older, end: string) =>
  `HistoryItem { org_id: OrgId("${ORG}"), project_id: ProjectId("${PROJECT}"), job_id: JobId("${h.jobId}"), status: "${h.status}", ` +
  `details: "${h.details}", linked_resource: "${h.linkedResource}", start_time: ${h.startTime}, end_time: ${end} }`

describe('esc orchestrate history list', () => {
  const {env, esc} = useCommandEnv()
  const e = () => ({...env(), ESC_PROJECT_ID: PROJECT})

  // esc prints the API's order (scripts take the first line); only the table sorts.
  it("lists the project history in the API's order as esc Debug lines", async () => {
    const scope = nock(API)
      .get(HISTORY)
      .reply(200, {items: [older, newer]})
    const r = await esc(['orchestrate', 'history', 'list'], {env: e()})
    assert.equal(r.stdout, `${debugLine(older, 'Some(2021-03-26T13:02:30Z)')}\n${debugLine(newer, 'None')}\n\n`)
    assert.equal(r.exitCode, 0)
    assert.ok(scope.isDone())
  })

  it("keeps the API's order in --json and -q", async () => {
    nock(API)
      .get(HISTORY)
      .twice()
      .reply(200, {items: [older, newer]})
    const json = JSON.parse((await esc(['orchestrate', 'history', 'list', '--json'], {env: e()})).stdout)
    assert.deepEqual(
      json.map((h: {startTime: string}) => h.startTime),
      [older.startTime, newer.startTime],
    )
    assert.equal((await esc(['orchestrate', 'history', 'list', '-q'], {env: e()})).stdout, 'h1\nh2\n')
  })

  it('--job-id becomes ?jobId=', async () => {
    const scope = nock(API).get(HISTORY).query({jobId: 'j1'}).reply(200, {items: []})
    const r = await esc(['orchestrate', 'history', 'list', '--job-id', 'j1'], {env: e()})
    assert.equal(r.stdout, '\n')
    assert.ok(scope.isDone())
  })

  it('--json prints the v1 items (no id, endTime null when running)', async () => {
    nock(API)
      .get(HISTORY)
      .reply(200, {items: [newer]})
    const r = await esc(['orchestrate', 'history', 'list', '--json'], {env: e()})
    assert.deepEqual(JSON.parse(r.stdout), [
      {
        organizationId: ORG,
        projectId: PROJECT,
        jobId: 'j1',
        status: 'failed',
        details: 'cluster locked',
        linkedResource: 'b2',
        startTime: '2021-03-26T14:00:00Z',
        endTime: null,
      },
    ])
  })

  it('the table has job, status, started, ended, duration, details and linked resource, newest first', async () => {
    nock(API)
      .get(HISTORY)
      .reply(200, {items: [older, newer]})
    const r = await esc(['orchestrate', 'history', 'list', '--fmt', 'table'], {env: e()})
    const lines = r.stdout.split('\n')
    assert.match(lines[1], /Job\s+│\s+Status\s+│\s+Started\s+│\s+Ended\s+│\s+Duration\s+│\s+Details\s+│\s+Linked resource/)
    const rows = lines.filter((l) => /│ j1 /.test(l))
    assert.equal(rows.length, 2)
    assert.match(rows[0], /failed .*2021-03-26 14:00 UTC.*│ — .*│ running .*│ cluster locked .*│ b2/)
    assert.match(rows[1], /succeeded .*2021-03-26 13:00 UTC.*2021-03-26 13:02 UTC.*│ 2m 30s .*│ b1/)
  })
})
