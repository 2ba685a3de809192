import {strict as assert} from 'node:assert'
import http from 'node:http'
import type {AddressInfo} from 'node:net'

import {ApiClient} from '../../../../src/lib/client/api/client.js'
import {parseDurationMs, parseRetryAfter, requestTimeoutFromEnv} from '../../../../src/lib/client/api/timing.js'
import {EscError} from '../../../../src/lib/core/errors.js'
import {exitCodeOf} from '../../../../src/lib/cli/error-exit.js'
import {fakeTokens} from './fixtures.js'

/** Real loopback sockets: what nock cannot fake faithfully (refused connections, stalls, resets). */
/** A port nothing listens on (bound, then released). */
async function closedPort(): Promise<number> {
  const probe = http.createServer()
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve))
  const port = (probe.address() as AddressInfo).port
  await new Promise<void>((resolve) => probe.close(() => resolve()))
  return port
}

describe('ApiClient over real sockets', () => {
  let server: http.Server
  let base: string
  let handler: (req: http.IncomingMessage, res: http.ServerResponse) => void

  before(async () => {
    server = http.createServer((req, res) => handler(req, res))
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  })
  after(
    () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  )

  it('reports a refused connection with the URL and the fix (exit 1)', async () => {
    const probe = http.createServer()
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve))
    const port = (probe.address() as AddressInfo).port
    await new Promise<void>((resolve) => probe.close(() => resolve()))
    const api = new ApiClient({baseUrl: `http://127.0.0.1:${port}`, tokens: fakeTokens(), userAgent: 'x'})
    const err = await api.listBackups('o', 'p').catch((e) => e)
    assert.ok(err instanceof EscError)
    assert.equal(exitCodeOf(err), 1)
    assert.equal(
      err.message,
      `could not connect to http://127.0.0.1:${port}: connection refused — is the local cloud running? start it with \`esc local start\`, or set --api-url/ESC_API_URL`,
    )
  })

  it('https:// against a plain-HTTP server: one line saying to use http://, no OpenSSL trace', async () => {
    handler = (_req, res) => res.end('{}')
    const tlsBase = base.replace('http://', 'https://')
    const api = new ApiClient({baseUrl: tlsBase, tokens: fakeTokens(), userAgent: 'x', maxRetries: 0})
    const err = await api.listBackups('o', 'p').catch((e) => e)
    assert.ok(err instanceof EscError)
    assert.equal(exitCodeOf(err), 1)
    assert.equal(err.message, `the server at ${tlsBase} does not speak HTTPS; use ${base}`)
  })

  // 0.0.0.0 refuses like a remote host would, without being a loopback name.
  it('a refused connection on the local profile suggests `esc local start` whatever the host', async () => {
    const url = `http://0.0.0.0:${await closedPort()}`
    const api = new ApiClient({baseUrl: url, tokens: fakeTokens(), userAgent: 'x', profileName: 'local'})
    const err = await api.listBackups('o', 'p').catch((e) => e)
    assert.equal(
      err.message,
      `could not connect to ${url}: connection refused — is the local cloud running? start it with \`esc local start\`, or set --api-url/ESC_API_URL`,
    )
  })

  it('a refused connection to a non-loopback API on another profile keeps the plain advice', async () => {
    const url = `http://0.0.0.0:${await closedPort()}`
    const api = new ApiClient({baseUrl: url, tokens: fakeTokens(), userAgent: 'x', profileName: 'prod'})
    const err = await api.listBackups('o', 'p').catch((e) => e)
    assert.equal(err.message, `could not connect to ${url}: connection refused — is the API running? set --api-url/ESC_API_URL`)
  })

  it('times out a stalled request after the request timeout, naming ESC_HTTP_TIMEOUT', async () => {
    handler = () => {} // never answers
    const api = new ApiClient({baseUrl: base, tokens: fakeTokens(), userAgent: 'x', requestTimeoutMs: 150})
    const err = await api.getBackup('o', 'p', 'b').catch((e) => e)
    assert.ok(err instanceof EscError)
    assert.equal(exitCodeOf(err), 1)
    assert.equal(
      err.message,
      'GET /mesdb/v1/organizations/o/projects/p/backups/b timed out after 150 ms — set ESC_HTTP_TIMEOUT to wait longer',
    )
  })

  it('retries a GET whose connection was reset, then succeeds', async () => {
    let calls = 0
    handler = (req, res) => {
      calls++
      if (calls === 1) {
        req.socket.destroy()
        return
      }
      res.setHeader('content-type', 'application/json')
      res.end('{"backups":[]}')
    }
    const sleeps: number[] = []
    const api = new ApiClient({
      baseUrl: base,
      tokens: fakeTokens(),
      userAgent: 'x',
      sleep: async (ms) => void sleeps.push(ms),
      random: () => 0,
    })
    const res = await api.listBackups('o', 'p')
    assert.deepEqual(res.data, {backups: []})
    assert.equal(calls, 2)
    assert.deepEqual(sleeps, [250])
  })

  it('does not retry a POST whose connection was reset', async () => {
    let calls = 0
    handler = (req) => {
      calls++
      req.socket.destroy()
    }
    const api = new ApiClient({baseUrl: base, tokens: fakeTokens(), userAgent: 'x', sleep: async () => {}})
    const err = await api.createBackup('o', 'p', {description: 'd', sourceClusterId: 'c'}).catch((e) => e)
    assert.equal(calls, 1)
    assert.match(
      err.message,
      /^POST \/mesdb\/v1\/organizations\/o\/projects\/p\/backups: the connection to http:\/\/127\.0\.0\.1:\d+ was reset$/,
    )
  })

  it('--debug traces method, URL, status, timing and bodies with secrets redacted', async () => {
    handler = (req, res) => {
      res.setHeader('content-type', 'application/json')
      res.end('{"id":"b1","access_token":"SECRET-A","nested":{"password":"SECRET-B"}}')
    }
    const lines: string[] = []
    const api = new ApiClient({baseUrl: base, tokens: fakeTokens('SECRET-TOKEN'), userAgent: 'x', debug: (l) => lines.push(l)})
    await api.createBackup('o', 'p', {description: 'refresh_token=SECRET-C', sourceClusterId: 'c'})
    const text = lines.join('\n')
    assert.ok(!/SECRET/.test(text), text)
    assert.match(text, new RegExp(`^POST ${base}/mesdb/v1/organizations/o/projects/p/backups$`, 'm'))
    assert.match(text, /"Authorization":"Bearer \*\*\*"/)
    assert.match(text, /^status: 200 in \d+ ms$/m)
    assert.match(text, /^response body: \{"id":"b1","access_token":"\*\*\*","nested":\{"password":"\*\*\*"\}\}$/m)
    assert.match(text, /^request body: \{"description":"refresh_token=\*\*\*","sourceClusterId":"c"\}$/m)
  })
})

