import assert from 'node:assert/strict'
import {spawnSync} from 'node:child_process'
import {existsSync, readdirSync} from 'node:fs'
import {join} from 'node:path'

import {type TempHome, tempHome} from '../config/temp-home.js'

const ROOT = join(import.meta.dirname, '../../../..')
const SCRIPT = join(import.meta.dirname, 'keychain-roundtrip.script.ts')

function hasCommand(name: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${name}`], {stdio: 'ignore'}).status === 0
}

/** Runs the round-trip script in a private D-Bus session, optionally with an unlocked gnome-keyring. */
function runInDbus(t: TempHome, withKeyring: boolean): {result: Record<string, unknown>; stderr: string} {
  const startKeyring = withKeyring
    ? 'echo -n pw | gnome-keyring-daemon --replace --unlock --components=secrets --daemonize >/dev/null; '
    : ''
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    HOME: t.home,
    ESC_CONFIG_DIR: t.configDir,
    XDG_DATA_HOME: join(t.home, 'data'),
    XDG_RUNTIME_DIR: t.home,
  }
  delete env.ESC_KEYRING
  delete env.DBUS_SESSION_BUS_ADDRESS
  const run = spawnSync('dbus-run-session', ['--', 'sh', '-c', `${startKeyring}exec node --import tsx "$0"`, SCRIPT], {
    cwd: ROOT,
    env,
    encoding: 'utf8',
    timeout: 30_000,
  })
  assert.equal(run.status, 0, `script failed: ${run.stderr}`)
  const line = run.stdout.trim().split('\n').at(-1) ?? '{}'
  return {result: JSON.parse(line), stderr: run.stderr}
}

describe('auth/keychain (real Secret Service under dbus-run-session)', function () {
  this.timeout(60_000)
  let t: TempHome
  before(function () {
    // Only skipped where the system packages are missing (.ci/system-deps.sh installs them).
    if (!hasCommand('dbus-run-session') || !hasCommand('gnome-keyring-daemon')) this.skip()
  })
  beforeEach(() => {
    t = tempHome()
  })
  afterEach(() => t.cleanup())

  it('round-trips a token through gnome-keyring and writes no token file', () => {
    const {result} = runInDbus(t, true)
    assert.deepEqual(result, {
      savedTo: 'keychain',
      fileAfterSave: false,
      loadedFrom: 'keychain',
      refresh: 'kc-refresh',
      deleted: true,
      afterDelete: null,
    })
    assert.equal(existsSync(join(t.configDir, 'tokens')), false)
  })

  it('with a session bus but no usable keyring, falls back to the 0600 file without a warning', () => {
    const {result, stderr} = runInDbus(t, false)
    assert.deepEqual(result, {
      savedTo: 'file',
      fileAfterSave: true,
      loadedFrom: 'file',
      refresh: 'kc-refresh',
      deleted: true,
      afterDelete: null,
    })
    assert.doesNotMatch(stderr, /^Warning/m)
    assert.deepEqual(readdirSync(join(t.configDir, 'tokens')), [])
  })
})
