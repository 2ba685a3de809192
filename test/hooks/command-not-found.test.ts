import {strict as assert} from 'node:assert'
import {execFileSync} from 'node:child_process'

import {closest, editDistance} from '../../src/hooks/command-not-found.js'

const runJs = new URL('../../bin/run.js', import.meta.url).pathname

function esc(...args: string[]): {status: number; stdout: string; stderr: string} {
  try {
    const stdout = execFileSync(process.execPath, [runJs, ...args], {encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe']})
    return {status: 0, stdout, stderr: ''}
  } catch (error) {
    const e = error as {status: number; stdout: string; stderr: string}
    return {status: e.status, stdout: e.stdout, stderr: e.stderr}
  }
}

describe('command_not_found hook (did-you-mean)', () => {
  it('measures edit distance', () => {
    assert.equal(editDistance('lst', 'list'), 1)
    assert.equal(editDistance('', 'abc'), 3)
    assert.equal(editDistance('kitten', 'sitting'), 3)
  })

  it('suggests the nearest command, and nothing when none is near', () => {
    const ids = ['mesdb:backups:list', 'mesdb:backups:get', 'profiles:list']
    assert.equal(closest('mesdb:backups:lst', ids), 'mesdb:backups:list')
    assert.equal(closest('completely:different:thing', ids), undefined)
  })

  it('names the typo, suggests the command and exits 2 without running anything (built CLI)', () => {
    const r = esc('mesdb', 'backups', 'lst')
    assert.equal(r.status, 2)
    assert.equal(r.stdout, '')
    assert.equal(
      r.stderr,
      '"mesdb backups lst" is not an esc command. Did you mean "mesdb backups list"?\n  Run esc help mesdb for a list of available commands.\n'.replace(
        /^/,
        'Error: ',
      ),
    )
  })
})
