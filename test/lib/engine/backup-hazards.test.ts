import {strict as assert} from 'node:assert'
import {chmod, copyFile, mkdtemp, readFile, readdir, rename, rm, symlink, unlink, writeFile} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

import {backupNode, generateDataDir, readManifest, restoreBackup, verifyDirectory} from '../../../src/lib/engine/index.js'
import {parseIndexMap, serializeIndexMap} from '../../../src/lib/engine/indexmap.js'
import {encodePTable} from '../../../src/lib/engine/ptable.js'
import {readCheckpointFile, walkLog} from './support/independent-reader.js'

const CHUNK = 65536

describe('kurrentdb backup hazards (the table in docs/engine.md, "The procedure, and the hazards it handles")', () => {
  let dir: string
  let db: string
  let bk: string
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'esc-hazard-'))
    db = join(dir, 'db')
    bk = join(dir, 'bk')
  })
  afterEach(() => rm(dir, {recursive: true, force: true}))

  it('1. drops a chunk that starts after floor(writer / chunkSize), so the restore truncation succeeds', async () => {
    await generateDataDir(db, {chunks: 3, chunkSize: CHUNK})
    // The writer rolled into chunk 3 after writer.chk was read: chunk 3 exists, writer.chk still points into 2.
    const ongoing = await readFile(join(db, 'chunk-000002.000000'))
    ongoing.writeInt32LE(3, 6)
    ongoing.writeInt32LE(3, 10)
    await writeFile(join(db, 'chunk-000003.000000'), ongoing.subarray(0, 128))
    const lines: string[] = []
    const manifest = await backupNode({db, backupDir: bk, log: (l) => lines.push(l)})
    assert.equal(manifest.lastChunk, 2)
    assert.ok(!manifest.files.some((f) => f.path === 'chunk-000003.000000'))
    assert.ok(
      lines.some((l) => /^chunk-000003\.000000: starts after writer\.chk \(\d+\); left out/.test(l)),
      lines.join('\n'),
    )
    // A naive copy would carry it: verify flags exactly that.
    const naive = join(dir, 'naive')
    await generateDataDir(naive, {chunks: 3, chunkSize: CHUNK})
    await copyFile(join(db, 'chunk-000003.000000'), join(naive, 'chunk-000003.000000'))
    const report = await verifyDirectory(naive)
    assert.deepEqual(
      report.problems.map((p) => p.file),
      ['chunk-000003.000000'],
    )
    assert.match(report.problems[0].reason, /starts after the last chunk 2/)
    const restored = join(dir, 'restored')
    await restoreBackup({backupDir: bk, db: restored})
    assert.ok(!(await readdir(restored)).includes('chunk-000003.000000'))
  })

  it('2. never copies a half-written PTable; copies and verifies it once the indexmap references it', async () => {
    await generateDataDir(db, {chunks: 3, chunkSize: CHUNK, withIndex: true})
    const index = join(db, 'index')
    const name = '0badc0de-0000-4000-8000-000000000001'
    const full = encodePTable([{version: 0n, streamHash: 42n, position: 100n}])
    await writeFile(join(index, name), full.subarray(0, 150))
    const first = await backupNode({db, backupDir: bk})
    assert.ok(!first.files.some((f) => f.path === `index/${name}`), 'an unreferenced (half-written) PTable is not copied')
    // The server finishes the file and then references it.
    await writeFile(join(index, name), full)
    const map = parseIndexMap(await readFile(join(index, 'indexmap')))
    map.tables.push({level: 0, position: map.tables.filter((t) => t.level === 0).length, file: name})
    await writeFile(join(index, 'indexmap'), serializeIndexMap(map))
    const second = await backupNode({db, backupDir: bk})
    const entry = second.files.find((f) => f.path === `index/${name}`)
    assert.ok(entry)
    assert.equal(entry.size, full.length)
    assert.equal(entry.md5, full.subarray(-16).toString('hex'))
    assert.equal((await verifyDirectory(bk)).ok, true)
  })

  it('waits while the indexmap is between delete and rename (documented step 2: repeat until it exists)', async () => {
    await generateDataDir(db, {chunks: 3, chunkSize: CHUNK, withIndex: true})
    const index = join(db, 'index')
    await rename(join(index, 'indexmap'), join(index, 'indexmap.x.indexmap.tmp'))
    const waits: number[] = []
    const manifest = await backupNode({
      db,
      backupDir: bk,
      sleep: async (ms) => {
        waits.push(ms)
        if (waits.length === 3) await rename(join(index, 'indexmap.x.indexmap.tmp'), join(index, 'indexmap'))
      },
    })
    assert.deepEqual(waits, [20, 20, 20])
    assert.equal(manifest.index?.tables, 2)
    assert.equal(manifest.files.filter((f) => f.kind === 'ptable').length, 2)
    assert.ok(!manifest.files.some((f) => f.path.endsWith('.tmp')))
  })

  it('2b. refuses a referenced PTable whose MD5 fails, keeping the previous backup', async () => {
    await generateDataDir(db, {chunks: 2, chunkSize: CHUNK, withIndex: true})
    const before = await backupNode({db, backupDir: bk})
    const map = parseIndexMap(await readFile(join(db, 'index', 'indexmap')))
    const path = join(db, 'index', map.tables[0].file)
    const bytes = await readFile(path)
    bytes[200] ^= 0xff
    await chmod(path, 0o644)
    await writeFile(path, bytes)
    await assert.rejects(
      backupNode({db, backupDir: bk, full: true}),
      /PTable .* referenced by the indexmap fails verification: .*PTable MD5 mismatch/,
    )
    assert.equal((await readManifest(bk)).id, before.id)
    assert.equal((await verifyDirectory(bk)).ok, true)
  })

  it('3. re-copies a chunk whose name is already in the backup but whose content changed', async () => {
    await generateDataDir(db, {chunks: 3, chunkSize: CHUNK})
    const other = join(dir, 'other')
    await generateDataDir(other, {chunks: 3, chunkSize: CHUNK, seed: 7})
    await backupNode({db, backupDir: bk})
    // Offline truncation + re-replication rewrote chunk 1 under the same file name.
    await chmod(join(db, 'chunk-000001.000000'), 0o644)
    await copyFile(join(other, 'chunk-000001.000000'), join(db, 'chunk-000001.000000'))
    const source = await readFile(join(db, 'chunk-000001.000000'))
    const lines: string[] = []
    const manifest = await backupNode({db, backupDir: bk, log: (l) => lines.push(l)})
    const entry = manifest.files.find((f) => f.path === 'chunk-000001.000000')!
    assert.equal(entry.origin, 'copied')
    assert.equal(entry.md5, source.subarray(-16).toString('hex'))
    assert.ok(
      lines.some((l) => l.startsWith('chunk-000001.000000: same name, different size or footer MD5')),
      lines.join('\n'),
    )
    assert.deepEqual(await readFile(join(bk, manifest.dataDir, 'chunk-000001.000000')), source)
    assert.equal(manifest.files.find((f) => f.path === 'chunk-000000.000000')!.origin, 'kept')
  })

  it('4. refuses a 0-byte checkpoint on the node instead of copying it, and writes 8-byte checkpoints', async () => {
    await generateDataDir(db, {chunks: 2, chunkSize: CHUNK})
    const good = await backupNode({db, backupDir: bk})
    for (const f of good.files.filter((x) => x.kind === 'checkpoint')) assert.equal(f.size, 8)
    assert.ok(!good.files.some((f) => f.path === 'truncate.chk'), 'a backup carries no truncation')
    await writeFile(join(db, 'chaser.chk'), '')
    await assert.rejects(backupNode({db, backupDir: bk}), /chaser\.chk: checkpoint must be exactly 8 bytes, found 0/)
    assert.equal((await readManifest(bk)).id, good.id, 'the previous backup is still the current one')
  })

  it("4b. refuses the index's stream-existence checkpoint when it is not 8 bytes, keeping the previous backup", async () => {
    await generateDataDir(db, {chunks: 2, chunkSize: CHUNK, withIndex: true})
    const sec = join(db, 'index', 'stream-existence', 'streamExistenceFilter.chk')
    const {mkdir} = await import('node:fs/promises')
    await mkdir(join(sec, '..'), {recursive: true})
    await writeFile(sec, Buffer.alloc(8))
    const good = await backupNode({db, backupDir: bk})
    assert.equal(good.files.find((f) => f.path === 'index/stream-existence/streamExistenceFilter.chk')?.size, 8)
    await writeFile(sec, Buffer.alloc(3))
    await assert.rejects(backupNode({db, backupDir: bk}), /streamExistenceFilter\.chk is 3 bytes; a checkpoint must be exactly 8/)
    assert.equal((await readManifest(bk)).id, good.id, 'the previous backup is still the current one')
    assert.ok((await verifyDirectory(bk)).ok)
  })

  it('fails on an unreadable or missing chunk instead of writing a backup with a hole, keeping the previous one', async () => {
    await generateDataDir(db, {chunks: 4, chunkSize: CHUNK})
    const good = await backupNode({db, backupDir: bk})
    const chunk = join(db, 'chunk-000001.000000')
    await rename(chunk, `${chunk}.moved`)
    await symlink(join(dir, 'nowhere'), chunk)
    await assert.rejects(
      backupNode({db, backupDir: bk}),
      /chunk-000001\.000000 cannot be read \(dangling symbolic link\); the backup would have a hole in the log/,
    )
    const report = await verifyDirectory(db)
    assert.deepEqual(
      report.problems.find((p) => p.file === 'chunk-000001.000000'),
      {file: 'chunk-000001.000000', reason: 'cannot be read: dangling symbolic link'},
    )
    await unlink(chunk)
    await assert.rejects(
      backupNode({db, backupDir: bk, full: true}),
      /chunk 1 is missing \(the log jumps to chunk-000002\.000000\); the backup would have a hole in the log/,
    )
    assert.equal((await readManifest(bk)).id, good.id)
    assert.equal((await verifyDirectory(bk)).ok, true)
  })

  it('5. verify warns when writer − chaser exceeds the default MaxTruncation', async () => {
    await generateDataDir(db, {chunks: 1, chunkSize: CHUNK})
    const writer = readCheckpointFile(join(db, 'writer.chk'))
    // A node whose chaser lags 300 MiB: only the checkpoints matter to this check.
    const buf = Buffer.alloc(8)
    buf.writeBigInt64LE(BigInt(writer) - 300n * 1024n * 1024n)
    await writeFile(join(db, 'chaser.chk'), buf)
    const report = await verifyDirectory(db)
    assert.ok(report.warnings.some((w) => w.file === 'writer.chk' && /exceeds the default MaxTruncation/.test(w.reason)))
  })

  it('restore writes truncate.chk as a copy of chaser.chk and the log reads back to it', async () => {
    await generateDataDir(db, {chunks: 3, chunkSize: CHUNK, withIndex: true})
    await backupNode({db, backupDir: bk})
    const restored = join(dir, 'r')
    const result = await restoreBackup({backupDir: bk, db: restored, index: join(dir, 'r-index')})
    assert.deepEqual(await readFile(join(restored, 'truncate.chk')), await readFile(join(db, 'chaser.chk')))
    assert.ok((await readdir(join(dir, 'r-index'))).includes('indexmap'))
    assert.equal(walkLog(restored, result.truncateTo).endPosition, result.truncateTo)
  })
})
