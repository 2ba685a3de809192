import {installFakeClock, InstalledFakeClock} from './fake-clock.js'
import {strict as assert} from 'node:assert'

import {createProgress, isInteractive} from '../../../../src/lib/cli/wait/index.js'

function sink(isTTY = false) {
  const chunks: string[] = []
  return {chunks, isTTY, write: (chunk: string) => chunks.push(chunk) > 0}
}

describe('wait: progress', () => {
  let clock: InstalledFakeClock

  beforeEach(() => {
    clock = installFakeClock(0, ['setInterval', 'clearInterval', 'Date'])
  })
  afterEach(() => clock.uninstall())

  it('is interactive only on a TTY without CI', () => {
    assert.equal(isInteractive({isTTY: true, write: () => true}, {}), true)
    assert.equal(isInteractive({isTTY: true, write: () => true}, {CI: 'true'}), false)
    assert.equal(isInteractive({isTTY: false, write: () => true}, {}), false)
    assert.equal(isInteractive({write: () => true}, {}), false)
  })

  it('prints one line per status change when not interactive', () => {
    const out = sink()
    const progress = createProgress({label: 'backup b1', stream: out, interactive: false})
    progress.update('creating')
    clock.tick(5000)
    progress.update('creating')
    clock.tick(70_000)
    progress.update('available')
    progress.stop()
    assert.deepEqual(out.chunks, ['backup b1: creating (0s)\n', 'backup b1: available (1m 15s)\n'])
  })

  it('prints poll warnings on their own line', () => {
    const out = sink()
    const progress = createProgress({label: 'cluster c1', stream: out, interactive: false})
    progress.warn('poll failed (1/10): HTTP 503, retrying')
    assert.deepEqual(out.chunks, ['cluster c1: poll failed (1/10): HTTP 503, retrying\n'])
  })

  it('draws a spinner with status and elapsed time on a terminal, and clears it on stop', () => {
    const out = sink(true)
    // interactive is given, not taken from the environment: CI runs these tests with CI=true.
    const progress = createProgress({label: 'backup b1', stream: out, interactive: true})
    progress.update('creating')
    const clearLine = '\r\u001B[2K'
    assert.ok(out.chunks[0].startsWith(clearLine))
    assert.match(out.chunks[0].slice(clearLine.length), /^. backup b1: creating \(0s\)$/)
    clock.tick(2000)
    assert.ok(out.chunks.length >= 20, 'redrawn every 100ms')
    assert.match(out.chunks.at(-1)!, /backup b1: creating \(2s\)$/)
    progress.stop()
    assert.equal(out.chunks.at(-1), '\r\u001B[2K')
    const drawn = out.chunks.length
    clock.tick(1000)
    assert.equal(out.chunks.length, drawn, 'no redraw after stop')
  })

  it('prints no newline-terminated status lines on a terminal', () => {
    const out = sink(true)
    const progress = createProgress({label: 'backup b1', stream: out, interactive: true})
    progress.update('creating')
    progress.update('available')
    progress.stop()
    assert.equal(
      out.chunks.some((c) => c.endsWith('\n')),
      false,
    )
  })
})
