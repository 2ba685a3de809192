import assert from 'node:assert/strict'
import {createServer, type Server} from 'node:http'
import type {AddressInfo} from 'node:net'

import nock from 'nock'

import {clientCredentialsGrant, passwordGrant, refreshGrant} from '../../../../src/lib/client/auth/identity.js'
import {EscError} from '../../../../src/lib/core/errors.js'
import {exitCodeOf} from '../../../../src/lib/cli/error-exit.js'

const IDENTITY = 'http://127.0.0.1:2180/idp'
const config = {identityUrl: IDENTITY, audience: 'https://api.eventstore.cloud', clientId: 'OraYp3cFES9O8aWuQtnqi1A7m534iTwt'}
const TOKEN_RESPONSE = {
  access_token: 'new-access',
  refresh_token: 'new-refresh',
  scope: 'cloud:access offline_access',
  expires_in: 86400,
  token_type: 'Bearer',
}

interface Captured {
  body: string
  contentType: string | undefined
}

/** Intercepts one POST to `{identity}/oauth/token`, recording the raw body. */
function expectTokenCall(reply: [number, object] = [200, TOKEN_RESPONSE]): Captured {
  const captured: Captured = {body: '', contentType: undefined}
  nock('http://127.0.0.1:2180')
    .post('/idp/oauth/token', (body) => {
      captured.body = typeof body === 'string' ? body : new URLSearchParams(body as Record<string, string>).toString()
      return true
    })
    .reply(function (_uri, body) {
      captured.contentType = this.req.headers['content-type'] as string | undefined
      captured.body = String(body)
      return reply
    })
  return captured
}

