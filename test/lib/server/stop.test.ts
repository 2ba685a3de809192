import {strict as assert} from 'node:assert'
import {spawn} from 'node:child_process'
import {rm} from 'node:fs/promises'
import {join} from 'node:path'

import {isProcessAlive} from '../../../src/lib/core/process.js'
import {adminRequest, stopServer} from '../../../src/lib/cli/local/control.js'
import {serve} from '../../../src/lib/cli/local/daemon.js'
import {Store} from '../../../src/lib/server/store/index.js'
import {clusterBody, FakeEngine, tempDir} from './helpers.js'

const repoRoot = join(import.meta.dirname ?? new URL('.', import.meta.url).pathname, '..', '..', '..')

/**
 * A stand-in for a server that hangs on its way out: it holds the server lock like one, and on
 * SIGTERM releases the lock but keeps running for `lingerMs` (as a process with a hung copy did).
 */
function lingeringServer(dir: string, lingerMs: number): Promise<{pid: number; exited: Promise<void>}> {
  const script = `
    const Database = require('better-sqlite3')
    const fs = require('node:fs')
    const db = new Database(${JSON.stringify(join(dir, 'server.lock'))}, {timeout: 0})
    db.pragma('locking_mode = EXCLUSIVE')
    db.exec('CREATE TABLE IF NOT EXISTS holder (pid INTEGER NOT NULL)')
    db.exec('BEGIN EXCLUSIVE'); db.prepare('DELETE FROM holder').run(); db.exec('COMMIT')
    fs.writeFileSync(${JSON.stringify(join(dir, 'server.json'))}, JSON.stringify({pid: process.pid, url: 'http://127.0.0.1:1', startedAt: 'x', dir: ${JSON.stringify(dir)}}))
    process.on('SIGTERM', () => { db.close(); setTimeout(() => process.exit(0), ${lingerMs}) })
    process.stdout.write('ready\\n')
    setInterval(() => {}, 1000)
  `
  const child = spawn(process.execPath, ['-e', script], {cwd: repoRoot, stdio: ['ignore', 'pipe', 'inherit']})
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
  return new Promise((resolve) => child.stdout!.once('data', () => resolve({pid: child.pid!, exited})))
}

// Finding 7: `esc local stop` said "Stopped" while a server with a hung copy still ran.
describe('local cloud stop', () => {
  let dir: string
  beforeEach(async () => {
    dir = await tempDir()
  })
  afterEach(() => rm(dir, {recursive: true, force: true}))

  it('does not report a server stopped until its process has exited', async () => {
    const server = await lingeringServer(dir, 1500)
    await assert.rejects(stopServer(dir, 500), /did not exit within/)
    assert.equal(isProcessAlive(server.pid), true, 'still running: stop must not have said it stopped')
    await server.exited
  })

  it('returns once the process has exited', async () => {
    const server = await lingeringServer(dir, 300)
    const info = await stopServer(dir, 10_000)
    assert.equal(info.pid, server.pid)
    assert.equal(isProcessAlive(server.pid), false)
  })

  it('a server whose copy hangs stops within its grace time, marks the copy defunct and releases the lock', async () => {
    const engine = new FakeEngine()
    const exits: number[] = []
    const umask = process.umask()
    const started = await serve({
      dir,
      host: '127.0.0.1',
      port: 0,
      env: {ESC_CONFIG_DIR: join(dir, 'config'), ESC_KEYRING: '0'},
      engine,
      shutdownGraceMs: 300,
      shutdownCapMs: 5000,
      exit: (code) => exits.push(code),
    })
    process.umask(umask)
    const {
      organizationId: o,
      projectId: p,
      networkId,
    } = await adminRequest<{organizationId: string; projectId: string; networkId: string}>(dir, 'GET', '/local/v1/status')
    const mesdb = `/mesdb/v1/organizations/${o}/projects/${p}`
    const {id: clusterId} = await adminRequest<{id: string}>(dir, 'POST', `${mesdb}/clusters`, {...clusterBody, networkId})
    for (let i = 0; i < 100; i++) {
      const {cluster} = await adminRequest<{cluster: {status: string}}>(dir, 'GET', `${mesdb}/clusters/${clusterId}`)
      if (cluster.status === 'available') break
      await new Promise((r) => setTimeout(r, 20))
    }
    engine.backup = () => new Promise(() => {}) // hangs, deaf to the abort signal
    const {id: backupId} = await adminRequest<{id: string}>(dir, 'POST', `${mesdb}/backups`, {description: 'b', sourceClusterId: clusterId})
    started.stop('test')
    await started.stopped
    assert.deepEqual(exits, [0])
    const store = new Store(join(dir, 'state.db'))
    try {
      assert.equal(store.backups.get(backupId)!.status, 'defunct')
      assert.equal(store.locks.all().length, 0)
    } finally {
      store.close()
    }
  })

  it('a server whose shutdown hangs exits once the cap is reached', async () => {
    const engine = new FakeEngine()
    let exited!: (code: number) => void
    const exit = new Promise<number>((resolve) => {
      exited = resolve
    })
    const umask = process.umask()
    const started = await serve({
      dir,
      host: '127.0.0.1',
      port: 0,
      env: {ESC_CONFIG_DIR: join(dir, 'config'), ESC_KEYRING: '0'},
      engine,
      shutdownGraceMs: 200,
      shutdownCapMs: 800,
      exit: (code) => exited(code),
    })
    process.umask(umask)
    engine.startWriter = async () => ({stop: () => new Promise<void>(() => {})}) // a writer that never stops
    await adminRequest(dir, 'POST', '/local/v1/demo-data', {writer: true})
    started.stop('test')
    assert.equal(await exit, 1)
  })
})
