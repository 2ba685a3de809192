import {strict as assert} from 'node:assert'
import {mkdtemp, readdir, rm} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import type {Readable} from 'node:stream'
import {setTimeout as sleep} from 'node:timers/promises'

import {generateDataDir} from '../../../../src/lib/engine/index.js'
import {identityCodec} from '../../../../src/lib/engine/repository/codec.js'
import {FsObjectStore} from '../../../../src/lib/engine/repository/fs-store.js'
import type {ObjectStore, PutOptions} from '../../../../src/lib/engine/repository/object-store.js'
import {backupToRepository} from '../../../../src/lib/engine/repository/repo-backup.js'
import {restoreFromRepository} from '../../../../src/lib/engine/repository/repo-restore.js'
import {Repository} from '../../../../src/lib/engine/repository/repository.js'
import {sha256OfFile} from '../../../../src/lib/engine/repository/transfer.js'

/** A store that holds the uploads of `held` until the upload of `awaited` has begun (or 3 s passed), and counts puts in flight. */
class GatedStore extends FsObjectStore {
  inFlight = 0
  maxInFlight = 0
  heldSawAwaited: boolean[] = []
  held = new Set<string>()
  awaited = ''
  private begun!: () => void
  private readonly awaitedBegun = new Promise<void>((resolve) => (this.begun = resolve))

  override async put(key: string, body: Readable | Buffer, opts?: PutOptions): Promise<void> {
    this.inFlight++
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight)
    try {
      if (key === this.awaited) this.begun()
      if (this.held.has(key)) {
        const seen = await Promise.race([this.awaitedBegun.then(() => true), sleep(3000).then(() => false)])
        this.heldSawAwaited.push(seen)
      }
      await super.put(key, body, opts)
    } finally {
      this.inFlight--
    }
  }
}

describe('backup to a repository: the snapshot and its upload overlap the direct uploads', function () {
  this.timeout(30_000)
  let dir: string
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'esc-repo-overlap-'))
  })
  afterEach(() => rm(dir, {recursive: true, force: true}))

  it('uploads the ongoing chunk while completed chunks are still uploading, never more uploads at once than the concurrency', async () => {
    const db = join(dir, 'db')
    await generateDataDir(db, {chunks: 3, chunkSize: 65536, withIndex: true})
    const store = new GatedStore(join(dir, 'repo'))
    const repo = await Repository.open(store as ObjectStore, {create: true, codecs: async () => identityCodec})
    const key = async (name: string) => repo.objectKey(await sha256OfFile(join(db, name)))
    store.held = new Set([await key('chunk-000000.000000'), await key('chunk-000001.000000')])
    store.awaited = await key('chunk-000002.000000')

    const m = await backupToRepository({repository: repo, db, concurrency: 3})

    assert.deepEqual(store.heldSawAwaited, [true, true], 'both completed chunks were still uploading when the ongoing one began')
    assert.ok(store.maxInFlight <= 3, `at most 3 uploads at once (saw ${store.maxInFlight})`)
    assert.deepEqual(
      m.files.filter((f) => f.kind === 'chunk').map((f) => [f.path, f.origin]),
      [
        ['chunk-000000.000000', 'copied'],
        ['chunk-000001.000000', 'copied'],
        ['chunk-000002.000000', 'copied'],
      ],
    )
    assert.deepEqual(m.staged, {files: m.files.filter((f) => !(f.kind === 'ptable' || f.completed)).length, bytes: m.staged!.bytes})
    const restored = join(dir, 'restored')
    await restoreFromRepository(repo, m.id, {db: restored})
    assert.deepEqual((await readdir(restored)).filter((n) => n.startsWith('chunk-')).sort(), [
      'chunk-000000.000000',
      'chunk-000001.000000',
      'chunk-000002.000000',
    ])
  })
})
