import {strict as assert} from 'node:assert'
import {readFile, rm} from 'node:fs/promises'
import {join} from 'node:path'

import {startBanner, type StartBannerFacts} from '../../../../src/lib/cli/local/banner.js'
import {writeLocalProfile} from '../../../../src/lib/cli/local/local-profile.js'
import {Identity} from '../../../../src/lib/server/identity.js'
import {Store} from '../../../../src/lib/server/store/index.js'
import {tempDir} from '../../server/helpers.js'

const ORG = 'o'.repeat(20)
const PROJECT = 'p'.repeat(20)

describe('the profile esc local start writes', () => {
  let dir: string
  let store: Store
  let identity: Identity
  let env: NodeJS.ProcessEnv
  const settings = () => readFile(join(dir, 'config', 'settings.toml'), 'utf8')
  beforeEach(async () => {
    dir = await tempDir()
    store = new Store(join(dir, 'state.db'))
    identity = new Identity(store)
    env = {ESC_CONFIG_DIR: join(dir, 'config'), ESC_KEYRING: '0'}
  })
  afterEach(async () => {
    store.close()
    await rm(dir, {recursive: true, force: true})
  })

  it('writes the profile named by --profile', async () => {
    const r = await writeLocalProfile({
      url: 'http://127.0.0.1:2180',
      organizationId: ORG,
      projectId: PROJECT,
      identity,
      env,
      profile: 'dev',
    })
    assert.equal(r.profile, 'dev')
    assert.match(await settings(), /name = "dev"/)
    assert.doesNotMatch(await settings(), /name = "local"/)
  })

  it('keeps a profile that points at another local cloud that still runs, and says so', async () => {
    await writeLocalProfile({url: 'http://127.0.0.1:2180', organizationId: ORG, projectId: PROJECT, identity, env})
    const before = await settings()
    const probed: string[] = []
    const r = await writeLocalProfile({
      url: 'http://127.0.0.1:2181',
      organizationId: ORG,
      projectId: PROJECT,
      identity,
      env,
      isServing: async (url) => (probed.push(url), true),
    })
    assert.equal(await settings(), before)
    assert.deepEqual(probed, ['http://127.0.0.1:2180/'])
    assert.equal(r.kept, 'http://127.0.0.1:2180/')
  })

  it('rewrites a profile whose local cloud no longer runs', async () => {
    await writeLocalProfile({url: 'http://127.0.0.1:2180', organizationId: ORG, projectId: PROJECT, identity, env})
    const r = await writeLocalProfile({
      url: 'http://127.0.0.1:2181',
      organizationId: ORG,
      projectId: PROJECT,
      identity,
      env,
      isServing: async () => false,
    })
    assert.equal(r.kept, undefined)
    assert.match(await settings(), /api-base-url = "http:\/\/127\.0\.0\.1:2181\/"/)
  })
})

describe('the start banner', () => {
  const facts = (over: Partial<StartBannerFacts> = {}): StartBannerFacts => ({
    url: 'http://127.0.0.1:2180',
    pid: 42,
    stateDir: '/home/u/.esc/local',
    adminCredentialsFile: '/home/u/.esc/local/admin.json',
    profile: {profile: 'local', madeDefault: false, tokenSource: 'file', settingsDir: '/home/u/.esc'},
    recovery: {defunctBackups: [], defunctClusters: []},
    ...over,
  })

  it('names --dir in its "Next:" lines only when it is not the default', () => {
    const plain = startBanner(facts(), {defaultDir: true})
    assert.doesNotMatch(plain, /--dir/)
    assert.match(plain, /^ {2}esc local status$/m)
    assert.match(plain, /^ {2}esc mesdb backups list --profile local$/m)
    const other = startBanner(facts({stateDir: '/tmp/x'}), {defaultDir: false})
    assert.match(other, /^ {2}esc local status --dir \/tmp\/x$/m)
  })

  it('uses the profile it wrote, and says which to use when it kept one', () => {
    const dev = startBanner(facts({profile: {profile: 'dev', madeDefault: false, tokenSource: 'file', settingsDir: '/c'}}), {
      defaultDir: true,
    })
    assert.match(dev, /^Profile "dev" written to \/c\/settings\.toml/m)
    assert.match(dev, /^ {2}esc mesdb backups list --profile dev$/m)
    const kept = startBanner(facts({profile: {profile: 'local', madeDefault: false, settingsDir: '/c', kept: 'http://127.0.0.1:2181/'}}), {
      defaultDir: true,
    })
    assert.match(
      kept,
      /^Profile "local" kept: it points at another local cloud, still running at http:\/\/127\.0\.0\.1:2181\/; to reach this one, start it with --profile <another name>$/m,
    )
    assert.doesNotMatch(kept, /--profile local/)
  })

  it("names the console's URL and its user; the password only in the first start's credentials", () => {
    const bootstrap = {username: 'admin@esc.local', password: 'pw-secret', clientId: 'c', clientSecret: 's', refreshToken: 'r'}
    const first = startBanner(facts({bootstrap}), {defaultDir: true})
    assert.match(first, /^Console: http:\/\/127\.0\.0\.1:2180\/ \(sign in as admin@esc\.local with the password below\)$/m)
    assert.equal(first.split('pw-secret').length - 1, 1)
    const later = startBanner(facts(), {defaultDir: true})
    assert.match(
      later,
      /^Console: http:\/\/127\.0\.0\.1:2180\/ \(sign in as admin@esc\.local with the password printed at the first start\)$/m,
    )
  })
})
