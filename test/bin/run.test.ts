import {strict as assert} from 'node:assert'
import {execFileSync} from 'node:child_process'
import {readFileSync} from 'node:fs'

const runJs = new URL('../../bin/run.js', import.meta.url).pathname
const {version} = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8'))

describe('bin/run.js', () => {
  for (const flag of ['--version', '-V']) {
    it(`prints esc's "esc <version>" for ${flag}`, () => {
      assert.equal(execFileSync(process.execPath, [runJs, flag], {encoding: 'utf8'}), `esc ${version}\n`)
    })
  }
})

describe('hoistGlobalFlags', () => {
  // The bin helper is plain JS shared by run.js and dev.js.
  let hoist: (argv: string[]) => string[]
  before(async () => {
    ;({hoistGlobalFlags: hoist} = await import(new URL('../../bin/global-flags.js', import.meta.url).href))
  })

  it('moves global flags given before the command to just after its words', () => {
    assert.deepEqual(hoist(['--profile', 'local', 'mesdb', 'backups', 'list', '--limit', '2']),
      ['mesdb', 'backups', 'list', '--profile', 'local', '--limit', '2'])
    assert.deepEqual(hoist(['--debug', '--fmt=api', 'node', 'verify', '/tmp/x']), ['node', 'verify', '/tmp/x', '--debug', '--fmt=api'])
  })

  it('leaves argv alone when nothing precedes the command or nothing follows the flags', () => {
    assert.deepEqual(hoist(['mesdb', 'backups', 'list', '--json']), ['mesdb', 'backups', 'list', '--json'])
    assert.deepEqual(hoist(['--debug']), ['--debug'])
    assert.deepEqual(hoist(['--unknown', 'mesdb']), ['--unknown', 'mesdb'])
  })
})

describe('esc with a global flag before the command', () => {
  it('runs the command (and reports a bad value against that command)', () => {
    let failure: {status: number; stderr: string} | undefined
    try {
      execFileSync(process.execPath, [runJs, '--fmt', 'bogus', 'profiles', 'list'], {encoding: 'utf8', stdio: 'pipe'})
    } catch (error) {
      failure = error as {status: number; stderr: string}
    }
    assert.ok(failure, 'a bad --fmt value must fail')
    assert.equal(failure.status, 2)
    assert.match(failure.stderr, /Expected --fmt=bogus to be one of/)
  })
})
