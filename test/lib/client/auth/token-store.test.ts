import assert from 'node:assert/strict'
import {chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, statSync, utimesSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'

import type {Keychain} from '../../../../src/lib/client/auth/keychain.js'
import {keychainPlausible} from '../../../../src/lib/client/auth/keychain.js'
import type {StoredToken} from '../../../../src/lib/client/auth/token.js'
import {openTokenStore} from '../../../../src/lib/client/auth/token-store.js'
import {type TempHome, tempHome} from '../config/temp-home.js'
import {exitCodeOf} from '../../../../src/lib/cli/error-exit.js'

const AUDIENCE = 'https://api.eventstore.cloud'
const token: StoredToken = {
  access_token: 'eyJ.access.token',
  refresh_token: 'refresh-1',
  scope: 'cloud:access offline_access',
  expires_in: 86400,
  token_type: 'Bearer',
}
const ESC_BYTES =
  '{"access_token":"eyJ.access.token","refresh_token":"refresh-1","scope":"cloud:access offline_access","expires_in":86400,"token_type":"Bearer"}'

/** An in-memory keychain; `working: false` behaves like a machine without Secret Service. */
function memoryKeychain(working = true): Keychain & {entries: Map<string, string>} {
  const entries = new Map<string, string>()
  return {
    entries,
    get: async (account) => (working ? entries.get(account) : undefined),
    set: async (account, secret) => (working ? (entries.set(account, secret), true) : false),
    delete: async (account) => working && entries.delete(account),
  }
}

describe('auth/token-store', () => {
  let t: TempHome
  let warnings: string[]
  beforeEach(() => {
    t = tempHome()
    warnings = []
  })
  afterEach(() => t.cleanup())
  const tokenFile = () => join(t.configDir, 'tokens', 'api.eventstore.cloud')

  it("without a keychain writes esc's JSON to <configDir>/tokens/<host>, mode 0600 in a 0700 dir", async () => {
    const store = openTokenStore(t.configDir, AUDIENCE, {env: t.env, warn: (l) => warnings.push(l)})
    assert.equal(await store.save(token), 'file')
    assert.equal(readFileSync(tokenFile(), 'utf8'), ESC_BYTES)
    assert.equal(statSync(tokenFile()).mode & 0o777, 0o600)
    assert.equal(statSync(join(t.configDir, 'tokens')).mode & 0o777, 0o700)
    const loaded = await store.load()
    assert.deepEqual(loaded?.token, token)
    assert.equal(loaded?.source, 'file')
    assert.deepEqual(warnings, [])
  })

  it('ESC_KEYRING=0 (or off) disables the keychain probe entirely', () => {
    assert.equal(keychainPlausible({ESC_KEYRING: '0', DBUS_SESSION_BUS_ADDRESS: 'unix:path=/x'}, 'linux'), false)
    assert.equal(keychainPlausible({ESC_KEYRING: 'off'}, 'darwin'), false)
    assert.equal(keychainPlausible({DBUS_SESSION_BUS_ADDRESS: 'unix:path=/x'}, 'linux'), true)
    assert.equal(keychainPlausible({}, 'darwin'), true)
  })

  it('reads a token file written by the official esc (default permissions) and warns that it is readable by others', async () => {
    mkdirSync(join(t.configDir, 'tokens'), {recursive: true})
    writeFileSync(
      tokenFile(),
      '{"access_token":"esc-access","refresh_token":"esc-refresh","scope":"cloud:access offline_access","expires_in":86400,"token_type":"Bearer"}',
    )
    chmodSync(tokenFile(), 0o644)
    const store = openTokenStore(t.configDir, AUDIENCE, {env: t.env, warn: (l) => warnings.push(l)})
    const loaded = await store.load()
    assert.equal(loaded?.token.access_token, 'esc-access')
    assert.equal(loaded?.token.refresh_token, 'esc-refresh')
    assert.deepEqual(warnings, [
      `Warning: token file ${tokenFile()} is readable by other users (mode 0644); restrict it with: chmod 600 ${tokenFile()}`,
    ])
  })

  it('warns about a 0644 token file once, not on every run', async () => {
    mkdirSync(join(t.configDir, 'tokens'), {recursive: true})
    writeFileSync(tokenFile(), ESC_BYTES)
    chmodSync(tokenFile(), 0o644)
    for (let run = 0; run < 3; run++) {
      const loaded = await openTokenStore(t.configDir, AUDIENCE, {env: t.env, warn: (l) => warnings.push(l)}).load()
      assert.equal(loaded?.token.refresh_token, 'refresh-1')
    }
    assert.equal(warnings.length, 1)
    assert.equal(statSync(tokenFile()).mode & 0o777, 0o644, 'reading never changes the file')
  })

  it('saving over a 0644 token file (written by the official esc) leaves it 0600', async () => {
    mkdirSync(join(t.configDir, 'tokens'), {recursive: true})
    writeFileSync(tokenFile(), ESC_BYTES.replace('refresh-1', 'esc-refresh'))
    chmodSync(tokenFile(), 0o644)
    await openTokenStore(t.configDir, AUDIENCE, {env: t.env, warn: (l) => warnings.push(l)}).save(token)
    assert.equal(readFileSync(tokenFile(), 'utf8'), ESC_BYTES)
    assert.equal(statSync(tokenFile()).mode & 0o777, 0o600)
  })

  it('fileOnly (create --no-keychain) writes the file the official esc reads, even with a working keychain', async () => {
    const keychain = memoryKeychain()
    const store = openTokenStore(t.configDir, AUDIENCE, {keychain, fileOnly: true})
    assert.equal(await store.save(token), 'file')
    assert.equal(keychain.entries.size, 0)
    assert.equal(readFileSync(tokenFile(), 'utf8'), ESC_BYTES)
    assert.equal(statSync(tokenFile()).mode & 0o777, 0o600)
  })

  it('a 0600 file gives no warning', async () => {
    mkdirSync(join(t.configDir, 'tokens'), {recursive: true})
    writeFileSync(tokenFile(), ESC_BYTES, {mode: 0o600})
    await openTokenStore(t.configDir, AUDIENCE, {env: t.env, warn: (l) => warnings.push(l)}).load()
    assert.deepEqual(warnings, [])
  })

  it('a malformed token file is an auth error naming the file', async () => {
    mkdirSync(join(t.configDir, 'tokens'), {recursive: true})
    writeFileSync(tokenFile(), 'not json', {mode: 0o600})
    await assert.rejects(
      openTokenStore(t.configDir, AUDIENCE, {env: t.env}).load(),
      (e: Error & {exit?: number}) => exitCodeOf(e) === 3 && e.message.includes(tokenFile()),
    )
  })

  it('prefers the keychain for writes (no file) and reads it first', async () => {
    const keychain = memoryKeychain()
    const store = openTokenStore(t.configDir, AUDIENCE, {keychain})
    assert.equal(await store.save(token), 'keychain')
    assert.equal(existsSync(tokenFile()), false)
    const stored = JSON.parse(keychain.entries.get('api.eventstore.cloud') ?? '{}')
    assert.equal(stored.refresh_token, 'refresh-1')
    assert.equal(typeof stored.obtained_at, 'number')
    // A stale esc file is ignored while the keychain has a token.
    mkdirSync(join(t.configDir, 'tokens'), {recursive: true})
    writeFileSync(tokenFile(), ESC_BYTES.replace('refresh-1', 'old-file'), {mode: 0o600})
    utimesSync(tokenFile(), new Date(stored.obtained_at - 60_000), new Date(stored.obtained_at - 60_000))
    const loaded = await store.load()
    assert.equal(loaded?.source, 'keychain')
    assert.equal(loaded?.token.refresh_token, 'refresh-1')
  })

  it('a token file newer than the keychain entry (written by the official esc afterwards) wins', async () => {
    const keychain = memoryKeychain()
    const store = openTokenStore(t.configDir, AUDIENCE, {keychain})
    await store.save(token)
    const entry = JSON.parse(keychain.entries.get('api.eventstore.cloud') ?? '{}')
    mkdirSync(join(t.configDir, 'tokens'), {recursive: true})
    writeFileSync(tokenFile(), ESC_BYTES.replace('refresh-1', 'esc-newer'), {mode: 0o600})
    utimesSync(tokenFile(), new Date(entry.obtained_at + 5000), new Date(entry.obtained_at + 5000))
    assert.equal((await store.load())?.token.refresh_token, 'esc-newer')
    utimesSync(tokenFile(), new Date(entry.obtained_at - 5000), new Date(entry.obtained_at - 5000))
    assert.equal((await store.load())?.token.refresh_token, 'refresh-1')
  })

  it('falls back to the file silently when the keychain refuses, and finds the file when the keychain is empty', async () => {
    const store = openTokenStore(t.configDir, AUDIENCE, {keychain: memoryKeychain(false), warn: (l) => warnings.push(l)})
    assert.equal(await store.save(token), 'file')
    assert.equal(readFileSync(tokenFile(), 'utf8'), ESC_BYTES)
    const reader = openTokenStore(t.configDir, AUDIENCE, {keychain: memoryKeychain(true)})
    assert.equal((await reader.load())?.source, 'file')
    assert.deepEqual(warnings, [])
  })

  it('delete removes both copies', async () => {
    const keychain = memoryKeychain()
    const store = openTokenStore(t.configDir, AUDIENCE, {keychain})
    await store.save(token)
    mkdirSync(join(t.configDir, 'tokens'), {recursive: true})
    writeFileSync(tokenFile(), ESC_BYTES, {mode: 0o600})
    assert.equal(await store.delete(), true)
    assert.equal(keychain.entries.size, 0)
    assert.equal(existsSync(tokenFile()), false)
    assert.equal(await store.load(), undefined)
    assert.equal(await store.delete(), false)
  })

  it('after a delete (logout), a new 0644 file from the official esc is warned about again', async () => {
    mkdirSync(join(t.configDir, 'tokens'), {recursive: true})
    const store = openTokenStore(t.configDir, AUDIENCE, {env: t.env, warn: (l) => warnings.push(l)})
    writeFileSync(tokenFile(), ESC_BYTES, {mode: 0o644})
    chmodSync(tokenFile(), 0o644)
    await store.load()
    await store.delete()
    writeFileSync(tokenFile(), ESC_BYTES)
    chmodSync(tokenFile(), 0o644)
    await store.load()
    assert.equal(warnings.length, 2)
    assert.deepEqual(readdirSync(join(t.configDir, 'tokens')), ['api.eventstore.cloud', '.api.eventstore.cloud.mode-warned'].sort())
  })
})
