import {strict as assert} from 'node:assert'
import nock from 'nock'

import {API, BACKUPS, PROJECT, problem, useBackupsEnv} from './helpers.js'

const DELETE = ['mesdb', 'backups', 'delete', '--project-id', PROJECT, '--id', 'b1']

describe('esc mesdb backups delete', () => {
  const {env, esc} = useBackupsEnv()

  it('sends DELETE and prints nothing (cli, json and -q alike)', async () => {
    const scope = nock(API, {reqheaders: {authorization: 'Bearer tok'}})
      .delete(`${BACKUPS}/b1`)
      .times(3)
      .reply(200, '')
    const short = ['mesdb', 'backups', 'delete', '--project-id', PROJECT, '-i', 'b1']
    for (const argv of [DELETE, [...DELETE, '--json'], short]) {
      const r = await esc(argv, {env: env()})
      assert.equal(r.exitCode, 0)
      assert.equal(r.stdout, '')
      assert.equal(r.stderr, '')
    }
    assert.ok(scope.isDone())
  })

  it('--fmt api prints nothing for an empty body; api-verbose prints method, URL and status', async () => {
    nock(API).delete(`${BACKUPS}/b1`).twice().reply(202, '')
    assert.equal((await esc([...DELETE, '--fmt', 'api'], {env: env()})).stdout, '')
    assert.equal((await esc([...DELETE, '--fmt', 'api-verbose'], {env: env()})).stdout, `DELETE ${API}${BACKUPS}/b1\nstatus: 202\n`)
  })

  it('requires --id (exit 2)', async () => {
    const r = await esc(['mesdb', 'backups', 'delete', '--project-id', PROJECT], {env: env()})
    assert.equal(r.exitCode, 2)
    assert.match(r.stderr, /^Error: Missing required flag id\n/)
  })

  it('404 exits 1 with the problem; 503 is retried for DELETE', async () => {
    nock(API)
      .delete(`${BACKUPS}/b1`)
      .reply(404, problem(404, 'Not Found', 'no backup b1'))
    const a = await esc(DELETE, {env: env()})
    assert.equal(a.exitCode, 1)
    assert.equal(a.stderr, `Error: Not Found: no backup b1 (HTTP 404 DELETE ${BACKUPS}/b1)\n`)
    nock(API).delete(`${BACKUPS}/b1`).reply(503).delete(`${BACKUPS}/b1`).reply(200)
    const b = await esc(DELETE, {env: env()})
    assert.equal(b.exitCode, 0)
    assert.equal(b.sleeps.length, 1)
  })
})
