import {strict as assert} from 'node:assert'
import {createServer, type Server} from 'node:http'
import type {AddressInfo} from 'node:net'

import {createCluster, openTestCloud, type TestCloud} from './helpers.js'

/** A receiver on 127.0.0.1 answering with the next of `statuses` (then 200), recording every body. */
async function receiver(statuses: number[] = []): Promise<{url: string; bodies: string[]; auth: string[]; server: Server}> {
  const bodies: string[] = []
  const auth: string[] = []
  const server = createServer((request, response) => {
    let body = ''
    request.on('data', (chunk) => (body += chunk))
    request.on('end', () => {
      bodies.push(body)
      auth.push(String(request.headers.authorization ?? ''))
      response.writeHead(statuses.shift() ?? 200, {'content-type': 'application/json'})
      response.end('{"ok":true}')
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return {url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, bodies, auth, server}
}

describe('local cloud: notifications of failures', () => {
  let t: TestCloud
  let clock: number
  let integrate: string
  const servers: Server[] = []
  const logs: string[] = []
  beforeEach(async () => {
    clock = Date.parse('2026-01-01T03:00:00Z')
    logs.length = 0
    t = await openTestCloud({now: () => new Date(clock), log: (line) => logs.push(line)})
    const {organizationId: o, projectId: p} = t.cloud.defaults
    integrate = `/integrate/v1/organizations/${o}/projects/${p}/integrations`
  })
  afterEach(async () => {
    await t.close()
    for (const server of servers.splice(0)) server.close()
    delete process.env.ESC_LOCAL_SLACK_API_URL
    delete process.env.ESC_LOCAL_OPSGENIE_API_URL
  })

  const call = (method: 'GET' | 'POST', url: string, payload?: unknown) =>
    t.cloud.app.inject({method, url, headers: t.auth, ...(payload === undefined ? {} : {payload: payload as object})})

  async function failBackup(): Promise<string> {
    const clusterId = await createCluster(t)
    t.engine.failWith = 'disk full'
    const {id} = (await call('POST', `${t.mesdb}/backups`, {description: 'nightly', sourceClusterId: clusterId})).json()
    await t.cloud.ctx.runner.idle()
    assert.equal((await call('GET', `${t.mesdb}/backups/${id}`)).json().backup.status, 'defunct')
    return clusterId
  }

  it('a backup that ends defunct sends exactly one message to Slack, OpsGenie and a webhook', async () => {
    const [slack, ops, hook] = await Promise.all([receiver(), receiver(), receiver()])
    servers.push(slack.server, ops.server, hook.server)
    process.env.ESC_LOCAL_SLACK_API_URL = slack.url
    process.env.ESC_LOCAL_OPSGENIE_API_URL = ops.url
    const token = 'xoxb-never-shown-token'
    await call('POST', integrate, {data: {sink: 'slack', channelId: 'C1', token}, description: 's'})
    await call('POST', integrate, {data: {sink: 'opsGenie', apiKey: 'og-never-shown-key'}, description: 'o'})
    await call('POST', integrate, {data: {sink: 'webhook', url: hook.url, secret: 'whsec-never-shown'}, description: 'h'})
    const clusterId = await failBackup()
    await t.cloud.ctx.notifier.drain()
    await t.cloud.ctx.notifier.drain()
    assert.equal(slack.bodies.length, 1)
    assert.equal(ops.bodies.length, 1)
    assert.equal(hook.bodies.length, 1)
    assert.equal(slack.auth[0], `Bearer ${token}`)
    const message = JSON.parse(slack.bodies[0]).text as string
    assert.match(message, new RegExp(`cluster .*${clusterId}.*disk full`))
    assert.match(message, /2026-01-01T03:00:00/)
    assert.equal(JSON.parse(ops.bodies[0]).alias, `esc-backup-failed-${clusterId}-manual`)
    const event = JSON.parse(hook.bodies[0])
    assert.equal(event.event, 'backupDefunct')
    assert.equal(event.reason, 'disk full')
    for (const line of logs)
      for (const secret of [token, 'og-never-shown-key', 'whsec-never-shown']) assert.ok(!line.includes(secret), line)
  })

  it('a receiver answering 500 three times gets the message on the 4th try; the log shows all four', async () => {
    const hook = await receiver([500, 500, 500])
    servers.push(hook.server)
    const {id} = (await call('POST', integrate, {data: {sink: 'webhook', url: hook.url}, description: 'h'})).json()
    await failBackup()
    await t.cloud.ctx.notifier.drain()
    for (let i = 0; i < 3; i++) {
      // A try is not repeated before its backoff has passed.
      await t.cloud.ctx.notifier.drain()
      assert.equal(hook.bodies.length, i + 1)
      clock += 60 * 60 * 1000
      await t.cloud.ctx.notifier.drain()
    }
    assert.equal(hook.bodies.length, 4)
    // Hours passed on the clock: the test's access token has expired.
    t.auth.authorization = `Bearer ${t.cloud.ctx.identity.issueAccessToken('test')}`
    const deliveries = (await call('GET', `${integrate}/${id}/deliveries`)).json().deliveries
    assert.deepEqual(
      deliveries.map((d: {attempt: number; state: string; statusCode: number}) => [d.attempt, d.state, d.statusCode]),
      [
        [1, 'failed', 500],
        [2, 'failed', 500],
        [3, 'failed', 500],
        [4, 'delivered', 200],
      ],
    )
    assert.ok(deliveries[0].nextAttemptAt > deliveries[0].attemptedAt)
    assert.equal(deliveries[3].nextAttemptAt, undefined)
  })

  it('a try whose retry cannot be queued is not recorded as given up: the try stays pending, one write', async () => {
    const hook = await receiver([500, 500])
    servers.push(hook.server)
    const {id} = (await call('POST', integrate, {data: {sink: 'webhook', url: hook.url}, description: 'h'})).json()
    // The queue is written after the backup failed: the store fails between the settle and the retry.
    const repo = t.cloud.ctx.store.integrations
    const record = repo.recordDelivery.bind(repo)
    let broken = false
    repo.recordDelivery = (row) => {
      if (broken) throw new Error('SQLITE_IOERR: disk I/O error')
      record(row)
    }
    await failBackup()
    broken = true
    await t.cloud.ctx.notifier.drain()
    assert.equal(hook.bodies.length, 1)
    const stuck = (await call('GET', `${integrate}/${id}/deliveries`)).json().deliveries
    assert.deepEqual(
      stuck.map((d: {attempt: number; state: string}) => [d.attempt, d.state]),
      [[1, 'pending']],
    )
    broken = false
    await t.cloud.ctx.notifier.drain()
    assert.equal(hook.bodies.length, 2)
    const after = (await call('GET', `${integrate}/${id}/deliveries`)).json().deliveries
    assert.deepEqual(
      after.map((d: {attempt: number; state: string}) => [d.attempt, d.state]),
      [
        [1, 'failed'],
        [2, 'pending'],
      ],
    )
  })

  it('an event is queued for every integration or for none: a write failing half-way queues nothing', async () => {
    const [first, second] = await Promise.all([receiver(), receiver()])
    servers.push(first.server, second.server)
    const ids: string[] = []
    for (const hook of [first, second])
      ids.push((await call('POST', integrate, {data: {sink: 'webhook', url: hook.url}, description: 'h'})).json().id)
    const repo = t.cloud.ctx.store.integrations
    const record = repo.recordDelivery.bind(repo)
    let writes = 0
    repo.recordDelivery = (row) => {
      record(row)
      if (++writes === 2) throw new Error('SQLITE_IOERR: disk I/O error')
    }
    await failBackup()
    await t.cloud.ctx.notifier.drain()
    assert.equal(first.bodies.length + second.bodies.length, 0)
    for (const id of ids) assert.deepEqual((await call('GET', `${integrate}/${id}/deliveries`)).json().deliveries, [])
    assert.ok(
      logs.some((line) => /notification of backupDefunct not queued: SQLITE_IOERR/.test(line)),
      logs.join('\n'),
    )
  })

  it('a pending delivery survives a restart of the local cloud', async () => {
    const hook = await receiver([503])
    servers.push(hook.server)
    await call('POST', integrate, {data: {sink: 'webhook', url: hook.url}, description: 'h'})
    await failBackup()
    await t.cloud.ctx.notifier.drain()
    assert.equal(hook.bodies.length, 1)
    const dir = t.dir
    await t.cloud.close(1000)
    const reopened = await openTestCloud({dir, now: () => new Date(clock + 60 * 60 * 1000)})
    try {
      await reopened.cloud.ctx.notifier.drain()
      assert.equal(hook.bodies.length, 2)
    } finally {
      await reopened.cloud.close(1000)
    }
    t = await openTestCloud({dir})
  })

  it('a job with no success for two of its intervals raises one alert (injected clock)', async () => {
    const hook = await receiver()
    servers.push(hook.server)
    await call('POST', integrate, {data: {sink: 'webhook', url: hook.url}, description: 'h'})
    const clusterId = await createCluster(t)
    const body = {
      type: 'ScheduledBackup',
      description: 'Hourly',
      schedule: '0 */1 * * *',
      data: {clusterId, description: 'b', maxBackupCount: 2},
    }
    const jobId = (await call('POST', `${t.orchestrate}/jobs`, body)).json().id
    const watch = t.cloud.ctx.overdue
    clock += 90 * 60 * 1000 // 04:30: one interval passed, not two
    watch.check()
    await t.cloud.ctx.notifier.drain()
    assert.equal(hook.bodies.length, 0)
    clock += 60 * 60 * 1000 // 05:30: two intervals without a success
    watch.check()
    clock += 60 * 60 * 1000
    watch.check()
    await t.cloud.ctx.notifier.drain()
    assert.equal(hook.bodies.length, 1)
    const event = JSON.parse(hook.bodies[0])
    assert.equal(event.event, 'jobOverdue')
    assert.equal(event.jobId, jobId)
  })

  it('successes go only to a webhook that asks for them', async () => {
    const [asks, silent] = await Promise.all([receiver(), receiver()])
    servers.push(asks.server, silent.server)
    await call('POST', integrate, {data: {sink: 'webhook', url: asks.url, notifySuccess: true}, description: 'a'})
    await call('POST', integrate, {data: {sink: 'webhook', url: silent.url}, description: 's'})
    const clusterId = await createCluster(t)
    await call('POST', `${t.mesdb}/backups`, {description: 'ok', sourceClusterId: clusterId})
    await t.cloud.ctx.runner.idle()
    await t.cloud.ctx.notifier.drain()
    assert.equal(asks.bodies.length, 1)
    assert.equal(JSON.parse(asks.bodies[0]).event, 'backupSucceeded')
    assert.equal(silent.bodies.length, 0)
  })

  it('a scheduled run refused before it starts (cluster locked) sends one scheduledRunFailed', async () => {
    const hook = await receiver()
    servers.push(hook.server)
    await call('POST', integrate, {data: {sink: 'webhook', url: hook.url}, description: 'h'})
    const clusterId = await createCluster(t)
    const body = {
      type: 'ScheduledBackup',
      description: 'Hourly',
      schedule: '0 */1 * * *',
      data: {clusterId, description: 'b', maxBackupCount: 2},
    }
    const jobId = (await call('POST', `${t.orchestrate}/jobs`, body)).json().id
    t.engine.hold = true
    await call('POST', `${t.mesdb}/backups`, {description: 'manual', sourceClusterId: clusterId})
    await call('POST', `${t.orchestrate}/jobs/${jobId}/run`)
    await t.cloud.ctx.notifier.drain()
    assert.equal(hook.bodies.length, 1)
    const event = JSON.parse(hook.bodies[0])
    assert.equal(event.event, 'scheduledRunFailed')
    assert.equal(event.jobId, jobId)
    await t.engine.release()
    await t.cloud.ctx.runner.idle()
  })
})
