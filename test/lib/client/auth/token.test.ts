import assert from 'node:assert/strict'

import {audienceHost, isExpired, jwtExpiry, parseToken, serializeToken, type StoredToken} from '../../../../src/lib/client/auth/token.js'
import {fakeJwt} from './jwt.js'

describe('auth/token', () => {
  const token: StoredToken = {
    access_token: 'a.b.c',
    refresh_token: 'r1',
    scope: 'cloud:access offline_access',
    expires_in: 86400,
    token_type: 'Bearer',
  }

  it('serializes byte-for-byte like esc (serde field order, compact)', () => {
    assert.equal(
      serializeToken(token),
      '{"access_token":"a.b.c","refresh_token":"r1","scope":"cloud:access offline_access","expires_in":86400,"token_type":"Bearer"}',
    )
    assert.equal(
      serializeToken({...token, refresh_token: null}),
      '{"access_token":"a.b.c","refresh_token":null,"scope":"cloud:access offline_access","expires_in":86400,"token_type":"Bearer"}',
    )
  })

  it('parses esc files, including a null or missing refresh_token (Terraform provider files)', () => {
    assert.deepEqual(parseToken(serializeToken(token)), token)
    assert.equal(parseToken('{"access_token":"x","scope":"s","expires_in":1,"token_type":"Bearer"}').refresh_token, null)
    assert.throws(() => parseToken('{"refresh_token":"r"}'), /missing access_token/)
  })

  it('reads exp from a JWT payload and ignores opaque tokens', () => {
    assert.equal(jwtExpiry(fakeJwt(1_900_000_000)), 1_900_000_000)
    assert.equal(jwtExpiry('opaque-token'), undefined)
    assert.equal(jwtExpiry('a.%%%.c'), undefined)
  })

  it('decides expiry from exp (with a 30 s margin), or expires_in after obtained-at for opaque tokens', () => {
    const now = 1_800_000_000_000
    assert.equal(isExpired({...token, access_token: fakeJwt(now / 1000 + 3600)}, now), false)
    assert.equal(isExpired({...token, access_token: fakeJwt(now / 1000 + 10)}, now), true)
    assert.equal(isExpired({...token, access_token: fakeJwt(now / 1000 - 1)}, now), true)
    assert.equal(isExpired({...token, access_token: 'opaque', expires_in: 3600}, now, now - 3_000_000), false)
    assert.equal(isExpired({...token, access_token: 'opaque', expires_in: 3600}, now, now - 3_600_000), true)
    assert.equal(isExpired({...token, access_token: 'opaque'}, now), false)
  })

  it('keys tokens by the audience host, like esc', () => {
    assert.equal(audienceHost('https://api.eventstore.cloud'), 'api.eventstore.cloud')
    assert.equal(audienceHost('http://127.0.0.1:2180/'), '127.0.0.1')
  })
})
