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

describe('table output: backups', () => {
  const defunct = () => ({...backup({status: 'defunct'}), details: 'disk full while copying chunk-000003.000000'})

  it("shows a defunct backup's reason in the list and in the fields of one backup", async () => {
    const list = await renderTable(backupKind, [defunct()], now)
    assert.ok(list.includes('defunct: disk full while copying chunk-000003.000000'), list)
    const one = await renderFields(backupKind.fields, defunct(), now)
    assert.match(one, /^Status +defunct: disk full while copying chunk-000003\.000000$/m)
  })

  it("keeps the reason out of esc's shapes (cli Debug line, --json)", () => {
    assert.ok(!backupKind.debug(defunct()).includes('disk full'))
    assert.ok(!JSON.stringify(backupKind.v1(defunct())).includes('disk full'))
  })

  it('shows the real size in human units when the API gives bytes, else whole GB', async () => {
    const small = {...backup({sizeGb: 1}), sizeBytes: 12_900_000}
    const out = await renderFields(backupKind.fields, small, now)
    assert.match(out, /^Size +12\.3 MiB$/m)
    assert.match(await renderTable(backupKind, [small], now), /│ 12\.3 MiB +│/)
    assert.match(await renderFields(backupKind.fields, {...backup({sizeGb: 1}), sizeBytes: 512}, now), /^Size +512 B$/m)
    assert.match(await renderFields(backupKind.fields, backup({sizeGb: 8}), now), /^Size +8 GB$/m)
    assert.ok(!JSON.stringify(backupKind.v1(small)).includes('sizeBytes'), '--json keeps sizeGb only')
  })
})

describe('table output fits a width', () => {
  const long = 'a very long description that goes on and on about what this backup was made for and why it matters'
  const lines = (out: string) => out.trimEnd().split('\n')

  it('truncates long text cells with an ellipsis so every line fits', async () => {
    const out = await renderTable(backupKind, [backup({description: long})], now, {width: 100})
    for (const line of lines(out)) assert.ok([...line].length <= 100, `${[...line].length}: ${line}`)
    assert.ok(out.includes('…'), out)
    assert.ok(out.includes('c1ev3l5o0aeu6ojco7b0'), 'ids are never cut')
    assert.ok(out.includes('available'), 'short columns stay whole')
  })

  it('prints cells whole without a width (a pipe, or --no-truncate)', async () => {
    const out = await renderTable(backupKind, [backup({description: long})], now)
    assert.ok(out.includes(long))
    assert.ok(!out.includes('…'))
  })

  it('leaves a table that fits alone', async () => {
    const out = await renderTable(backupKind, [backup()], now, {width: 400})
    assert.equal(out, await renderTable(backupKind, [backup()], now))
  })
})
