import {strict as assert} from 'node:assert'
import {mkdtemp, readdir, rm, stat} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

import {backupNode, generateDataDir, readManifest, restoreBackup, verifyDirectory, WriterSimulator} from '../../../src/lib/engine/index.js'
import {verifyPTable} from '../../../src/lib/engine/ptable.js'
import {addPTableSync, readCheckpointFile, walkLog} from './support/independent-reader.js'

describe('kurrentdb hot backup against a live writer', function () {
  this.timeout(60_000)
  let dir: string
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'esc-hot-'))
  })
  afterEach(() => rm(dir, {recursive: true, force: true}))

  it('backs up while the writer crosses chunk boundaries and adds PTables, then restores a log that reads back intact', async () => {
    const db = join(dir, 'db')
    const bk = join(dir, 'bk')
    await generateDataDir(db, {chunks: 3, chunkSize: 16384, withIndex: true})
    // The writer appends as the backup makes progress (two appends per progress event), so it
    // crosses chunk boundaries and adds PTables while files are being listed and copied, whatever
    // the machine's speed.
    const sim = new WriterSimulator({db, eventsPerAppend: 2, eventBytes: 1000, ptableEvery: 4, fsync: false})
    let writing: Promise<void> = Promise.resolve()
    let indexTouched = false
    const append = (times: number) => {
      for (let i = 0; i < times; i++) writing = writing.then(() => sim.appendOnce())
    }
    // Two appends per chunk copied; once per run, while the index is being copied, the "server"
    // adds a PTable and replaces the indexmap (synchronously, so it lands before the re-check):
    // the index step must notice and start over.
    const onProgress = (p: {file?: string}) => {
      if (p.file?.startsWith('chunk-')) append(2)
      else if (p.file?.startsWith('index/') && !indexTouched) {
        indexTouched = true
        addPTableSync(join(db, 'index'))
      }
    }
    const seen: {chunks: number; ptables: number; indexAttempts: number}[] = []
    const lines: string[] = []
    try {
      for (let run = 0; run < 3; run++) {
        const before = {...sim.stats}
        indexTouched = false
        const manifest = await backupNode({db, backupDir: bk, log: (l) => lines.push(l), onProgress})
        await writing
        seen.push({
          chunks: sim.stats.chunksCompleted - before.chunksCompleted,
          ptables: sim.stats.ptablesAdded - before.ptablesAdded,
          indexAttempts: manifest.index!.attempts,
        })
        assert.equal(manifest.kind, run === 0 ? 'full' : 'differential')
        const report = await verifyDirectory(bk)
        assert.deepEqual(report.problems, [], `run ${run}`)
        // Only the current data directory remains.
        assert.deepEqual(
          (await readdir(bk)).filter((n) => n.startsWith('data-') || n.startsWith('.staging')),
          [manifest.dataDir],
        )
        for (let i = 0; i < 5; i++) await sim.appendOnce()
      }
    } finally {
      await writing
      await sim.stop()
    }
    const crossed = seen.reduce((s, x) => s + x.chunks, 0)
    assert.ok(crossed >= 3, `the writer completed ${crossed} chunks during the backups`)
    assert.ok(seen.reduce((s, x) => s + x.ptables, 0) >= 2, 'PTables were added during the backups')
    assert.ok(
      seen.some((x) => x.indexAttempts >= 2),
      `the indexmap changed under the index step: ${JSON.stringify(seen)}`,
    )

    const manifest = await readManifest(bk)
    assert.ok(manifest.checkpoints.chaser <= manifest.checkpoints.writer)
    assert.ok(manifest.index && manifest.index.commitCheckpoint < manifest.checkpoints.chaser)
    for (const f of manifest.files.filter((x) => x.kind === 'ptable')) await verifyPTable(join(bk, manifest.dataDir, f.path))

    const restored = join(dir, 'restored')
    const result = await restoreBackup({backupDir: bk, db: restored})
    const truncate = readCheckpointFile(join(restored, 'truncate.chk'))
    assert.equal(truncate, readCheckpointFile(join(restored, 'chaser.chk')))
    assert.equal(result.truncateTo, truncate)
    const walked = walkLog(restored, truncate)
    assert.equal(walked.endPosition, truncate, 'records run up to the truncate position')
    assert.ok(truncate - walked.lastPosition < 16384 && (walked.lastPosition === truncate || truncate % 16384 === 0))
    assert.ok(walked.completedChunks >= 5)
    // Every chunk in the restored directory starts at or below floor(writer / chunkSize).
    const last = Math.floor(readCheckpointFile(join(restored, 'writer.chk')) / 16384)
    const starts = (await readdir(restored)).filter((n) => n.startsWith('chunk-')).map((n) => Number(n.slice(6, 12)))
    assert.ok(starts.every((s) => s <= last))
    assert.equal((await verifyDirectory(restored)).problems.length, 0)
  })

  it('keeps unchanged chunks as hard links between runs and copies only what changed', async () => {
    const db = join(dir, 'db')
    const bk = join(dir, 'bk')
    await generateDataDir(db, {chunks: 5, chunkSize: 65536})
    const first = await backupNode({db, backupDir: bk})
    assert.equal(first.stats.filesCopied, 9)
    const sim = new WriterSimulator({db, eventsPerAppend: 40, eventBytes: 1000, fsync: false})
    for (let i = 0; i < 3; i++) await sim.appendOnce()
    await sim.stop()
    const second = await backupNode({db, backupDir: bk})
    const origin = Object.fromEntries(second.files.map((f) => [f.path, f.origin]))
    const chunkOrigins = Object.entries(origin).filter(([p]) => p.startsWith('chunk-'))
    assert.ok(chunkOrigins.length >= 6, 'the appends completed chunk 4 and started another')
    for (const [path, how] of chunkOrigins) assert.equal(how, Number(path.slice(6, 12)) <= 3 ? 'kept' : 'copied', path)
    const third = await backupNode({db, backupDir: bk, full: true})
    assert.equal(third.kind, 'full')
    assert.ok(third.files.every((f) => f.origin === 'copied'))
    assert.equal(
      (await stat(join(bk, third.dataDir, 'chunk-000000.000000'))).nlink,
      1,
      'a full backup shares nothing with the previous one',
    )
  })

  it('hard-links matching completed chunks from --link-from instead of copying', async () => {
    const db = join(dir, 'db')
    await generateDataDir(db, {chunks: 4, chunkSize: 65536})
    const one = await backupNode({db, backupDir: join(dir, 'one')})
    const two = await backupNode({db, backupDir: join(dir, 'two'), linkFrom: join(dir, 'one')})
    assert.equal(two.kind, 'full')
    assert.equal(two.stats.filesLinked, 3)
    const a = await stat(join(dir, 'one', one.dataDir, 'chunk-000001.000000'))
    const b = await stat(join(dir, 'two', two.dataDir, 'chunk-000001.000000'))
    assert.equal(a.ino, b.ino)
    assert.equal((await verifyDirectory(join(dir, 'two'))).ok, true)
  })
})
