import {strict as assert} from 'node:assert'

import {backupKind} from '../../../../src/lib/cli/output/index.js'
import {renderFields, renderTable} from '../../../../src/lib/cli/output/table.js'
import {backup} from '../../client/api/fixtures.js'

const now = () => new Date('2021-03-29T14:38:12Z')

describe('table output escapes control characters', () => {
  const hostile = 'repaint\u001b[2J\u001b[31mred\ttab\nnewline\rcr\u0007bell\u009bcsi'
  const escaped = String.raw`repaint\x1b[2J\x1b[31mred\ttab\nnewline\rcr\x07bell\x9bcsi`

  it('in a list: a description cannot repaint the terminal or break the row', async () => {
    const out = await renderTable(backupKind, [backup({description: hostile})], now)
    // eslint-disable-next-line no-control-regex
    assert.ok(!/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/.test(out), 'no raw control characters')
    assert.ok(out.includes(escaped), out)
    assert.equal(out.trimEnd().split('\n').length, 5, 'one line per row: border, head, border, row, border')
  })

  it('in the fields of one item', async () => {
    const out = await renderFields(backupKind.columns, backup({description: hostile}), now)
    assert.ok(out.includes(escaped), out)
    // eslint-disable-next-line no-control-regex
    assert.ok(!/[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/.test(out))
  })
})
