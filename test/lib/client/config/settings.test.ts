import assert from 'node:assert/strict'
import {copyFileSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'

import {parse} from 'smol-toml'

import {deleteProfileProperty, setDefaultProfile, setProfileProperty, upsertProfile} from '../../../../src/lib/client/config/profiles.js'
import {listProfiles, loadSettings, saveSettings} from '../../../../src/lib/client/config/settings.js'
import {EscError} from '../../../../src/lib/core/errors.js'
import {captureStderr, type TempHome, tempHome} from './temp-home.js'

const FIXTURES = join(import.meta.dirname, '../../../fixtures/esc-settings')
const readToml = (path: string): Record<string, any> => JSON.parse(JSON.stringify(parse(readFileSync(path, 'utf8'))))

describe('config/settings', () => {
  let t: TempHome
  beforeEach(() => {
    t = tempHome()
    mkdirSync(t.configDir, {recursive: true})
  })
  afterEach(() => t.cleanup())

  const settingsFile = () => join(t.configDir, 'settings.toml')
  const useFixture = (name: string) => copyFileSync(join(FIXTURES, name), settingsFile())

  it('loads a settings.toml written by esc', async () => {
    useFixture('settings.toml')
    const settings = await loadSettings(t.configDir)
    assert.equal(settings.parseError, undefined)
    assert.equal(settings.doc['default-profile'], 'prod')
    assert.deepEqual(listProfiles(settings), [
      {
        name: 'prod',
        orgId: 'c1ho0uto0aeqbmndmk10',
        projectId: 'c1ho0v1o0aeqbmndmk1g',
        apiBaseUrl: 'https://api.eventstore.cloud/',
        fmt: 'api',
        tokenConfig: {
          audience: 'https://api.eventstore.cloud',
          clientId: 'OraYp3cFES9O8aWuQtnqi1A7m534iTwt',
          identityUrl: 'https://identity.eventstore.com',
        },
      },
      {name: 'staging', orgId: 'c2staging0org', projectId: 'c2staging0proj'},
    ])
  })

  it('keeps unknown keys (top level, in profiles, in token-config) when it writes', async () => {
    useFixture('settings.toml')
    await setProfileProperty('staging', 'fmt', 'cli-json', t.configDir)
    const written = readToml(settingsFile())
    assert.equal(written['telemetry-opt-out'], true)
    assert.deepEqual(written['future-section'], {enabled: false})
    assert.equal(written.profile[0]['region-hint'], 'eu-central-1')
    assert.equal(written.profile[0]['token-config']['idp-kit-url'], 'https://auth.kurrent.io')
    assert.equal(written.profile[1].fmt, 'cli-json')
    assert.equal(written['default-profile'], 'prod')
    // Same document apart from the change: nothing else lost or reordered.
    const original = readToml(join(FIXTURES, 'settings.toml'))
    original.profile[1].fmt = 'cli-json'
    assert.deepEqual(JSON.parse(JSON.stringify(written)), JSON.parse(JSON.stringify(original)))
  })

  it('writes what esc reads: kebab-case keys, [[profile]] tables, default-profile first', async () => {
    await setProfileProperty('prod', 'org-id', 'o1', t.configDir)
    await setProfileProperty('prod', 'api-base-url', 'https://api.example.com', t.configDir)
    await setDefaultProfile('prod', t.configDir)
    assert.equal(
      readFileSync(settingsFile(), 'utf8'),
      'default-profile = "prod"\n\n[[profile]]\nname = "prod"\norg-id = "o1"\napi-base-url = "https://api.example.com/"\n',
    )
  })

  it('writes `profile = []` when there are no profiles (esc requires the key)', async () => {
    await setDefaultProfile('nothing-yet', t.configDir)
    assert.equal(readFileSync(settingsFile(), 'utf8'), 'default-profile = "nothing-yet"\nprofile = []\n')
  })

  it('a missing file is empty settings', async () => {
    const settings = await loadSettings(join(t.home, 'nowhere'))
    assert.deepEqual(settings.doc, {})
    assert.equal(settings.parseError, undefined)
  })

  it("prints esc's message on a parse failure, continues with defaults and refuses to overwrite the file", async () => {
    useFixture('broken.toml')
    const {result, stderr} = await captureStderr(() => loadSettings(t.configDir))
    assert.match(
      stderr,
      new RegExp(`^Error when parsing ${settingsFile().replaceAll('.', '\\.')}, fallback to default settings\\. Error: .+\\n\\n$`),
    )
    assert.deepEqual(result.doc, {})
    assert.ok(result.parseError)
    await assert.rejects(
      captureStderr(() => setProfileProperty('prod', 'org-id', 'x', t.configDir)),
      (error: EscError) => error instanceof EscError && /refusing to overwrite/.test(error.message),
    )
    assert.equal(readFileSync(settingsFile(), 'utf8'), readFileSync(join(FIXTURES, 'broken.toml'), 'utf8'))
  })

  it('says where in the file the parse failed (line and column, as esc does)', async () => {
    writeFileSync(settingsFile(), 'default-profile = "local"\n[[profile]\nname = "x"\n')
    const {result, stderr} = await captureStderr(() => loadSettings(t.configDir))
    assert.equal(result.parseError, 'Invalid TOML document: expected end of table array declaration at line 2 column 11')
    assert.equal(
      stderr,
      `Error when parsing ${settingsFile()}, fallback to default settings. Error: Invalid TOML document: expected end of table array declaration at line 2 column 11\n\n`,
    )
  })

  it('treats esc-incompatible shapes (profile without a name) as a parse failure', async () => {
    writeFileSync(settingsFile(), '[[profile]]\norg-id = "x"\n')
    const {result, stderr} = await captureStderr(() => loadSettings(t.configDir))
    assert.match(result.parseError ?? '', /missing field `name`/)
    assert.match(stderr, /fallback to default settings/)
  })

  it('writes atomically: no temp files left behind', async () => {
    useFixture('settings.toml')
    await setProfileProperty('prod', 'project-id', 'p2', t.configDir)
    assert.deepEqual(readdirSync(t.configDir), ['settings.toml'])
  })

  it('delete removes one property; from a missing profile it is an error that creates nothing', async () => {
    useFixture('settings.toml')
    await deleteProfileProperty('prod', 'fmt', t.configDir)
    await assert.rejects(deleteProfileProperty('ghost', 'org-id', t.configDir), /profile "ghost" does not exist; nothing was changed/)
    const names = listProfiles(await loadSettings(t.configDir))
    assert.equal(names[0].fmt, undefined)
    assert.equal(names[0].orgId, 'c1ho0uto0aeqbmndmk10')
    assert.equal(names.length, 2)
  })

  it('validates api-base-url and fmt before writing anything', async () => {
    await assert.rejects(setProfileProperty('p', 'api-base-url', 'ftp://x', t.configDir), /Malformed URL/)
    await assert.rejects(setProfileProperty('p', 'api-base-url', 'not a url', t.configDir), /Malformed URL/)
    await assert.rejects(setProfileProperty('p', 'fmt', 'yaml', t.configDir), /Unsupported output format "yaml"/)
    assert.throws(() => statSync(settingsFile()), /ENOENT/)
  })

  it('upsertProfile sets values and token-config in one write, keeping the rest', async () => {
    useFixture('settings.toml')
    await upsertProfile(
      'local',
      {
        orgId: 'o-local',
        projectId: 'p-local',
        apiBaseUrl: 'http://127.0.0.1:2180',
        identityUrl: 'http://127.0.0.1:2180',
        audience: 'http://127.0.0.1:2180',
      },
      {makeDefault: true, dir: t.configDir},
    )
    await upsertProfile('prod', {fmt: 'cli'}, {dir: t.configDir})
    const doc = readToml(settingsFile())
    assert.equal(doc['default-profile'], 'local')
    assert.deepEqual(doc.profile[2], {
      name: 'local',
      'org-id': 'o-local',
      'project-id': 'p-local',
      'api-base-url': 'http://127.0.0.1:2180/',
      'token-config': {audience: 'http://127.0.0.1:2180', 'identity-url': 'http://127.0.0.1:2180'},
    })
    assert.equal(doc.profile[0].fmt, 'cli')
    assert.equal(doc.profile[0]['token-config']['idp-kit-url'], 'https://auth.kurrent.io')
  })

  it('saveSettings round-trips a document unchanged', async () => {
    useFixture('settings.toml')
    const settings = await loadSettings(t.configDir)
    await saveSettings(settings)
    const again = await loadSettings(t.configDir)
    assert.deepEqual(JSON.parse(JSON.stringify(again.doc)), JSON.parse(JSON.stringify(settings.doc)))
  })
})
