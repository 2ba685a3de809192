import {strict as assert} from 'node:assert'
import nock from 'nock'

import {API, backup, historyItem, ORCHESTRATE, ORG, PROJECT, MESDB, useCommandEnv} from '../mesdb/clusters/helpers.js'

const JOB_ID = 'c1jobjobjob0aeu6ojco'
const RUN = `${ORCHESTRATE}/jobs/${JOB_ID}/run`
const HISTORY = `${ORCHESTRATE}/history`
const run = (...args: string[]) => ['orchestrate', 'jobs', 'run', '-i', JOB_ID, ...args]
const old = historyItem({id: 'h0', startTime: '2021-03-26T13:00:00Z', endTime: '2021-03-26T13:05:00Z'})

describe('esc orchestrate jobs run', () => {
  const {env, clock, esc} = useCommandEnv()
  const e = () => ({...env(), ESC_PROJECT_ID: PROJECT})

  it('POSTs …/jobs/{id}/run with no body and prints the history id', async () => {
    const scope = nock(API, {reqheaders: {authorization: 'Bearer tok'}})
      .post(RUN, (body) => body === '' || body === undefined || Object.keys(body).length === 0)
      .reply(200, {historyId: 'h1'})
    const r = await esc(run(), {env: e()})
    assert.equal(r.stdout, 'HistoryId("h1")\n')
    assert.equal(r.stderr, '')
    assert.equal(r.exitCode, 0)
    assert.ok(scope.isDone())
  })

  it('prints the history id as a JSON string with --json, and says so when the API gives none', async () => {
    nock(API).post(RUN).reply(200, {historyId: 'h1'})
    assert.equal((await esc(run('--json'), {env: e()})).stdout, '"h1"')
    nock(API).post(RUN).reply(200, {})
    const none = await esc(run(), {env: e()})
    assert.equal(none.stdout, '')
    assert.equal(
      none.stderr,
      `Started job ${JOB_ID}; the API returned no history id (see \`esc orchestrate history list --job-id ${JOB_ID}\`)\n`,
    )
    nock(API).post(RUN).reply(200, '{}')
    assert.equal((await esc(run('--fmt', 'api'), {env: e()})).stdout, '{}\n')
  })

  it('--wait follows the named history item until it ends, prints it and reports the backup', async () => {
    const running = historyItem({id: 'h1', status: 'running', endTime: undefined, details: ''})
    const done = historyItem({id: 'h1', status: 'succeeded'})
    nock(API)
      .get(HISTORY)
      .query({jobId: JOB_ID})
      .reply(200, {items: [old]})
    nock(API).post(RUN).reply(200, {historyId: 'h1'})
    nock(API)
      .get(HISTORY)
      .query({jobId: JOB_ID})
      .reply(200, {items: [old]})
    nock(API)
      .get(HISTORY)
      .query({jobId: JOB_ID})
      .reply(200, {items: [running, old]})
    nock(API)
      .get(HISTORY)
      .query({jobId: JOB_ID})
      .reply(200, {items: [done, old]})
    nock(API)
      .get(`${MESDB}/backups/c1ev3l5o0aeu6ojco7b0`)
      .reply(200, {backup: backup({id: 'c1ev3l5o0aeu6ojco7b0'})})
    const r = await esc(run('--wait', '--json'), {env: e()})
    assert.equal(r.exitCode, 0)
    assert.deepEqual(JSON.parse(r.stdout), {
      organizationId: ORG,
      projectId: PROJECT,
      jobId: JOB_ID,
      status: 'succeeded',
      details: 'backup created',
      linkedResource: 'c1ev3l5o0aeu6ojco7b0',
      startTime: '2021-03-26T14:00:00Z',
      endTime: '2021-03-26T14:05:00Z',
    })
    assert.equal(
      r.stderr,
      `run of job ${JOB_ID}: starting (0s)\nrun of job ${JOB_ID}: running (0s)\nrun of job ${JOB_ID}: succeeded (1s)\n` +
        'Backup c1ev3l5o0aeu6ojco7b0: available, 8 GB (esc mesdb backups get -i c1ev3l5o0aeu6ojco7b0)\n',
    )
    assert.deepEqual(clock().sleeps, [500, 1000])
    assert.ok(nock.isDone())
  })

  it('--wait -q prints the id of the backup the run made (the id used next), not the history id', async () => {
    nock(API)
      .get(HISTORY)
      .query({jobId: JOB_ID})
      .reply(200, {items: [old]})
    nock(API).post(RUN).reply(200, {historyId: 'h1'})
    nock(API)
      .get(HISTORY)
      .query({jobId: JOB_ID})
      .reply(200, {items: [historyItem({id: 'h1', status: 'succeeded'}), old]})
    nock(API)
      .get(`${MESDB}/backups/c1ev3l5o0aeu6ojco7b0`)
      .reply(200, {backup: backup({id: 'c1ev3l5o0aeu6ojco7b0'})})
    const r = await esc(run('--wait', '-q'), {env: e()})
    assert.equal(r.exitCode, 0)
    assert.equal(r.stdout, 'c1ev3l5o0aeu6ojco7b0\n')
  })

  it('--wait -q prints nothing on stdout when the run made no backup (exit 5)', async () => {
    nock(API).get(HISTORY).query({jobId: JOB_ID}).reply(200, {items: []})
    nock(API).post(RUN).reply(200, {historyId: 'h1'})
    nock(API)
      .get(HISTORY)
      .query({jobId: JOB_ID})
      .reply(200, {items: [historyItem({id: 'h1', status: 'failed', linkedResource: ''})]})
    const r = await esc(run('--wait', '-q'), {env: e()})
    assert.equal(r.exitCode, 5)
    assert.equal(r.stdout, '')
  })

  it('--wait without a history id follows the new item of the job', async () => {
    const mine = historyItem({id: 'h7', status: 'succeeded', linkedResource: ''})
    nock(API)
      .get(HISTORY)
      .query({jobId: JOB_ID})
      .reply(200, {items: [old]})
    nock(API).post(RUN).reply(200, {})
    nock(API)
      .get(HISTORY)
      .query({jobId: JOB_ID})
      .reply(200, {items: [old, mine]})
    const r = await esc(run('--wait'), {env: e()})
    assert.equal(r.exitCode, 0)
    assert.match(r.stdout, /^HistoryItem \{ .*status: "succeeded"/)
    assert.equal(r.stderr, `run of job ${JOB_ID}: succeeded (0s)\n`)
  })

  it('--wait exits 5 when the run fails, with its status and details', async () => {
    const failed = historyItem({id: 'h1', status: 'failed', details: 'cluster is locked by another operation', linkedResource: ''})
    nock(API).get(HISTORY).query({jobId: JOB_ID}).reply(200, {items: []})
    nock(API).post(RUN).reply(200, {historyId: 'h1'})
    nock(API)
      .get(HISTORY)
      .query({jobId: JOB_ID})
      .reply(200, {items: [failed]})
    const r = await esc(run('--wait'), {env: e()})
    assert.equal(r.exitCode, 5)
    assert.match(r.stdout, /^HistoryItem \{ .*status: "failed"/)
    assert.equal(
      r.stderr,
      `run of job ${JOB_ID}: failed (0s)\nError: The run of job ${JOB_ID} ended with status 'failed': cluster is locked by another operation\n`,
    )
  })

  it('--wait exits 4 on timeout and says how to check the run later', async () => {
    nock(API).get(HISTORY).query({jobId: JOB_ID}).reply(200, {items: []})
    nock(API).post(RUN).reply(200, {historyId: 'h1'})
    nock(API)
      .get(HISTORY)
      .query({jobId: JOB_ID})
      .times(6)
      .reply(200, {items: [historyItem({id: 'h1', status: 'running', endTime: undefined})]})
    const r = await esc(run('--wait', '--timeout', '10s'), {env: e()})
    assert.equal(r.exitCode, 4)
    assert.equal(r.stdout, '')
    assert.equal(
      r.stderr,
      `run of job ${JOB_ID}: running (0s)\nError: Timed out after 10s waiting for the run of job ${JOB_ID} (last status: 'running'); it continues in the cloud\n` +
        `  Re-attach with: esc orchestrate history list --job-id ${JOB_ID} --org-id ${ORG} --project-id ${PROJECT}\n`,
    )
    assert.deepEqual(clock().sleeps, [500, 1000, 2000, 5000, 1500])
  })
})
