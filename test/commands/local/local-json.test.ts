import {strict as assert} from 'node:assert'
import {rm} from 'node:fs/promises'
import {join} from 'node:path'

import {serve} from '../../../src/lib/cli/local/daemon.js'
import {runCli} from '../../support/run-cli.js'
import {FakeEngine, tempDir} from '../../lib/server/helpers.js'

describe('esc local … --json: the result as pretty JSON with a trailing newline, like every command', function () {
  this.timeout(30_000)
  let dir: string
  let nodeDb: string
  let started: Awaited<ReturnType<typeof serve>>
  before(async () => {
    dir = await tempDir()
    nodeDb = join(await tempDir(), 'db')
    const umask = process.umask()
    started = await serve({
      dir,
      host: '127.0.0.1',
      port: 0,
      env: {ESC_CONFIG_DIR: join(dir, 'config'), ESC_KEYRING: '0'},
      engine: new FakeEngine(),
      exit: () => {},
    })
    process.umask(umask)
  })
  after(async () => {
    started.stop('test')
    await started.stopped
    await rm(dir, {recursive: true, force: true})
    await rm(join(nodeDb, '..'), {recursive: true, force: true})
  })

  it('demo-data --json prints the new cluster id as a JSON string and a newline (a size flag takes units)', async () => {
    const r = await runCli(['local', 'demo-data', '--dir', dir, '--no-writer', '--chunks', '1', '--chunk-size', '64KiB', '--json'])
    assert.equal(r.exitCode, 0, r.stderr)
    assert.match(r.stdout, /^"[a-z0-9]+"\n$/)
    assert.equal(r.stderr, '')
  })

  it('clusters attach --json prints the new cluster id the same way', async () => {
    const generated = await runCli(['node', 'generate', nodeDb, '--chunks', '2', '--chunk-size', '64KiB'])
    assert.equal(generated.exitCode, 0, generated.stderr)
    const r = await runCli(['local', 'clusters', 'attach', '--dir', dir, '--db', nodeDb, '--json'])
    assert.equal(r.exitCode, 0, r.stderr)
    assert.match(r.stdout, /^"[a-z0-9]+"\n$/)
  })

  it('status --json prints the status object, pretty, with a trailing newline', async () => {
    const r = await runCli(['local', 'status', '--dir', dir, '--json'])
    assert.equal(r.exitCode, 0, r.stderr)
    const status = JSON.parse(r.stdout)
    assert.equal(r.stdout, `${JSON.stringify(status, null, 2)}\n`)
    assert.equal(status.url, started.url)
  })

  it('status --json when stopped prints {"running": false, …} and exits 1', async () => {
    const stopped = await tempDir()
    try {
      const r = await runCli(['local', 'status', '--dir', stopped, '--json'])
      assert.equal(r.exitCode, 1)
      assert.deepEqual(JSON.parse(r.stdout), {running: false, stateDir: stopped})
      assert.equal(r.stdout, `${JSON.stringify({running: false, stateDir: stopped}, null, 2)}\n`)
    } finally {
      await rm(stopped, {recursive: true, force: true})
    }
  })

  it('status --json when running says so', async () => {
    const r = await runCli(['local', 'status', '--dir', dir, '--json'])
    assert.equal(JSON.parse(r.stdout).running, true)
  })
})
