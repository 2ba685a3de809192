import {strict as assert} from 'node:assert'
import {createHash} from 'node:crypto'
import {existsSync} from 'node:fs'
import {mkdir, mkdtemp, open, readFile, readdir, rm, stat, writeFile} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import {join, relative} from 'node:path'

import {isAbortError} from '../../../src/lib/core/errors.js'
import type {EscError} from '../../../src/lib/core/errors.js'
import {backupNode, generateDataDir, readManifest, restoreBackup, verifyDirectory} from '../../../src/lib/engine/index.js'
import {snapshotTree} from './support/sandbox.js'

/** Every file under `root` by relative path: its permissions and an MD5 of its bytes. */
async function contents(root: string, skip: (rel: string) => boolean = () => false): Promise<Record<string, string>> {
  const out: Record<string, string> = {}
  for (const e of await readdir(root, {withFileTypes: true, recursive: true})) {
    const path = join(e.parentPath, e.name)
    const rel = relative(root, path)
    if (skip(rel)) continue
    const st = await stat(path)
    out[rel] = e.isDirectory()
      ? 'dir'
      : `${(st.mode & 0o7777).toString(8)} ${createHash('md5')
          .update(await readFile(path))
          .digest('hex')}`
  }
  return out
}

/**
 * One backup seeds every node of a new cluster: the same verified bytes in each target, all or
 * nothing. The copy is verified as it is written, into a staging directory promoted at the end.
 */
