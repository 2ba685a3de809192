import assert from 'node:assert/strict'
import {copyFileSync, existsSync, mkdirSync, readFileSync} from 'node:fs'
import {join} from 'node:path'

import {runCli} from '../../support/run-cli.js'
import {type TempHome, tempHome} from '../../lib/client/config/temp-home.js'

const FIXTURES = join(import.meta.dirname, '../../fixtures/esc-settings')

describe('esc profiles …', () => {
  let t: TempHome
  const esc = (...argv: string[]) => runCli(argv, {env: t.env})
  const settings = () => readFileSync(join(t.configDir, 'settings.toml'), 'utf8')
  const useFixture = () => {
    mkdirSync(t.configDir, {recursive: true})
    copyFileSync(join(FIXTURES, 'settings.toml'), join(t.configDir, 'settings.toml'))
  }
  beforeEach(() => {
    t = tempHome()
  })
  afterEach(() => t.cleanup())

  it("set creates the profile and prints nothing; get prints esc's pretty JSON without a trailing newline", async () => {
    assert.deepEqual(await esc('profiles', 'set', '-p', 'dev', '-n', 'org-id', '-v', 'o1'), {
      stdout: '',
      stderr: '',
      exitCode: 0,
      sleeps: [],
      error: undefined,
    })
    await esc('profiles', 'set', '--profile', 'dev', '--name', 'api-base-url', '--value', 'http://127.0.0.1:2180')
    await esc('profiles', 'set', '-p', 'dev', '-n', 'fmt', '-v', 'cli-json')
    assert.equal(settings(), '[[profile]]\nname = "dev"\norg-id = "o1"\napi-base-url = "http://127.0.0.1:2180/"\nfmt = "cli-json"\n')
    assert.equal((await esc('profiles', 'get', '-p', 'dev', '-n', 'org-id')).stdout, '"o1"')
    assert.equal((await esc('profiles', 'get', '-p', 'dev', '-n', 'api-base-url')).stdout, '"http://127.0.0.1:2180/"')
    assert.equal((await esc('profiles', 'get', '-p', 'dev', '-n', 'fmt')).stdout, '"cli-json"')
    assert.equal(
      (await esc('profiles', 'get', '-p', 'dev')).stdout,
      '{\n  "name": "dev",\n  "org-id": "o1",\n  "api-base-url": "http://127.0.0.1:2180/",\n  "fmt": "cli-json"\n}',
    )
  })

  it('get: "" for an unset org/project id, nothing for an unset url/fmt, nothing for an unknown profile', async () => {
    await esc('profiles', 'set', '-p', 'bare', '-n', 'fmt', '-v', 'api')
    await esc('profiles', 'delete', '-p', 'bare', '-n', 'fmt')
    for (const [name, expected] of [
      ['org-id', '""'],
      ['project-id', '""'],
      ['api-base-url', ''],
      ['fmt', ''],
    ]) {
      const r = await esc('profiles', 'get', '-p', 'bare', '-n', name)
      assert.deepEqual([r.stdout, r.exitCode], [expected, 0], name)
    }
    const unknown = await esc('profiles', 'get', '-p', 'nobody')
    assert.deepEqual([unknown.stdout, unknown.stderr, unknown.exitCode], ['', '', 0])
  })

  it('get prints token-config like serde (kebab-case, null for unset keys)', async () => {
    useFixture()
    const r = await esc('profiles', 'get', '-p', 'prod')
    assert.deepEqual(JSON.parse(r.stdout), {
      name: 'prod',
      'org-id': 'c1ho0uto0aeqbmndmk10',
      'project-id': 'c1ho0v1o0aeqbmndmk1g',
      'api-base-url': 'https://api.eventstore.cloud/',
      fmt: 'api',
      'token-config': {
        audience: 'https://api.eventstore.cloud',
        'client-id': 'OraYp3cFES9O8aWuQtnqi1A7m534iTwt',
        'identity-url': 'https://identity.eventstore.com',
        'public-key': null,
      },
    })
  })

  it('list prints a pretty JSON array ([] without settings)', async () => {
    assert.equal((await esc('profiles', 'list')).stdout, '[]')
    useFixture()
    const r = await esc('profiles', 'list')
    assert.equal(r.exitCode, 0)
    const list = JSON.parse(r.stdout)
    assert.deepEqual(
      list.map((p: {name: string}) => p.name),
      ['prod', 'staging'],
    )
    assert.equal(r.stdout.split('\n')[1], '  {')
  })

  it('ignores --fmt and --json', async () => {
    useFixture()
    const plain = await esc('profiles', 'list')
    assert.equal((await esc('profiles', 'list', '--fmt', 'cli', '--json')).stdout, plain.stdout)
  })

  it('delete removes one property and keeps unknown keys in the file', async () => {
    useFixture()
    const r = await esc('profiles', 'delete', '-p', 'prod', '-n', 'project-id')
    assert.deepEqual([r.stdout, r.exitCode], ['', 0])
    assert.equal((await esc('profiles', 'get', '-p', 'prod', '-n', 'project-id')).stdout, '""')
    assert.match(settings(), /region-hint = "eu-central-1"/)
    assert.match(settings(), /\[future-section\]/)
  })

  it("default get: esc's message and exit 255 without a default; the JSON string once set", async () => {
    const none = await esc('profiles', 'default', 'get')
    assert.equal(none.stdout, 'No default profile set\n\nTo set a default profile use:\n\nesc profiles default set <profile_name>\n')
    assert.equal(none.exitCode, 255)
    assert.equal((await esc('profiles', 'default', 'set', '-v', 'prod')).exitCode, 0)
    assert.match(settings(), /^default-profile = "prod"\n/)
    const set = await esc('profiles', 'default', 'get')
    assert.deepEqual([set.stdout, set.exitCode], ['"prod"', 0])
  })

  it('adds a newline after the JSON when stdout is a terminal', async () => {
    await esc('profiles', 'default', 'set', '-v', 'prod')
    assert.equal((await runCli(['profiles', 'default', 'get'], {env: t.env, tty: true})).stdout, '"prod"\n')
  })

  it('rejects a bad api-base-url, an unknown fmt and an unknown property name as usage errors, writing nothing', async () => {
    for (const argv of [
      ['profiles', 'set', '-p', 'x', '-n', 'api-base-url', '-v', 'ftp://host'],
      ['profiles', 'set', '-p', 'x', '-n', 'fmt', '-v', 'yaml'],
      ['profiles', 'set', '-p', 'x', '-n', 'color', '-v', 'red'],
      ['profiles', 'set', '-p', 'x', '-n', 'org-id'],
    ]) {
      const r = await esc(...argv)
      assert.equal(r.exitCode, 2, argv.join(' '))
      assert.match(r.stderr, /^Error: /)
      assert.equal(r.stdout, '')
    }
    assert.equal(existsSync(join(t.configDir, 'settings.toml')), false)
  })
})
