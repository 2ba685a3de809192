import {strict as assert} from 'node:assert'
import nock from 'nock'

import {API, cluster, MESDB, ORG, PROJECT, useCommandEnv} from './helpers.js'

const ID = 'c1mnqjdo0aembuk4ljo0'
const GET = `${MESDB}/clusters/${ID}`
const wait = (...args: string[]) => ['mesdb', 'clusters', 'wait', '-i', ID, '--project-id', PROJECT, ...args]
const c = (status: string) => ({cluster: cluster({status})})

describe('esc mesdb clusters wait', () => {
  const {env, clock, esc} = useCommandEnv()

  it('waits through the provisioning statuses until available (exit 0)', async () => {
    for (const status of ['provisioning', 'disks available', 'installing', 'available']) nock(API).get(GET).reply(200, c(status))
    const r = await esc(wait('--json'), {env: env()})
    assert.equal(r.exitCode, 0)
    assert.equal(JSON.parse(r.stdout).status, 'available')
    assert.equal(
      r.stderr,
      `cluster ${ID}: provisioning (0s)\ncluster ${ID}: disks available (0s)\ncluster ${ID}: installing (1s)\ncluster ${ID}: available (3s)\n`,
    )
  })

  it('keeps waiting through inconsistent, fails on deleting (exit 5)', async () => {
    nock(API).get(GET).reply(200, c('inconsistent'))
    nock(API).get(GET).reply(200, c('deleting instances'))
    const r = await esc(wait(), {env: env()})
    assert.equal(r.exitCode, 5)
    assert.match(r.stderr, /Error: The cluster c1mnqjdo0aembuk4ljo0 ended with status 'deleting instances'\n$/)
  })

  it('exits 4 on timeout with the re-attach command (non-default timing repeated)', async () => {
    nock(API).get(GET).times(6).reply(200, c('provisioning'))
    const r = await esc(wait('--timeout', '2h', '--poll-interval', '1h'), {env: env()})
    assert.equal(r.exitCode, 4)
    assert.equal(
      r.stderr,
      `cluster ${ID}: provisioning (0s)\n` +
        `Error: Timed out after 2h 00m waiting for the cluster ${ID} (last status: 'provisioning'); it continues in the cloud\n` +
        `  Re-attach with: esc mesdb clusters wait -i ${ID} --org-id ${ORG} --project-id ${PROJECT} --timeout 4h --poll-interval 1h\n`,
    )
    assert.deepEqual(clock().sleeps, [500, 1000, 2000, 3_600_000, 3_596_500])
  })

  it('exits 130 on Ctrl-C', async () => {
    nock(API).get(GET).reply(200, c('provisioning'))
    clock().onSleep = () => void process.emit('SIGINT')
    const r = await esc(wait(), {env: env()})
    assert.equal(r.exitCode, 130)
    assert.match(
      r.stderr,
      /Error: Interrupted: stopped waiting for the cluster .*; the operation continues in the cloud\n {2}Re-attach with: esc mesdb clusters wait -i /,
    )
  })
})
