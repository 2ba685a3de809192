import {strict as assert} from 'node:assert'

import {openTestCloud, type TestCloud} from './helpers.js'

describe('local identity', () => {
  let t: TestCloud
  let clock = Date.UTC(2026, 0, 1)
  beforeEach(async () => {
    clock = Date.UTC(2026, 0, 1)
    t = await openTestCloud({now: () => new Date(clock), accessTokenTtlSeconds: 60})
  })
  afterEach(() => t.close())

  const token = (payload: string, type = 'application/x-www-form-urlencoded') =>
    t.cloud.app.inject({method: 'POST', url: '/oauth/token', headers: {'content-type': type}, payload})

  it('bootstraps credentials once and grants refresh_token, password and client_credentials', async () => {
    const creds = t.cloud.bootstrap!
    assert.ok(creds.password && creds.clientSecret && creds.refreshToken)
    const refreshed = await token(`grant_type=refresh_token&client_id=x&refresh_token=${encodeURIComponent(creds.refreshToken)}`)
    assert.equal(refreshed.statusCode, 200)
    const body = refreshed.json()
    assert.equal(body.token_type, 'Bearer')
    assert.equal(body.expires_in, 60)
    assert.equal(body.refresh_token, undefined, 'refresh tokens are not rotated')
    const claims = JSON.parse(Buffer.from(body.access_token.split('.')[1], 'base64url').toString())
    assert.equal(claims.exp, clock / 1000 + 60)

    const password = await token(`grant_type=password&username=admin%40esc.local&password=${encodeURIComponent(creds.password)}&scope=x`)
    assert.equal(password.statusCode, 200)
    assert.match(password.json().refresh_token, /^lrt_/)

    const client = await token(
      JSON.stringify({grant_type: 'client_credentials', client_id: creds.clientId, client_secret: creds.clientSecret}),
      'application/json',
    )
    assert.equal(client.statusCode, 200)
    const basic = Buffer.from(`${creds.clientId}:${creds.clientSecret}`).toString('base64')
    const viaBasic = await t.cloud.app.inject({
      method: 'POST',
      url: '/oauth/token',
      headers: {authorization: `Basic ${basic}`, 'content-type': 'application/x-www-form-urlencoded'},
      payload: 'grant_type=client_credentials',
    })
    assert.equal(viaBasic.statusCode, 200)
  })

  it('rejects wrong credentials and unknown grants', async () => {
    assert.equal((await token('grant_type=password&username=admin%40esc.local&password=nope')).statusCode, 403)
    assert.equal((await token('grant_type=refresh_token&refresh_token=lrt_nope')).statusCode, 403)
    assert.equal((await token('grant_type=client_credentials&client_id=local-admin&client_secret=nope')).statusCode, 401)
    const unknown = await token('grant_type=implicit')
    assert.equal(unknown.statusCode, 400)
    assert.equal(unknown.json().error, 'unsupported_grant_type')
  })

  it('answers 401 problem details without a token, with a wrong one and with an expired one', async () => {
    const url = `${t.mesdb}/backups`
    const none = await t.cloud.app.inject({method: 'GET', url})
    assert.equal(none.statusCode, 401)
    assert.equal(none.json().status, 401)
    assert.equal(none.json().instance, url)
    const forged = t.token.slice(0, -2) + (t.token.endsWith('AA') ? 'BB' : 'AA')
    assert.equal((await t.cloud.app.inject({method: 'GET', url, headers: {authorization: `Bearer ${forged}`}})).statusCode, 401)
    assert.equal((await t.cloud.app.inject({method: 'GET', url, headers: {authorization: 'Bearer not.a.jwt'}})).statusCode, 401)
    assert.equal((await t.cloud.app.inject({method: 'GET', url, headers: t.auth})).statusCode, 200)
    clock += 61_000
    const expired = await t.cloud.app.inject({method: 'GET', url, headers: t.auth})
    assert.equal(expired.statusCode, 401)
    assert.match(expired.json().detail, /expired/)
  })
})
