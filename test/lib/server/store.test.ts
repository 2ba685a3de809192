import {strict as assert} from 'node:assert'
import {rm} from 'node:fs/promises'
import {join} from 'node:path'

import Database from 'better-sqlite3'

import {isId, newId} from '../../../src/lib/server/ids.js'
import {migrate, SCHEMA_VERSION} from '../../../src/lib/server/store/migrations.js'
import {Store} from '../../../src/lib/server/store/index.js'
import {tempDir} from './helpers.js'

describe('local store', () => {
  let dir: string
  beforeEach(async () => {
    dir = await tempDir()
  })
  afterEach(async () => {
    await rm(dir, {recursive: true, force: true})
  })

  it('makes ids of the cloud shape that sort by creation time', () => {
    const a = newId(Date.UTC(2021, 2, 26))
    const b = newId(Date.UTC(2021, 2, 27))
    assert.match(a, /^[0-9a-v]{20}$/)
    assert.ok(a < b)
    assert.ok(isId('c1ev3l5o0aeu6ojco7b0'))
    for (const bad of ['../x', 'C1EV3L5O0AEU6OJCO7B0', 'c1ev3l5o0aeu6ojco7b', 'c1ev3l5o0aeu6ojco7bw', ''])
      assert.equal(isId(bad), false, bad)
  })

  it('migrates a fresh database to the latest schema in WAL mode', () => {
    const store = new Store(join(dir, 'state.db'))
    assert.equal(store.db.pragma('user_version', {simple: true}), SCHEMA_VERSION)
    assert.equal(store.db.pragma('journal_mode', {simple: true}), 'wal')
    store.close()
  })

  it('upgrades a version-1 database, keeping its rows', () => {
    const file = join(dir, 'state.db')
    const old = new Database(file)
    migrate(old, 1)
    old.prepare("INSERT INTO meta(key, value) VALUES ('k', 'v')").run()
    assert.equal(old.pragma('user_version', {simple: true}), 1)
    old.close()
    const store = new Store(file)
    assert.equal(store.db.pragma('user_version', {simple: true}), SCHEMA_VERSION)
    assert.equal(store.getMeta('k'), 'v')
    const indexes = store.db.prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND name = 'backups_by_job'").all()
    assert.equal(indexes.length, 1)
    store.close()
  })

  it('refuses a database from a newer esc', () => {
    const file = join(dir, 'state.db')
    const db = new Database(file)
    db.pragma(`user_version = ${SCHEMA_VERSION + 1}`)
    db.close()
    assert.throws(() => new Store(file), /newer than this esc/)
  })

  it('creates the default organization and project once', () => {
    const store = new Store(join(dir, 'state.db'))
    const first = store.ensureDefaults()
    const second = store.ensureDefaults()
    assert.deepEqual(first, second)
    assert.ok(store.projectExists(first.organizationId, first.projectId))
    assert.equal(store.projectExists(first.organizationId, newId()), false)
    store.close()
  })

  it('takes the per-cluster operation lock once until released', () => {
    const store = new Store(join(dir, 'state.db'))
    const op = {cluster_id: 'c', kind: 'backup' as const, resource_id: 'b1', started: 'now'}
    assert.equal(store.locks.tryAcquire(op), true)
    assert.equal(store.locks.tryAcquire({...op, resource_id: 'b2'}), false)
    store.locks.release('c', 'b2') // not the holder: no effect
    assert.equal(store.locks.holder('c')?.resource_id, 'b1')
    store.locks.release('c', 'b1')
    assert.equal(store.locks.tryAcquire({...op, resource_id: 'b2'}), true)
    store.close()
  })
})
