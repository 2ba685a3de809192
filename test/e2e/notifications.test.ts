import {strict as assert} from 'node:assert'
import {open, writeFile} from 'node:fs/promises'
import {join} from 'node:path'

import {receiver, type Receiver, verifySignature} from './receiver.js'
import {assertBuilt, type RunningCloud, sandbox, type Sandbox, startCloud, stopCloud, until} from './support.js'

/** The local cloud's notifier checks its queue every second (notify/notifier.ts). */
const POLL_MS = 1000

/** Flips one byte inside a completed chunk: its footer MD5 no longer matches, as on a failing disk. */
async function damageChunk(stateDir: string, clusterId: string): Promise<void> {
  const fh = await open(join(stateDir, 'clusters', clusterId, 'db', 'chunk-000001.000000'), 'r+')
  const byte = Buffer.alloc(1)
  await fh.read(byte, 0, 1, 1000)
  byte[0] ^= 0xff
  await fh.write(byte, 0, 1, 1000)
  await fh.close()
}

/**
 * The "done when", on a laptop: a real `esc local start`, integrations created through the
 * CLI, a scheduled job whose backup fails on a damaged chunk, and receivers on 127.0.0.1 playing
 * Slack, OpsGenie and a webhook that each get exactly one message within one poll interval.
 */
