import {strict as assert} from 'node:assert'

import {debugStr, pascalVariant, parseRfc3339, rfc3339Offset, rfc3339Utc} from '../../../../src/lib/cli/output/rust-debug.js'

describe('Rust Debug rendering', () => {
  it('escapes strings like Rust str Debug', () => {
    assert.equal(debugStr('plain'), '"plain"')
    assert.equal(debugStr('a "quoted" \\ path'), '"a \\"quoted\\" \\\\ path"')
    assert.equal(debugStr('l1\nl2\r\t\0'), '"l1\\nl2\\r\\t\\0"')
    assert.equal(debugStr('bell\u0007 del\u007f'), '"bell\\u{7} del\\u{7f}"')
    assert.equal(debugStr("it's é ✓ 日本"), '"it\'s é ✓ 日本"')
  })

  it('names enum variants in PascalCase', () => {
    assert.equal(pascalVariant('three-node-multi-zone'), 'ThreeNodeMultiZone')
    assert.equal(pascalVariant('single-node'), 'SingleNode')
    assert.equal(pascalVariant('off'), 'Off')
  })

  it('renders timestamps as chrono does: to_rfc3339 (+00:00) and Debug/serde (Z)', () => {
    assert.equal(rfc3339Offset('2021-03-26T14:38:12Z'), '2021-03-26T14:38:12+00:00')
    assert.equal(rfc3339Utc('2021-03-26T14:38:12Z'), '2021-03-26T14:38:12Z')
    // other offsets are converted to UTC
    assert.equal(rfc3339Offset('2021-03-26T16:38:12+02:00'), '2021-03-26T14:38:12+00:00')
    // AutoSi fractions: 3, 6 or 9 digits, none when zero
    assert.equal(rfc3339Utc('2021-03-26T14:38:12.5Z'), '2021-03-26T14:38:12.500Z')
    assert.equal(rfc3339Utc('2021-03-26T14:38:12.123456Z'), '2021-03-26T14:38:12.123456Z')
    assert.equal(rfc3339Utc('2021-03-26T14:38:12.1234567Z'), '2021-03-26T14:38:12.123456700Z')
    assert.equal(rfc3339Utc('2021-03-26T14:38:12.000Z'), '2021-03-26T14:38:12Z')
    // unparseable input is shown as sent (lenient)
    assert.equal(rfc3339Offset('yesterday'), 'yesterday')
    assert.equal(parseRfc3339('2021-03-26'), undefined)
  })
})
