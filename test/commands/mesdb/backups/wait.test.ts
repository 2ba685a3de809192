import {strict as assert} from 'node:assert'
import nock from 'nock'

import {API, backup, MESDB, ORG, PROJECT, problem, useCommandEnv} from '../clusters/helpers.js'

const ID = 'c1ev3l5o0aeu6ojco7b0'
const GET = `${MESDB}/backups/${ID}`
const wait = (...args: string[]) => ['mesdb', 'backups', 'wait', '-i', ID, ...args]
const REATTACH = `esc mesdb backups wait -i ${ID} --org-id ${ORG} --project-id ${PROJECT}`
const b = (status: string) => ({backup: backup({id: ID, status})})

describe('esc mesdb backups wait', () => {
  const {env, clock, esc} = useCommandEnv()
  const e = () => ({...env(), ESC_PROJECT_ID: PROJECT})

  it('exits 0 once available, one progress line per status change, the backup on stdout', async () => {
    nock(API).get(GET).times(3).reply(200, b('creating'))
    nock(API).get(GET).reply(200, b('available'))
    const r = await esc(wait(), {env: e()})
    assert.equal(r.exitCode, 0)
    assert.match(r.stdout, /^Backup \{ id: BackupId\("c1ev3l5o0aeu6ojco7b0"\), .*status: "available"/)
    assert.equal(r.stderr, `backup ${ID}: creating (0s)\nbackup ${ID}: available (3s)\n`)
    // Early polls back off (0.5s, 1s, 2s) before the 5s interval: a quick backup is seen quickly.
    assert.deepEqual(clock().sleeps, [500, 1000, 2000])
  })

  it('prints the final backup in the selected format (--json, --fmt api)', async () => {
    nock(API).get(GET).twice().reply(200, b('available'))
    const json = await esc(wait('--json'), {env: e()})
    assert.equal(JSON.parse(json.stdout).status, 'available')
    assert.ok(!json.stdout.endsWith('\n'))
    const api = await esc(wait('--fmt', 'api'), {env: e()})
    assert.equal(api.stdout, `${JSON.stringify(b('available'))}\n`)
  })

  it('exits 5 when the backup ends defunct, with the status on stderr', async () => {
    nock(API).get(GET).reply(200, b('creating'))
    nock(API).get(GET).reply(200, b('defunct'))
    const r = await esc(wait(), {env: e()})
    assert.equal(r.exitCode, 5)
    assert.match(r.stdout, /status: "defunct"/)
    assert.equal(r.stderr, `backup ${ID}: creating (0s)\nbackup ${ID}: defunct (0s)\nError: The backup ${ID} ended with status 'defunct'\n`)
  })

  it('exits 4 at the timeout, printing the command that re-attaches', async () => {
    nock(API).get(GET).times(7).reply(200, b('creating'))
    const r = await esc(wait('--timeout', '90s', '--poll-interval', '30s'), {env: e()})
    assert.equal(r.exitCode, 4)
    assert.equal(r.stdout, '')
    assert.equal(
      r.stderr,
      `backup ${ID}: creating (0s)\nError: Timed out after 1m 30s waiting for the backup ${ID} (last status: 'creating'); it continues in the cloud\n` +
        // The timeout that just expired was too short: the hint offers twice as long.
        `  Re-attach with: ${REATTACH} --timeout 3m --poll-interval 30s\n`,
    )
    assert.deepEqual(clock().sleeps, [500, 1000, 2000, 30_000, 30_000, 26_500])
  })

  it('exits 130 on Ctrl-C, saying the backup continues and how to re-attach', async () => {
    nock(API).get(GET).reply(200, b('creating'))
    clock().onSleep = () => void process.emit('SIGINT')
    const r = await esc(wait(), {env: e()})
    assert.equal(r.exitCode, 130)
    assert.equal(r.stdout, '')
    assert.equal(
      r.stderr,
      `backup ${ID}: creating (0s)\nError: Interrupted: stopped waiting for the backup ${ID}; the operation continues in the cloud\n  Re-attach with: ${REATTACH}\n`,
    )
    assert.equal(process.listenerCount('SIGINT'), 0)
  })

  it('tolerates 10 failed polls in a row', async () => {
    nock(API).get(GET).times(10).reply(500, problem(500, 'Internal Server Error'))
    nock(API).get(GET).reply(200, b('available'))
    const r = await esc(wait(), {env: e()})
    assert.equal(r.exitCode, 0)
    const warnings = r.stderr.split('\n').filter((l) => l.includes('status check failed'))
    assert.equal(warnings.length, 10)
    assert.equal(warnings[9], `backup ${ID}: status check failed (10 in a row, retrying): Internal Server Error (HTTP 500 GET ${GET})`)
  })

  it('gives up on the 11th failed poll in a row with that error (exit 1)', async () => {
    nock(API).get(GET).times(11).reply(500, problem(500, 'Internal Server Error'))
    const r = await esc(wait(), {env: e()})
    assert.equal(r.exitCode, 1)
    assert.match(r.stderr, new RegExp(`\\nError: Internal Server Error \\(HTTP 500 GET ${GET}\\)\\n$`))
    assert.ok(nock.isDone())
  })

  it('stops at once on a missing backup (exit 1)', async () => {
    nock(API)
      .get(GET)
      .reply(404, problem(404, 'Not Found', 'no such backup'))
    const r = await esc(wait(), {env: e()})
    assert.equal(r.exitCode, 1)
    assert.equal(r.stderr, `Error: Not Found: no such backup (HTTP 404 GET ${GET})\n`)
  })

  it('refuses a poll interval under 1s (exit 2)', async () => {
    const r = await esc(wait('--poll-interval', '0.5s'), {env: e()})
    assert.equal(r.exitCode, 2)
    assert.equal(r.stderr, "Error: Invalid --poll-interval '0.5s': it must be at least 1s, to spare the API\n")
  })
})
