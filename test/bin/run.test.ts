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
    assert.deepEqual(hoist(['--profile', 'local', 'mesdb', 'backups', 'list', '--limit', '2']), [
      'mesdb',
      'backups',
      'list',
      '--profile',
      'local',
      '--limit',
      '2',
    ])
    assert.deepEqual(hoist(['--debug', '--fmt=api', 'node', 'verify', '/tmp/x']), ['node', 'verify', '/tmp/x', '--debug', '--fmt=api'])
  })

  // clap's `global = true`: a global flag may sit between the command's words too.
  it('moves global flags given between the command words to just after them', () => {
    assert.deepEqual(hoist(['mesdb', '--json', 'backups', 'get', '-i', 'X']), ['mesdb', 'backups', 'get', '--json', '-i', 'X'])
    assert.deepEqual(hoist(['mesdb', 'backups', '--fmt', 'api', 'list']), ['mesdb', 'backups', 'list', '--fmt', 'api'])
    assert.deepEqual(hoist(['--debug', 'mesdb', '--profile=p', 'backups', 'list', '--limit', '2']), [
      'mesdb',
      'backups',
      'list',
      '--debug',
      '--profile=p',
      '--limit',
      '2',
    ])
    assert.deepEqual(hoist(['mesdb', 'backups', 'get', '--id', 'x', '--json']), ['mesdb', 'backups', 'get', '--id', 'x', '--json'])
    assert.deepEqual(hoist(['mesdb', '--', '--json', 'x']), ['mesdb', '--', '--json', 'x'])
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

describe('esc with a global flag between the command words', () => {
  it('runs the command instead of printing the topic help', () => {
    let failure: {status: number; stdout: string; stderr: string} | undefined
    try {
      execFileSync(process.execPath, [runJs, 'profiles', '--fmt', 'bogus', 'list'], {encoding: 'utf8', stdio: 'pipe'})
    } catch (error) {
      failure = error as {status: number; stdout: string; stderr: string}
    }
    assert.ok(failure, 'a bad --fmt value must fail')
    assert.equal(failure.status, 2)
    assert.match(failure.stderr, /Expected --fmt=bogus to be one of/)
  })
})

describe('esc <command> -h', () => {
  // clap gives every command -h as well as --help.
  for (const argv of [
    ['mesdb', 'backups', 'list', '-h'],
    ['node', 'verify', '-h'],
    ['local', 'start', '-h'],
    ['profiles', 'set', '-h'],
  ]) {
    it(`esc ${argv.join(' ')} prints the help and exits 0`, () => {
      const out = execFileSync(process.execPath, [runJs, ...argv], {encoding: 'utf8', stdio: 'pipe'})
      assert.match(out, new RegExp(`USAGE\\n  \\$ esc ${argv.slice(0, -1).join(' ')}`))
    })
  }

  it('no command uses -h for a flag of its own (it is the help flag)', () => {
    const manifest = JSON.parse(readFileSync(new URL('../../oclif.manifest.json', import.meta.url), 'utf8')) as {
      commands: Record<string, {flags: Record<string, {char?: string}>}>
    }
    assert.ok(Object.keys(manifest.commands).length > 20)
    for (const [id, command] of Object.entries(manifest.commands)) {
      for (const [name, flag] of Object.entries(command.flags)) assert.notEqual(flag.char, 'h', `${id} --${name}`)
    }
  })
})
