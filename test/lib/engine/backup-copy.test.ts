import {strict as assert} from 'node:assert'
import {chmod, mkdtemp, open, readFile, readdir, rm, writeFile} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

import {Cloner} from '../../../src/lib/engine/hashed-copy.js'
import {backupNode, generateDataDir, readManifest, verifyDirectory} from '../../../src/lib/engine/index.js'
import {snapshotTree} from './support/sandbox.js'

/**
 * Every copied completed chunk is checked against the MD5 its footer stores: a chunk whose bytes
 * do not match fails the backup, and the previous one stays.
 */
describe('backup: copied chunks checked against their footer MD5', () => {
  let dir: string
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'esc-backup-copy-'))
  })
  afterEach(() => rm(dir, {recursive: true, force: true}))

  it('a completed chunk whose bytes differ from its footer MD5 fails the backup; the previous backup is unchanged', async () => {
    const db = join(dir, 'db')
    const bk = join(dir, 'bk')
    await generateDataDir(db, {chunks: 4, chunkSize: 64 * 1024, withIndex: true})
    const good = await backupNode({db, backupDir: bk, full: true})
    const chunk = join(db, 'chunk-000002.000000')
    await chmod(chunk, 0o644)
    const fh = await open(chunk, 'r+')
    const b = Buffer.alloc(1)
    await fh.read(b, 0, 1, 3000)
    b[0] ^= 0x01
    await fh.write(b, 0, 1, 3000)
    await fh.close()
    const before = await snapshotTree(bk)
    await assert.rejects(
      backupNode({db, backupDir: bk, full: true}),
      /^EscError: chunk-000002\.000000: the copy fails its footer MD5 \(stored [0-9a-f]{32}, computed [0-9a-f]{32}\)/,
    )
    assert.deepEqual(await snapshotTree(bk), before)
    assert.equal((await readManifest(bk)).id, good.id)
    assert.ok((await verifyDirectory(bk)).ok)
    assert.deepEqual(
      (await readdir(bk)).filter((n) => n.startsWith('.staging-')),
      [],
    )
  })

  it('every copied completed chunk is recorded as verified with the MD5 its copy stores', async () => {
    const db = join(dir, 'db')
    await generateDataDir(db, {chunks: 3, chunkSize: 64 * 1024})
    const m = await backupNode({db, backupDir: join(dir, 'bk')})
    const completed = m.files.filter((f) => f.kind === 'chunk' && f.completed)
    assert.equal(completed.length, 2)
    for (const f of completed) assert.equal(f.verified, true)
    assert.equal(m.verification, 'md5')
    assert.ok((await verifyDirectory(join(dir, 'bk'))).ok)
  })
})

describe('Cloner: clones where the filesystem shares extents, and says so otherwise', () => {
  let dir: string
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'esc-clone-'))
  })
  afterEach(() => rm(dir, {recursive: true, force: true}))

  it('never writes through an existing file; where clones fail (ext4, tmpfs) it answers false and leaves nothing', async () => {
    await writeFile(join(dir, 'src'), 'the data')
    await writeFile(join(dir, 'taken'), 'someone else')
    const cloner = new Cloner()
    await assert.rejects(cloner.clone(join(dir, 'src'), join(dir, 'taken')), {code: 'EEXIST'})
    assert.equal(await readFile(join(dir, 'taken'), 'utf8'), 'someone else')
    const cloned = await cloner.clone(join(dir, 'src'), join(dir, 'dst'))
    if (cloned) assert.equal(await readFile(join(dir, 'dst'), 'utf8'), 'the data')
    else assert.deepEqual((await readdir(dir)).sort(), ['src', 'taken'])
  })
})
