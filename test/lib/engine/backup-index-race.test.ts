import {strict as assert} from 'node:assert'
import {readFileSync, renameSync, symlinkSync, unlinkSync, writeFileSync} from 'node:fs'
import {mkdir, mkdtemp, readFile, readdir, rm, writeFile} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

import {EscError} from '../../../src/lib/core/errors.js'
import {backupNode, generateDataDir, readManifest, verifyDirectory} from '../../../src/lib/engine/index.js'
import {type IndexMap, parseIndexMap, serializeIndexMap} from '../../../src/lib/engine/indexmap.js'
import {decodePTableEntries, encodePTable, encodeSafeBloomFilter} from '../../../src/lib/engine/ptable.js'
import type {ProgressEvent} from '../../../src/lib/engine/types.js'

const CHUNK = 65536

/**
 * What the server does on a merge, synchronously so it lands inside the window the test picks:
 * write the merged PTable and its bloom filter, replace the indexmap, then delete the inputs and
 * their bloom filters.
 */
function mergeLevelSync(index: string, level: number, serial: number): string {
  const map = parseIndexMap(readFileSync(join(index, 'indexmap')))
  const inputs = map.tables.filter((t) => t.level === level)
  const entries = inputs.flatMap((t) => decodePTableEntries(readFileSync(join(index, t.file))))
  const file = `abcdef00-0000-4000-8000-${String(serial).padStart(12, '0')}`
  writeFileSync(join(index, `${file}.bloomfilter`), encodeSafeBloomFilter(entries.length))
  writeFileSync(join(index, file), encodePTable(entries))
  const above = map.tables.filter((t) => t.level === level + 1).length
  replaceIndexMapSync(index, {...map, tables: [...map.tables.filter((t) => t.level !== level), {level: level + 1, position: above, file}]})
  for (const t of inputs) {
    unlinkSync(join(index, t.file))
    unlinkSync(join(index, `${t.file}.bloomfilter`))
  }
  return file
}

function replaceIndexMapSync(index: string, map: IndexMap): void {
  writeFileSync(join(index, 'indexmap.x.indexmap.tmp'), serializeIndexMap(map))
  unlinkSync(join(index, 'indexmap'))
  renameSync(join(index, 'indexmap.x.indexmap.tmp'), join(index, 'indexmap'))
}

/**
 * Calls `hit` inside the index step's copy windows, read off the progress events: the engine adds
 * a file's size to the total after it looked at the file and before it copies it, and advances
 * with the file's name once copied. An event without a name right after a PTable's is its bloom
 * filter's window; any other is a PTable's.
 */
function indexWindows(hit: (window: 'ptable' | 'bloomfilter', after?: string) => void): (p: ProgressEvent) => void {
  let last: string | undefined
  let inIndex = true
  return (p) => {
    if (p.file && !p.file.startsWith('index/')) inIndex = false
    if (!inIndex) return
    if (p.file === undefined) hit(last && !last.endsWith('.bloomfilter') ? 'bloomfilter' : 'ptable', last?.slice('index/'.length))
    last = p.file
  }
}