// Small chunks take the kernel copy read back to be hashed; chunks over 4 MiB go through the
// hashing workers, which hash what they write.
for (const [how, CHUNK] of [
  ['kernel copies', 64 * 1024],
  ['copies through the hashing lanes', 6 * 1024 * 1024],
] as const)
  describe(`restore into several nodes, verified while copying (${how})`, () => {
    let dir: string
    let bk: string
    beforeEach(async () => {
      dir = await mkdtemp(join(tmpdir(), 'esc-restore-multi-'))
      bk = join(dir, 'bk')
      await generateDataDir(join(dir, 'db'), {chunks: 4, chunkSize: CHUNK, withIndex: true})
      await backupNode({db: join(dir, 'db'), backupDir: bk})
    })
    afterEach(() => rm(dir, {recursive: true, force: true}))

    const nodes = (...names: string[]) => names.map((n) => ({db: join(dir, n)}))
    const withoutTruncate = (rel: string) => rel === 'truncate.chk'

    it('writes identical bytes, and truncate.chk, into each of three targets', async () => {
      const result = await restoreBackup({backupDir: bk, nodes: nodes('n1', 'n2', 'n3')})
      const manifest = await readManifest(bk)
      const fromBackup = await contents(join(bk, manifest.dataDir))
      const chaser = await readFile(join(bk, manifest.dataDir, 'chaser.chk'))
      for (const n of ['n1', 'n2', 'n3']) {
        assert.deepEqual(await contents(join(dir, n), withoutTruncate), fromBackup, `${n} holds the backup's bytes`)
        assert.deepEqual(await readFile(join(dir, n, 'truncate.chk')), chaser, `${n}: truncate.chk = chaser.chk`)
        assert.equal((await verifyDirectory(join(dir, n))).problems.length, 0)
      }
      assert.deepEqual(
        result.nodes.map((n) => n.db),
        ['n1', 'n2', 'n3'].map((n) => join(dir, n)),
      )
      assert.match(result.notes.join('\n'), /Start all 3 nodes: each truncates its log to the same position \(\d+\)/)
    })

    it('per-node index directories receive the index, the data directories the rest', async () => {
      await restoreBackup({
        backupDir: bk,
        nodes: [
          {db: join(dir, 'n1'), index: join(dir, 'i1')},
          {db: join(dir, 'n2'), index: join(dir, 'i2')},
        ],
      })
      const manifest = await readManifest(bk)
      const index = await contents(join(bk, manifest.dataDir, 'index'))
      for (const n of ['1', '2']) {
        assert.deepEqual(await contents(join(dir, `i${n}`)), index)
        assert.equal(existsSync(join(dir, `n${n}`, 'index')), false)
      }
    })

    it('a non-empty second target is refused before anything is written; the first stays untouched', async () => {
      await mkdir(join(dir, 'n2'))
      await writeFile(join(dir, 'n2', 'old.txt'), 'node two')
      const before = await snapshotTree(dir)
      await assert.rejects(
        restoreBackup({backupDir: bk, nodes: nodes('n1', 'n2', 'n3')}),
        (e: EscError) => e.kind === 'invalid-input' && e.hint?.advice === 'force' && e.message === `${join(dir, 'n2')} is not empty`,
      )
      assert.deepEqual(await snapshotTree(dir), before)
      assert.equal(existsSync(join(dir, 'n1')), false)
    })

    it('refuses the same directory, or one inside another, for two nodes', async () => {
      await assert.rejects(
        restoreBackup({backupDir: bk, nodes: [{db: join(dir, 'n1')}, {db: join(dir, 'n1', 'x')}]}),
        (e: EscError) => e.kind === 'invalid-input' && /overlap/.test(e.message),
      )
      await assert.rejects(
        restoreBackup({
          backupDir: bk,
          nodes: [
            {db: join(dir, 'n1'), index: join(dir, 'shared')},
            {db: join(dir, 'n2'), index: join(dir, 'shared')},
          ],
        }),
        (e: EscError) => e.kind === 'invalid-input' && /overlap/.test(e.message),
      )
      assert.equal(existsSync(join(dir, 'n1')), false)
    })

    it('with force, an interruption mid-way puts every moved-aside target back', async () => {
      for (const n of ['n1', 'n2', 'n3']) {
        await mkdir(join(dir, n))
        await writeFile(join(dir, n, 'old.txt'), `the node ${n} before`)
      }
      const before = await snapshotTree(dir)
      const controller = new AbortController()
      let files = 0
      await assert.rejects(
        restoreBackup({
          backupDir: bk,
          nodes: nodes('n1', 'n2', 'n3'),
          force: true,
          signal: controller.signal,
          concurrency: 1,
          onProgress: () => {
            if (++files === 3) controller.abort()
          },
        }),
        (error: Error) => isAbortError(error) && /previous contents are back/.test(error.message),
      )
      assert.deepEqual(await snapshotTree(dir), before)
      assert.deepEqual(
        (await readdir(dir)).filter((n) => n.includes('before-restore')),
        [],
      )
    })

    it('a flipped byte in a chunk aborts the copy: the staging directory goes, the target is unchanged', async () => {
      const manifest = await readManifest(bk)
      const chunk = join(bk, manifest.dataDir, 'chunk-000001.000000')
      const fh = await open(chunk, 'r+')
      const b = Buffer.alloc(1)
      await fh.read(b, 0, 1, 1000)
      b[0] ^= 0xff
      await fh.write(b, 0, 1, 1000)
      await fh.close()
      await mkdir(join(dir, 'n1'))
      await writeFile(join(dir, 'n1', 'old.txt'), 'the node before')
      const before = await snapshotTree(join(dir, 'n1'))
      for (const force of [false, true]) {
        const target = force ? nodes('n1') : nodes('fresh')
        await assert.rejects(
          restoreBackup({backupDir: bk, nodes: target, force}),
          (e: EscError) =>
            e.kind === 'unsound-backup' &&
            /chunk-000001\.000000: MD5 [0-9a-f]{32} differs from the stored [0-9a-f]{32}/.test(e.message) &&
            !e.message.includes('\n'),
        )
      }
      assert.deepEqual(await snapshotTree(join(dir, 'n1')), before)
      assert.equal(existsSync(join(dir, 'fresh')), false)
      assert.deepEqual(
        (await readdir(dir)).filter((n) => n.includes('before-restore')),
        [],
      )
    })
  })
