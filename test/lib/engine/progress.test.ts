import {strict as assert} from 'node:assert'

import {ProgressLine, formatBytes, formatProgress, parseSize} from '../../../src/lib/engine/progress.js'

const ESC = String.fromCharCode(27)

describe('kurrentdb progress and sizes', () => {
  it('parses sizes with binary units', () => {
    assert.equal(parseSize('1MiB'), 1048576)
    assert.equal(parseSize('64 KiB'), 65536)
    assert.equal(parseSize('256MiB'), 268435456)
    assert.equal(parseSize('4096'), 4096)
    assert.equal(parseSize('1G'), 1073741824)
    assert.equal(parseSize('lots'), undefined)
    assert.equal(parseSize('1.3'), undefined)
  })

  it('formats bytes done, total, rate and ETA', () => {
    assert.equal(formatBytes(1536), '1.5 KiB')
    assert.equal(formatProgress({bytesDone: 1024 ** 3, bytesTotal: 2 * 1024 ** 3}, 2000), '1.0 GiB / 2.0 GiB (50%)  512.0 MiB/s  ETA 2s')
    assert.equal(formatProgress({bytesDone: 10, bytesTotal: 10}, 1000), '10 B / 10 B (100%)  10 B/s')
    assert.equal(formatProgress({bytesDone: 1024, bytesTotal: 66 * 1024}, 1000), '1.0 KiB / 66.0 KiB (1%)  1.0 KiB/s  ETA 1m05s')
  })

  it('writes nothing unless enabled, and clears its line at the end', () => {
    const quiet: string[] = []
    const off = new ProgressLine(false, (s) => quiet.push(s))
    off.update({bytesDone: 1, bytesTotal: 2})
    off.end()
    assert.deepEqual(quiet, [])
    const out: string[] = []
    const on = new ProgressLine(true, (s) => out.push(s), 0)
    on.update({bytesDone: 1, bytesTotal: 2})
    on.end()
    assert.equal(out.length, 2)
    assert.ok(out[0].startsWith(`\r${ESC}[2K1 B / 2 B (50%)`), out[0])
    assert.equal(out[1], `\r${ESC}[2K`)
  })
})
