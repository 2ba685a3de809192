import {strict as assert} from 'node:assert'

import {createCluster, openTestCloud, type TestCloud} from './helpers.js'

/** The local cloud renders backup labels (manual and scheduled) with the CLI's parser and keeps `{index}`. */
describe('local API: backup labels', () => {
  let t: TestCloud
  let clusterId: string
  beforeEach(async () => {
    t = await openTestCloud()
    clusterId = await createCluster(t)
  })
  afterEach(() => t.close())

  const call = (method: 'GET' | 'POST' | 'DELETE', url: string, payload?: unknown) =>
    t.cloud.app.inject({method, url, headers: t.auth, ...(payload === undefined ? {} : {payload: payload as object})})

  async function backUp(description: string): Promise<{id: string; description: string}> {
    const res = await call('POST', `${t.mesdb}/backups`, {description, sourceClusterId: clusterId})
    assert.equal(res.statusCode, 202, res.body)
    await t.cloud.ctx.runner.idle()
    return (await call('GET', `${t.mesdb}/backups/${res.json().id}`)).json().backup
  }

  const stored: Array<[typed: string, description: string]> = [
    ['pre-upgrade <v24>', 'pre-upgrade <v24>'],
    ['a > b', 'a > b'],
    ['json {"k":1}', 'json {"k":1}'],
    ['{{index}} is literal, {{x}} too', '{index} is literal, {x} too'],
    ['{cluster} #{index} <cluster:id>', 'Demo-Backup #1 CLUSTER'],
  ]
  for (const [typed, description] of stored) {
    it(`stores ${typed} as ${description}`, async () => {
      assert.equal((await backUp(typed)).description, description.replace('CLUSTER', clusterId))
    })
  }

  it('answers 400 naming the description for an unknown brace token, with the did-you-mean', async () => {
    const res = await call('POST', `${t.mesdb}/backups`, {description: 'x {clustr}', sourceClusterId: clusterId})
    assert.equal(res.statusCode, 400)
    assert.match(res.json().fields.description, /^Unknown token 'clustr' in the label template \(did you mean 'cluster'\?\)/)
  })

  it('numbers {index} per cluster from a counter that deleting backups does not lower', async () => {
    const first = await backUp('#{index}')
    const second = await backUp('#{index}')
    assert.deepEqual([first.description, second.description], ['#1', '#2'])
    for (const {id} of [first, second]) assert.equal((await call('DELETE', `${t.mesdb}/backups/${id}`)).statusCode, 204)
    assert.equal((await backUp('#{index}')).description, '#3')
    const other = await createCluster(t)
    const res = await call('POST', `${t.mesdb}/backups`, {description: '#{index}', sourceClusterId: other})
    await t.cloud.ctx.runner.idle()
    assert.equal(
      (await call('GET', `${t.mesdb}/backups/${res.json().id}`)).json().backup.description,
      '#1',
      'each cluster counts on its own',
    )
  })

  it('shares the counter between manual backups and scheduled runs, and stores a job label with plain brackets', async () => {
    await backUp('manual')
    const job = await call('POST', `${t.orchestrate}/jobs`, {
      type: 'ScheduledBackup',
      description: 'hourly',
      schedule: '0 */1 * * *',
      data: {clusterId, description: 'run <v24> {{x}} #{index}', maxBackupCount: 5},
    })
    assert.equal(job.statusCode, 200, job.body)
    assert.equal((await call('POST', `${t.orchestrate}/jobs/${job.json().id}/run`, '')).statusCode, 202)
    await t.cloud.ctx.runner.idle()
    const {backups} = (await call('GET', `${t.mesdb}/backups`)).json() as {backups: Array<{description: string}>}
    assert.deepEqual(backups.map((b) => b.description).sort(), ['manual', 'run <v24> {x} #2'])
  })
})
