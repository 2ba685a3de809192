import {strict as assert} from 'node:assert'
import {mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

import {writeFileAtomic} from '../../../src/lib/core/atomic-write.js'

describe('atomic write', () => {
  let dir: string
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'esc-atomic-'))
  })
  afterEach(() => rm(dir, {recursive: true, force: true}))

  it('replaces the target whole, text or bytes, with the mode asked for, and leaves nothing beside it', async () => {
    const target = join(dir, 'sub', 'token.json')
    await writeFileAtomic(target, 'first', {mode: 0o600, dirMode: 0o700})
    await writeFileAtomic(target, Buffer.from([1, 2, 3]), {mode: 0o600})
    assert.deepEqual(await readFile(target), Buffer.from([1, 2, 3]))
    assert.equal((await stat(target)).mode & 0o777, 0o600)
    assert.equal((await stat(join(dir, 'sub'))).mode & 0o777, 0o700)
    assert.deepEqual(await readdir(join(dir, 'sub')), ['token.json'])
  })

  it('writes through the temp path given (a name a clean-up recognises), replacing a leftover of a crash', async () => {
    const target = join(dir, 'truncate.chk')
    await writeFile(`${target}.esc-partial`, 'left by a crash')
    await writeFileAtomic(target, Buffer.alloc(8), {tempPath: `${target}.esc-partial`})
    assert.deepEqual(await readdir(dir), ['truncate.chk'])
    assert.equal((await readFile(target)).length, 8)
  })

  it('leaves no temp file when the write fails, with either kind of temp name', async () => {
    // A directory in the way makes the final rename fail after the temp file was written.
    const target = join(dir, 'in-the-way')
    await mkdir(join(target, 'child'), {recursive: true})
    await assert.rejects(writeFileAtomic(target, 'x'), {code: /^(EISDIR|ENOTEMPTY|EEXIST)$/})
    await assert.rejects(writeFileAtomic(target, Buffer.from('x'), {tempPath: `${target}.esc-partial`}), {
      code: /^(EISDIR|ENOTEMPTY|EEXIST)$/,
    })
    assert.deepEqual(await readdir(dir), ['in-the-way'])
  })
})
