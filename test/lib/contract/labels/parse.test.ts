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

  it('turns doubled brackets into literal ones and is not a token', () => {
    const parsed = parseLabelTemplate('{{a}} <<b>> }}{{')
    assert.deepEqual(parsed.parts, [{kind: 'text', text: '{a} <b> }{'}])
    assert.equal(hasLabelTokens('{{a}} <<b>>'), false)
  })

  it('sees no tokens in a plain description', () => {
    assert.equal(hasLabelTokens('on demand backup'), false)
    assert.equal(hasLabelTokens('backup {index}'), true)
    assert.deepEqual(parseLabelTemplate('').parts, [])
  })

  it('points at an unknown token and lists the valid ones', () => {
    const error = failure('{clustr} Hourly')
    assert.ok(error instanceof UsageError)
    assert.equal(exitCodeOf(error), ExitCode.Usage)
    assert.equal(
      error.message,
      "Unknown token 'clustr' in the label template; valid tokens: index, cluster, datetime\n" +
        '  {clustr} Hourly\n' +
        '   ^^^^^^',
    )
    assert.deepEqual([error.position, error.length], [1, 6])
  })

  it('points at an unknown format and lists the formats of that token', () => {
    const error = failure('x <datetime:rfc3999>')
    assert.equal(
      error.message,
      "Unknown format 'rfc3999' for token 'datetime' in the label template; valid formats: utc, rfc822, unix, json, rfc3339\n" +
        '  x <datetime:rfc3999>\n' +
        '              ^^^^^^^',
    )
    assert.match(failure('{index:octal}').reason, /valid formats: decimal, hex$/)
    assert.match(failure('{cluster:name}').reason, /valid formats: description, id, provider$/)
  })

  it('refuses an empty format and an empty token', () => {
    assert.match(failure('{datetime:}').reason, /^Unknown format '' for token 'datetime'/)
    assert.match(failure('{}').reason, /^Unknown token ''/)
  })

  it('refuses unclosed and unmatched brackets with a fix', () => {
    const unclosed = failure('a {cluster b')
    assert.equal(unclosed.reason, "Unclosed '{' in the label template: close the token with '}' or write '{{' for a literal '{'")
    assert.equal(unclosed.position, 2)
    assert.equal(failure('<index').position, 0)
    const unmatched = failure('a > b')
    assert.equal(unmatched.reason, "Unmatched '>' in the label template: write '>>' for a literal '>' or open a token with '<'")
    assert.match(unmatched.message, /\n {2}a > b\n {4}\^$/)
    assert.match(failure('{index} }').reason, /^Unmatched '}'/)
  })

  it('does not let a token swallow the start of the next one', () => {
    assert.equal(failure('{index <cluster>}').position, 0)
  })

  it('keeps tabs in the caret line so it stays aligned', () => {
    assert.match(failure('\t{bad}').message, /\n {2}\t\{bad\}\n {2}\t \^\^\^$/)
  })
})
