import {strict as assert} from 'node:assert'
import {existsSync} from 'node:fs'
import {mkdtemp, readFile, rm} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

import type {EscError} from '../../../src/lib/core/errors.js'
import {backupNode, generateDataDir, readManifest, restoreBackup} from '../../../src/lib/engine/index.js'
import {FsObjectStore} from '../../../src/lib/engine/repository/fs-store.js'
import {backupToRepository} from '../../../src/lib/engine/repository/repo-backup.js'
import {restoreFromRepository} from '../../../src/lib/engine/repository/repo-restore.js'
import {Repository} from '../../../src/lib/engine/repository/repository.js'
import type {ProgressEvent} from '../../../src/lib/engine/types.js'
import {bytesUnder, fakeDisk} from './support/fake-disk.js'
import {snapshotTree} from './support/sandbox.js'

/** What a restore reserves per target beyond the backup's files (marker, truncate.chk, directories). */
const SLACK = 4096

/**
 * The space check runs before anything is written to a target. A restore that consumes a download
 * moves its files into the first node: they take no new space there, while every other node needs
 * the backup's full size. The filesystem is a fake one of a chosen capacity holding the test's directory.
 */
describe("the restore's free-space check", function () {
  this.timeout(30_000)
  let dir: string
  let bk: string
  let repo: Repository
  let id: string
  /** The bytes of the backup's files a restore writes (truncate.chk is written by the restore itself). */
  let total: number
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'esc-restore-space-'))
    const db = join(dir, 'db')
    bk = join(dir, 'bk')
    await generateDataDir(db, {chunks: 3, chunkSize: 64 * 1024, withIndex: true})
    await backupNode({db, backupDir: bk})
    repo = await Repository.open(new FsObjectStore(join(dir, 'repo')), {create: true})
    id = (await backupToRepository({repository: repo, db})).id
    total = (await readManifest(bk)).files.filter((f) => f.path !== 'truncate.chk').reduce((s, f) => s + f.size, 0)
  })
  afterEach(() => rm(dir, {recursive: true, force: true}))

  const at = (n: string) => join(dir, n)
  /** A disk with `bytes` free beyond what the test's directory holds now. */
  const diskWithFree = async (bytes: number) => fakeDisk(dir, (await bytesUnder(dir)) + bytes)
  const downloadsSeen = () => {
    const files: string[] = []
    return {files, onProgress: (p: ProgressEvent) => void (p.file !== undefined && files.push(p.file))}
  }

  it('a local restore with less free than it needs is refused: one line naming the target, needed and free; nothing written', async () => {
    const disk = await diskWithFree(total)
    const before = await snapshotTree(dir)
    await assert.rejects(
      restoreBackup({backupDir: bk, db: at('n1'), freeSpace: disk.freeSpace}),
      (e: EscError & {code?: string}) =>
        e.kind === 'disk-full' &&
        e.code === 'ENOSPC' &&
        e.message ===
          `not enough space for the restore in ${at('n1')}: needs ${total + SLACK} bytes, ${total} free; free space and restore again`,
    )
    assert.ok(disk.asked.length > 0, 'the injected probe was asked')
    assert.deepEqual(await snapshotTree(dir), before)
    assert.equal(existsSync(at('n1')), false)
  })

  it('a local restore with just enough free goes ahead', async () => {
    const disk = await diskWithFree(total + SLACK)
    const result = await restoreBackup({backupDir: bk, db: at('n1'), freeSpace: disk.freeSpace})
    assert.equal(result.bytes, total)
  })

  it('several local nodes on one filesystem are counted together, and the message names them all', async () => {
    const disk = await diskWithFree(2 * (total + SLACK) + SLACK)
    await assert.rejects(
      restoreBackup({backupDir: bk, nodes: [{db: at('n1')}, {db: at('n2')}, {db: at('n3')}], freeSpace: disk.freeSpace}),
      (e: EscError) =>
        e.kind === 'disk-full' &&
        e.message.startsWith(
          `not enough space for the restore in ${at('n1')}, ${at('n2')}, ${at('n3')}: needs ${3 * (total + SLACK)} bytes`,
        ),
    )
    assert.equal(existsSync(at('n1')), false)
  })

  it('a consumed download into one node: accepted when what is left free after the download is less than the backup', async () => {
    // Enough for the download; once it is on disk, less than the backup's size is left: the files
    // are moved into the node, not written again.
    const disk = await diskWithFree(total + 16 * 1024)
    const result = await restoreFromRepository(repo, id, {db: at('n1'), freeSpace: disk.freeSpace})
    assert.equal(result.bytes, total)
    assert.deepEqual(await readFile(join(at('n1'), 'chunk-000000.000000')), await readFile(join(at('db'), 'chunk-000000.000000')))
    assert.ok(total > 16 * 1024)
  })

  it('a consumed download into three nodes: the second and third need the full size each; refused before the download', async () => {
    const nodes = [{db: at('n1')}, {db: at('n2')}, {db: at('n3')}]
    const before = await snapshotTree(dir)
    const seen = downloadsSeen()
    // Room for the download (the first node's data) and one full copy, not two.
    const disk = await diskWithFree(2 * total + 3 * SLACK + 16 * 1024)
    await assert.rejects(
      restoreFromRepository(repo, id, {nodes, freeSpace: disk.freeSpace, onProgress: seen.onProgress}),
      (e: EscError) =>
        e.kind === 'disk-full' &&
        !e.message.includes('\n') &&
        e.message.startsWith(
          `not enough space for the restore in ${at('n1')}, ${at('n2')}, ${at('n3')}: needs ${3 * total + 3 * SLACK} bytes,`,
        ),
    )
    assert.deepEqual(seen.files, [], 'nothing was downloaded')
    assert.deepEqual(await snapshotTree(dir), before)
  })

  it('a consumed download into three nodes with room for the download and two full copies goes ahead', async () => {
    const nodes = [{db: at('n1')}, {db: at('n2')}, {db: at('n3')}]
    const disk = await diskWithFree(3 * total + 3 * SLACK + 16 * 1024)
    const result = await restoreFromRepository(repo, id, {nodes, freeSpace: disk.freeSpace})
    assert.equal(result.nodes.length, 3)
    for (const n of nodes) assert.ok(existsSync(join(n.db, 'truncate.chk')))
  })
})
