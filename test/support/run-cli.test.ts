import {strict as assert} from 'node:assert'
import nock from 'nock'

import BackupsWait from '../../src/commands/mesdb/backups/wait.js'
import type {WaitClock} from '../../src/lib/core/clock.js'
import {API, backup, MESDB, PROJECT, useCommandEnv} from '../commands/mesdb/clusters/helpers.js'
import {runCli, runCommand} from './run-cli.js'

const ID = 'c1ev3l5o0aeu6ojco7b0'
const GET = `${MESDB}/backups/${ID}`

/** A clock of this test's own: sleeping returns at once, moving `now` on. */
function virtualClock(): WaitClock & {sleeps: number[]} {
  let now = 1_700_000_000_000
  const sleeps: number[] = []
  return {sleeps, now: () => now, sleep: async (ms: number) => void (sleeps.push(ms), (now += ms))}
}

describe('test support: running a command in-process', () => {
  const {env} = useCommandEnv()
  const e = () => ({...env(), ESC_PROJECT_ID: PROJECT})

  it('runs a command class the test imported, with the clock given to its waits', async () => {
    nock(API)
      .get(GET)
      .twice()
      .reply(200, {backup: backup({id: ID, status: 'creating'})})
    nock(API)
      .get(GET)
      .reply(200, {backup: backup({id: ID, status: 'available'})})
    const clock = virtualClock()
    const r = await runCommand(BackupsWait, ['-i', ID, '--poll-interval', '7s'], {env: e(), clock})
    assert.equal(r.exitCode, 0, r.stderr)
    assert.match(r.stdout, /status: "available"/)
    // The first pauses are short (0.5s, 1s, 2s), --poll-interval the ceiling after them.
    assert.equal(r.stderr, `backup ${ID}: creating (0s)\nbackup ${ID}: available (1s)\n`)
    assert.deepEqual(clock.sleeps, [500, 1000])
  })

  it('does not sleep between API retries, and reports the delays they asked for', async () => {
    nock(API).get(GET).reply(503, 'busy')
    nock(API)
      .get(GET)
      .reply(200, {backup: backup({id: ID, status: 'available'})})
    const r = await runCli(['mesdb', 'backups', 'wait', '-i', ID], {env: e()})
    assert.equal(r.exitCode, 0, r.stderr)
    assert.equal(r.sleeps.length, 1, 'one retry after the 503')
    assert.ok(nock.isDone())
  })

  it('reports the exit code and what went to stderr without exiting the process', async () => {
    const r = await runCommand(BackupsWait, ['-i', ID, '--timeout', 'soon'], {env: e()})
    assert.equal(r.exitCode, 2)
    assert.equal(r.stdout, '')
    assert.match(r.stderr, /^Error: Invalid --timeout 'soon'/)
  })
})
