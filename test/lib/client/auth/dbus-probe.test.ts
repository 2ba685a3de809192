import assert from 'node:assert/strict'
import {spawn} from 'node:child_process'
import {createServer, type Server} from 'node:net'
import {join} from 'node:path'

import {sessionBusAddresses, sessionBusAlive} from '../../../../src/lib/client/auth/dbus-probe.js'
import {type TempHome, tempHome} from '../config/temp-home.js'

const ROOT = join(import.meta.dirname, '../../../..')

/** A unix-socket "bus" that either answers the AUTH line or stays silent (a hung bus). */
function fakeBus(path: string, answer: string | undefined): Promise<Server> {
  const server = createServer((socket) => {
    socket.on('data', () => {
      if (answer !== undefined) socket.write(answer)
    })
    socket.on('error', () => {})
  })
  return new Promise((resolve) => server.listen(path, () => resolve(server)))
}

describe('auth/dbus-probe', () => {
  let t: TempHome
  let server: Server | undefined
  beforeEach(() => {
    t = tempHome()
  })
  afterEach(async () => {
    await new Promise((resolve) => (server ? server.close(resolve) : resolve(undefined)))
    server = undefined
    t.cleanup()
  })

  it('parses DBUS_SESSION_BUS_ADDRESS (unix path, abstract, tcp; several addresses)', () => {
    assert.deepEqual(sessionBusAddresses({DBUS_SESSION_BUS_ADDRESS: 'unix:path=/run/user/1000/bus'}), [{path: '/run/user/1000/bus'}])
    assert.deepEqual(sessionBusAddresses({DBUS_SESSION_BUS_ADDRESS: 'unix:abstract=/tmp/dbus-x,guid=abc;tcp:host=localhost,port=1234'}), [
      {path: '\0/tmp/dbus-x'},
      {host: 'localhost', port: 1234},
    ])
    assert.deepEqual(sessionBusAddresses({DBUS_SESSION_BUS_ADDRESS: 'launchd:env=X'}), [])
  })

  it('a bus that answers the handshake (even REJECTED) is alive; a silent or missing one is not', async () => {
    const path = join(t.home, 'bus')
    server = await fakeBus(path, 'REJECTED EXTERNAL\r\n')
    assert.equal(await sessionBusAlive({DBUS_SESSION_BUS_ADDRESS: `unix:path=${path}`}, 1000), true)
    await new Promise((resolve) => server?.close(resolve))
    server = await fakeBus(path, undefined)
    assert.equal(await sessionBusAlive({DBUS_SESSION_BUS_ADDRESS: `unix:path=${path}`}, 100), false)
    assert.equal(await sessionBusAlive({DBUS_SESSION_BUS_ADDRESS: `unix:path=${join(t.home, 'none')}`}, 100), false)
  })

  it('a hung session bus never hangs the CLI: the token goes to the file', async function () {
    this.timeout(30_000)
    const path = join(t.home, 'hung-bus')
    server = await fakeBus(path, undefined)
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      HOME: t.home,
      ESC_CONFIG_DIR: t.configDir,
      DBUS_SESSION_BUS_ADDRESS: `unix:path=${path}`,
      ESC_KEYRING_TIMEOUT_MS: '200',
    }
    delete env.ESC_KEYRING
    // spawnSync would block this process's event loop, and with it the fake bus: spawn asynchronously.
    const child = spawn('node', ['--import', 'tsx', join(import.meta.dirname, 'keychain-roundtrip.script.ts')], {cwd: ROOT, env})
    let stdout = ''
    child.stdout.on('data', (d) => (stdout += d))
    const killer = setTimeout(() => child.kill('SIGKILL'), 20_000)
    const code = await new Promise((resolve) => child.on('exit', resolve))
    clearTimeout(killer)
    assert.equal(code, 0, 'the script finished on its own')
    assert.deepEqual(JSON.parse(stdout.trim()), {
      savedTo: 'file',
      fileAfterSave: true,
      loadedFrom: 'file',
      refresh: 'kc-refresh',
      deleted: true,
      afterDelete: null,
    })
  })
})
