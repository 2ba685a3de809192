import {strict as assert} from 'node:assert'
import {mkdir, mkdtemp, readFile, rm, unlink, writeFile} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

import {hardLinkTree} from '../../../src/lib/engine/backup-dir.js'
import {copyFileAtomic, copyPrefixAtomic, linkOrCopy} from '../../../src/lib/engine/copy.js'
import {collectFlushes, withDeferredFlush} from '../../../src/lib/engine/deferred-flush.js'

/**
 * A backup copies without flushing each file and flushes them all together before its manifest:
 * every file copied inside the scope is flushed once, a failing flush fails the run, and outside a
 * scope copies flush as before.
 */
describe('deferred flush of copied files', () => {
  let dir: string
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'esc-flush-'))
    await writeFile(join(dir, 'a'), 'alpha')
    await writeFile(join(dir, 'b'), Buffer.alloc(10_000, 7))
  })
  afterEach(() => rm(dir, {recursive: true, force: true}))

  it('flushes every file copied in the scope, under its final name, once, after the copies', async () => {
    const flushed: string[] = []
    let copiesDone = false
    await withDeferredFlush(
      async () => {
        await copyFileAtomic(join(dir, 'a'), join(dir, 'a2'))
        await copyPrefixAtomic(join(dir, 'b'), join(dir, 'b2'), 100, 200)
        assert.deepEqual(flushed, [], 'nothing is flushed while the copies run')
        copiesDone = true
      },
      {
        fsync: async (path) => {
          assert.ok(copiesDone)
          flushed.push(path)
        },
      },
    )
    assert.deepEqual(flushed.sort(), [join(dir, 'a2'), join(dir, 'b2')])
    assert.equal(await readFile(join(dir, 'a2'), 'utf8'), 'alpha')
    assert.equal((await readFile(join(dir, 'b2'))).length, 200)
  })

  it('a file copied and then removed inside the scope (a PTable merged away) needs no flush', async () => {
    await withDeferredFlush(async () => {
      await copyFileAtomic(join(dir, 'a'), join(dir, 'a2'))
      await copyFileAtomic(join(dir, 'b'), join(dir, 'b2'))
      await unlink(join(dir, 'a2'))
    })
    assert.equal((await readFile(join(dir, 'b2'))).length, 10_000)
  })

  it('a flush that fails fails the scope', async () => {
    await assert.rejects(
      withDeferredFlush(() => copyFileAtomic(join(dir, 'a'), join(dir, 'a2')), {
        fsync: async () => {
          throw new Error('EIO: i/o error, fsync')
        },
      }),
      /EIO: i\/o error, fsync/,
    )
  })

  it('the scope does not flush when its work fails', async () => {
    const flushed: string[] = []
    await assert.rejects(
      withDeferredFlush(
        async () => {
          await copyFileAtomic(join(dir, 'a'), join(dir, 'a2'))
          throw new Error('copy of the next file failed')
        },
        {fsync: async (path) => void flushed.push(path)},
      ),
      /copy of the next file failed/,
    )
    assert.deepEqual(flushed, [])
  })

  it('collectFlushes leaves the flush to the caller, who can run other checks meanwhile', async () => {
    const flushed: string[] = []
    const {result, flush} = await collectFlushes(async () => {
      await copyFileAtomic(join(dir, 'a'), join(dir, 'a2'))
      return 'copied'
    })
    assert.equal(result, 'copied')
    assert.equal(flushed.length, 0)
    await flush({fsync: async (path) => void flushed.push(path)})
    assert.deepEqual(flushed, [join(dir, 'a2')])
  })
})

/**
 * A hard link needs no flush (the data is already on disk under the other name), but the copy a
 * link falls back to across filesystems is new data: it must be flushed like any other copy before
 * a manifest names it. /dev/shm (tmpfs) and the temp directory are different filesystems here.
 */
describe('the copy that a hard link falls back to across filesystems is flushed', () => {
  let shm: string
  let dir: string
  beforeEach(async () => {
    shm = await mkdtemp('/dev/shm/esc-exdev-')
    dir = await mkdtemp(join(tmpdir(), 'esc-exdev-'))
    await mkdir(join(shm, 'tree', 'index'), {recursive: true})
    await writeFile(join(shm, 'tree', 'chunk'), 'alpha')
    await writeFile(join(shm, 'tree', 'index', 'ptable'), 'beta')
  })
  afterEach(async () => {
    await rm(shm, {recursive: true, force: true})
    await rm(dir, {recursive: true, force: true})
  })

  it('linkOrCopy: copied, and flushed under its final name', async () => {
    const flushed: string[] = []
    const how = await withDeferredFlush(() => linkOrCopy(join(shm, 'tree', 'chunk'), join(dir, 'chunk')), {
      fsync: async (path) => void flushed.push(path),
    })
    assert.equal(how, 'copied')
    assert.equal(await readFile(join(dir, 'chunk'), 'utf8'), 'alpha')
    assert.deepEqual(flushed, [join(dir, 'chunk')])
  })

  it('hardLinkTree: every copied file flushed', async () => {
    const flushed: string[] = []
    const count = await withDeferredFlush(() => hardLinkTree(join(shm, 'tree'), join(dir, 'tree')), {
      fsync: async (path) => void flushed.push(path),
    })
    assert.equal(count, 2)
    assert.equal(await readFile(join(dir, 'tree', 'index', 'ptable'), 'utf8'), 'beta')
    assert.deepEqual(flushed.sort(), [join(dir, 'tree', 'chunk'), join(dir, 'tree', 'index', 'ptable')])
  })
})
