import {strict as assert} from 'node:assert'

import {resolveFormat} from '../../../../src/lib/cli/output/format.js'
import {exitCodeOf} from '../../../../src/lib/cli/error-exit.js'

describe('output format precedence', () => {
  it('--fmt beats everything', () => {
    assert.equal(resolveFormat({flag: 'api', json: true, profile: 'cli', isTTY: true}), 'api')
    assert.equal(resolveFormat({flag: 'cli', json: true}), 'cli-json')
  })
  it('--json applies only when the format would be cli', () => {
    assert.equal(resolveFormat({json: true}), 'cli-json')
    assert.equal(resolveFormat({json: true, isTTY: true}), 'cli-json')
    assert.equal(resolveFormat({json: true, profile: 'api-verbose'}), 'api-verbose')
    assert.equal(resolveFormat({json: true, profile: 'cli'}), 'cli-json')
  })
  it('profile fmt, then table on a terminal, then cli', () => {
    assert.equal(resolveFormat({profile: 'api', isTTY: true}), 'api')
    assert.equal(resolveFormat({isTTY: true}), 'table')
    assert.equal(resolveFormat({isTTY: false}), 'cli')
  })
  it('rejects unknown formats as usage errors naming the source', () => {
    assert.throws(
      () => resolveFormat({flag: 'yaml'}),
      (e: Error & {exit: number}) => exitCodeOf(e) === 2 && /--fmt yaml/.test(e.message),
    )
    assert.throws(
      () => resolveFormat({profile: 'yaml'}),
      (e: Error & {exit: number}) => exitCodeOf(e) === 2 && /profile's fmt "yaml"/.test(e.message),
    )
  })
})
