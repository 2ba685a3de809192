import {strict as assert} from 'node:assert'
import {mkdtemp, rm} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

import {backupNode, generateDataDir} from '../../../src/lib/engine/index.js'

/** ESC_TRACE_TIMINGS=1 prints where a backup's time goes on stderr; unset, nothing. */
describe('backup phase timings (ESC_TRACE_TIMINGS)', () => {
  let dir: string
  let saved: string | undefined
  const write = process.stderr.write.bind(process.stderr)
  let captured: string
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'esc-trace-'))
    await generateDataDir(join(dir, 'db'), {chunks: 3, chunkSize: 64 * 1024, withIndex: true})
    saved = process.env.ESC_TRACE_TIMINGS
    captured = ''
    process.stderr.write = ((chunk: string | Uint8Array) => {
      captured += String(chunk)
      return true
    }) as typeof process.stderr.write
  })
  afterEach(async () => {
    process.stderr.write = write
    if (saved === undefined) delete process.env.ESC_TRACE_TIMINGS
    else process.env.ESC_TRACE_TIMINGS = saved
    await rm(dir, {recursive: true, force: true})
  })

  it('with ESC_TRACE_TIMINGS=1, one line per phase: label, start and duration', async () => {
    process.env.ESC_TRACE_TIMINGS = '1'
    await backupNode({db: join(dir, 'db'), backupDir: join(dir, 'bk')})
    process.stderr.write = write
    for (const phase of ['backup:check-source', 'backup:index', 'backup:log', 'flush \\d+ files', 'backup:assert-restorable'])
      assert.match(captured, new RegExp(`^esc-trace ${phase} start=\\d+ms took=\\d+ms$`, 'm'), phase)
    for (const line of captured.trimEnd().split('\n')) assert.match(line, /^esc-trace \S.* start=\d+ms took=\d+ms$/)
  })

  it('without it, the backup prints nothing on stderr', async () => {
    delete process.env.ESC_TRACE_TIMINGS
    await backupNode({db: join(dir, 'db'), backupDir: join(dir, 'bk')})
    process.stderr.write = write
    assert.equal(captured, '')
  })
})
