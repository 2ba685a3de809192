import {strict as assert} from 'node:assert'

import {formatLabelDate, LabelTemplateError, parseLabelTemplate, renderLabel} from '../../../../src/lib/contract/labels/index.js'

const date = new Date('2021-03-26T14:38:12Z')
const cluster = {id: 'c196ogto0aeqohe3ommq', description: 'Demo-Backup', provider: 'aws'}
const context = {index: 26, cluster, date}

describe('labels: rendering', () => {
  it('renders the docs example', () => {
    assert.equal(renderLabel('{cluster} Hourly Backup {datetime:RFC3339}', context), 'Demo-Backup Hourly Backup 2021-03-26T14:38:12Z')
  })

  const cases: Array<[string, string]> = [
    ['{index}', '26'],
    ['{index:decimal}', '26'],
    ['{index:hex}', '1a'],
    ['{cluster}', 'Demo-Backup'],
    ['{cluster:description}', 'Demo-Backup'],
    ['{cluster:id}', 'c196ogto0aeqohe3ommq'],
    ['{cluster:provider}', 'aws'],
    ['{datetime}', '2021-03-26 14:38:12 UTC'],
    ['{datetime:utc}', '2021-03-26 14:38:12 UTC'],
    ['{datetime:rfc822}', '26 Mar 21 14:38 UTC'],
    ['{datetime:unix}', '1616769492'],
    ['{datetime:json}', '2021-03-26T14:38:12.000Z'],
    ['{datetime:rfc3339}', '2021-03-26T14:38:12Z'],
    ['<datetime:Unix>', '1616769492'],
    ['<cluster:ID>', 'c196ogto0aeqohe3ommq'],
  ]
  for (const [template, expected] of cases) {
    it(`renders ${template} as ${expected}`, () => {
      assert.equal(renderLabel(template, context), expected)
    })
  }

  it('renders literal brackets around tokens: braces doubled, angle brackets as typed', () => {
    assert.equal(renderLabel('{{{index}}} <<index:hex>> <v{index}>', context), '{26} <1a> <v26>')
  })

  it('renders descriptions with brackets that are not tokens unchanged', () => {
    for (const plain of ['pre-upgrade <v24>', 'a > b', 'json {"k":1}']) assert.equal(renderLabel(plain, context), plain)
  })

  it('renders hex in lower case without a prefix', () => {
    assert.equal(renderLabel('{index:hex}', {index: 255}), 'ff')
    assert.equal(renderLabel('{index:hex}', {index: 1}), '1')
  })

  it('renders dates in UTC whatever the time zone, with zero padding', () => {
    const early = new Date('2025-01-05T03:04:05.678Z')
    assert.equal(formatLabelDate(early, 'rfc822'), '05 Jan 25 03:04 UTC')
    assert.equal(formatLabelDate(early, 'utc'), '2025-01-05 03:04:05 UTC')
    assert.equal(formatLabelDate(early, 'rfc3339'), '2025-01-05T03:04:05Z')
    assert.equal(formatLabelDate(early, 'json'), '2025-01-05T03:04:05.678Z')
    assert.equal(formatLabelDate(early, 'unix'), '1736046245')
  })

  it('renders a parsed template as well as a string', () => {
    assert.equal(renderLabel(parseLabelTemplate('#{index}'), {index: 3}), '#3')
  })

  it('needs only what the template uses', () => {
    assert.equal(renderLabel('plain', {}), 'plain')
    assert.equal(renderLabel('{datetime:unix}', {date}), '1616769492')
  })

  it('refuses to render without the data a token needs', () => {
    assert.throws(() => renderLabel('{index}', {date}), TypeError)
    assert.throws(() => renderLabel('{cluster}', {index: 1}), TypeError)
    assert.throws(() => renderLabel('{datetime}', {index: 1}), TypeError)
    assert.throws(() => renderLabel('{index}', {index: 0}), RangeError)
    assert.throws(() => renderLabel('{datetime}', {date: new Date('nope')}), RangeError)
  })

  it('throws the template error for an invalid template', () => {
    assert.throws(() => renderLabel('{nope}', context), LabelTemplateError)
  })
})
