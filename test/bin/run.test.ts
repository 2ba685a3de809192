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
