import {strict as assert} from 'node:assert'

import {UsageError} from '../../../../src/lib/core/errors.js'
import {exitCodeOf, ExitCode} from '../../../../src/lib/cli/error-exit.js'
import {hasLabelTokens, LabelTemplateError, parseLabelTemplate, validateLabelTemplate} from '../../../../src/lib/contract/labels/index.js'

function failure(template: string): LabelTemplateError {
  try {
    validateLabelTemplate(template)
  } catch (error) {
    assert.ok(error instanceof LabelTemplateError, `expected a LabelTemplateError, got ${String(error)}`)
    return error
  }
  assert.fail(`'${template}' should be refused`)
}

describe('labels: parsing', () => {
  it('splits text and tokens with their default formats', () => {
    const parsed = parseLabelTemplate('{cluster} Hourly Backup {datetime:RFC3339}')
    assert.deepEqual(parsed.parts, [
      {kind: 'token', token: 'cluster', format: 'description', start: 0, length: 9},
      {kind: 'text', text: ' Hourly Backup '},
      {kind: 'token', token: 'datetime', format: 'rfc3339', start: 24, length: 18},
    ])
    assert.deepEqual([...parsed.uses], ['cluster', 'datetime'])
  })

  it('accepts the <token:format> form and mixed-case names', () => {
    const parsed = parseLabelTemplate('<Index:HEX>-{CLUSTER:Id}')
    assert.deepEqual(
      parsed.parts.map((p) => (p.kind === 'token' ? `${p.token}:${p.format}` : p.text)),
      ['index:hex', '-', 'cluster:id'],
    )
  })

  it('turns {{ and }} into literal braces, once; angle brackets do not escape', () => {
    const parsed = parseLabelTemplate('{{a}} <<b>> }}{{ {{cluster}}')
    assert.deepEqual(parsed.parts, [{kind: 'text', text: '{a} <<b>> }{ {cluster}'}])
    assert.equal(hasLabelTokens('{{a}} <<b>>'), false)
  })

  it('keeps as plain text angle brackets that are not a known token and braces without the shape of a token', () => {
    for (const plain of [
      'pre-upgrade <v24>',
      'a > b',
      'json {"k":1}',
      '<clustr>',
      '<cluster:name>',
      '{}',
      'a { b',
      'a } b',
      '{ index }',
      '<index',
      '{cluster',
    ]) {
      assert.deepEqual(parseLabelTemplate(plain).parts, [{kind: 'text', text: plain}], plain)
    }
    const mixed = parseLabelTemplate('v<24> {index} >')
    assert.deepEqual(
      mixed.parts.map((p) => (p.kind === 'token' ? `[${p.token}]` : p.text)),
      ['v<24> ', '[index]', ' >'],
    )
  })

  it('sees no tokens in a plain description', () => {
    assert.equal(hasLabelTokens('on demand backup'), false)
    assert.equal(hasLabelTokens('backup {index}'), true)
    assert.deepEqual(parseLabelTemplate('').parts, [])
  })

  it('points at an unknown token, lists the valid ones and suggests the nearest', () => {
    const error = failure('{clustr} Hourly')
    assert.ok(error instanceof UsageError)
    assert.equal(exitCodeOf(error), ExitCode.Usage)
    assert.equal(
      error.message,
      "Unknown token 'clustr' in the label template (did you mean 'cluster'?); valid tokens: index, cluster, datetime; write '{{' and '}}' for literal braces\n" +
        '  {clustr} Hourly\n' +
        '   ^^^^^^',
    )
    assert.deepEqual([error.position, error.length], [1, 6])
    assert.equal(
      failure('{zzzzzz}').reason,
      "Unknown token 'zzzzzz' in the label template; valid tokens: index, cluster, datetime; write '{{' and '}}' for literal braces",
    )
  })

  it('points at an unknown format, lists the formats of that token and suggests the nearest', () => {
    const error = failure('x {datetime:rfc3999}')
    assert.equal(
      error.message,
      "Unknown format 'rfc3999' for token 'datetime' in the label template (did you mean 'rfc3339'?); valid formats: utc, rfc822, unix, json, rfc3339\n" +
        '  x {datetime:rfc3999}\n' +
        '              ^^^^^^^',
    )
    assert.doesNotMatch(failure('{datetime:iso}').reason, /did you mean/, 'a short word two edits away is no plausible typo')
    assert.match(failure('{index:octal}').reason, /valid formats: decimal, hex$/)
    assert.match(failure('{cluster:name}').reason, /valid formats: description, id, provider$/)
  })

  it('refuses an empty format', () => {
    assert.match(failure('{datetime:}').reason, /^Unknown format '' for token 'datetime'/)
  })

  it('keeps tabs in the caret line so it stays aligned', () => {
    assert.match(failure('\t{bad}').message, /\n {2}\t\{bad\}\n {2}\t \^\^\^$/)
  })
})
