import {strict as assert} from 'node:assert'
import {execFileSync} from 'node:child_process'
import {existsSync} from 'node:fs'
import {mkdir, mkdtemp, readFile, readdir, rename, rm, symlink, unlink, writeFile} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

import {backupNode, generateDataDir, readManifest, restoreBackup, verifyDirectory} from '../../../src/lib/engine/index.js'
import {parseIndexMap} from '../../../src/lib/engine/indexmap.js'
import {describeError} from '../../../src/lib/cli/error-exit.js'
import type {EscError} from '../../../src/lib/core/errors.js'
import {isAbortError} from '../../../src/lib/core/errors.js'
import {snapshotTree, writeCheckpointValue} from './support/sandbox.js'

/** Engine errors name files and causes; a flag is the CLI's to add (from the error's hint). */
const withoutFlags = (e: EscError) => !/--[a-z]/.test([e.message, ...e.suggestions].join('\n'))

const CHUNK = 4096

/**
 * Each finding of the safety review, reproduced: a single command must never destroy or damage
 * data, write outside the directories it owns, or replace a sound backup with an unsound one.
 */
describe('engine safety: a backup never makes things worse', () => {
  let dir: string
  let db: string
  let bk: string
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'esc-safety-'))
    db = join(dir, 'db')
    bk = join(dir, 'bk')
  })
  afterEach(() => rm(dir, {recursive: true, force: true}))

  /** A first, sound backup; the test then damages the source and checks it stays the current one. */
  async function goodBackup(options: {withIndex?: boolean; chunks?: number} = {}) {
    await generateDataDir(db, {chunks: options.chunks ?? 3, chunkSize: CHUNK, withIndex: options.withIndex ?? true})
    return backupNode({db, backupDir: bk})
  }

  async function assertStillCurrent(id: string) {
    assert.equal((await readManifest(bk)).id, id, 'the previous backup is still the current one')
    const report = await verifyDirectory(bk)
    assert.deepEqual(report.problems, [])
    assert.deepEqual(
      (await readdir(bk)).filter((n) => n.startsWith('.staging-')),
      [],
      'no staging directory was left (or made)',
    )
    const restored = join(dir, `restored-${Math.random().toString(36).slice(2)}`)
    await restoreBackup({backupDir: bk, db: restored})
    await rm(restored, {recursive: true, force: true})
  }

  it('1. refuses a --db inside the backup directory (index elsewhere) and never removes it', async () => {
    const live = join(bk, 'data-live')
    await generateDataDir(live, {chunks: 3, chunkSize: CHUNK, withIndex: true})
    const idx = join(dir, 'idx')
    await rename(join(live, 'index'), idx)
    const before = await snapshotTree(dir)
    await assert.rejects(backupNode({db: live, index: idx, backupDir: bk}), /data directory .*data-live is inside the backup directory/)
    assert.deepEqual(await snapshotTree(dir), before, 'nothing changed anywhere')
    await generateDataDir(db, {chunks: 2, chunkSize: CHUNK})
    await assert.rejects(backupNode({db, index: join(bk, 'idx'), backupDir: bk}), /index directory .* is inside the backup directory/)
    await assert.rejects(
      backupNode({db: live, index: idx, backupDir: join(live, 'bk')}),
      /the backup directory .* is inside the data directory/,
    )
  })

  describe('2. a differential run refuses a damaged source before staging anything', () => {
    const cases: [string, () => Promise<void>, RegExp][] = [
      ['a negative writer.chk', () => writeCheckpointValue(join(db, 'writer.chk'), -5), /writer\.chk: .*-5.* below 0/],
      [
        'a chaser.chk beyond writer.chk',
        async () => {
          const writer = (await readFile(join(db, 'writer.chk'))).readBigInt64LE(0)
          await writeCheckpointValue(join(db, 'chaser.chk'), Number(writer) + 100)
        },
        /chaser\.chk: .* is above writer\.chk/,
      ],
      [
        'a damaged header in the ongoing chunk',
        async () => {
          const path = join(db, 'chunk-000002.000000')
          const bytes = await readFile(path)
          bytes[0] = 7
          await writeFile(path, bytes)
        },
        /chunk-000002\.000000: not a chunk file/,
      ],
      ['a missing first chunk', () => unlink(join(db, 'chunk-000000.000000')), /chunk 0 is missing/],
      [
        'an epoch.chk beyond writer.chk',
        async () => {
          await writeCheckpointValue(join(db, 'epoch.chk'), 10 * CHUNK)
        },
        /epoch\.chk: .* is above writer\.chk/,
      ],
      [
        'an ongoing chunk shorter than writer.chk says',
        async () => {
          const path = join(db, 'chunk-000002.000000')
          await writeFile(path, (await readFile(path)).subarray(0, 200))
        },
        /chunk-000002\.000000: .* shorter than writer\.chk/,
      ],
    ]
    for (const [what, damage, reason] of cases) {
      it(`${what}: refused naming the file, the previous backup stays current and restorable`, async () => {
        const good = await goodBackup()
        await damage()
        await assert.rejects(backupNode({db, backupDir: bk}), reason)
        await assertStillCurrent(good.id)
      })
    }

    it('a damaged record before writer.chk in the ongoing chunk: the staged backup fails verification and is not promoted', async () => {
      const good = await goodBackup()
      const path = join(db, 'chunk-000002.000000')
      const bytes = await readFile(path)
      bytes.writeInt32LE(12345, 128) // the first record's length prefix no longer matches its suffix
      await writeFile(path, bytes)
      await assert.rejects(backupNode({db, backupDir: bk}), /the new backup would not restore: chunk-000002\.000000: /)
      await assertStillCurrent(good.id)
    })
  })

  it('3. restore refuses a manifest whose file path leaves the target, and verify reports it', async () => {
    const good = await goodBackup()
    await mkdir(join(dir, 'x'))
    await writeFile(join(dir, 'x', 'evil.txt'), 'evil')
    const manifestPath = join(bk, 'esc-backup.json')
    const manifest = JSON.parse(await readFile(manifestPath, 'utf8'))
    manifest.files.push({path: '../../x/evil.txt', kind: 'checkpoint', size: 4, md5: '0'.repeat(32), verified: true, origin: 'copied'})
    await writeFile(manifestPath, JSON.stringify(manifest))
    const target = join(dir, 't', 'a', 'b', 'db')
    await assert.rejects(
      restoreBackup({backupDir: bk, db: target}),
      /files\[\d+\]\.path "\.\.\/\.\.\/x\/evil\.txt" is not a plain relative path/,
    )
    assert.equal(existsSync(join(dir, 't')), false, 'nothing was created')
    const report = await verifyDirectory(bk)
    assert.equal(report.ok, false)
    assert.match(report.problems[0].reason, /not a plain relative path/)
    assert.ok(good.id)
  })

  it('4. a manifest naming a data directory outside the backup directory makes the next backup refuse, removing nothing', async () => {
    await goodBackup()
    const victim = join(dir, 'victim')
    await mkdir(victim)
    await writeFile(join(victim, 'keep.txt'), 'precious')
    for (const dataDir of ['../victim', 'data-x/../../victim', '/tmp', '']) {
      const manifestPath = join(bk, 'esc-backup.json')
      const manifest = JSON.parse(await readFile(manifestPath, 'utf8'))
      const original = manifest.dataDir
      manifest.dataDir = dataDir
      await writeFile(manifestPath, JSON.stringify(manifest))
      const before = await snapshotTree(dir)
      await assert.rejects(backupNode({db, backupDir: bk}), /esc-backup\.json .*dataDir .* is not the name of a data directory/)
      assert.deepEqual(await snapshotTree(dir), before, `dataDir ${dataDir}: nothing changed`)
      manifest.dataDir = original
      await writeFile(manifestPath, JSON.stringify(manifest))
    }
    assert.equal(await readFile(join(victim, 'keep.txt'), 'utf8'), 'precious')
  })

  describe('5. FIFOs, devices and directories in place of a file are refused at once (no hang)', () => {
    const fifoAt = async (path: string) => {
      await rm(path, {force: true})
      execFileSync('mkfifo', [path])
    }
    const targets: [string, (index: string) => string][] = [
      ['writer.chk', () => join(db, 'writer.chk')],
      ['chaser.chk', () => join(db, 'chaser.chk')],
      ['epoch.chk', () => join(db, 'epoch.chk')],
      ['indexmap', (index) => join(index, 'indexmap')],
      ['a PTable', () => ''],
    ]
    for (const [what, pathOf] of targets) {
      it(`a FIFO as ${what}`, async function () {
        this.timeout(5000)
        const good = await goodBackup()
        const index = join(db, 'index')
        let path = pathOf(index)
        if (!path) path = join(index, parseIndexMap(await readFile(join(index, 'indexmap'))).tables[0].file)
        await fifoAt(path)
        await assert.rejects(backupNode({db, backupDir: bk}), /is not a regular file/)
        await assertStillCurrent(good.id)
      })
    }

    it('writer.chk as a link to /dev/zero, and a directory as chaser.chk', async () => {
      const good = await goodBackup()
      await unlink(join(db, 'writer.chk'))
      await symlink('/dev/zero', join(db, 'writer.chk'))
      await assert.rejects(backupNode({db, backupDir: bk}), /writer\.chk is not a regular file \(a character device\)/)
      await unlink(join(db, 'writer.chk'))
      await generateDataDir(join(dir, 'copy'), {chunks: 3, chunkSize: CHUNK})
      await writeFile(join(db, 'writer.chk'), await readFile(join(dir, 'copy', 'writer.chk')))
      await unlink(join(db, 'chaser.chk'))
      await mkdir(join(db, 'chaser.chk'))
      await assert.rejects(backupNode({db, backupDir: bk}), /chaser\.chk is not a regular file \(a directory\)/)
      await assertStillCurrent(good.id)
    })

    it('verify reports a FIFO instead of hanging', async function () {
      this.timeout(5000)
      await generateDataDir(db, {chunks: 2, chunkSize: CHUNK})
      await fifoAt(join(db, 'writer.chk'))
      const report = await verifyDirectory(db)
      assert.deepEqual(
        report.problems.find((p) => p.file === 'writer.chk'),
        {file: 'writer.chk', reason: 'not a regular file (a FIFO)'},
      )
    })
  })

  describe('7. restore never writes into a backup directory', () => {
    it("refuses the backup's own data directory, a directory inside the backup directory, and one containing it", async () => {
      const good = await goodBackup()
      const inside = [join(bk, good.dataDir), join(bk, 'data-restored'), join(bk, 'sub', 'db')]
      for (const target of inside) {
        await assert.rejects(restoreBackup({backupDir: bk, db: target, force: true}), /is inside the backup directory/)
      }
      await assert.rejects(restoreBackup({backupDir: bk, db: dir, force: true}), /contains the backup directory/)
      await assert.rejects(
        restoreBackup({backupDir: bk, db: join(dir, 'r'), index: join(bk, 'index'), force: true}),
        /is inside the backup directory/,
      )
      // Another backup directory (not the one restored from) is just as off limits.
      const other = join(dir, 'other-bk')
      await backupNode({db, backupDir: other})
      await assert.rejects(restoreBackup({backupDir: bk, db: join(other, 'db'), force: true}), /is inside the backup directory .*other-bk/)
      await assertStillCurrent(good.id)
      assert.deepEqual((await readdir(bk)).sort(), [good.dataDir, 'esc-backup.json'].sort())
    })
  })

  it('8. refuses an index directory that does not exist; verify reports it instead of OK', async () => {
    const good = await goodBackup()
    await assert.rejects(backupNode({db, index: join(dir, 'nope'), backupDir: bk}), /index directory .*nope does not exist/)
    await assertStillCurrent(good.id)
    assert.ok(
      (await readManifest(bk)).files.some((f) => f.kind === 'ptable'),
      'the previous backup keeps its index',
    )
    const report = await verifyDirectory(db, {index: join(dir, 'nope')})
    assert.equal(report.ok, false)
    assert.deepEqual(report.problems, [{file: join(dir, 'nope'), reason: 'index directory does not exist'}])
  })

  describe('found by the property suite', () => {
    it('an index that is a file, a dangling indexmap link, an indexmap that never appears: one-line refusals', async () => {
      const good = await goodBackup()
      const index = join(db, 'index')
      await rename(index, join(dir, 'index-away'))
      await writeFile(index, 'not a directory')
      await assert.rejects(backupNode({db, backupDir: bk}), /^FormatError: the index directory .*db\/index is not a directory$/m)
      await rm(index)
      await rename(join(dir, 'index-away'), index)
      await rename(join(index, 'indexmap'), join(dir, 'indexmap'))
      await symlink(join(dir, 'nowhere'), join(index, 'indexmap'))
      await assert.rejects(backupNode({db, backupDir: bk}), /indexmap: a symbolic link to a file that does not exist/)
      await unlink(join(index, 'indexmap'))
      await assert.rejects(
        backupNode({db, backupDir: bk, sleep: async () => undefined}),
        (e: EscError) =>
          /indexmap is missing while the index directory holds PTables \(waited 30 s for the node to write it\)$/.test(e.message) &&
          withoutFlags(e) &&
          e.hint?.advice === 'index' &&
          describeError(e).message.endsWith("; check the node's index, or back up with --index pointing at the right directory"),
      )
      await assertStillCurrent(good.id)
    })

    it('a manifest naming a data directory that is missing: refused, and the real data directory is not removed as a leftover', async () => {
      const good = await goodBackup()
      const manifestPath = join(bk, 'esc-backup.json')
      const manifest = JSON.parse(await readFile(manifestPath, 'utf8'))
      manifest.dataDir = 'data-20260101T000000Z-abcdef'
      await writeFile(manifestPath, JSON.stringify(manifest))
      const before = await snapshotTree(dir)
      for (const full of [false, true]) {
        await assert.rejects(
          backupNode({db, backupDir: bk, full}),
          /esc-backup\.json names the data directory data-20260101T000000Z-abcdef, which is missing; nothing was changed/,
        )
        assert.deepEqual(await snapshotTree(dir), before, `full=${full}: nothing changed`)
      }
      assert.ok(existsSync(join(bk, good.dataDir)))
    })

    it('a manifest whose checkpoints, ids or report fields are not what esc writes: unsound, one line, nothing written', async () => {
      await goodBackup()
      const manifestPath = join(bk, 'esc-backup.json')
      const original = await readFile(manifestPath, 'utf8')
      for (const [key, value, reason] of [
        ['checkpoints', null, /checkpoints null is not an object/],
        ['checkpoints', {writer: -1, chaser: 0}, /checkpoints\.writer -1 is not a log position/],
        ['lastChunk', 'x', /lastChunk "x" is not a chunk number/],
        ['id', 5, /id 5 is not a backup id/],
        ['timings', [], /timings \[\] is not an object/],
        ['source', null, /source null is not an object/],
      ] as const) {
        await writeFile(manifestPath, JSON.stringify({...JSON.parse(original), [key]: value}))
        const target = join(dir, 'target')
        await assert.rejects(
          restoreBackup({backupDir: bk, db: target}),
          (e: Error) => e.name === 'UnsoundBackupError' && reason.test(e.message) && !e.message.includes('\n'),
        )
        assert.equal(existsSync(target), false)
      }
    })

    it('restore refuses a data directory inside (or equal to) the index directory it is given', async () => {
      await goodBackup()
      const target = join(dir, 'node')
      await assert.rejects(restoreBackup({backupDir: bk, db: join(target, 'db'), index: target}), /is, or is inside, the index directory/)
      await assert.rejects(restoreBackup({backupDir: bk, db: target, index: target}), /is, or is inside, the index directory/)
      await assert.rejects(
        restoreBackup({backupDir: bk, db: target, index: target}),
        (e: EscError) =>
          withoutFlags(e) &&
          e.kind === 'invalid-input' &&
          e.hint?.advice === 'separate-index' &&
          describeError(e).message ===
            `the restore target ${target} is, or is inside, the index directory ${target} (the default index directory is ${join(target, 'index')}); give --index a directory of its own`,
      )
      assert.equal(existsSync(target), false)
    })
  })

  describe('12. a restore that fails part-way removes what it wrote', () => {
    it('an interrupted restore leaves no partial target, and puts a moved-aside target back', async () => {
      await goodBackup()
      const target = join(dir, 'node')
      await mkdir(target)
      await writeFile(join(target, 'old.txt'), 'the node before')
      const controller = new AbortController()
      await assert.rejects(
        restoreBackup({
          backupDir: bk,
          db: target,
          force: true,
          signal: controller.signal,
          concurrency: 1,
          onProgress: () => controller.abort(),
        }),
        (error: Error) =>
          isAbortError(error) && /nothing of the backup was left in .*node; its previous contents are back/.test(error.message),
      )
      assert.deepEqual(await readdir(target), ['old.txt'])
      assert.deepEqual(
        (await readdir(dir)).filter((n) => n.includes('before-restore')),
        [],
      )
    })

    it('a full disk: one line that says so, and nothing left behind', async function () {
      const small = join(dir, 'small')
      await mkdir(small)
      try {
        execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=64k', 'tmpfs', small], {stdio: 'ignore'})
      } catch {
        this.skip() // mount needs root; the interrupted-restore test covers the same clean-up path
      }
      try {
        await generateDataDir(db, {chunks: 8, chunkSize: 16 * 1024, withIndex: true})
        await backupNode({db, backupDir: bk})
        const target = join(small, 'db')
        await assert.rejects(
          restoreBackup({backupDir: bk, db: target}),
          (error: Error & {code?: string}) =>
            error.code === 'ENOSPC' && /^not enough space for the restore in .*small\/db: needs \d+ bytes, \d+ free/.test(error.message),
        )
        assert.deepEqual(await readdir(small), [])
      } finally {
        execFileSync('umount', [small])
      }
    })
  })
})
