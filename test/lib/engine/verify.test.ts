import {strict as assert} from 'node:assert'
import {chmod, mkdtemp, open, readFile, readdir, rm, unlink, writeFile} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

import {backupNode, generateDataDir, readManifest, verifyDirectory} from '../../../src/lib/engine/index.js'
import {parseIndexMap} from '../../../src/lib/engine/indexmap.js'

const CHUNK = 65536

describe('kurrentdb verify', () => {
  let dir: string
  let db: string
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'esc-verify-'))
    db = join(dir, 'db')
    await generateDataDir(db, {chunks: 4, chunkSize: CHUNK, withIndex: true})
  })
  afterEach(() => rm(dir, {recursive: true, force: true}))

  const problems = async (path: string) => (await verifyDirectory(path)).problems.map((p) => `${p.file}: ${p.reason}`)

  it('reports a gap in the chunk sequence', async () => {
    await unlink(join(db, 'chunk-000001.000000'))
    assert.deepEqual(await problems(db), ['chunk-000002.000000: gap: chunks 1..1 are missing'])
  })

  it('reports bad framing in the ongoing chunk up to writer.chk', async () => {
    const fh = await open(join(db, 'chunk-000003.000000'), 'r+')
    const len = Buffer.alloc(4)
    await fh.read(len, 0, 4, 128)
    const suffixAt = 128 + 4 + len.readInt32LE(0)
    await fh.write(Buffer.from([0xff, 0xff, 0, 0]), 0, 4, suffixAt)
    await fh.close()
    const found = await problems(db)
    assert.equal(found.length, 1)
    assert.match(found[0], /^chunk-000003\.000000: prefix\/suffix length inconsistency at offset 0 /)
  })

  it('reports a completed chunk cut short and a missing footer', async () => {
    const path = join(db, 'chunk-000000.000000')
    await chmod(path, 0o644)
    const bytes = await readFile(path)
    await writeFile(path, bytes.subarray(0, bytes.length - 4096))
    const found = await problems(db)
    assert.equal(found.length, 1)
    assert.match(found[0], /^chunk-000000\.000000: below the last chunk but footer is not marked completed$/)
  })

  it('reports a missing and a corrupt referenced PTable, and a 0-byte checkpoint', async () => {
    const map = parseIndexMap(await readFile(join(db, 'index', 'indexmap')))
    await chmod(join(db, 'index', map.tables[0].file), 0o644)
    await unlink(join(db, 'index', map.tables[0].file))
    const second = join(db, 'index', map.tables[1].file)
    await chmod(second, 0o644)
    const bytes = await readFile(second)
    bytes[140] ^= 1
    await writeFile(second, bytes)
    await writeFile(join(db, 'epoch.chk'), '')
    assert.deepEqual(
      (await problems(db)).sort(),
      [
        'epoch.chk: checkpoint must be exactly 8 bytes, found 0 (an empty checkpoint reads as 0 on the server)',
        `index/${map.tables[0].file}: referenced by the indexmap but missing`,
        `index/${map.tables[1].file}: ${(await problems(db))
          .find((p) => p.startsWith(`index/${map.tables[1].file}`))!
          .split(': ')
          .slice(1)
          .join(': ')}`,
      ].sort(),
    )
    assert.ok((await problems(db)).some((p) => p.startsWith(`index/${map.tables[1].file}: PTable MD5 mismatch`)))
  })

  it('checks a backup against its manifest: changed, missing and unlisted files', async () => {
    const bk = join(dir, 'bk')
    const manifest = await backupNode({db, backupDir: bk})
    const data = join(bk, manifest.dataDir)
    assert.deepEqual(await problems(bk), [])
    await writeFile(join(data, 'proposal.chk'), Buffer.alloc(8, 1))
    await writeFile(join(data, 'stray.txt'), 'x')
    await chmod(join(data, 'chunk-000002.000000'), 0o644)
    await unlink(join(data, 'chunk-000002.000000'))
    const found = await problems(bk)
    assert.ok(found.includes('chunk-000002.000000: listed in the manifest but missing'), found.join('\n'))
    assert.ok(found.some((p) => /^proposal\.chk: MD5 [0-9a-f]+ differs from the manifest's/.test(p)))
    assert.ok(found.includes('stray.txt: in the backup but not in its manifest'))
    assert.ok(found.some((p) => p.startsWith('chunk-000003.000000: gap')))
    assert.equal((await readManifest(bk)).id, manifest.id)
  })

  it('says plainly when a path is not a directory, and lists DuckDB files as a warning', async () => {
    assert.deepEqual(await problems(join(dir, 'nope')), [`${join(dir, 'nope')}: not a directory`])
    await writeFile(join(db, 'kurrent.ddb'), '')
    const report = await verifyDirectory(db)
    assert.equal(report.ok, true)
    assert.ok(report.warnings.some((w) => w.file === 'kurrent.ddb' && /cold copy or volume snapshot/.test(w.reason)))
    assert.ok((await readdir(db)).includes('kurrent.ddb'))
  })
})