describe('auth/identity grants', () => {
  before(() => nock.disableNetConnect())
  afterEach(() => {
    nock.cleanAll()
  })
  after(() => nock.enableNetConnect())

  it('password grant: exact form body at {identityUrl}/oauth/token (port and path kept)', async () => {
    const call = expectTokenCall()
    const token = await passwordGrant(config, 'me@example.com', 'p@ss word&=', {})
    assert.equal(call.contentType, 'application/x-www-form-urlencoded')
    assert.equal(
      call.body,
      'grant_type=password&username=me%40example.com&password=p%40ss+word%26%3D&scope=cloud%3Aaccess+offline_access&client_id=OraYp3cFES9O8aWuQtnqi1A7m534iTwt&audience=https%3A%2F%2Fapi.eventstore.cloud',
    )
    assert.deepEqual(token, TOKEN_RESPONSE)
  })

  it('refresh grant: grant_type, client_id, refresh_token only', async () => {
    const call = expectTokenCall([200, {access_token: 'a2', scope: 's', expires_in: 60, token_type: 'Bearer'}])
    const token = await refreshGrant(config, 'the-refresh', {})
    assert.equal(call.body, 'grant_type=refresh_token&client_id=OraYp3cFES9O8aWuQtnqi1A7m534iTwt&refresh_token=the-refresh')
    assert.equal(token.refresh_token, null)
  })

  it('client_credentials grant: the service account id and secret plus the audience', async () => {
    const call = expectTokenCall()
    await clientCredentialsGrant(config, 'svc-id', 'svc-secret', {})
    assert.equal(
      call.body,
      'grant_type=client_credentials&client_id=svc-id&client_secret=svc-secret&audience=https%3A%2F%2Fapi.eventstore.cloud',
    )
  })

  it('a refused grant is an auth error (exit 3) with esc\'s "<status>: not authorized"', async () => {
    expectTokenCall([403, {error: 'invalid_grant', error_description: 'Unknown or invalid refresh token.'}])
    await assert.rejects(refreshGrant(config, 'bad', {}), (error: EscError) => {
      assert.ok(error instanceof EscError)
      assert.equal(exitCodeOf(error), 3)
      assert.equal(
        error.message,
        '403: not authorized (refresh_token grant refused by the identity provider: Unknown or invalid refresh token.)',
      )
      return true
    })
  })

  it('MFA: challenge, OTP prompt, then the mfa-otp grant', async () => {
    expectTokenCall([403, {error: 'mfa_required', mfa_token: 'mfa-tok'}])
    let challengeBody: unknown
    nock('http://127.0.0.1:2180')
      .post('/idp/mfa/challenge', (body) => {
        challengeBody = body
        return true
      })
      .reply(200, {challenge_type: 'otp'})
    const otpCall = expectTokenCall()
    let prompted = 0
    const token = await passwordGrant(config, 'me@example.com', 'pw', {
      promptOtp: async () => {
        prompted++
        return '123456'
      },
    })
    assert.deepEqual(challengeBody, {mfa_token: 'mfa-tok', challenge_type: 'otp', client_id: config.clientId})
    assert.equal(prompted, 1)
    assert.equal(
      otpCall.body,
      `grant_type=${encodeURIComponent('http://auth0.com/oauth/grant-type/mfa-otp')}&client_id=${config.clientId}&mfa_token=mfa-tok&otp=123456`,
    )
    assert.equal(token.access_token, 'new-access')
  })

  it('MFA without a way to prompt is an auth error', async () => {
    expectTokenCall([403, {error: 'mfa_required', mfa_token: 'mfa-tok'}])
    await assert.rejects(
      passwordGrant(config, 'me@example.com', 'pw', {}),
      (e: EscError) => exitCodeOf(e) === 3 && /one-time password/.test(e.message),
    )
  })

  it('a stalled identity provider times out after ESC_HTTP_TIMEOUT, like the API', async () => {
    nock.enableNetConnect('127.0.0.1')
    const server: Server = createServer(() => {}) // never answers
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    const saved = process.env.ESC_HTTP_TIMEOUT
    process.env.ESC_HTTP_TIMEOUT = '150ms'
    try {
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
      await assert.rejects(refreshGrant({...config, identityUrl: url}, 'r', {}), (e: EscError) => {
        assert.equal(exitCodeOf(e), 1)
        assert.equal(
          e.message,
          `cannot reach the identity provider at ${url}/oauth/token: ETIMEDOUT (the default identity URL; set ESC_IDENTITY_URL or the profile's token-config.identity-url)`,
        )
        return true
      })
    } finally {
      if (saved === undefined) delete process.env.ESC_HTTP_TIMEOUT
      else process.env.ESC_HTTP_TIMEOUT = saved
      server.closeAllConnections()
      server.close()
      nock.disableNetConnect()
    }
  })

  it('an unreachable identity provider is a runtime error naming the URL', async () => {
    await assert.rejects(refreshGrant({...config, identityUrl: 'http://127.0.0.1:1'}, 'r', {}), (e: EscError) => {
      assert.ok(e instanceof EscError)
      assert.equal(exitCodeOf(e), 1)
      assert.match(e.message, /cannot reach the identity provider at http:\/\/127\.0\.0\.1:1\/oauth\/token/)
      return true
    })
  })

  describe('an unreachable identity provider says where its URL comes from', () => {
    /** A port nothing listens on (bound, then released): a real refused connection. */
    const closedPort = async () => {
      const probe = createServer()
      await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve))
      const port = (probe.address() as AddressInfo).port
      await new Promise<void>((resolve) => probe.close(() => resolve()))
      return port
    }
    before(() => nock.enableNetConnect())
    after(() => nock.disableNetConnect())

    it('from ESC_IDENTITY_URL, on loopback: names the variable and suggests `esc local start`', async () => {
      const url = `http://127.0.0.1:${await closedPort()}`
      await assert.rejects(
        refreshGrant({...config, identityUrl: url, identityUrlSource: 'ESC_IDENTITY_URL'}, 'r'),
        (e: EscError) =>
          exitCodeOf(e) === 1 &&
          e.message ===
            `cannot reach the identity provider at ${url}/oauth/token: ECONNREFUSED (set by ESC_IDENTITY_URL); is the local cloud running? start it with \`esc local start\``,
      )
    })

    // 0.0.0.0 refuses like a remote host would, without being a loopback name.
    it("from the profile's token-config.identity-url: names the profile", async () => {
      const url = `http://0.0.0.0:${await closedPort()}`
      await assert.rejects(
        refreshGrant({...config, identityUrl: url, identityUrlSource: 'token-config.identity-url of profile "staging"'}, 'r'),
        (e: EscError) =>
          e.message ===
          `cannot reach the identity provider at ${url}/oauth/token: ECONNREFUSED (set by token-config.identity-url of profile "staging")`,
      )
    })

    it('no source recorded (the default) while the API is a local cloud: ESC_IDENTITY_URL or --profile local', async () => {
      const url = `http://0.0.0.0:${await closedPort()}`
      await assert.rejects(
        refreshGrant({...config, identityUrl: url, apiUrl: 'http://127.0.0.1:2180'}, 'r'),
        (e: EscError) =>
          e.message ===
          `cannot reach the identity provider at ${url}/oauth/token: ECONNREFUSED (the default identity URL; ` +
            'against the local cloud at http://127.0.0.1:2180 set ESC_IDENTITY_URL=http://127.0.0.1:2180 or use --profile local)',
      )
    })
  })
})
