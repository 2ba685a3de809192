import {strict as assert} from 'node:assert'
import {readdirSync, readFileSync, statSync} from 'node:fs'
import {open, writeFile} from 'node:fs/promises'
import {join} from 'node:path'

import {receiver, type Receiver} from './receiver.js'
import {adminToken, assertBuilt, localIds, type RunningCloud, sandbox, type Sandbox, startCloud, stopCloud, until} from './support.js'

const SECRETS = {
  slack: 'xoxb-SLACKTOKEN-e2e-7f3a9c',
  slackRotated: 'xoxb-ROTATEDSLACK-e2e-1d2c',
  genie: 'genie-OPSGENIEKEY-e2e-51d2',
  genieRotated: 'genie-ROTATEDGENIE-e2e-8e0f',
  hook: 'whsec-WEBHOOKSECRET-e2e-0b6e',
}

/** A secret, or any piece of it longer than the 4 last characters the masked display shows. */
function leaks(text: string): string[] {
  return Object.values(SECRETS).filter((secret) => text.includes(secret.slice(0, -4)))
}

/** Every entry under `dir` with its mode bits. */
function modes(dir: string): Array<[string, number, boolean]> {
  return readdirSync(dir, {recursive: true, encoding: 'utf8'}).map((name) => {
    const stat = statSync(join(dir, name))
    return [name, stat.mode & 0o777, stat.isDirectory()]
  })
}

/**
 * The secrets of integrations are write-only: every integrations command, in every format and with
 * --debug, failing or not, the API's answers, the local cloud's log and its output never show
 * one; and the state directory that stores them stays 0700/0600.
 */
