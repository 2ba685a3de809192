import {strict as assert} from 'node:assert'
import {open, writeFile} from 'node:fs/promises'
import {join} from 'node:path'

import {isProcessAlive} from '../../src/lib/core/process.js'
import {receiver, type Receiver} from './receiver.js'
import {assertBuilt, type RunningCloud, sandbox, type Sandbox, startCloud, stopCloud, until} from './support.js'

interface Delivery {
  attempt: number
  state: string
  statusCode?: number
  error?: string
  nextAttemptAt?: string
}

/**
 * A message the receiver refused is queued in SQLite for its next try: kill -9 of the local cloud
 * while it waits must not lose it. The next start takes the server lock again (an fcntl lock the
 * kernel drops with its holder, zombie or not) and sends it, and the delivery log shows both tries.
 */
describe('e2e: a pending notification survives kill -9 of the local cloud', function () {
  this.timeout(90_000)
  let box: Sandbox
  let cloud: RunningCloud | undefined
  let hook: Receiver | undefined
  before(async () => {
    assertBuilt()
    box = await sandbox()
  })
  after(async () => {
    if (cloud) await stopCloud(cloud)
    await hook?.close()
    await box?.cleanup()
  })

  it('a delivery the receiver answered 500 is sent after kill -9 and restart; the log shows both tries', async () => {
    hook = await receiver([500])
    cloud = await startCloud(box)
    const demo = await box.esc(['local', 'demo-data', '--dir', box.stateDir, '--no-writer', '--chunks', '4', '--chunk-size', '262144'])
    const clusterId = demo.stdout.trim()
    const secretFile = join(box.root, 'webhook-secret')
    await writeFile(secretFile, 'whsec-restart\n', {mode: 0o600})
    const created = await box.esc([
      'integrations',
      'create',
      '--description',
      'Hook',
      'webhook',
      '--url',
      hook.url,
      '--secret-file',
      secretFile,
      '-q',
    ])
    assert.equal(created.code, 0, created.stderr)
    const hookId = created.stdout.trim()
    const deliveries = async (): Promise<Delivery[]> => {
      const r = await box.esc(['integrations', 'deliveries', '--integration-id', hookId, '--fmt', 'api'])
      assert.equal(r.code, 0, r.stderr)
      return JSON.parse(r.stdout).deliveries
    }

    // A damaged chunk: the manual backup ends defunct and raises one message.
    const fh = await open(join(box.stateDir, 'clusters', clusterId, 'db', 'chunk-000001.000000'), 'r+')
    await fh.write(Buffer.from([0x5a, 0xa5]), 0, 2, 1000)
    await fh.close()
    const backup = await box.esc(['mesdb', 'backups', 'create', '--description', 'manual', '--source-cluster-id', clusterId])
    assert.equal(backup.code, 0, backup.stderr)

    const refused = await until('the first try, refused, and the next one pending', async () => {
      const log = await deliveries()
      return log.some((d) => d.state === 'pending') && log.some((d) => d.state === 'failed') ? log : undefined
    })
    assert.equal(hook.received.length, 1)
    const first = refused.find((d) => d.state === 'failed')!
    assert.deepEqual([first.attempt, first.statusCode, first.error], [1, 500, 'the receiver answered 500'])
    assert.ok(first.nextAttemptAt, 'the refused try names its next one')

    const {pid} = cloud
    cloud.child.kill('SIGKILL')
    await cloud.exited
    assert.equal(isProcessAlive(pid), false)
    assert.equal(hook.received.length, 1, 'nothing was sent while the cloud was down')

    cloud = await startCloud(box)
    await until('the retry after the restart', async () => (hook!.received.length === 2 ? true : undefined), 20_000)
    // The same message, not a new one (only `time`, the time of sending, differs).
    const withoutTime = (body: string) => ({...JSON.parse(body), time: undefined})
    assert.deepEqual(withoutTime(hook.received[1].body), withoutTime(hook.received[0].body))
    const log = await until('the delivered try in the log', async () => {
      const items = await deliveries()
      return items.some((d) => d.state === 'delivered') ? items : undefined
    })
    assert.deepEqual(log.map((d) => [d.attempt, d.state, d.statusCode ?? null]).sort(), [
      [1, 'failed', 500],
      [2, 'delivered', 200],
    ])
    // Delivered once: no further tries.
    await new Promise((resolve) => setTimeout(resolve, 1200))
    assert.equal(hook.received.length, 2)
  })
})
