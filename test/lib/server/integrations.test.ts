import {strict as assert} from 'node:assert'
import {createHmac} from 'node:crypto'
import {createServer, type IncomingHttpHeaders, type Server} from 'node:http'
import type {AddressInfo} from 'node:net'

import {WEBHOOK_SIGNATURE_HEADER} from '../../../src/lib/contract/integrations.js'

import {openTestCloud, type TestCloud} from './helpers.js'

interface Received {
  headers: IncomingHttpHeaders
  body: string
}

/** A receiver on 127.0.0.1 answering each request with the next status of `statuses` (then 200). */
async function receiver(statuses: number[] = []): Promise<{url: string; received: Received[]; server: Server}> {
  const received: Received[] = []
  const server = createServer((request, response) => {
    let body = ''
    request.on('data', (chunk) => (body += chunk))
    request.on('end', () => {
      received.push({headers: request.headers, body})
      response.writeHead(statuses.shift() ?? 200, {'content-type': 'application/json'})
      response.end('{"ok":true}')
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const {port} = server.address() as AddressInfo
  return {url: `http://127.0.0.1:${port}`, received, server}
}

describe('local API: /integrate/v1 integrations', () => {
  let t: TestCloud
  let integrate: string
  const servers: Server[] = []
  beforeEach(async () => {
    t = await openTestCloud()
    const {organizationId: o, projectId: p} = t.cloud.defaults
    integrate = `/integrate/v1/organizations/${o}/projects/${p}/integrations`
  })
  afterEach(async () => {
    await t.close()
    for (const server of servers.splice(0)) server.close()
  })

  const call = (method: 'GET' | 'POST' | 'PUT' | 'DELETE', url: string, payload?: unknown) =>
    t.cloud.app.inject({method, url, headers: t.auth, ...(payload === undefined ? {} : {payload: payload as object})})

  it('creates, gets, lists, updates and soft-deletes; secrets are answered masked only', async () => {
    const token = 'xoxb-0000-very-secret-token'
    const created = await call('POST', integrate, {data: {sink: 'slack', channelId: 'C123', token}, description: 'ops'})
    assert.equal(created.statusCode, 200)
    const {id} = created.json()
    const got = await call('GET', `${integrate}/${id}`)
    assert.equal(got.statusCode, 200)
    const {integration} = got.json()
    assert.equal(integration.id, id)
    assert.equal(integration.status, 'active')
    assert.equal(integration.description, 'ops')
    assert.deepEqual(integration.data, {sink: 'slack', channelId: 'C123', tokenDisplay: '****oken', source: 'backups'})
    assert.equal((await call('PUT', `${integrate}/${id}`, {description: 'ops 2', data: {channelId: 'C9'}})).statusCode, 200)
    const list = (await call('GET', integrate)).json().integrations
    assert.equal(list.length, 1)
    assert.equal(list[0].description, 'ops 2')
    assert.equal(list[0].data.channelId, 'C9')
    for (const res of [created, got]) assert.ok(!res.body.includes(token))
    assert.equal((await call('DELETE', `${integrate}/${id}`)).statusCode, 200)
    assert.equal((await call('GET', integrate)).json().integrations.length, 0)
    assert.equal((await call('GET', `${integrate}/${id}`)).json().integration.status, 'deleted')
  })

  it('rejects an update with a bad field, by field', async () => {
    const {id} = (await call('POST', integrate, {data: {sink: 'opsGenie', apiKey: 'k'}, description: 'o'})).json()
    const res = await call('PUT', `${integrate}/${id}`, {data: {apiKey: 5}, description: ''})
    assert.equal(res.statusCode, 400)
    assert.deepEqual(Object.keys(res.json().fields).sort(), ['data.apiKey', 'description'])
  })

  it('rejects a body of no known sink by field', async () => {
    const res = await call('POST', integrate, {data: {sink: 'slack', channelId: 'C1'}, description: 'x'})
    assert.equal(res.statusCode, 400)
  })

  it('answers the options: the backups source and its sinks', async () => {
    const {organizationId: o} = t.cloud.defaults
    const res = await call('GET', `/integrate/v1/organizations/${o}/integrations/options`)
    assert.equal(res.statusCode, 200)
    const sinks = res.json().sources[0].sinks.map((s: {id: string}) => s.id)
    assert.deepEqual(sinks, ['slack', 'opsGenie', 'webhook'])
  })

  it('test-integration sends a signed webhook at once; the signature verifies, a wrong secret does not', async () => {
    const r = await receiver()
    servers.push(r.server)
    const secret = 'whsec-test-secret'
    const {id} = (await call('POST', integrate, {data: {sink: 'webhook', url: `${r.url}/hook`, secret}, description: 'hook'})).json()
    const res = await call('POST', `${integrate}/${id}/test`)
    assert.equal(res.statusCode, 200)
    assert.deepEqual(res.json(), {delivered: true, statusCode: 200})
    assert.equal(r.received.length, 1)
    const {headers, body} = r.received[0]
    const match = /^t=(\d+),v1=([0-9a-f]{64})$/.exec(String(headers[WEBHOOK_SIGNATURE_HEADER]))
    assert.ok(match, 'signature header')
    const sign = (key: string) => createHmac('sha256', key).update(`${match[1]}.${body}`).digest('hex')
    assert.equal(match[2], sign(secret))
    assert.notEqual(match[2], sign('wrong-secret'))
    assert.equal(JSON.parse(body).event, 'test')
    const deliveries = (await call('GET', `${integrate}/${id}/deliveries`)).json().deliveries
    assert.equal(deliveries.length, 1)
    assert.equal(deliveries[0].state, 'delivered')
    assert.equal(deliveries[0].statusCode, 200)
  })

  it('test-integration to Slack posts chat.postMessage with the bot token to the overridden base URL', async () => {
    const r = await receiver()
    servers.push(r.server)
    const token = 'xoxb-secret-bot-token'
    process.env.ESC_LOCAL_SLACK_API_URL = r.url
    try {
      const {id} = (await call('POST', integrate, {data: {sink: 'slack', channelId: 'C42', token}, description: 's'})).json()
      const res = await call('POST', `${integrate}/${id}/test`)
      assert.deepEqual(res.json(), {delivered: true, statusCode: 200})
      assert.equal(r.received[0].headers.authorization, `Bearer ${token}`)
      assert.equal(JSON.parse(r.received[0].body).channel, 'C42')
      assert.ok(!res.body.includes(token))
    } finally {
      delete process.env.ESC_LOCAL_SLACK_API_URL
    }
  })

  it('test-integration to OpsGenie creates an alert with the API key and an alias', async () => {
    const r = await receiver()
    servers.push(r.server)
    process.env.ESC_LOCAL_OPSGENIE_API_URL = r.url
    try {
      const {id} = (await call('POST', integrate, {data: {sink: 'opsGenie', apiKey: 'og-key-123'}, description: 'o'})).json()
      const res = await call('POST', `${integrate}/${id}/test`)
      assert.deepEqual(res.json(), {delivered: true, statusCode: 200})
      assert.equal(r.received[0].headers.authorization, 'GenieKey og-key-123')
      const alert = JSON.parse(r.received[0].body)
      assert.ok(alert.alias && alert.message)
    } finally {
      delete process.env.ESC_LOCAL_OPSGENIE_API_URL
    }
  })

  it('reports a failed test delivery with its status code', async () => {
    const r = await receiver([500])
    servers.push(r.server)
    const {id} = (await call('POST', integrate, {data: {sink: 'webhook', url: r.url}, description: 'h'})).json()
    const res = await call('POST', `${integrate}/${id}/test`)
    assert.equal(res.json().delivered, false)
    assert.equal(res.json().statusCode, 500)
  })
  it('a test delivery that cannot connect says why: the refused connection, or the port fetch will not use', async () => {
    const closed = await receiver()
    await new Promise((resolve) => closed.server.close(resolve))
    const refused = (await call('POST', integrate, {data: {sink: 'webhook', url: closed.url}, description: 'gone'})).json()
    assert.deepEqual((await call('POST', `${integrate}/${refused.id}/test`)).json(), {delivered: false, error: 'ECONNREFUSED'})
    // Port 9 is on the list of ports fetch refuses to use: "TypeError" alone would say nothing.
    const bad = (await call('POST', integrate, {data: {sink: 'webhook', url: 'http://127.0.0.1:9/h'}, description: 'port 9'})).json()
    assert.deepEqual((await call('POST', `${integrate}/${bad.id}/test`)).json(), {delivered: false, error: 'fetch failed: bad port'})
  })
})
