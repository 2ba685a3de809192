import assert from 'node:assert/strict'
import {existsSync, readFileSync} from 'node:fs'
import {join} from 'node:path'

import {runCli} from '../../support/run-cli.js'
import {type TempHome, tempHome} from '../../lib/client/config/temp-home.js'

/** Bad input to `esc profiles …` is refused and changes nothing in settings.toml. */
describe('esc profiles: bad input has no side effects', () => {
  let t: TempHome
  const esc = (...argv: string[]) => runCli(argv, {env: t.env})
  const file = () => join(t.configDir, 'settings.toml')
  beforeEach(() => {
    t = tempHome()
  })
  afterEach(() => t.cleanup())

  it('delete from a profile that does not exist is an error that creates nothing', async () => {
    const r = await esc('profiles', 'delete', '-p', 'ghost', '-n', 'fmt')
    assert.equal(r.exitCode, 2)
    assert.equal(r.stderr, 'Error: profile "ghost" does not exist; nothing was changed (`esc profiles list` shows the profiles)\n')
    assert.equal(existsSync(file()), false)
    await esc('profiles', 'set', '-p', 'dev', '-n', 'org-id', '-v', 'o1')
    const before = readFileSync(file(), 'utf8')
    assert.equal((await esc('profiles', 'delete', '-p', 'ghost', '-n', 'fmt')).exitCode, 2)
    assert.equal(readFileSync(file(), 'utf8'), before)
  })

  it('refuses an empty or blank profile name in set, delete and default set', async () => {
    for (const argv of [
      ['profiles', 'set', '-p', '', '-n', 'org-id', '-v', 'o1'],
      ['profiles', 'set', '-p', '  ', '-n', 'org-id', '-v', 'o1'],
      ['profiles', 'delete', '-p', '', '-n', 'fmt'],
      ['profiles', 'default', 'set', '-v', ''],
    ]) {
      const r = await esc(...argv)
      assert.equal(r.exitCode, 2, argv.join(' '))
      assert.match(r.stderr, /^Error: the profile name is empty; give the profile a name/, argv.join(' '))
      assert.equal(existsSync(file()), false, argv.join(' '))
    }
  })

  it('set -n fmt -v table is accepted, as a hand-written fmt = "table" is', async () => {
    const r = await esc('profiles', 'set', '-p', 'dev', '-n', 'fmt', '-v', 'table')
    assert.deepEqual([r.stderr, r.exitCode], ['', 0])
    assert.equal(readFileSync(file(), 'utf8'), '[[profile]]\nname = "dev"\nfmt = "table"\n')
  })
})
