import {strict as assert} from 'node:assert'
import {mkdtemp, rm} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

import {generateDataDir} from '../../../../src/lib/engine/index.js'
import {FsObjectStore} from '../../../../src/lib/engine/repository/fs-store.js'
import type {ObjectInfo} from '../../../../src/lib/engine/repository/object-store.js'
import {forgetBackups, listRepositoryBackups} from '../../../../src/lib/engine/repository/repo-admin.js'
import {backupToRepository} from '../../../../src/lib/engine/repository/repo-backup.js'
import {Repository} from '../../../../src/lib/engine/repository/repository.js'

/** A local store that counts its listings by prefix: each one is a paged request on S3. */
class CountingStore extends FsObjectStore {
  lists: string[] = []
  override list(prefix: string): AsyncIterable<ObjectInfo> {
    this.lists.push(prefix)
    return super.list(prefix)
  }
}

describe('repository listings: backups/ is listed once per question, not once per manifest', function () {
  this.timeout(30_000)
  let dir: string
  let store: CountingStore
  let repo: Repository
  let ids: string[]
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'esc-repo-list-'))
    await generateDataDir(join(dir, 'db'), {chunks: 2, chunkSize: 16384})
    store = new CountingStore(join(dir, 'repo'))
    repo = await Repository.open(store, {create: true})
    ids = []
    for (let i = 0; i < 4; i++) ids.push((await backupToRepository({repository: repo, db: join(dir, 'db')})).id)
  })
  after(() => rm(dir, {recursive: true, force: true}))
  const backupLists = () => store.lists.filter((p) => p === 'backups/').length

  it('backups list: one listing for four backups', async () => {
    store.lists = []
    const rows = await listRepositoryBackups(repo)
    assert.deepEqual(
      rows.map((r) => r.id),
      ids,
    )
    assert.equal(backupLists(), 1)
  })

  it('the newest backup: one listing', async () => {
    store.lists = []
    assert.equal((await repo.latest())?.id, ids.at(-1))
    assert.equal(backupLists(), 1)
  })

  it('forget --keep-last 2: one listing before the prune lock, one after it', async () => {
    store.lists = []
    const result = await forgetBackups(repo, {keepLast: 2})
    assert.deepEqual(result.forgotten, ids.slice(0, 2))
    assert.deepEqual(result.kept, ids.slice(2))
    assert.ok(result.pruned)
    assert.equal(backupLists(), 2)
  })
})
