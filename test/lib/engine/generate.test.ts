import {strict as assert} from 'node:assert'
import {mkdir, mkdtemp, readFile, readdir, rm, stat, writeFile} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

import {generateDataDir, verifyDirectory, WriterSimulator} from '../../../src/lib/engine/index.js'
import {parseIndexMap} from '../../../src/lib/engine/indexmap.js'
import {decodePTableEntries} from '../../../src/lib/engine/ptable.js'
import {discoverLayout, listIndexFiles} from '../../../src/lib/engine/layout.js'
import {readCheckpointFile, walkLog} from './support/independent-reader.js'

describe('kurrentdb generator and writer simulator', () => {
  let dir: string
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'esc-gen-'))
  })
  afterEach(() => rm(dir, {recursive: true, force: true}))

  it('writes completed chunks (aligned, MD5, read-only), an ongoing pre-allocated chunk and consistent checkpoints', async () => {
    const db = join(dir, 'db')
    const r = await generateDataDir(db, {chunks: 4, chunkSize: 65536, eventsPerChunk: 50, withIndex: true})
    const names = (await readdir(db)).sort()
    assert.deepEqual(names, [
      'chaser.chk',
      'chunk-000000.000000',
      'chunk-000001.000000',
      'chunk-000002.000000',
      'chunk-000003.000000',
      'epoch.chk',
      'index',
      'proposal.chk',
      'truncate.chk',
      'writer.chk',
    ])
    for (const n of [0, 1, 2]) {
      const st = await stat(join(db, `chunk-00000${n}.000000`))
      assert.equal(st.size % 4096, 0)
      assert.equal(st.mode & 0o222, 0, 'completed chunks are read-only')
    }
    const ongoing = await stat(join(db, 'chunk-000003.000000'))
    assert.equal(ongoing.size, 69632, 'AlignUp4096(128 + 65536 + 128)')
    assert.notEqual(ongoing.mode & 0o200, 0)
    const tail = (await readFile(join(db, 'chunk-000003.000000'))).subarray(-128)
    assert.ok(tail.equals(Buffer.alloc(128)), 'no footer on the ongoing chunk')
    const writer = readCheckpointFile(join(db, 'writer.chk'))
    assert.equal(writer, r.writer)
    assert.equal(readCheckpointFile(join(db, 'chaser.chk')), writer)
    assert.equal(readCheckpointFile(join(db, 'epoch.chk')), 0)
    assert.equal(readCheckpointFile(join(db, 'truncate.chk')), -1)
    assert.equal(Math.floor(writer / 65536), 3)
    const walked = walkLog(db, writer)
    assert.equal(walked.systemRecords, 1, 'the epoch record at 0')
    assert.equal(walked.prepares, r.events)
    assert.equal(walked.completedChunks, 3)
    assert.equal(walked.lastPosition, writer)
    const map = parseIndexMap(await readFile(join(db, 'index', 'indexmap')))
    assert.equal(map.tables.length, 3)
    assert.ok(map.commitCheckpoint < writer)
    const report = await verifyDirectory(db)
    assert.deepEqual(report.problems, [])
    assert.equal(report.checked.ptables, 3)
  })

  it('refuses a directory that already holds a node and bad sizes', async () => {
    await generateDataDir(join(dir, 'db'), {chunks: 1, chunkSize: 8192})
    await assert.rejects(
      generateDataDir(join(dir, 'db'), {chunks: 1, chunkSize: 8192}),
      /already holds KurrentDB files \(chaser\.chk\); choose an empty directory/,
    )
    await assert.rejects(
      generateDataDir(join(dir, 'x'), {chunks: 0, chunkSize: 8192}),
      /^UsageError: the number of chunks must be a whole number ≥ 1, got 0$/,
    )
    await assert.rejects(
      generateDataDir(join(dir, 'x'), {chunks: 1, chunkSize: 100}),
      /^UsageError: the chunk size must be between 4 KiB and 1 GiB, got 100$/,
    )
  })

  it('the simulator appends like the server: chunks completed at the boundary, PTables and indexmap replaced', async () => {
    const db = join(dir, 'db')
    const generated = await generateDataDir(db, {chunks: 2, chunkSize: 16384, withIndex: true})
    const sim = new WriterSimulator({db, eventsPerAppend: 3, eventBytes: 700, ptableEvery: 4, fsync: false})
    const half: string[] = []
    sim.options.onHalfWrittenPTable = (path) => void half.push(path)
    for (let i = 0; i < 40; i++) await sim.appendOnce()
    await sim.stop()
    assert.ok(sim.stats.chunksCompleted >= 3, `completed ${sim.stats.chunksCompleted}`)
    assert.equal(sim.stats.ptablesAdded, 10)
    assert.equal(half.length, 10)
    const writer = readCheckpointFile(join(db, 'writer.chk'))
    assert.equal(writer, sim.writer)
    const walked = walkLog(db, writer)
    assert.equal(walked.lastPosition, writer)
    assert.equal(walked.prepares, generated.events + 40 * 3, 'generated plus appended')
    const index = await listIndexFiles(join(db, 'index'))
    // 1 generated + 10 added, merged two by two as the server does: 11 = 8 + 2 + 1, one table per level.
    assert.deepEqual(index.ptables.length, 3)
    assert.equal(index.bloomfilters.length, 3)
    assert.equal(index.other.length, 0, 'no indexmap temp files left')
    const report = await verifyDirectory(db)
    assert.deepEqual(report.problems, [])
  })

  it('the simulator merges PTables as the server does: a few files after many, every entry kept', async () => {
    const db = join(dir, 'db')
    await generateDataDir(db, {chunks: 1, chunkSize: 65_536})
    const sim = new WriterSimulator({db, eventsPerAppend: 2, eventBytes: 200, ptableEvery: 1, fsync: false})
    for (let i = 0; i < 100; i++) await sim.appendOnce()
    await sim.stop()
    const index = join(db, 'index')
    const map = parseIndexMap(await readFile(join(index, 'indexmap')))
    // 100 tables of 2 entries: binary 1100100 → one table on levels 2, 5 and 6.
    assert.deepEqual(map.tables.map((t) => t.level).sort(), [2, 5, 6])
    assert.equal(sim.stats.ptablesAdded, 100)
    const entries = (await Promise.all(map.tables.map(async (t) => decodePTableEntries(await readFile(join(index, t.file)))))).flat()
    assert.equal(entries.length, 200, 'every appended event is indexed once')
    assert.equal(new Set(entries.map((e) => e.position)).size, 200)
    const files = await listIndexFiles(index)
    assert.deepEqual([files.ptables.length, files.bloomfilters.length, files.other.length], [3, 3, 0], 'merged tables are deleted')
    assert.deepEqual((await verifyDirectory(db)).problems, [])
  })

  it('discovers layout: latest chunk versions, checkpoints, DuckDB and ignored files', async () => {
    const db = join(dir, 'db')
    await mkdir(db)
    for (const n of [
      'chunk-000000.000000',
      'chunk-000000.000002',
      'chunk-000001.000000',
      'writer.chk',
      'kurrent.ddb',
      'kurrent.ddb.wal',
      'x.tmp',
      'indexmap.abc.indexmap.tmp',
      'chunk-000002.000000.1234.tmp',
    ])
      await writeFile(join(db, n), '')
    await mkdir(join(db, 'index-backup-2024'))
    const l = await discoverLayout(db)
    assert.deepEqual(
      l.chunks.map((c) => c.name),
      ['chunk-000000.000002', 'chunk-000001.000000'],
    )
    assert.deepEqual(
      l.oldVersions.map((c) => c.name),
      ['chunk-000000.000000'],
    )
    assert.deepEqual(l.checkpoints, ['writer.chk'])
    assert.deepEqual(l.duckdb.sort(), ['kurrent.ddb', 'kurrent.ddb.wal'])
    assert.deepEqual(l.ignored.sort(), ['chunk-000002.000000.1234.tmp', 'index-backup-2024', 'indexmap.abc.indexmap.tmp', 'x.tmp'])
    assert.equal(l.index, join(db, 'index'))
    assert.equal((await discoverLayout(db, join(dir, 'elsewhere'))).index, join(dir, 'elsewhere'))
  })
})