describe('timing', () => {
  it('reads ESC_HTTP_TIMEOUT as seconds or a duration', () => {
    assert.equal(requestTimeoutFromEnv({}), 60_000)
    assert.equal(requestTimeoutFromEnv({ESC_HTTP_TIMEOUT: '30'}), 30_000)
    assert.equal(requestTimeoutFromEnv({ESC_HTTP_TIMEOUT: '30s'}), 30_000)
    assert.equal(requestTimeoutFromEnv({ESC_HTTP_TIMEOUT: '500ms'}), 500)
    assert.equal(requestTimeoutFromEnv({ESC_HTTP_TIMEOUT: '2m'}), 120_000)
    assert.equal(parseDurationMs('1.5s'), 1500)
  })

  it('rejects a bad ESC_HTTP_TIMEOUT as a usage error', () => {
    assert.throws(
      () => requestTimeoutFromEnv({ESC_HTTP_TIMEOUT: 'soon'}),
      (e: EscError) => exitCodeOf(e) === 2 && e.message === 'ESC_HTTP_TIMEOUT="soon" is not a duration',
    )
    assert.throws(
      () => requestTimeoutFromEnv({ESC_HTTP_TIMEOUT: '0'}),
      (e: EscError) => exitCodeOf(e) === 2,
    )
    assert.throws(
      () => requestTimeoutFromEnv({ESC_HTTP_TIMEOUT: '0.0001'}),
      (e: EscError) => exitCodeOf(e) === 2 && e.message === 'ESC_HTTP_TIMEOUT="0.0001" must be at least 1ms',
    )
    // Longer than setTimeout allows: every request would time out at once.
    assert.throws(
      () => requestTimeoutFromEnv({ESC_HTTP_TIMEOUT: '1000h'}),
      (e: EscError) => exitCodeOf(e) === 2 && e.message === 'ESC_HTTP_TIMEOUT="1000h" is too long: at most 596h',
    )
    assert.equal(requestTimeoutFromEnv({ESC_HTTP_TIMEOUT: '596h'}), 596 * 3_600_000)
  })

  it('parses Retry-After seconds and dates, ignoring garbage', () => {
    const now = Date.parse('2026-01-01T00:00:00Z')
    assert.equal(parseRetryAfter('7', now), 7000)
    assert.equal(parseRetryAfter('Thu, 01 Jan 2026 00:00:03 GMT', now), 3000)
    assert.equal(parseRetryAfter('Wed, 31 Dec 2025 00:00:00 GMT', now), 0)
    assert.equal(parseRetryAfter('soon', now), undefined)
    assert.equal(parseRetryAfter(undefined, now), undefined)
  })
})