describe('kurrentdb hot backup: index files replaced by a merge during the copy', () => {
  let dir: string
  let db: string
  let index: string
  let bk: string
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'esc-index-race-'))
    db = join(dir, 'db')
    index = join(db, 'index')
    bk = join(dir, 'bk')
    await generateDataDir(db, {chunks: 3, chunkSize: CHUNK, withIndex: true})
  })
  afterEach(() => rm(dir, {recursive: true, force: true}))

  async function assertBackupMatchesNode(): Promise<void> {
    const manifest = await readManifest(bk)
    const data = join(bk, manifest.dataDir, 'index')
    assert.deepEqual(await readFile(join(data, 'indexmap')), await readFile(join(index, 'indexmap')))
    const map = parseIndexMap(await readFile(join(index, 'indexmap')))
    const expected = map.tables.flatMap((t) => [t.file, `${t.file}.bloomfilter`]).sort()
    assert.deepEqual((await readdir(data)).filter((n) => n !== 'indexmap').sort(), expected)
    assert.deepEqual((await verifyDirectory(bk)).problems, [])
  }

  it("starts the index step over when a merge deletes a PTable's bloom filter between the listing and its copy", async () => {
    let merged: string | undefined
    const onProgress = indexWindows((window) => {
      if (window === 'bloomfilter' && !merged) merged = mergeLevelSync(index, 0, 1)
    })
    const manifest = await backupNode({db, backupDir: bk, onProgress})
    assert.ok(merged, 'the merge ran inside the window')
    assert.equal(manifest.index?.attempts, 2)
    assert.equal(manifest.index?.tables, 1)
    assert.ok(manifest.files.some((f) => f.path === `index/${merged}`))
    await assertBackupMatchesNode()
  })

  it('starts the index step over when a merge deletes a PTable between the listing and its copy', async () => {
    let merged: string | undefined
    const onProgress = indexWindows((window) => {
      if (window === 'ptable' && !merged) merged = mergeLevelSync(index, 0, 2)
    })
    const manifest = await backupNode({db, backupDir: bk, onProgress})
    assert.ok(merged, 'the merge ran inside the window')
    assert.equal(manifest.index?.attempts, 2)
    assert.equal(manifest.index?.tables, 1)
    await assertBackupMatchesNode()
  })

  it('backs up without a bloom filter that vanished alone (it is optional: the node runs without it), and says so', async () => {
    let gone: string | undefined
    const onProgress = indexWindows((window, after) => {
      if (window === 'bloomfilter' && !gone && after) {
        gone = after
        unlinkSync(join(index, `${after}.bloomfilter`))
      }
    })
    const lines: string[] = []
    const manifest = await backupNode({db, backupDir: bk, onProgress, log: (l) => lines.push(l)})
    assert.ok(gone)
    assert.equal(manifest.index?.attempts, 1)
    assert.ok(manifest.files.some((f) => f.path === `index/${gone}`))
    assert.ok(!manifest.files.some((f) => f.path === `index/${gone}.bloomfilter`))
    assert.ok(!(await readdir(join(bk, manifest.dataDir, 'index'))).includes(`${gone}.bloomfilter`))
    assert.ok(
      lines.includes(`index/${gone}.bloomfilter: deleted on the node during the copy; left out (the node runs without it)`),
      lines.join('\n'),
    )
    assert.deepEqual((await verifyDirectory(bk)).problems, [])
  })

  it('starts over when the indexmap is between delete and rename at the final comparison (a merge replacing it)', async () => {
    const map = parseIndexMap(readFileSync(join(index, 'indexmap')))
    const lastBloom = `index/${map.tables.at(-1)!.file}.bloomfilter`
    let moved = false
    let merged: string | undefined
    const onProgress = (p: ProgressEvent) => {
      if (p.file !== lastBloom || moved) return
      moved = true
      merged = mergeLevelSync(index, 0, 3)
      renameSync(join(index, 'indexmap'), join(index, 'indexmap.x.indexmap.tmp'))
    }
    const waits: number[] = []
    const sleep = async (ms: number) => {
      waits.push(ms)
      if (waits.length === 2) renameSync(join(index, 'indexmap.x.indexmap.tmp'), join(index, 'indexmap'))
    }
    const manifest = await backupNode({db, backupDir: bk, onProgress, sleep})
    assert.ok(merged)
    assert.equal(manifest.index?.attempts, 2)
    assert.deepEqual(waits, [20, 20])
    assert.ok(manifest.files.some((f) => f.path === `index/${merged}`))
    await assertBackupMatchesNode()
  })

  it("leaves out scavenging.db (and the previous backup's copy) when it is deleted between its check and its copy", async () => {
    await mkdir(join(index, 'scavenging'))
    await writeFile(join(index, 'scavenging', 'scavenging.db'), 'state')
    let deleted = false
    const onProgress = (p: ProgressEvent) => {
      // The index is unchanged since the first run, so the first size added is scavenging.db's.
      if (p.file !== undefined || deleted) return
      deleted = true
      unlinkSync(join(index, 'scavenging', 'scavenging.db'))
    }
    const first = await backupNode({db, backupDir: bk})
    assert.ok(first.files.some((f) => f.path === 'index/scavenging/scavenging.db'))
    const manifest = await backupNode({db, backupDir: bk, onProgress})
    assert.ok(deleted)
    assert.ok(!manifest.files.some((f) => f.path.startsWith('index/scavenging/')))
    assert.deepEqual(await readdir(join(bk, manifest.dataDir, 'index', 'scavenging')).catch(() => []), [])
    assert.deepEqual((await verifyDirectory(bk)).problems, [])
  })

  it('refuses a referenced PTable that is a dangling link in one line naming it (it was not deleted: no retry)', async () => {
    const map = parseIndexMap(readFileSync(join(index, 'indexmap')))
    const table = join(index, map.tables[0].file)
    unlinkSync(table)
    symlinkSync(join(dir, 'nowhere'), table)
    await assert.rejects(backupNode({db, backupDir: bk}), (error: Error) => {
      assert.ok(error instanceof EscError, String(error))
      assert.equal(error.kind, 'damaged-file')
      assert.equal(error.message, `${table}, referenced by the indexmap, cannot be read: dangling symbolic link`)
      return true
    })
  })

  it('fails with one line naming the index directory when the node merges during every attempt', async () => {
    let serial = 10
    const onProgress = indexWindows((window) => {
      if (window !== 'bloomfilter') return
      // A new level-0 table and an immediate merge of it: the indexmap changes inside every attempt.
      const map = parseIndexMap(readFileSync(join(index, 'indexmap')))
      const table = `abcdef00-0000-4000-8000-${String(serial++).padStart(12, '0')}`
      writeFileSync(join(index, `${table}.bloomfilter`), encodeSafeBloomFilter(1))
      writeFileSync(join(index, table), encodePTable([{version: 0n, streamHash: BigInt(serial), position: 0n}]))
      const position = map.tables.filter((t) => t.level === 0).length
      replaceIndexMapSync(index, {...map, tables: [...map.tables, {level: 0, position, file: table}]})
      mergeLevelSync(index, 0, serial++)
    })
    await assert.rejects(backupNode({db, backupDir: bk, onProgress, sleep: async () => undefined}), (error: Error) => {
      assert.ok(error instanceof EscError)
      assert.equal(error.kind, 'conflict')
      assert.equal(
        error.message,
        `the indexmap in ${index} kept changing (the node kept merging PTables) during 50 attempts; retry the backup`,
      )
      return true
    })
    await assert.rejects(readManifest(bk), 'no backup was written')
  })
})
