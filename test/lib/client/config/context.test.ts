import assert from 'node:assert/strict'
import {copyFileSync, mkdirSync} from 'node:fs'
import {join} from 'node:path'

import {
  DEFAULT_API_URL,
  DEFAULT_AUDIENCE,
  DEFAULT_CLIENT_ID,
  DEFAULT_IDENTITY_URL,
  resolveContext,
} from '../../../../src/lib/client/config/context.js'
import {upsertProfile} from '../../../../src/lib/client/config/profiles.js'
import {EscError} from '../../../../src/lib/core/errors.js'
import {exitCodeOf, ExitCode} from '../../../../src/lib/cli/error-exit.js'
import {type TempHome, tempHome} from './temp-home.js'

const FIXTURES = join(import.meta.dirname, '../../../fixtures/esc-settings')

describe('config/context resolveContext', () => {
  let t: TempHome
  beforeEach(() => {
    t = tempHome()
    mkdirSync(t.configDir, {recursive: true})
    copyFileSync(join(FIXTURES, 'settings.toml'), join(t.configDir, 'settings.toml'))
  })
  afterEach(() => t.cleanup())

  it('uses the default profile when nothing else is given', async () => {
    const ctx = await resolveContext({}, t.env)
    assert.deepEqual(ctx, {
      profileName: 'prod',
      orgId: 'c1ho0uto0aeqbmndmk10',
      projectId: 'c1ho0v1o0aeqbmndmk1g',
      apiUrl: 'https://api.eventstore.cloud',
      fmt: 'api',
      identityUrl: 'https://identity.eventstore.com',
      identityUrlSource: 'token-config.identity-url of profile "prod"',
      audience: 'https://api.eventstore.cloud',
      clientId: 'OraYp3cFES9O8aWuQtnqi1A7m534iTwt',
      configDir: t.configDir,
    })
  })

  it('a selected profile (--profile, then ESC_PROFILE) beats the default profile', async () => {
    const viaFlag = await resolveContext({profile: 'staging'}, {...t.env, ESC_PROFILE: 'prod'})
    assert.equal(viaFlag.profileName, 'staging')
    assert.equal(viaFlag.orgId, 'c2staging0org')
    assert.equal(viaFlag.fmt, undefined)
    const viaEnv = await resolveContext({}, {...t.env, ESC_PROFILE: 'staging'})
    assert.equal(viaEnv.projectId, 'c2staging0proj')
  })

  it('environment beats the profile and flags beat the environment', async () => {
    const env = {...t.env, ESC_ORG_ID: 'env-org', ESC_PROJECT_ID: 'env-proj', ESC_API_URL: 'http://127.0.0.1:2180/'}
    const fromEnv = await resolveContext({}, env)
    assert.deepEqual([fromEnv.orgId, fromEnv.projectId, fromEnv.apiUrl], ['env-org', 'env-proj', 'http://127.0.0.1:2180'])
    const fromFlags = await resolveContext(
      {'org-id': 'flag-org', 'project-id': 'flag-proj', 'api-url': 'https://api.example.com:8443/base'},
      env,
    )
    assert.deepEqual(
      [fromFlags.orgId, fromFlags.projectId, fromFlags.apiUrl],
      ['flag-org', 'flag-proj', 'https://api.example.com:8443/base'],
    )
  })

  it('empty flag and env values count as unset', async () => {
    const ctx = await resolveContext({'org-id': ''}, {...t.env, ESC_ORG_ID: ''})
    assert.equal(ctx.orgId, 'c1ho0uto0aeqbmndmk10')
  })

  it('selecting a missing profile is a usage error naming it and the existing ones', async () => {
    await assert.rejects(resolveContext({profile: 'nope'}, t.env), (error: EscError) => {
      assert.ok(error instanceof EscError)
      assert.equal(exitCodeOf(error), ExitCode.Usage)
      assert.match(error.message, /profile "nope" \(from --profile\) does not exist/)
      assert.match(error.message, /existing profiles: prod, staging/)
      return true
    })
    await assert.rejects(resolveContext({}, {...t.env, ESC_PROFILE: 'gone'}), /profile "gone" \(from ESC_PROFILE\)/)
  })

  it('falls back to the built-in defaults without settings', async () => {
    const empty = tempHome()
    try {
      const ctx = await resolveContext({}, empty.env)
      assert.deepEqual(ctx, {
        apiUrl: DEFAULT_API_URL,
        identityUrl: DEFAULT_IDENTITY_URL,
        audience: DEFAULT_AUDIENCE,
        clientId: DEFAULT_CLIENT_ID,
        configDir: empty.configDir,
      })
    } finally {
      empty.cleanup()
    }
  })

  it('without a default-profile, a profile named "default" is used (what the missing org/project hint creates)', async () => {
    const fresh = tempHome()
    try {
      await upsertProfile('default', {orgId: 'o1', projectId: 'p1'}, {dir: fresh.configDir})
      const ctx = await resolveContext({}, fresh.env)
      assert.equal(ctx.profileName, 'default')
      assert.equal(ctx.orgId, 'o1')
      assert.equal(ctx.projectId, 'p1')
    } finally {
      fresh.cleanup()
    }
    // An explicit default-profile still wins over a profile named "default".
    await upsertProfile('default', {orgId: 'not-this-one'}, {dir: t.configDir})
    assert.equal((await resolveContext({}, t.env)).profileName, 'prod')
  })

  it('token-config overrides identity settings; ESC_IDENTITY_URL beats it', async () => {
    await upsertProfile(
      'local',
      {identityUrl: 'http://127.0.0.1:2180/idp', audience: 'http://127.0.0.1:2180', clientId: 'local-client'},
      {dir: t.configDir},
    )
    const ctx = await resolveContext({profile: 'local'}, t.env)
    assert.deepEqual([ctx.identityUrl, ctx.audience, ctx.clientId], ['http://127.0.0.1:2180/idp', 'http://127.0.0.1:2180', 'local-client'])
    const env = await resolveContext({profile: 'local'}, {...t.env, ESC_IDENTITY_URL: 'http://127.0.0.1:9999'})
    assert.equal(env.identityUrl, 'http://127.0.0.1:9999')
  })

  it('rejects a non-http API URL as a usage error', async () => {
    await assert.rejects(
      resolveContext({'api-url': 'ftp://x'}, t.env),
      (e: EscError) => exitCodeOf(e) === ExitCode.Usage && /--api-url/.test(e.message),
    )
    await assert.rejects(
      resolveContext({}, {...t.env, ESC_API_URL: 'nope'}),
      (e: EscError) => exitCodeOf(e) === ExitCode.Usage && /ESC_API_URL/.test(e.message),
    )
  })

  it('ESC_CONFIG_DIR moves the settings', async () => {
    const ctx = await resolveContext({}, {...t.env, ESC_CONFIG_DIR: join(t.home, 'elsewhere')})
    assert.equal(ctx.profileName, undefined)
    assert.equal(ctx.configDir, join(t.home, 'elsewhere'))
  })

  it('records where the identity URL comes from (for the "cannot reach" message)', async () => {
    assert.equal((await resolveContext({profile: 'staging'}, t.env)).identityUrlSource, undefined)
    assert.equal((await resolveContext({}, t.env)).identityUrlSource, 'token-config.identity-url of profile "prod"')
    assert.equal((await resolveContext({}, {...t.env, ESC_IDENTITY_URL: 'http://127.0.0.1:2180'})).identityUrlSource, 'ESC_IDENTITY_URL')
  })
})