describe('e2e: integration secrets never leave the state database', function () {
  this.timeout(120_000)
  let box: Sandbox
  let cloud: RunningCloud | undefined
  let slack: Receiver
  before(async () => {
    assertBuilt()
    box = await sandbox()
  })
  after(async () => {
    if (cloud) await stopCloud(cloud)
    await slack?.close()
    await box?.cleanup()
  })

  it('no token, key or signing secret in any output, answer or log line; the state stays 0700/0600', async () => {
    slack = await receiver()
    // OpsGenie points at a closed port: its sends fail, and their errors are checked too.
    const gone = await receiver()
    await gone.close()
    cloud = await startCloud(box, {ESC_LOCAL_SLACK_API_URL: slack.url, ESC_LOCAL_OPSGENIE_API_URL: gone.url})
    let cloudOutput = cloud.banner
    cloud.child.stdout!.on('data', (d) => (cloudOutput += d))
    cloud.child.stderr!.on('data', (d) => (cloudOutput += d))
    const secretFile = join(box.root, 'hook-secret')
    await writeFile(secretFile, `${SECRETS.hook}\n`, {mode: 0o600})

    const outputs: string[] = []
    /** Runs the command as is, with --debug and with --fmt api-verbose; returns the first run's stdout. */
    const esc = async (args: string[], expectFailure = false) => {
      const results = await Promise.all([[], ['--debug'], ['--fmt', 'api-verbose']].map((extra) => box.esc([...args, ...extra])))
      for (const r of results) {
        outputs.push(`${r.stdout}${r.stderr}`)
        if (expectFailure) assert.notEqual(r.code, 0, r.stdout)
        else assert.equal(r.code, 0, r.stderr)
      }
      return results[0].stdout
    }
    const idOf = (stdout: string) => /IntegrationId\("(\w+)"\)/.exec(stdout)![1]

    const slackId = idOf(
      await esc(['integrations', 'create', '--description', 'S', 'slack', '--channel-id', 'C1', '--token', SECRETS.slack]),
    )
    const genieId = idOf(await esc(['integrations', 'create', '--description', 'G', 'ops-genie', '--api-key', SECRETS.genie]))
    const hookId = idOf(
      await esc(['integrations', 'create', '--description', 'H', 'webhook', '--url', `${slack.url}/hook`, '--secret-file', secretFile]),
    )
    // Creates the server refuses: its problem details and the CLI's error line carry no secret.
    await esc(['integrations', 'create', '--description', 'S', 'slack', '--channel-id', 'C'.repeat(1025), '--token', SECRETS.slack], true)
    await esc(
      ['integrations', 'create', '--organization-id', 'nosuchorg', '--description', 'G', 'ops-genie', '--api-key', SECRETS.genie],
      true,
    )

    await esc(['integrations', 'list'])
    await esc(['integrations', 'options'])
    for (const id of [slackId, genieId, hookId]) await esc(['integrations', 'get', '--integration-id', id])
    await esc(['integrations', 'update', '--integration-id', slackId, '--token', SECRETS.slackRotated])
    await esc(['integrations', 'update', '--integration-id', genieId, '--api-key', SECRETS.genieRotated])
    for (const id of [slackId, genieId, hookId]) {
      await box.esc(['integrations', 'test-integration', '--integration-id', id, '--debug']).then((r) => outputs.push(r.stdout + r.stderr))
      await esc(['integrations', 'deliveries', '--integration-id', id])
    }
    // The Slack receiver got the rotated token; the OpsGenie sends failed (closed port).
    assert.ok(slack.received.some((r) => r.headers.authorization === `Bearer ${SECRETS.slackRotated}`))
    assert.match(outputs.join('\n'), /ECONNREFUSED/)

    // A backup that fails: each sink gets a message, OpsGenie's send fails and is logged.
    const demo = await box.esc(['local', 'demo-data', '--dir', box.stateDir, '--no-writer', '--chunks', '4', '--chunk-size', '262144'])
    const clusterId = demo.stdout.trim()
    const chunk = await open(join(box.stateDir, 'clusters', clusterId, 'db', 'chunk-000001.000000'), 'r+')
    await chunk.write(Buffer.from([0x5a, 0xa5]), 0, 2, 1000)
    await chunk.close()
    await box.esc(['mesdb', 'backups', 'create', '--description', 'fails', '--source-cluster-id', clusterId])
    await until('the failed send in the log', async () =>
      /delivery \w+ to integration \w+ failed/.test(readFileSync(join(box.stateDir, 'server.log'), 'utf8')) ? true : undefined,
    )

    // The API's own answers, read raw.
    const {orgId, projectId} = await localIds(box)
    const base = `${cloud.url}/integrate/v1/organizations/${orgId}/projects/${projectId}/integrations`
    const authorization = `Bearer ${await adminToken(box, cloud.url)}`
    for (const url of [base, `${base}/${slackId}`, `${base}/${genieId}`, `${base}/${hookId}`, `${base}/${genieId}/deliveries`]) {
      const text = await (await fetch(url, {headers: {authorization}})).text()
      outputs.push(text)
      assert.match(text, /"id"/)
    }
    for (const id of [slackId, genieId, hookId]) {
      const r = await box.esc(['integrations', 'delete', '--integration-id', id, '--debug'])
      assert.equal(r.code, 0, r.stderr)
      outputs.push(r.stdout + r.stderr)
    }
    await stopCloud(cloud)

    const all = outputs.join('\n')
    assert.match(all, /tokenDisplay.*\*\*\*\*/, 'the answers show the masked display')
    assert.deepEqual(
      all.split('\n').filter((line) => leaks(line).length > 0),
      [],
      'no secret in any command output or API answer',
    )
    const log = readFileSync(join(box.stateDir, 'server.log'), 'utf8')
    assert.match(log, /delivery \w+ to integration \w+ failed \(try 1\): ECONNREFUSED/, 'the log has the failed sends')
    assert.deepEqual(leaks(log), [], 'no secret in server.log')
    assert.deepEqual(leaks(cloudOutput), [], "no secret in the local cloud's own output")
    for (const [name, mode, dir] of modes(box.stateDir)) assert.equal(mode, dir ? 0o700 : 0o600, `${name}: ${mode.toString(8)}`)
    assert.equal(statSync(box.stateDir).mode & 0o777, 0o700)
  })
})
