import {strict as assert} from 'node:assert'
import {execFile} from 'node:child_process'
import {mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import http from 'node:http'
import type {AddressInfo} from 'node:net'
import os from 'node:os'
import path from 'node:path'

// The built CLI (bin/run.js → bin/dispatch.js, oclif from dist/oclif-core): `npm test` builds first.
const runJs = new URL('../../bin/run.js', import.meta.url).pathname
const repoRoot = path.resolve(path.dirname(runJs), '..')

interface Outcome {
  stdout: string
  stderr: string
  code: number
}

function run(argv: string[], env: NodeJS.ProcessEnv): Promise<Outcome> {
  return new Promise((resolve, reject) => {
    execFile(process.execPath, [runJs, ...argv], {env, encoding: 'utf8', timeout: 15_000}, (error, stdout, stderr) => {
      const code = error ? (error as {code?: unknown}).code : 0
      if (typeof code !== 'number') reject(error)
      else resolve({stdout, stderr, code})
    })
  })
}

const BACKUP = {
  id: 'c1ev3l5o0aeu6ojco7b0',
  projectId: 'p1',
  sourceClusterId: 'c1eut65o0aeu6ojco7a0',
  sourceClusterDescription: 'Demo',
  description: 'on demand backup',
  sizeGb: 8,
  provider: 'aws',
  region: 'eu-central-1',
  status: 'available',
  created: '2021-03-26T14:38:12Z',
  availableNodeCount: 1,
  serverVersion: '24.10',
  serverVersionTag: '24.10.1',
}

describe('bin/dispatch.js: the fast path behaves as the normal oclif path', function () {
  this.timeout(60_000)
  let server: http.Server
  let home: string
  let env: NodeJS.ProcessEnv

  before(async () => {
    server = http.createServer((req, res) => {
      req.resume()
      if (/\/backups\/missing$/.test(req.url ?? '')) {
        res.writeHead(404, {'content-type': 'application/json'})
        res.end(JSON.stringify({message: 'backup not found'}))
        return
      }
      res.writeHead(200, {'content-type': 'application/json'})
      res.end(JSON.stringify(/\/backups\/[^/?]+/.test(req.url ?? '') ? {backup: BACKUP} : {backups: [BACKUP]}))
    })
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    home = mkdtempSync(path.join(os.tmpdir(), 'esc-dispatch-'))
    writeFileSync(path.join(home, 'settings.toml'), '')
    env = {
      PATH: process.env.PATH,
      HOME: home,
      ESC_CONFIG_DIR: home,
      ESC_KEYRING: '0',
      ESC_ACCESS_TOKEN: 'test-token',
      ESC_API_URL: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
      ESC_ORG_ID: 'o1',
      ESC_PROJECT_ID: 'p1',
      NODE_ENV: 'production',
      CI: 'true',
    }
  })

  after(() => {
    server.close()
    rmSync(home, {recursive: true, force: true})
  })

  const invocations: string[][] = [
    ['mesdb', 'backups', 'list'],
    ['mesdb', 'backups', 'list', '--fmt', 'api'],
    ['--fmt', 'api', 'mesdb', 'backups', 'get', '--id', BACKUP.id],
    ['mesdb', '--json', 'backups', 'get', '--id', BACKUP.id],
    ['mesdb', 'backups', '--fmt', 'api', 'list'],
    ['mesdb', 'backups', 'get', '--id', 'missing'],
    ['mesdb', 'backups', 'get'],
    ['mesdb:backups:list', '--quiet'],
    ['mesdb', 'backups', 'list', 'extra'],
    ['mesdb', 'backups', 'list', '--bogus'],
    ['--fmt', 'bogus', 'profiles', 'list'],
    ['profiles', 'list'],
    ['mesdb', 'backups', 'lst'],
    ['mesdb'],
    ['mesdb', 'backups', 'list', '--help'],
    ['mesdb', 'backups', 'list', '-h'],
    ['help', 'mesdb', 'backups'],
    ['autocomplete', '--help'],
    [],
    ['--debug'],
    ['node', 'verify', '/nonexistent/esc-backup'],
    ['mesdb', 'backups', 'list', '--', '--help'],
  ]

  // What a few of them must print, so that "the same" is not "the same failure".
  const expected: Record<string, (o: Outcome) => void> = {
    'mesdb backups list': (o) => assert.ok(o.code === 0 && o.stdout.includes(BACKUP.id) && o.stderr === '', JSON.stringify(o)),
    'mesdb backups lst': (o) => assert.ok(o.code === 2 && o.stderr.includes('Did you mean "mesdb backups list"'), JSON.stringify(o)),
    'mesdb backups list --help': (o) => assert.ok(o.code === 0 && o.stdout.includes('USAGE'), JSON.stringify(o)),
    'mesdb backups list -h': (o) => assert.ok(o.code === 0 && o.stdout.includes('USAGE'), JSON.stringify(o)),
    'mesdb --json backups get --id c1ev3l5o0aeu6ojco7b0': (o) =>
      assert.ok(o.code === 0 && JSON.parse(o.stdout).id === BACKUP.id, JSON.stringify(o)),
    'mesdb backups --fmt api list': (o) => assert.ok(o.code === 0 && JSON.parse(o.stdout).backups[0].id === BACKUP.id, JSON.stringify(o)),
  }

  for (const argv of invocations) {
    it(`esc ${argv.join(' ') || '(no arguments)'}: same stdout, stderr and exit code`, async () => {
      const normal = await run(argv, {...env, ESC_STARTUP_FAST_PATH: '0'})
      const fast = await run(argv, env)
      assert.deepEqual(fast, normal)
      expected[argv.join(' ')]?.(fast)
      // …and the same as oclif from node_modules, without the bundle.
      const unbundled = await run(argv, {...env, ESC_STARTUP_FAST_PATH: '0', ESC_STARTUP_BUNDLE: '0'})
      assert.deepEqual(unbundled, normal)
    })
  }

  const pluginsLoaded = async (argv: string[], extra: NodeJS.ProcessEnv = {}) =>
    /loading plugins/.test((await run(argv, {...env, ...extra, DEBUG: 'oclif:config'})).stderr)

  it('takes the fast path for a plain command, the normal path otherwise', async () => {
    assert.equal(await pluginsLoaded(['mesdb', 'backups', 'list']), false)
    assert.equal(await pluginsLoaded(['mesdb', 'backups', 'list'], {ESC_STARTUP_FAST_PATH: '0'}), true)
    assert.equal(await pluginsLoaded(['mesdb', 'backups', 'list', '--help']), true)
    assert.equal(await pluginsLoaded(['mesdb', 'backups', 'lst']), true)
  })

  it('takes the normal path when user plugins are installed (<dataDir>/package.json)', async () => {
    const dataDir = path.join(home, 'data')
    mkdirSync(dataDir, {recursive: true})
    writeFileSync(path.join(dataDir, 'package.json'), JSON.stringify({private: true, oclif: {plugins: []}}))
    try {
      assert.equal(await pluginsLoaded(['profiles', 'list'], {ESC_DATA_DIR: dataDir}), true)
    } finally {
      rmSync(dataDir, {recursive: true, force: true})
    }
  })
})

describe('bin/dispatch.js helpers', () => {
  let dispatch: {needsNormalPath: (argv: string[]) => boolean; PLUGIN_COMMAND_WORDS: Set<string>}
  before(async () => {
    dispatch = await import(new URL('../../bin/dispatch.js', import.meta.url).href)
  })

  it('knows the first word of every command the core plugins add (their manifests)', () => {
    const pjson = JSON.parse(readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as {oclif: {plugins: string[]}}
    for (const plugin of pjson.oclif.plugins) {
      const manifest = JSON.parse(readFileSync(path.join(repoRoot, 'node_modules', plugin, 'oclif.manifest.json'), 'utf8')) as {
        commands: Record<string, unknown>
      }
      for (const id of Object.keys(manifest.commands)) assert.ok(dispatch.PLUGIN_COMMAND_WORDS.has(id.split(':')[0]), `${plugin}: ${id}`)
    }
  })

  it('sends help, autocomplete, help flags and leading flags to the normal path', () => {
    const saved = process.env.ESC_STARTUP_FAST_PATH
    delete process.env.ESC_STARTUP_FAST_PATH
    try {
      for (const argv of [[], ['--debug'], ['help'], ['autocomplete', 'bash'], ['mesdb', '-h'], ['mesdb', 'backups', 'list', '--help']]) {
        assert.equal(dispatch.needsNormalPath(argv), true, argv.join(' '))
      }
      for (const argv of [
        ['mesdb', 'backups', 'list'],
        ['profiles', 'list', '--', '--help'],
      ]) {
        assert.equal(dispatch.needsNormalPath(argv), false, argv.join(' '))
      }
    } finally {
      if (saved !== undefined) process.env.ESC_STARTUP_FAST_PATH = saved
    }
  })
})

describe('bin/oclif-core.js', () => {
  it('loads the built @oclif/core bundle with its code cache accepted, as the one @oclif/core', async () => {
    const script = `import {createRequire} from 'node:module'
import {loadBundle} from './bin/oclif-core.js'
const loaded = loadBundle()
const core = await import('@oclif/core')
console.log(JSON.stringify({rejected: loaded.cacheRejected, same: core.default === loaded.exports && createRequire(import.meta.url)('@oclif/core') === loaded.exports, flags: typeof core.Flags.string}))`
    const out = await new Promise<string>((resolve, reject) => {
      execFile(process.execPath, ['--input-type=module', '-e', script], {cwd: repoRoot, encoding: 'utf8'}, (error, stdout, stderr) =>
        error ? reject(new Error(`${error.message}\n${stderr}`)) : resolve(stdout),
      )
    })
    assert.deepEqual(JSON.parse(out), {rejected: false, same: true, flags: 'function'})
  })
})
