import {strict as assert} from 'node:assert'
import {mkdtempSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

import nock from 'nock'

import {API, capture, PROJECT, useCommandEnv} from '../mesdb/clusters/helpers.js'

const ORG2 = 'o1'
const BASE = `/integrate/v1/organizations/${ORG2}/projects/${PROJECT}/integrations`
const P = ['--organization-id', ORG2, '--project-id', PROJECT]

const slackIntegration = {
  created: '2023-06-01T12:00:00Z',
  data: {sink: 'slack', channelId: 'C012AB3CD', tokenDisplay: 'xoxb****3CD', source: 'notifications'},
  description: 'Alerts',
  id: 'c0int1',
  organizationId: 'o1',
  projectId: 'p1',
  status: 'active',
  updated: '2023-06-02T12:00:00.500Z',
}
const SLACK_DEBUG =
  'Integration { created: 2023-06-01T12:00:00Z, data: SlackIntegrationData { channel_id: "C012AB3CD", token_display: "xoxb****3CD", source: "notifications" }, description: "Alerts", id: IntegrationId("c0int1"), organization_id: OrgId("o1"), project_id: ProjectId("p1"), status: Active, updated: 2023-06-02T12:00:00.500Z }'
const opsGenie = {...slackIntegration, id: 'c0int2', data: {sink: 'opsGenie', apiKeyDisplay: '****abcd', source: 'issues'}}
const pagerDuty = {
  ...slackIntegration,
  id: 'c0int3',
  data: {sink: 'pagerDuty', authTokenDisplay: 'x', service: 's', user: 'u', source: 'issues'},
}

describe('esc integrations', () => {
  const {env, esc} = useCommandEnv()

  it('create … slack sends the official body under --organization-id and prints the id in every format', async () => {
    const c = capture({id: 'c0int1'})
    nock(API).post(BASE).times(4).reply(c.reply)
    const args = ['integrations', 'create', 'slack', '--description', 'Alerts', ...P, '--channel-id', 'C012AB3CD', '--token', 'xoxb-123']
    const cli = await esc([...args, '--source', 'notifications'], {env: env()})
    assert.equal(cli.stderr, '')
    assert.equal(cli.stdout, 'CreateIntegrationResponse { id: IntegrationId("c0int1") }\n')
    assert.equal(
      c.bodies[0],
      '{"data":{"sink":"slack","channelId":"C012AB3CD","token":"xoxb-123","source":"notifications"},"description":"Alerts"}',
    )
    const json = await esc([...args, '--json'], {env: env()})
    assert.equal(json.stdout, '{\n  "id": "c0int1"\n}')
    assert.equal(c.bodies[1], '{"data":{"sink":"slack","channelId":"C012AB3CD","token":"xoxb-123"},"description":"Alerts"}')
    assert.equal((await esc([...args, '-q'], {env: env()})).stdout, 'c0int1\n')
    const table = await esc([...args, '--fmt', 'table'], {env: env()})
    assert.match(table.stdout, /c0int1/)
    for (const out of [cli, json, table]) assert.doesNotMatch(out.stdout + out.stderr, /xoxb-123/)
  })

  it('takes the flags of create before the sink word, as the official esc does', async () => {
    const {hoistIntegrationCreateFlags} = (await import(new URL('../../../bin/global-flags.js', import.meta.url).href)) as {
      hoistIntegrationCreateFlags: (argv: string[]) => string[]
    }
    assert.deepEqual(hoistIntegrationCreateFlags(['integrations', 'create', '--description', 'D', 'slack', '--token', 'T']), [
      'integrations',
      'create',
      'slack',
      '--description',
      'D',
      '--token',
      'T',
    ])
    assert.deepEqual(hoistIntegrationCreateFlags(['integrations', 'list']), ['integrations', 'list'])
  })

  it('create … ops-genie never sends a source, and --debug never shows the key', async () => {
    const c = capture({id: 'c0int2'})
    nock(API).post(BASE).reply(c.reply)
    const r = await esc(['integrations', 'create', 'ops-genie', '--description', 'OG', ...P, '--api-key', 'k-1-very-secret', '--debug'], {
      env: env(),
    })
    assert.equal(r.exitCode, 0, r.stderr)
    assert.equal(c.bodies[0], '{"data":{"sink":"opsGenie","apiKey":"k-1-very-secret"},"description":"OG"}')
    assert.match(r.stderr, /request body/)
    assert.doesNotMatch(r.stdout + r.stderr, /k-1-very-secret/)
  })

  it('create … webhook reads its secret from --secret-file and never prints it, not even with --debug or --fmt api', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'esc-hook-'))
    writeFileSync(join(dir, 'secret'), 'hunter2-signing\n')
    const c = capture({id: 'c0int4'})
    nock(API).post(BASE).twice().reply(c.reply)
    const args = [
      'integrations',
      'create',
      'webhook',
      '--description',
      'Hook',
      ...P,
      '--url',
      'http://127.0.0.1:9/h',
      '--secret-file',
      join(dir, 'secret'),
    ]
    const r = await esc([...args, '--debug', '--notify-success'], {env: env()})
    assert.equal(r.exitCode, 0, r.stderr)
    assert.equal(
      c.bodies[0],
      '{"data":{"sink":"webhook","url":"http://127.0.0.1:9/h","secret":"hunter2-signing","notifySuccess":true},"description":"Hook"}',
    )
    const api = await esc([...args, '--fmt', 'api'], {env: env()})
    for (const out of [r, api]) assert.doesNotMatch(out.stdout + out.stderr, /hunter2/)
  })

  it('create … webhook refuses a missing secret file and a non-http URL in one line each', async () => {
    const a = await esc(
      ['integrations', 'create', 'webhook', '--description', 'H', ...P, '--url', 'http://x', '--secret-file', '/nonexistent/s'],
      {env: env()},
    )
    assert.equal(a.exitCode, 2)
    assert.equal(a.stderr, 'Error: Cannot read the secret file /nonexistent/s (ENOENT): pass a readable file holding the webhook secret\n')
    const b = await esc(['integrations', 'create', 'webhook', '--description', 'H', ...P, '--url', 'ftp://x'], {env: env()})
    assert.equal(b.exitCode, 2)
    assert.match(b.stderr, /^Error: --url ftp:\/\/x is not an http\(s\) URL/)
  })

  it('--org-id and -i are refused: the official spellings are --organization-id and --integration-id', async () => {
    const a = await esc(['integrations', 'get', '--org-id', ORG2, '--integration-id', 'c0int1'], {env: env()})
    assert.equal(a.exitCode, 2)
    const b = await esc(['integrations', 'get', ...P, '-i', 'c0int1'], {env: env()})
    assert.equal(b.exitCode, 2)
  })

  it('get prints the whole response: Debug line, wrapped JSON, table, -q, api', async () => {
    nock(API).get(`${BASE}/c0int1`).times(5).reply(200, {integration: slackIntegration})
    const get = ['integrations', 'get', ...P, '--integration-id', 'c0int1']
    assert.equal((await esc(get, {env: env()})).stdout, `GetIntegrationResponse { integration: ${SLACK_DEBUG} }\n`)
    assert.equal((await esc([...get, '--json'], {env: env()})).stdout, JSON.stringify({integration: slackIntegration}, null, 2))
    assert.equal((await esc([...get, '-q'], {env: env()})).stdout, 'c0int1\n')
    assert.match((await esc([...get, '--fmt', 'table'], {env: env()})).stdout, /slack C012AB3CD/)
    assert.equal((await esc([...get, '--fmt', 'api'], {env: env()})).stdout, `${JSON.stringify({integration: slackIntegration})}\n`)
  })

  it('list prints one line for the response; sinks it cannot show are Unsupported', async () => {
    nock(API)
      .get(BASE)
      .times(3)
      .reply(200, {integrations: [opsGenie, pagerDuty]})
    const list = ['integrations', 'list', ...P]
    const cli = await esc(list, {env: env()})
    assert.match(
      cli.stdout,
      /^ListIntegrationsResponse \{ integrations: \[Integration \{ .*OpsGenieIntegrationData \{ api_key_display: "\*\*\*\*abcd", source: "issues" \}.*\}, Integration \{ .*data: Unsupported, .*\}\] \}\n$/,
    )
    const json = JSON.parse((await esc([...list, '--json'], {env: env()})).stdout)
    assert.deepEqual(json.integrations[0].data, {sink: 'opsGenie', apiKeyDisplay: '****abcd', source: 'issues'})
    assert.deepEqual(json.integrations[1].data, {sink: 'not supported: switch to CLI option `--fmt api` to see this data'})
    assert.equal((await esc([...list, '-q'], {env: env()})).stdout, 'c0int2\nc0int3\n')
    nock(API).get(BASE).reply(200, {integrations: []})
    assert.equal((await esc(list, {env: env()})).stdout, 'ListIntegrationsResponse { integrations: [] }\n')
  })

  it('update sends the sink fields the official esc drops; delete and test-integration print nothing', async () => {
    const c = capture({})
    nock(API).put(`${BASE}/c0int1`).twice().reply(c.reply)
    const u = await esc(['integrations', 'update', ...P, '--integration-id', 'c0int1', '--description', 'New', '--token', 'xoxb-9'], {
      env: env(),
    })
    assert.equal(u.stdout, '')
    assert.equal(c.bodies[0], '{"data":{"token":"xoxb-9"},"description":"New"}')
    await esc(['integrations', 'update', ...P, '--integration-id', 'c0int1'], {env: env()})
    assert.equal(c.bodies[1], '{}')
    nock(API).delete(`${BASE}/c0int1`).reply(204)
    const d = await esc(['integrations', 'delete', ...P, '--integration-id', 'c0int1'], {env: env()})
    assert.deepEqual([d.exitCode, d.stdout], [0, ''])
    nock(API)
      .post(`${BASE}/c0int1/test`, (body) => body === '' || body === undefined)
      .reply(200)
    const t = await esc(['integrations', 'test-integration', ...P, '--integration-id', 'c0int1'], {env: env()})
    assert.deepEqual([t.exitCode, t.stdout, t.stderr], [0, '', ''])
  })

  it('test-integration reports a message the sink refused (exit 1)', async () => {
    nock(API).post(`${BASE}/c0int1/test`).reply(200, {delivered: false, statusCode: 500, error: 'receiver answered 500'})
    const t = await esc(['integrations', 'test-integration', ...P, '--integration-id', 'c0int1'], {env: env()})
    assert.notEqual(t.exitCode, 0)
    assert.match(t.stderr, /^Error: The test message was not delivered \(HTTP 500: receiver answered 500\)\n/)
  })

  it('options (ours) reads the org-level endpoint; deliveries (ours) lists every attempt', async () => {
    const sources = [
      {
        enabled: true,
        id: 'notifications',
        name: 'Notifications',
        sinks: [{id: 'slack', name: 'Slack', enabled: true, supportsTestApi: true}],
      },
    ]
    nock(API).get(`/integrate/v1/organizations/${ORG2}/integrations/options`).twice().reply(200, {sources})
    const o = await esc(['integrations', 'options', '--organization-id', ORG2], {env: env()})
    assert.match(o.stdout, /^GetIntegrationOptionsResponse \{ sources: \[SourceSummary \{ enabled: true, id: "notifications"/)
    assert.deepEqual(JSON.parse((await esc(['integrations', 'options', '--organization-id', ORG2, '--json'], {env: env()})).stdout), {
      sources,
    })
    const deliveries = [1, 2, 3, 4].map((n) => ({
      id: `d${n}`,
      integrationId: 'c0int1',
      event: 'backupDefunct',
      attempt: n,
      state: n < 4 ? 'pending' : 'delivered',
      attemptedAt: `2023-06-01T12:00:0${n}Z`,
      statusCode: n < 4 ? 500 : 200,
    }))
    nock(API).get(`${BASE}/c0int1/deliveries`).twice().reply(200, {deliveries})
    const table = await esc(['integrations', 'deliveries', ...P, '--integration-id', 'c0int1', '--fmt', 'table'], {env: env()})
    assert.equal(table.stdout.match(/backupDefunct/g)?.length, 4)
    const json = JSON.parse((await esc(['integrations', 'deliveries', ...P, '--integration-id', 'c0int1', '--json'], {env: env()})).stdout)
    assert.deepEqual(json, {deliveries})
  })
})

describe('esc integrations: a missing project', () => {
  const {env, esc} = useCommandEnv()

  it('names --project-id and how to set it (exit 2), before anything is sent', async () => {
    const r = await esc(['integrations', 'list', '--organization-id', ORG2], {env: {...env(), ESC_PROJECT_ID: undefined}})
    assert.equal(r.exitCode, 2)
    assert.match(r.stderr, /^Error: Invalid value for '--project-id <project-id>': Not provided/)
    assert.match(r.stderr, /ESC_PROJECT_ID/)
  })
})

describe('esc integrations --help', () => {
  const {env, esc} = useCommandEnv()

  it('update says it sends the sink fields the official esc drops; webhook documents its signature', async () => {
    const u = await esc(['integrations', 'update', '--help'], {env: env()})
    assert.match(u.stdout, /silently drops them/)
    assert.match(u.stdout, /--integration-id=<value>/)
    const w = await esc(['integrations', 'create', 'webhook', '--help'], {env: env()})
    assert.match(w.stdout, /X-Esc-Signature: t=<timestamp>,v1=<hex>/)
    assert.match(w.stdout, /ours/)
    assert.doesNotMatch(w.stdout, /--secret[ =]/)
  })
})

describe('esc integrations create without a sink', () => {
  const {env, esc} = useCommandEnv()

  it('is a usage error naming the sinks (exit 2)', async () => {
    const r = await esc(['integrations', 'create', '--description', 'D'], {env: env()})
    assert.equal(r.exitCode, 2)
    assert.match(r.stderr, /^Error: integrations create needs a sink: add slack, ops-genie or webhook/)
  })
})

describe('esc integrations: secrets in traces and files', () => {
  const {env, esc} = useCommandEnv()

  it('a Slack token and an update token stay out of --debug and --fmt api-verbose', async () => {
    nock(API).post(BASE).reply(200, {id: 'c0int1'})
    nock(API).put(`${BASE}/c0int1`).reply(200, {})
    const c = await esc(
      ['integrations', 'create', 'slack', '--description', 'A', ...P, '--channel-id', 'C', '--token', 'xoxb-topsecret', '--debug'],
      {
        env: env(),
      },
    )
    const u = await esc(
      ['integrations', 'update', ...P, '--integration-id', 'c0int1', '--token', 'xoxb-topsecret', '--fmt', 'api-verbose', '--debug'],
      {
        env: env(),
      },
    )
    for (const r of [c, u]) {
      assert.equal(r.exitCode, 0, r.stderr)
      assert.doesNotMatch(r.stdout + r.stderr, /topsecret/)
    }
  })

  it('an empty secret file is refused with one line (exit 2)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'esc-hook-'))
    writeFileSync(join(dir, 'empty'), '\n')
    const r = await esc(
      ['integrations', 'create', 'webhook', '--description', 'H', ...P, '--url', 'http://x', '--secret-file', join(dir, 'empty')],
      {env: env()},
    )
    assert.equal(r.exitCode, 2)
    assert.equal(r.stderr, `Error: The secret file ${join(dir, 'empty')} is empty: write the webhook secret into it\n`)
  })
})
