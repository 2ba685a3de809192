import {strict as assert} from 'node:assert'
import {existsSync} from 'node:fs'

import {installFakeClock, type InstalledFakeClock} from '../cli/wait/fake-clock.js'

import {createCluster, openTestCloud, type TestCloud} from './helpers.js'

describe('local API: jobs, history, pruning and the scheduler', () => {
  let t: TestCloud
  let clusterId: string
  afterEach(() => t.close())

  const call = (method: 'GET' | 'POST' | 'DELETE', url: string, payload?: unknown) =>
    t.cloud.app.inject({method, url, headers: t.auth, ...(payload === undefined ? {} : {payload: payload as object})})
  const jobBody = () => ({
    type: 'ScheduledBackup',
    description: 'My Hourly Backup',
    schedule: '0 */1 * * *',
    data: {clusterId, description: '{cluster} Hourly Backup {datetime:RFC3339}', maxBackupCount: 2},
  })

  describe('without the scheduler', () => {
    beforeEach(async () => {
      t = await openTestCloud()
      clusterId = await createCluster(t)
    })

    it('creates, gets, lists and soft-deletes jobs', async () => {
      const created = await call('POST', `${t.orchestrate}/jobs`, jobBody())
      assert.equal(created.statusCode, 200)
      const {id} = created.json()
      const job = (await call('GET', `${t.orchestrate}/jobs/${id}`)).json().job
      assert.deepEqual(job, {
        id,
        organizationId: t.cloud.defaults.organizationId,
        projectId: t.cloud.defaults.projectId,
        description: 'My Hourly Backup',
        schedule: '0 */1 * * *',
        status: 'active',
        type: 'ScheduledBackup',
        data: {clusterId, description: '{cluster} Hourly Backup {datetime:RFC3339}', maxBackupCount: 2},
      })
      assert.equal((await call('GET', `${t.orchestrate}/jobs`)).json().jobs.length, 1)
      assert.equal((await call('DELETE', `${t.orchestrate}/jobs/${id}`)).statusCode, 204)
      assert.equal((await call('GET', `${t.orchestrate}/jobs`)).json().jobs.length, 0)
      assert.equal((await call('GET', `${t.orchestrate}/jobs/${id}`)).json().job.status, 'deleted')
      assert.equal((await call('POST', `${t.orchestrate}/jobs/${id}/run`)).statusCode, 404)
    })

    it('rejects a bad schedule and a bad label template by field', async () => {
      const res = await call('POST', `${t.orchestrate}/jobs`, {
        ...jobBody(),
        schedule: '*/5 * * * *',
        data: {...jobBody().data, description: '{bogus}'},
      })
      assert.equal(res.statusCode, 400)
      assert.deepEqual(Object.keys(res.json().fields).sort(), ['data.description', 'schedule'])
      const missing = await call('POST', `${t.orchestrate}/jobs`, {type: 'Other', data: {clusterId}})
      assert.deepEqual(Object.keys(missing.json().fields).sort(), [
        'data.description',
        'data.maxBackupCount',
        'description',
        'schedule',
        'type',
      ])
    })

    it('runs a job: history item, linked backup, and pruning of its own oldest backups only', async () => {
      const jobId = (await call('POST', `${t.orchestrate}/jobs`, jobBody())).json().id
      const manual = (await call('POST', `${t.mesdb}/backups`, {description: 'manual', sourceClusterId: clusterId})).json().id
      await t.cloud.ctx.runner.idle()
      const otherJob = (await call('POST', `${t.orchestrate}/jobs`, {...jobBody(), data: {...jobBody().data, maxBackupCount: 5}})).json().id
      await call('POST', `${t.orchestrate}/jobs/${otherJob}/run`)
      await t.cloud.ctx.runner.idle()
      const runs: string[] = []
      for (let i = 0; i < 4; i++) {
        const res = await call('POST', `${t.orchestrate}/jobs/${jobId}/run`, '')
        assert.equal(res.statusCode, 202)
        runs.push(res.json().historyId)
        await t.cloud.ctx.runner.idle()
      }
      const items = (await call('GET', `${t.orchestrate}/history?jobId=${jobId}`)).json().items
      assert.deepEqual(
        items.map((i: {id: string}) => i.id),
        runs,
      )
      assert.ok(items.every((i: {status: string; endTime?: string}) => i.status === 'succeeded' && i.endTime))
      const backups = (await call('GET', `${t.mesdb}/backups`)).json().backups as Array<{
        id: string
        linkedResource?: string
        description: string
      }>
      const mine = backups.filter((b) => b.linkedResource === jobId)
      assert.deepEqual(
        mine.map((b) => b.id),
        items.slice(2).map((i: {linkedResource: string}) => i.linkedResource),
      )
      assert.ok(
        backups.some((b) => b.id === manual),
        'manual backup kept',
      )
      assert.equal(backups.filter((b) => b.linkedResource === otherJob).length, 1, "another job's backup kept")
      assert.match(items[2].details, /pruned/)
      assert.equal(existsSync(t.cloud.ctx.layout.backupDir(items[0].linkedResource)), false)
      assert.match(mine[0].description, /^Demo-Backup Hourly Backup \d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/)
      assert.equal((await call('GET', `${t.orchestrate}/history`)).json().items.length, 5)
    })

    it('records a run that finds the cluster locked as failed with that reason', async () => {
      const jobId = (await call('POST', `${t.orchestrate}/jobs`, jobBody())).json().id
      t.engine.hold = true
      assert.equal((await call('POST', `${t.mesdb}/backups`, {description: 'manual', sourceClusterId: clusterId})).statusCode, 202)
      const run = await call('POST', `${t.orchestrate}/jobs/${jobId}/run`)
      const item = (await call('GET', `${t.orchestrate}/history?jobId=${jobId}`)).json().items[0]
      assert.equal(item.id, run.json().historyId)
      assert.equal(item.status, 'failed')
      assert.equal(
        item.details,
        'the cluster is locked by another operation, such as another backup is in progress, disk expansion, cluster resize, database upgrade',
      )
      await t.engine.release()
      await t.cloud.ctx.runner.idle()
    })
  })

  describe('with the scheduler on a fake clock', () => {
    let clock: InstalledFakeClock
    beforeEach(async () => {
      clock = installFakeClock(Date.UTC(2026, 10, 21, 9, 30), ['setTimeout', 'clearTimeout', 'Date'])
      t = await openTestCloud({schedule: true, accessTokenTtlSeconds: 7 * 86_400})
      clusterId = await createCluster(t)
    })
    afterEach(() => clock.uninstall())

    it('fires an hourly job at the top of each hour (UTC) and stops after delete', async () => {
      const jobId = (await call('POST', `${t.orchestrate}/jobs`, jobBody())).json().id
      await clock.tickAsync(29 * 60_000)
      assert.equal(t.cloud.ctx.store.history.list(t.cloud.defaults.organizationId, t.cloud.defaults.projectId).length, 0)
      await clock.tickAsync(60_000)
      await t.cloud.ctx.runner.idle()
      let items = (await call('GET', `${t.orchestrate}/history?jobId=${jobId}`)).json().items
      assert.equal(items.length, 1)
      assert.equal(items[0].startTime, '2026-11-21T10:00:00.000Z')
      await clock.tickAsync(60 * 60_000)
      await t.cloud.ctx.runner.idle()
      items = (await call('GET', `${t.orchestrate}/history?jobId=${jobId}`)).json().items
      assert.equal(items.length, 2)
      assert.equal(items[1].startTime, '2026-11-21T11:00:00.000Z')
      await call('DELETE', `${t.orchestrate}/jobs/${jobId}`)
      await clock.tickAsync(3 * 60 * 60_000)
      assert.equal((await call('GET', `${t.orchestrate}/history?jobId=${jobId}`)).json().items.length, 2)
    })

    it('re-arms active jobs on restart; runs missed while stopped are not made up', async () => {
      const jobId = (await call('POST', `${t.orchestrate}/jobs`, jobBody())).json().id
      const dir = t.dir
      await t.cloud.close(1000)
      await clock.tickAsync(3 * 60 * 60_000) // 09:30 → 12:30 with the server down
      const {openTestCloud: reopen} = await import('./helpers.js')
      const restarted = await reopen({dir, schedule: true, accessTokenTtlSeconds: 7 * 86_400})
      t = {
        ...restarted,
        close: async () => {
          await restarted.close()
          const {rm} = await import('node:fs/promises')
          await rm(dir, {recursive: true, force: true})
        },
      }
      assert.equal(t.cloud.ctx.scheduler.armedCount, 1)
      await clock.tickAsync(30 * 60_000)
      await t.cloud.ctx.runner.idle()
      const items = (await call('GET', `${t.orchestrate}/history?jobId=${jobId}`)).json().items
      assert.deepEqual(
        items.map((i: {startTime: string}) => i.startTime),
        ['2026-11-21T13:00:00.000Z'],
      )
    })

    it('a scheduled run racing a manual backup: exactly one of them gets the cluster', async () => {
      const jobId = (await call('POST', `${t.orchestrate}/jobs`, jobBody())).json().id
      t.engine.hold = true
      await clock.tickAsync(30 * 60_000)
      const manual = await call('POST', `${t.mesdb}/backups`, {description: 'manual', sourceClusterId: clusterId})
      assert.equal(manual.statusCode, 409)
      const item = (await call('GET', `${t.orchestrate}/history?jobId=${jobId}`)).json().items[0]
      assert.equal(item.status, 'running')
      await t.engine.release()
      await t.cloud.ctx.runner.idle()
      assert.equal((await call('GET', `${t.orchestrate}/history?jobId=${jobId}`)).json().items[0].status, 'succeeded')
    })
  })
})