describe('e2e: notifications of a failed scheduled backup', function () {
  this.timeout(90_000)
  let box: Sandbox
  let cloud: RunningCloud | undefined
  const receivers: Receiver[] = []
  before(async () => {
    assertBuilt()
    box = await sandbox()
  })
  after(async () => {
    if (cloud) await stopCloud(cloud)
    await Promise.all(receivers.map((r) => r.close()))
    await box?.cleanup()
  })

  it('a scheduled backup of a damaged cluster ends defunct and Slack, OpsGenie and the webhook each get one message', async () => {
    const [slack, ops, hook] = await Promise.all([receiver(), receiver(), receiver()])
    receivers.push(slack, ops, hook)
    cloud = await startCloud(box, {ESC_LOCAL_SLACK_API_URL: slack.url, ESC_LOCAL_OPSGENIE_API_URL: ops.url})
    const demo = await box.esc(['local', 'demo-data', '--dir', box.stateDir, '--no-writer', '--chunks', '4', '--chunk-size', '262144'])
    assert.equal(demo.code, 0, demo.stderr)
    const clusterId = demo.stdout.trim()

    const secretFile = join(box.root, 'webhook-secret')
    await writeFile(secretFile, 'whsec-e2e-0123456789\n', {mode: 0o600})
    const create = async (args: string[]) => {
      const r = await box.esc(['integrations', 'create', ...args, '-q'])
      assert.equal(r.code, 0, r.stderr)
      return r.stdout.trim()
    }
    const hookId = await create(['--description', 'On-call hook', 'webhook', '--url', `${hook.url}/esc`, '--secret-file', secretFile])
    await create(['--description', 'Ops channel', 'slack', '--channel-id', 'C0OPS', '--token', 'xoxb-e2e-token'])
    await create(['--description', 'Pager', 'ops-genie', '--api-key', 'genie-e2e-key'])

    const job = await box.esc([
      'orchestrate',
      'jobs',
      'create',
      '--description',
      'Nightly',
      '--schedule',
      '0 3 * * *',
      'scheduled-backup',
      '--description',
      'nightly {datetime:RFC3339}',
      '--max-backup-count',
      '3',
      '--cluster-id',
      clusterId,
    ])
    assert.equal(job.code, 0, job.stderr)
    const jobId = /JobId\("(\w+)"\)/.exec(job.stdout)![1]

    await damageChunk(box.stateDir, clusterId)
    // The job's run, fired now rather than at 03:00: the same runner the cron timer calls.
    const run = await box.esc(['orchestrate', 'jobs', 'run', '--id', jobId, '--wait', '--poll-interval', '1s', '--timeout', '30s'])
    assert.match(run.stdout + run.stderr, /failed/)
    const ranAt = Date.now()
    await until('the webhook message', async () => (hook.received.length > 0 ? true : undefined), POLL_MS)
    // One poll interval later, still exactly one message each: no duplicates.
    await new Promise((resolve) => setTimeout(resolve, POLL_MS + 200))
    assert.deepEqual(
      [slack, ops, hook].map((r) => r.received.length),
      [1, 1, 1],
    )
    assert.ok(hook.received[0].at - ranAt <= POLL_MS)

    const history = await box.esc(['orchestrate', 'history', 'list', '--job-id', jobId, '--fmt', 'api'])
    const item = JSON.parse(history.stdout).items[0]
    assert.equal(item.status, 'failed')
    const backupId = item.linkedResource
    const backup = JSON.parse((await box.esc(['mesdb', 'backups', 'get', '--id', backupId, '--fmt', 'api'])).stdout).backup
    assert.equal(backup.status, 'defunct')

    // The webhook: signed as the README says, with what failed, where, when, why and what to run.
    const message = hook.received[0]
    assert.equal(message.path, '/esc')
    assert.equal(message.headers['content-type'], 'application/json')
    const signature = String(message.headers['x-esc-signature'])
    assert.match(signature, /^t=\d+,v1=[0-9a-f]{64}$/)
    assert.equal(verifySignature('whsec-e2e-0123456789', signature, message.body), true)
    assert.equal(verifySignature('whsec-wrong', signature, message.body), false)
    assert.equal(verifySignature('whsec-e2e-0123456789', signature, message.body.replace('}', ' }')), false)
    const body = JSON.parse(message.body)
    assert.equal(body.event, 'scheduledRunFailed')
    assert.equal(body.clusterId, clusterId)
    assert.equal(body.backupId, backupId)
    assert.equal(body.jobId, jobId)
    assert.equal(body.reason, backup.details)
    assert.match(backup.details, /chunk-000001\.000000/)
    assert.equal(body.more, `esc orchestrate history list --job-id ${jobId}`)
    const failedAt = /failed at (\S+): /.exec(body.summary)![1]
    assert.ok(Math.abs(Date.parse(failedAt) - Date.parse(body.time)) < 5000, `${failedAt} is an ISO time near ${body.time}`)
    assert.ok(body.summary.includes(`on cluster "Demo cluster" (${clusterId}) failed at ${failedAt}: ${backup.details}.`), body.summary)
    assert.ok(body.summary.endsWith(`More: esc orchestrate history list --job-id ${jobId}`))

    // Slack: chat.postMessage with the bot token, to the channel, the same summary.
    assert.equal(slack.received[0].path, '/chat.postMessage')
    assert.equal(slack.received[0].headers.authorization, 'Bearer xoxb-e2e-token')
    assert.deepEqual(JSON.parse(slack.received[0].body), {channel: 'C0OPS', text: body.summary})
    // OpsGenie: an alert whose alias folds repeats of this job's failure into one.
    assert.equal(ops.received[0].path, '/v2/alerts')
    assert.equal(ops.received[0].headers.authorization, 'GenieKey genie-e2e-key')
    const alert = JSON.parse(ops.received[0].body)
    assert.equal(alert.alias, `esc-backup-failed-${clusterId}-${jobId}`)
    assert.equal(alert.description, body.summary)

    const deliveries = await box.esc(['integrations', 'deliveries', '--integration-id', hookId, '--fmt', 'api'])
    assert.equal(deliveries.code, 0, deliveries.stderr)
    const log = JSON.parse(deliveries.stdout).deliveries
    assert.deepEqual(
      log.map((d: {state: string; statusCode?: number; attempt: number}) => [d.state, d.statusCode, d.attempt]),
      [['delivered', 200, 1]],
    )
    // The README's sample messages are these (ESC_E2E_PRINT_SAMPLES=1 prints them).
    if (process.env.ESC_E2E_PRINT_SAMPLES) {
      for (const r of [slack, ops, hook])
        console.log(r.received[0].path, r.received[0].headers['x-esc-signature'] ?? '', r.received[0].body)
    }
  })
})
