import {strict as assert} from 'node:assert'
import {execFileSync} from 'node:child_process'
import {mkdir, mkdtemp, readdir, rm, symlink, writeFile} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

import type {EscError} from '../../../src/lib/core/errors.js'
import {backupNode, generateDataDir, restoreBackup} from '../../../src/lib/engine/index.js'
import {snapshotTree} from './support/sandbox.js'

const STAGING = '.esc-restore-staging'

/**
 * A restore into several nodes is all or nothing: when one target fails part of the way (after the
 * others were moved aside and written to), every target is as it was before, moved-aside contents
 * back in place, nothing of the backup left.
 */
describe('restore into several nodes: a failure in one target leaves every target as it was', function () {
  this.timeout(30_000)
  let dir: string
  let bk: string
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'esc-restore-multi-fail-'))
    bk = join(dir, 'bk')
    await generateDataDir(join(dir, 'db'), {chunks: 4, chunkSize: 64 * 1024, withIndex: true})
    await backupNode({db: join(dir, 'db'), backupDir: bk})
    for (const n of ['n1', 'n2', 'n3']) {
      await mkdir(join(dir, n))
      await writeFile(join(dir, n, 'old.txt'), `the node ${n} before`)
    }
  })
  afterEach(() => rm(dir, {recursive: true, force: true}))

  const nodes = () => ['n1', 'n2', 'n3'].map((n) => ({db: join(dir, n)}))
  const asideLeft = async () => (await readdir(dir)).filter((n) => n.includes('before-restore'))

  it('the third target stops taking files in the middle of the copy: the first two hold what they held, nothing half-written', async () => {
    const before = await snapshotTree(dir)
    let files = 0
    await assert.rejects(
      restoreBackup({
        backupDir: bk,
        nodes: nodes(),
        force: true,
        concurrency: 1,
        onProgress: async () => {
          // After two files reached every node: the third node's staging directory becomes a file,
          // so the next file cannot be written there (as with a target that turned unwritable).
          if (++files !== 2) return
          await rm(join(dir, 'n3', STAGING), {recursive: true, force: true})
          await writeFile(join(dir, 'n3', STAGING), 'in the way')
        },
      }),
      (e: EscError) =>
        e.kind === 'failure' &&
        !e.message.includes('\n') &&
        e.message.startsWith(`restore into ${join(dir, 'n1')}, ${join(dir, 'n2')}, ${join(dir, 'n3')} failed: `) &&
        e.message.endsWith('; their previous contents are back'),
    )
    assert.ok(files >= 2, 'the copy was under way')
    assert.deepEqual(await snapshotTree(dir), before)
    assert.deepEqual(await asideLeft(), [])
  })

  it('a third target on a read-only filesystem: the first two are moved back, and the one line says so', async function () {
    await rm(join(dir, 'n3'), {recursive: true})
    await mkdir(join(dir, 'n3'))
    try {
      execFileSync('mount', ['-t', 'tmpfs', '-o', 'ro,size=16m', 'tmpfs', join(dir, 'n3')], {stdio: 'ignore'})
    } catch {
      this.skip() // mount needs root; the mid-copy failure above covers the same undo
    }
    try {
      const before = await snapshotTree(dir)
      await assert.rejects(
        restoreBackup({backupDir: bk, nodes: nodes(), force: true}),
        (e: EscError) =>
          e.kind === 'failure' &&
          !e.message.includes('\n') &&
          e.message.startsWith(`restore into ${join(dir, 'n1')}, ${join(dir, 'n2')}, ${join(dir, 'n3')} failed: EROFS`) &&
          e.message.endsWith('; their previous contents are back'),
      )
      assert.deepEqual(await snapshotTree(dir), before)
      assert.deepEqual(await asideLeft(), [])
    } finally {
      execFileSync('umount', [join(dir, 'n3')])
    }
  })

  it('a third target that cannot be made a directory is refused before the others are moved aside', async () => {
    await rm(join(dir, 'n3'), {recursive: true})
    await symlink(join(dir, 'nowhere'), join(dir, 'n3'))
    const before = await snapshotTree(dir)
    await assert.rejects(
      restoreBackup({backupDir: bk, nodes: nodes(), force: true}),
      (e: EscError) => e.kind === 'invalid-input' && e.message === `${join(dir, 'n3')} exists and is not a directory`,
    )
    assert.deepEqual(await snapshotTree(dir), before)
  })

  it('a third target below a regular file is refused before the others are moved aside', async () => {
    await rm(join(dir, 'n3'), {recursive: true})
    await writeFile(join(dir, 'file'), 'not a directory')
    const before = await snapshotTree(dir)
    await assert.rejects(
      restoreBackup({backupDir: bk, nodes: [...nodes().slice(0, 2), {db: join(dir, 'file', 'n3')}], force: true}),
      (e: EscError) =>
        e.kind === 'invalid-input' &&
        e.message === `the restore target ${join(dir, 'file', 'n3')} lies below ${join(dir, 'file')}, which is not a directory`,
    )
    assert.deepEqual(await snapshotTree(dir), before)
  })
})
