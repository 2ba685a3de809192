import {strict as assert} from 'node:assert'
import {existsSync} from 'node:fs'
import {mkdir, open, readdir, stat, writeFile} from 'node:fs/promises'
import {join} from 'node:path'
import {execFileSync} from 'node:child_process'

import {loadEngine} from '../../../src/lib/server/engine-adapter.js'
import {verifyDirectory} from '../../../src/lib/engine/index.js'
import {clusterBody, openTestCloud, tempDir, type TestCloud} from './helpers.js'

/** The runner with the real KurrentDB engine on small generated data (256 KiB chunks). */
describe('local cloud with the real engine', () => {
  let t: TestCloud
  beforeEach(async () => {
    t = await openTestCloud({engine: await loadEngine()})
  })
  afterEach(() => t.close())

  const call = (method: 'GET' | 'POST' | 'DELETE', url: string, payload?: unknown) =>
    t.cloud.app.inject({method, url, headers: t.auth, ...(payload === undefined ? {} : {payload: payload as object})})
  const demo = async () => {
    const res = await call('POST', '/local/v1/demo-data', {chunks: 4, chunkSize: 256 * 1024, writer: true})
    assert.equal(res.statusCode, 201, res.body)
    return res.json().id as string
  }
  const backup = async (clusterId: string) => {
    const res = await call('POST', `${t.mesdb}/backups`, {description: 'b {index}', sourceClusterId: clusterId})
    assert.equal(res.statusCode, 202, res.body)
    await t.cloud.ctx.runner.idle()
    return (await call('GET', `${t.mesdb}/backups/${res.json().id}`)).json().backup
  }
  const completedChunk = async (backupDir: string) => {
    const [data] = (await readdir(backupDir)).filter((n) => n.startsWith('data-'))
    return join(backupDir, data, 'chunk-000000.000000')
  }

  it('backs up a live cluster, hard-links unchanged chunks, survives deleting the older backup, restores', async () => {
    const clusterId = await demo()
    const first = await backup(clusterId)
    assert.equal(first.status, 'available', first.details)
    assert.equal(first.sizeGb, 1)
    const second = await backup(clusterId)
    assert.equal(second.status, 'available', second.details)
    const a = await stat(await completedChunk(t.cloud.ctx.layout.backupDir(first.id)))
    const b = await stat(await completedChunk(t.cloud.ctx.layout.backupDir(second.id)))
    assert.equal(a.ino, b.ino, 'completed chunk hard-linked')

    assert.equal((await call('DELETE', `${t.mesdb}/backups/${first.id}`)).statusCode, 204)
    assert.ok((await verifyDirectory(t.cloud.ctx.layout.backupDir(second.id))).ok)

    const restored = await call('POST', `${t.mesdb}/clusters`, {...clusterBody, description: 'restore', sourceBackupId: second.id})
    await t.cloud.ctx.runner.idle()
    const cluster = (await call('GET', `${t.mesdb}/clusters/${restored.json().id}`)).json().cluster
    assert.equal(cluster.status, 'available', cluster.details)
    const report = await verifyDirectory(t.cloud.ctx.layout.clusterDb(cluster.id))
    assert.ok(report.ok, JSON.stringify(report.problems))
    assert.ok(report.checkpoints.chaser !== undefined)
    assert.equal(report.checkpoints.truncate, report.checkpoints.chaser)
  })

  it("backs up an attached node through the node guard with the node's credentials", async () => {
    const {createServer} = await import('node:http')
    const seen: string[] = []
    const node = createServer((req, res) => {
      seen.push(`${req.method} ${req.url} ${req.headers.authorization ?? '-'}`)
      if (req.url === '/gossip') {
        res.writeHead(200, {'content-type': 'application/json'})
        res.end(
          JSON.stringify({
            members: [{state: 'Leader', isAlive: true, epochNumber: 1, epochId: 'e', writerCheckpoint: 0, chaserCheckpoint: 0}],
          }),
        )
      } else if (req.url === '/admin/scavenge/current') {
        res.writeHead(200, {'content-type': 'application/json'})
        res.end('{}')
      } else {
        res.writeHead(404)
        res.end()
      }
    })
    await new Promise<void>((resolve) => node.listen(0, '127.0.0.1', resolve))
    try {
      const db = join(await tempDir('esc-node-'), 'node1')
      await (await loadEngine()).generate(db, {chunks: 2, chunkSize: 256 * 1024})
      const {port} = node.address() as {port: number}
      const attached = await call('POST', '/local/v1/clusters/attach', {
        db,
        nodeUrl: `http://127.0.0.1:${port}`,
        nodeUsername: 'ops',
        nodePassword: 's3cret',
      })
      assert.equal(attached.statusCode, 201, attached.body)
      assert.equal((await backup(attached.json().id)).status, 'available')
      const basic = `Basic ${Buffer.from('ops:s3cret').toString('base64')}`
      assert.deepEqual(seen, [`GET /admin/scavenge/current ${basic}`, `POST /auto-scavenge/pause ${basic}`, `GET /gossip ${basic}`])
    } finally {
      node.close()
    }
  })

  it('provisions an empty cluster that can be backed up', async () => {
    const res = await call('POST', `${t.mesdb}/clusters`, clusterBody)
    await t.cloud.ctx.runner.idle()
    const id = res.json().id
    assert.equal((await call('GET', `${t.mesdb}/clusters/${id}`)).json().cluster.status, 'available')
    assert.ok(existsSync(join(t.cloud.ctx.layout.clusterDb(id), 'chunk-000000.000000')))
    assert.equal((await backup(id)).status, 'available')
  })

  it('a corrupt source chunk ends the backup defunct with the reason and leaves other backups intact', async () => {
    const good = await backup(await demo())
    const clusterId = await demo()
    await t.cloud.ctx.runner.stopWriter(clusterId)
    // Flip a byte inside a completed chunk: its footer MD5 no longer matches.
    const chunk = join(t.cloud.ctx.layout.clusterDb(clusterId), 'chunk-000001.000000')
    const fh = await open(chunk, 'r+')
    const byte = Buffer.alloc(1)
    await fh.read(byte, 0, 1, 1000)
    byte[0] ^= 0xff
    await fh.write(byte, 0, 1, 1000)
    await fh.close()
    const bad = await backup(clusterId)
    assert.equal(bad.status, 'defunct')
    assert.match(bad.details, /chunk-000001\.000000/)
    assert.equal(existsSync(t.cloud.ctx.layout.backupDir(bad.id)), false)
    assert.ok((await verifyDirectory(t.cloud.ctx.layout.backupDir(good.id))).ok)
    assert.equal((await call('GET', `${t.mesdb}/backups/${good.id}`)).json().backup.status, 'available')
  })

  it("a source with DuckDB files ends the backup defunct with the engine's reason and no CLI flag in it", async () => {
    const clusterId = await demo()
    await writeFile(join(t.cloud.ctx.layout.clusterDb(clusterId), 'kurrent.ddb'), 'duck')
    const bad = await backup(clusterId)
    assert.equal(bad.status, 'defunct')
    assert.match(bad.details, /has secondary-index files \(kurrent\.ddb\); a hot file copy of them is not safe$/)
    assert.doesNotMatch(bad.details, /--[a-z]/)
  })

  it('an unreadable source chunk ends the backup defunct with the reason', async () => {
    const clusterId = await demo()
    await t.cloud.ctx.runner.stopWriter(clusterId)
    // As root chmod does not stop reads: a dangling symlink in place of a completed chunk does.
    const {rename, symlink} = await import('node:fs/promises')
    const chunk = join(t.cloud.ctx.layout.clusterDb(clusterId), 'chunk-000001.000000')
    await rename(chunk, `${chunk}.moved`)
    await symlink(join(t.cloud.ctx.layout.root, 'nowhere'), chunk)
    const bad = await backup(clusterId)
    assert.equal(bad.status, 'defunct')
    assert.match(bad.details, /ENOENT|chunk-000001/)
    assert.equal(existsSync(t.cloud.ctx.layout.backupDir(bad.id)), false)
    assert.equal(t.cloud.ctx.store.locks.all().length, 0)
  })

  it('a full disk ends the backup defunct with ENOSPC and leaves the other backups intact', async function () {
    // A 700 KiB tmpfs under backups/: the small backup fits, the 1 MiB one does not.
    const backups = join(t.cloud.ctx.layout.root, 'backups')
    await mkdir(backups, {recursive: true})
    try {
      execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=700k', 'tmpfs', backups], {stdio: 'ignore'})
    } catch {
      this.skip() // needs root (mount); the fake-engine test covers the bookkeeping of ENOSPC
    }
    try {
      const small = await call('POST', `${t.mesdb}/clusters`, clusterBody)
      await t.cloud.ctx.runner.idle()
      const fits = await backup(small.json().id)
      assert.equal(fits.status, 'available', fits.details)
      const big = await call('POST', '/local/v1/demo-data', {chunks: 5, chunkSize: 256 * 1024, writer: false})
      const full = await backup(big.json().id)
      assert.equal(full.status, 'defunct')
      assert.match(full.details, /ENOSPC|no space/i)
      assert.equal(existsSync(t.cloud.ctx.layout.backupDir(full.id)), false, 'partial directory removed')
      assert.ok((await verifyDirectory(t.cloud.ctx.layout.backupDir(fits.id))).ok)
    } finally {
      execFileSync('umount', [backups])
    }
  })

  // Finding 5 with the real engine: a damaged backup fails its restore once, then is defunct.
  it('a backup the restore finds damaged becomes defunct with the reason', async () => {
    const clusterId = await demo()
    await t.cloud.ctx.runner.stopWriter(clusterId)
    const good = await backup(clusterId)
    assert.equal(good.status, 'available', good.details)
    const chunk = await completedChunk(t.cloud.ctx.layout.backupDir(good.id))
    const fh = await open(chunk, 'r+')
    const byte = Buffer.alloc(1)
    await fh.read(byte, 0, 1, 1000)
    byte[0] ^= 0xff
    await fh.write(byte, 0, 1, 1000)
    await fh.close()
    const restored = await call('POST', `${t.mesdb}/clusters`, {...clusterBody, sourceBackupId: good.id})
    assert.equal(restored.statusCode, 202, restored.body)
    await t.cloud.ctx.runner.idle()
    const after = (await call('GET', `${t.mesdb}/backups/${good.id}`)).json().backup
    assert.equal(after.status, 'defunct')
    assert.match(after.details, /found unsound by the restore/)
    assert.equal((await call('POST', `${t.mesdb}/clusters`, {...clusterBody, sourceBackupId: good.id})).statusCode, 409)
  })

  // Finding 4 with a real full disk: a request that fills it answers 507, not 500.
  it('answers 507 when the state directory fills during a request', async function () {
    const clusters = join(t.cloud.ctx.layout.root, 'clusters')
    try {
      execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=300k', 'tmpfs', clusters], {stdio: 'ignore'})
    } catch {
      this.skip() // needs root (mount); hardening.test.ts stubs ENOSPC and SQLITE_FULL
    }
    try {
      const res = await call('POST', '/local/v1/demo-data', {chunks: 4, chunkSize: 256 * 1024, writer: false})
      assert.equal(res.statusCode, 507, res.body)
      assert.match(res.json().detail, /disk .*full/)
    } finally {
      execFileSync('umount', [clusters]) // busy if a failed write left a file open
    }
  })
})
