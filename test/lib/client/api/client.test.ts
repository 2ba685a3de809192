import {strict as assert} from 'node:assert'
import nock from 'nock'

import {ApiClient} from '../../../../src/lib/client/api/client.js'
import {ApiDecodeError, ApiError} from '../../../../src/lib/client/api/errors.js'
import {EscError} from '../../../../src/lib/core/errors.js'
import {exitCodeOf} from '../../../../src/lib/cli/error-exit.js'
import {backup, cluster, fakeTokens, historyItem, job} from './fixtures.js'

const BASE = 'http://127.0.0.1:2180'
const M = '/mesdb/v1/organizations/o1/projects/p1'
const O = '/orchestrate/v1/organizations/o1/projects/p1'

function client(tokens = fakeTokens(), extra: Record<string, unknown> = {}) {
  const sleeps: number[] = []
  const api = new ApiClient({
    baseUrl: BASE,
    tokens,
    userAgent: 'esc/9.9.9 node/v0',
    sleep: async (ms) => void sleeps.push(ms),
    random: () => 0.5,
    ...extra,
  })
  return {api, sleeps, tokens}
}

describe('ApiClient', () => {
  before(() => nock.disableNetConnect())
  afterEach(() => nock.cleanAll())
  after(() => nock.enableNetConnect())

  it('sends bearer auth, JSON headers and the user agent, and returns data plus the exchange', async () => {
    const scope = nock(BASE, {
      reqheaders: {
        authorization: 'Bearer tok-1',
        'content-type': 'application/json',
        accept: 'application/json',
        'user-agent': 'esc/9.9.9 node/v0',
      },
    })
      .post(`${M}/backups`, '{"description":"on demand backup","sourceClusterId":"c1"}')
      .reply(200, '{"id":"b1"}')
    const {api} = client()
    const res = await api.createBackup('o1', 'p1', {description: 'on demand backup', sourceClusterId: 'c1'})
    assert.deepEqual(res.data, {id: 'b1'})
    assert.equal(res.exchange.method, 'POST')
    assert.equal(res.exchange.url, `${BASE}${M}/backups`)
    assert.equal(res.exchange.path, `${M}/backups`)
    assert.equal(res.exchange.requestBody, '{"description":"on demand backup","sourceClusterId":"c1"}')
    assert.equal(res.exchange.status, 200)
    assert.equal(res.exchange.responseText, '{"id":"b1"}')
    assert.equal(res.exchange.attempts, 1)
    assert.ok(scope.isDone())
  })

  it('refuses an empty id before sending anything (it would address the collection: DELETE …/backups/)', async () => {
    const {api} = client()
    const empty = (what: string) => (error: unknown) =>
      error instanceof EscError &&
      exitCodeOf(error) === 2 &&
      error.message === `The ${what} id is empty: pass a non-empty id (is the variable that should hold it set?)`
    await assert.rejects(api.deleteBackup('o1', 'p1', ''), empty('backup'))
    await assert.rejects(api.getBackup('o1', 'p1', ' '), empty('backup'))
    await assert.rejects(api.deleteCluster('o1', 'p1', ''), empty('cluster'))
    await assert.rejects(api.getCluster('o1', 'p1', ''), empty('cluster'))
    await assert.rejects(api.deleteJob('o1', 'p1', ''), empty('job'))
    await assert.rejects(api.getJob('o1', 'p1', ''), empty('job'))
    await assert.rejects(api.runJob('o1', 'p1', ''), empty('job'))
    await assert.rejects(api.listHistory('o1', 'p1', ''), empty('job'))
    // nock.disableNetConnect() is on: any request would have failed differently.
  })

  it('has one method per endpoint with the reference paths', async () => {
    const b = backup(),
      c = cluster(),
      j = job(),
      h = historyItem()
    nock(BASE)
      .get(`${M}/backups`)
      .reply(200, {backups: [b]})
      .get(`${M}/backups/b1`)
      .reply(200, {backup: b})
      .delete(`${M}/backups/b1`)
      .reply(200, '')
      .post(`${M}/clusters`, {
        description: 'x',
        diskSizeGb: 10,
        diskType: 'gp3',
        instanceType: 'F1',
        networkId: 'n',
        projectionLevel: 'off',
        serverVersion: '24.10',
        sourceBackupId: 'b1',
        topology: 'single-node',
      })
      .reply(200, {id: 'c1'})
      .get(`${M}/clusters`)
      .reply(200, {clusters: [c]})
      .get(`${M}/clusters/c1`)
      .reply(200, {cluster: c})
      .delete(`${M}/clusters/c1`)
      .reply(202)
      .post(
        `${O}/jobs`,
        '{"type":"ScheduledBackup","data":{"clusterId":"c1","description":"d","maxBackupCount":2},"description":"j","schedule":"0 * * * *"}',
      )
      .reply(200, {id: 'j1'})
      .get(`${O}/jobs`)
      .reply(200, {jobs: [j]})
      .get(`${O}/jobs/j1`)
      .reply(200, {job: j})
      .delete(`${O}/jobs/j1`)
      .reply(200, {})
      .post(`${O}/jobs/j1/run`)
      .reply(200, {historyId: 'h9'})
      .get(`${O}/history`)
      .reply(200, {items: [h]})
      .get(`${O}/history`)
      .query({jobId: 'j 1'})
      .reply(200, {items: []})
    const {api} = client()
    assert.deepEqual((await api.listBackups('o1', 'p1')).data, {backups: [b]})
    assert.deepEqual((await api.getBackup('o1', 'p1', 'b1')).data, {backup: b})
    assert.equal((await api.deleteBackup('o1', 'p1', 'b1')).data, undefined)
    const created = await api.createCluster('o1', 'p1', {
      description: 'x',
      diskSizeGb: 10,
      diskType: 'gp3',
      instanceType: 'F1',
      networkId: 'n',
      projectionLevel: 'off',
      serverVersion: '24.10',
      sourceBackupId: 'b1',
      topology: 'single-node',
    })
    assert.equal(created.data.id, 'c1')
    assert.deepEqual((await api.listClusters('o1', 'p1')).data, {clusters: [c]})
    assert.deepEqual((await api.getCluster('o1', 'p1', 'c1')).data, {cluster: c})
    assert.equal((await api.deleteCluster('o1', 'p1', 'c1')).exchange.status, 202)
    const jobBody = {
      type: 'ScheduledBackup' as const,
      data: {clusterId: 'c1', description: 'd', maxBackupCount: 2},
      description: 'j',
      schedule: '0 * * * *',
    }
    assert.equal((await api.createJob('o1', 'p1', jobBody)).data.id, 'j1')
    assert.deepEqual((await api.listJobs('o1', 'p1')).data, {jobs: [j]})
    assert.deepEqual((await api.getJob('o1', 'p1', 'j1')).data, {job: j})
    await api.deleteJob('o1', 'p1', 'j1')
    assert.deepEqual((await api.runJob('o1', 'p1', 'j1')).data, {historyId: 'h9'})
    assert.deepEqual((await api.listHistory('o1', 'p1')).data, {items: [h]})
    assert.deepEqual((await api.listHistory('o1', 'p1', 'j 1')).data, {items: []})
    assert.ok(nock.isDone())
  })

  it('URL-encodes path segments and keeps the base URL port and path', async () => {
    const scope = nock('http://127.0.0.1:9999')
      .get('/prefix/mesdb/v1/organizations/o%2F1/projects/p%20x/backups/b%3F1')
      .reply(200, {backup: backup()})
    const api = new ApiClient({baseUrl: 'http://127.0.0.1:9999/prefix/', tokens: fakeTokens(), userAgent: 'x'})
    await api.getBackup('o/1', 'p x', 'b?1')
    assert.ok(scope.isDone())
  })

  it('retries a GET on 429 honouring Retry-After in seconds, then succeeds', async () => {
    nock(BASE).get(`${M}/backups`).reply(429, '', {'Retry-After': '2'}).get(`${M}/backups`).reply(200, {backups: []})
    const {api, sleeps} = client()
    const res = await api.listBackups('o1', 'p1')
    assert.deepEqual(sleeps, [2000])
    assert.equal(res.exchange.attempts, 2)
  })

  it('honours Retry-After given as an HTTP date', async () => {
    const when = new Date(Date.now() + 5000).toUTCString()
    nock(BASE).get(`${M}/backups`).reply(503, '', {'Retry-After': when}).get(`${M}/backups`).reply(200, {backups: []})
    const {api, sleeps} = client()
    await api.listBackups('o1', 'p1')
    assert.equal(sleeps.length, 1)
    assert.ok(sleeps[0] > 2000 && sleeps[0] <= 5000, `slept ${sleeps[0]}`)
  })

  it('backs off exponentially on 502/503/504 and gives up after 3 retries with the last error', async () => {
    nock(BASE)
      .get(`${M}/backups/b1`)
      .reply(502)
      .get(`${M}/backups/b1`)
      .reply(503)
      .get(`${M}/backups/b1`)
      .reply(504)
      .get(`${M}/backups/b1`)
      .reply(503, {type: 't', title: 'Service Unavailable', status: 503, instance: '/x'})
    const {api, sleeps} = client()
    const err = await api.getBackup('o1', 'p1', 'b1').catch((e) => e)
    assert.ok(err instanceof ApiError)
    assert.equal(err.status, 503)
    assert.equal(err.exchange.attempts, 4)
    // random() = 0.5 → ¾ of 500·2^n
    assert.deepEqual(sleeps, [375, 750, 1500])
  })

  it('retries DELETE but never POST', async () => {
    nock(BASE).delete(`${M}/backups/b1`).reply(503).delete(`${M}/backups/b1`).reply(200)
    nock(BASE).post(`${M}/backups`).once().reply(429, '', {'Retry-After': '1'})
    const {api, sleeps} = client()
    await api.deleteBackup('o1', 'p1', 'b1')
    assert.equal(sleeps.length, 1)
    const err = await api.createBackup('o1', 'p1', {description: 'd', sourceClusterId: 'c'}).catch((e) => e)
    assert.ok(err instanceof ApiError)
    assert.equal(err.status, 429)
    assert.equal(sleeps.length, 1)
    assert.ok(nock.isDone())
  })

  it('does not wait for a Retry-After longer than a minute', async () => {
    nock(BASE).get(`${M}/backups`).once().reply(429, '', {'Retry-After': '3600'})
    const {api, sleeps} = client()
    const err = await api.listBackups('o1', 'p1').catch((e) => e)
    assert.equal(err.status, 429)
    assert.deepEqual(sleeps, [])
  })

  it('on 401 refreshes the token once and retries with the new one (POST too)', async () => {
    nock(BASE, {reqheaders: {authorization: 'Bearer tok-1'}})
      .post(`${M}/backups`)
      .reply(401)
    nock(BASE, {reqheaders: {authorization: 'Bearer tok-2'}})
      .post(`${M}/backups`)
      .reply(200, {id: 'b1'})
    const {api, tokens} = client()
    const res = await api.createBackup('o1', 'p1', {description: 'd', sourceClusterId: 'c'})
    assert.equal(res.data.id, 'b1')
    assert.equal(tokens.refreshes, 1)
    assert.ok(nock.isDone())
  })

  it('gives up after one refresh when the API still says 401 (exit 3)', async () => {
    nock(BASE)
      .get(`${M}/backups`)
      .twice()
      .reply(401, {type: 'about:blank', title: 'Unauthorized', status: 401, detail: 'token expired', instance: '/x'})
    const {api, tokens} = client()
    const err = await api.listBackups('o1', 'p1').catch((e) => e)
    assert.ok(err instanceof ApiError)
    assert.equal(exitCodeOf(err), 3)
    assert.equal(err.message, `Unauthorized: token expired (HTTP 401 GET ${M}/backups)`)
    assert.equal(tokens.refreshes, 1)
  })

  it('propagates a failing refresh as is', async () => {
    nock(BASE).get(`${M}/backups`).reply(401)
    const failure = new EscError('refresh failed', {kind: 'auth'})
    const {api} = client(fakeTokens('tok-1', failure))
    const err = await api.listBackups('o1', 'p1').catch((e) => e)
    assert.equal(err, failure)
  })

  it('decodes leniently: unknown enum values and extra fields pass through', async () => {
    const b = {...backup({status: 'vaulted', provider: 'aws'}), brandNew: {x: 1}}
    nock(BASE).get(`${M}/backups/b1`).reply(200, {backup: b, extra: true})
    const {api} = client()
    const res = await api.getBackup('o1', 'p1', 'b1')
    assert.equal(res.data.backup.status, 'vaulted')
    assert.deepEqual(res.data.backup.brandNew, {x: 1})
  })

  it('rejects a 2xx body missing a required field, naming field, status and URL', async () => {
    const {status: _s, ...noStatus} = backup()
    nock(BASE)
      .get(`${M}/backups`)
      .reply(200, {backups: [backup(), noStatus]})
    const {api} = client()
    const err = await api.listBackups('o1', 'p1').catch((e) => e)
    assert.ok(err instanceof ApiDecodeError)
    assert.equal(exitCodeOf(err), 1)
    assert.equal(
      err.message,
      `unexpected response from the API: missing required field "backups[1].status" (HTTP 200 GET ${BASE}${M}/backups)`,
    )
  })

  it('rejects a wrongly typed field and a non-JSON body', async () => {
    nock(BASE)
      .get(`${M}/backups/b1`)
      .reply(200, {backup: backup({sizeGb: '8' as unknown as number})})
      .get(`${M}/backups/b2`)
      .reply(200, '<html>gateway</html>')
    const {api} = client()
    const e1 = await api.getBackup('o1', 'p1', 'b1').catch((e) => e)
    assert.match(e1.message, /field "backup\.sizeGb" is string, expected number/)
    const e2 = await api.getBackup('o1', 'p1', 'b2').catch((e) => e)
    assert.equal(
      e2.message,
      `unexpected response from the API: body is not JSON: "<html>gateway</html>" (HTTP 200 GET ${BASE}${M}/backups/b2)`,
    )
  })

  it('validates scheduled backup job data but lets other job types through', async () => {
    nock(BASE)
      .get(`${O}/jobs`)
      .reply(200, {jobs: [job({type: 'Future', data: {anything: 1} as never})]})
      .get(`${O}/jobs/j1`)
      .reply(200, {job: job({data: {clusterId: 'c', description: 'd'} as never})})
    const {api} = client()
    assert.equal((await api.listJobs('o1', 'p1')).data.jobs[0].type, 'Future')
    const err = await api.getJob('o1', 'p1', 'j1').catch((e) => e)
    assert.match(err.message, /missing required field "job\.data\.maxBackupCount"/)
  })
})
