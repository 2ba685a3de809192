import assert from 'node:assert/strict'
import {mkdirSync, readFileSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'

import nock from 'nock'

import {createTokenProvider, NO_CREDENTIALS_MESSAGE, selectTokenProvider} from '../../../../src/lib/client/auth/credentials.js'
import type {Prompter} from '../../../../src/lib/client/auth/prompt.js'
import {resolveContext} from '../../../../src/lib/client/config/context.js'
import {EscError} from '../../../../src/lib/core/errors.js'
import {exitCodeOf} from '../../../../src/lib/cli/error-exit.js'
import {captureStderr, type TempHome, tempHome} from '../config/temp-home.js'
import {fakeJwt} from './jwt.js'

const IDP = 'http://127.0.0.1:2180'
const NOW = 1_800_000_000_000

function tokenJson(access: string, refresh: string | null): string {
  return JSON.stringify({
    access_token: access,
    refresh_token: refresh,
    scope: 'cloud:access offline_access',
    expires_in: 86400,
    token_type: 'Bearer',
  })
}

/** Records every grant sent to the fake identity provider and answers with a fresh JWT. */
function identity(bodies: string[], reply: Record<string, unknown> = {}) {
  return nock(IDP)
    .post('/oauth/token')
    .times(5)
    .reply((_uri, body) => {
      bodies.push(String(body))
      return [
        200,
        {
          access_token: fakeJwt(NOW / 1000 + 3600, `n${bodies.length}`),
          scope: 'cloud:access',
          expires_in: 3600,
          token_type: 'Bearer',
          ...reply,
        },
      ]
    })
}

describe('auth/credentials (TokenProvider)', () => {
  let t: TempHome
  let bodies: string[]
  const tokenFile = () => join(t.configDir, 'tokens', 'api.eventstore.cloud')
  const ctx = async () => resolveContext({}, {...t.env, ESC_IDENTITY_URL: IDP})
  const writeStored = (access: string, refresh: string | null) => {
    mkdirSync(join(t.configDir, 'tokens'), {recursive: true})
    writeFileSync(tokenFile(), tokenJson(access, refresh), {mode: 0o600})
  }
  const deps = (extra: NodeJS.ProcessEnv = {}) => ({env: {...t.env, ...extra}, stdinIsTTY: false, now: () => NOW})

  before(() => nock.disableNetConnect())
  after(() => nock.enableNetConnect())
  beforeEach(() => {
    t = tempHome()
    bodies = []
  })
  afterEach(() => {
    nock.cleanAll()
    t.cleanup()
  })

  it('ESC_ACCESS_TOKEN is used as is, never stored, and cannot be refreshed (exit 3)', async () => {
    writeStored(fakeJwt(NOW / 1000 + 3600), 'stored-refresh')
    const provider = await selectTokenProvider(
      await ctx(),
      {},
      deps({ESC_ACCESS_TOKEN: 'env-access', ESC_TOKEN: 'env-refresh', ESC_CLIENT_ID: 'a', ESC_CLIENT_SECRET: 'b'}),
    )
    assert.equal(await provider.getAccessToken(), 'env-access')
    await assert.rejects(provider.refresh(), (e: EscError) => exitCodeOf(e) === 3 && /ESC_ACCESS_TOKEN/.test(e.message))
    assert.deepEqual(bodies, [])
  })

  it('--refresh-token beats ESC_ACCESS_TOKEN', async () => {
    identity(bodies)
    const provider = await selectTokenProvider(await ctx(), {refreshToken: 'flag-refresh'}, deps({ESC_ACCESS_TOKEN: 'env-access'}))
    assert.notEqual(await provider.getAccessToken(), 'env-access')
    assert.match(bodies[0], /refresh_token=flag-refresh$/)
  })

  it('ESC_TOKEN is a refresh token (as `export ESC_TOKEN=$(esc access tokens display)` sets it): refresh grant, nothing stored', async () => {
    identity(bodies)
    writeStored('stored', 'stored-refresh')
    const provider = await selectTokenProvider(
      await ctx(),
      {},
      deps({ESC_TOKEN: 'displayed-refresh', ESC_CLIENT_ID: 'svc', ESC_CLIENT_SECRET: 'sec'}),
    )
    const access = await provider.getAccessToken()
    assert.notEqual(access, 'displayed-refresh')
    assert.deepEqual(bodies, ['grant_type=refresh_token&client_id=OraYp3cFES9O8aWuQtnqi1A7m534iTwt&refresh_token=displayed-refresh'])
    assert.equal(readFileSync(tokenFile(), 'utf8'), tokenJson('stored', 'stored-refresh'))
  })

  it('ESC_ACCESS_TOKEN beats ESC_TOKEN and ESC_REFRESH_TOKEN', async () => {
    const provider = await selectTokenProvider(
      await ctx(),
      {},
      deps({ESC_ACCESS_TOKEN: 'env-access', ESC_TOKEN: 'r1', ESC_REFRESH_TOKEN: 'r2'}),
    )
    assert.equal(await provider.getAccessToken(), 'env-access')
    assert.deepEqual(bodies, [])
  })

  it('--refresh-token beats ESC_TOKEN', async () => {
    identity(bodies)
    await (await selectTokenProvider(await ctx(), {refreshToken: 'flag-refresh'}, deps({ESC_TOKEN: 'env-refresh'}))).getAccessToken()
    assert.match(bodies[0], /refresh_token=flag-refresh$/)
  })

  it('ESC_REFRESH_TOKEN beats ESC_TOKEN when both are set', async () => {
    identity(bodies)
    await (await selectTokenProvider(await ctx(), {}, deps({ESC_TOKEN: 'tok', ESC_REFRESH_TOKEN: 'named'}))).getAccessToken()
    assert.match(bodies[0], /refresh_token=named$/)
  })

  it('ESC_REFRESH_TOKEN beats ESC_CLIENT_ID + ESC_CLIENT_SECRET', async () => {
    identity(bodies)
    await (
      await selectTokenProvider(await ctx(), {}, deps({ESC_REFRESH_TOKEN: 'env-refresh', ESC_CLIENT_ID: 'svc', ESC_CLIENT_SECRET: 'sec'}))
    ).getAccessToken()
    assert.deepEqual(bodies, ['grant_type=refresh_token&client_id=OraYp3cFES9O8aWuQtnqi1A7m534iTwt&refresh_token=env-refresh'])
  })

  it('ESC_CLIENT_ID + ESC_CLIENT_SECRET beat the stored token; nothing is stored', async () => {
    identity(bodies)
    writeStored('stored', 'stored-refresh')
    const provider = await selectTokenProvider(await ctx(), {}, deps({ESC_CLIENT_ID: 'svc', ESC_CLIENT_SECRET: 'sec'}))
    const first = await provider.getAccessToken()
    assert.equal(await provider.getAccessToken(), first, 'cached for the run')
    assert.deepEqual(bodies, ['grant_type=client_credentials&client_id=svc&client_secret=sec&audience=https%3A%2F%2Fapi.eventstore.cloud'])
    assert.equal(readFileSync(tokenFile(), 'utf8'), tokenJson('stored', 'stored-refresh'))
  })

  it('--refresh-token beats ESC_REFRESH_TOKEN and the stored token; refreshes every run, stores nothing', async () => {
    identity(bodies)
    writeStored('stored', 'stored-refresh')
    const provider = await selectTokenProvider(await ctx(), {refreshToken: 'flag-refresh'}, deps({ESC_REFRESH_TOKEN: 'env-refresh'}))
    await provider.getAccessToken()
    assert.match(bodies[0], /refresh_token=flag-refresh$/)
    const viaEnv = await selectTokenProvider(await ctx(), {}, deps({ESC_REFRESH_TOKEN: 'env-refresh'}))
    await viaEnv.getAccessToken()
    assert.match(bodies[1], /refresh_token=env-refresh$/)
    assert.equal(readFileSync(tokenFile(), 'utf8'), tokenJson('stored', 'stored-refresh'))
  })

  it('a valid stored token is used without calling the identity provider', async () => {
    const access = fakeJwt(NOW / 1000 + 3600)
    writeStored(access, 'stored-refresh')
    const provider = await selectTokenProvider(await ctx(), {}, deps())
    assert.equal(await provider.getAccessToken(), access)
    assert.deepEqual(bodies, [])
  })

  it('an expired stored token is refreshed and stored again, keeping the old refresh token', async () => {
    identity(bodies)
    writeStored(fakeJwt(NOW / 1000 - 60), 'stored-refresh')
    const provider = await selectTokenProvider(await ctx(), {}, deps())
    const access = await provider.getAccessToken()
    assert.deepEqual(bodies, ['grant_type=refresh_token&client_id=OraYp3cFES9O8aWuQtnqi1A7m534iTwt&refresh_token=stored-refresh'])
    assert.equal(
      readFileSync(tokenFile(), 'utf8'),
      `{"access_token":"${access}","refresh_token":"stored-refresh","scope":"cloud:access","expires_in":3600,"token_type":"Bearer"}`,
    )
  })

  it('a rotated refresh token replaces the old one', async () => {
    identity(bodies, {refresh_token: 'rotated'})
    writeStored(fakeJwt(NOW / 1000 - 60), 'stored-refresh')
    await (await selectTokenProvider(await ctx(), {}, deps())).getAccessToken()
    assert.equal(JSON.parse(readFileSync(tokenFile(), 'utf8')).refresh_token, 'rotated')
  })

  it('refresh() (after a 401) refreshes once and stores, even when the token looks valid', async () => {
    identity(bodies)
    writeStored(fakeJwt(NOW / 1000 + 3600), 'stored-refresh')
    const provider = await selectTokenProvider(await ctx(), {}, deps())
    const [a, b] = await Promise.all([provider.refresh(), provider.refresh()])
    assert.equal(a, b)
    assert.equal(bodies.length, 1, 'concurrent refreshes share one call')
    assert.equal(JSON.parse(readFileSync(tokenFile(), 'utf8')).access_token, a)
    assert.equal(await provider.getAccessToken(), a)
  })

  it('an expired stored token without a refresh token is an auth error', async () => {
    writeStored(fakeJwt(NOW / 1000 - 60), null)
    const provider = await selectTokenProvider(await ctx(), {}, deps())
    await assert.rejects(provider.getAccessToken(), (e: EscError) => exitCodeOf(e) === 3 && /no refresh token/.test(e.message))
  })

  it('without any credential and no terminal: exit 3 listing every option', async () => {
    await assert.rejects(selectTokenProvider(await ctx(), {}, deps()), (e: EscError) => {
      assert.ok(e instanceof EscError)
      assert.equal(exitCodeOf(e), 3)
      assert.equal(e.message, NO_CREDENTIALS_MESSAGE)
      for (const option of [
        'ESC_ACCESS_TOKEN',
        'ESC_TOKEN',
        'ESC_CLIENT_ID',
        'ESC_CLIENT_SECRET',
        '--refresh-token',
        'ESC_REFRESH_TOKEN',
        'esc access tokens create',
      ]) {
        assert.ok(e.message.includes(option), option)
      }
      return true
    })
  })

  it('half a service account and nothing else: exit 3 naming the missing variable', async () => {
    await assert.rejects(
      selectTokenProvider(await ctx(), {}, deps({ESC_CLIENT_ID: 'svc', ESC_CLIENT_SECRET: ''})),
      (e: EscError) =>
        exitCodeOf(e) === 3 && e.message === 'ESC_CLIENT_ID is set but ESC_CLIENT_SECRET is empty or unset: a service account needs both',
    )
    await assert.rejects(
      selectTokenProvider(await ctx(), {}, deps({ESC_CLIENT_SECRET: 'sec'})),
      (e: EscError) =>
        exitCodeOf(e) === 3 && e.message === 'ESC_CLIENT_SECRET is set but ESC_CLIENT_ID is empty or unset: a service account needs both',
    )
    assert.deepEqual(bodies, [], 'no grant sent')
  })

  it('--noninteractive forbids the prompt even on a terminal', async () => {
    await assert.rejects(
      selectTokenProvider(await ctx(), {noninteractive: true}, {...deps(), stdinIsTTY: true}),
      (e: EscError) => exitCodeOf(e) === 3,
    )
  })

  it('on a terminal, prompts for email and password, runs the password grant and stores the token', async () => {
    identity(bodies, {refresh_token: 'from-login'})
    const asked: string[] = []
    const prompter: Prompter = {
      ask: async (q) => (asked.push(q), 'me@example.com'),
      askSecret: async (q) => (asked.push(q), 'secret'),
    }
    const provider = await selectTokenProvider(await ctx(), {}, {...deps(), stdinIsTTY: true, prompter})
    const {stderr} = await captureStderr(() => provider.getAccessToken())
    assert.equal(stderr, 'No stored token: log in to Kurrent Cloud (the token is kept for the next runs).\n')
    assert.deepEqual(asked, ['Email: ', 'Password: '])
    assert.match(bodies[0], /^grant_type=password&username=me%40example\.com&password=secret&/)
    assert.equal(JSON.parse(readFileSync(tokenFile(), 'utf8')).refresh_token, 'from-login')
  })

  it('createTokenProvider (the public entry) applies the same order', async () => {
    const saved = process.env.ESC_ACCESS_TOKEN
    process.env.ESC_ACCESS_TOKEN = 'public-entry'
    try {
      const provider = await createTokenProvider(await ctx(), {})
      assert.equal(await provider.getAccessToken(), 'public-entry')
    } finally {
      if (saved === undefined) delete process.env.ESC_ACCESS_TOKEN
      else process.env.ESC_ACCESS_TOKEN = saved
    }
  })
})
