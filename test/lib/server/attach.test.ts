import {strict as assert} from 'node:assert'
import {execFileSync} from 'node:child_process'
import {mkdir, rm, stat, symlink, writeFile} from 'node:fs/promises'
import {join} from 'node:path'

import {fakeDataDir, openTestCloud, tempDir, type TestCloud} from './helpers.js'

// Finding 2: attach accepted any path (relative to the server's cwd, /, /etc, the state directory itself).
describe('local cloud: attach rules', () => {
  let t: TestCloud
  let outside: string
  beforeEach(async () => {
    t = await openTestCloud()
    outside = await tempDir('esc-attach-')
  })
  afterEach(async () => {
    await t.close()
    await rm(outside, {recursive: true, force: true})
  })

  const attach = (payload: Record<string, unknown>) =>
    t.cloud.app.inject({method: 'POST', url: '/local/v1/clusters/attach', headers: t.auth, payload})

  it('accepts a KurrentDB data directory outside the state directory', async () => {
    const db = await fakeDataDir(join(outside, 'node1'))
    const res = await attach({db})
    assert.equal(res.statusCode, 201, res.body)
  })

  it('refuses relative paths, NUL, / and system directories', async () => {
    for (const db of ['node1', './x', '../etc', `${outside}/a\u0000b`, '/', '/etc', '/proc/self', '/proc/1/root', '/sys', '/dev/shm']) {
      const res = await attach({db})
      assert.equal(res.statusCode, 400, `${JSON.stringify(db)}: ${res.body}`)
      assert.ok(res.json().fields.db, res.body)
    }
  })

  it('refuses the state directory, anything inside it and anything containing it', async () => {
    const root = t.cloud.ctx.layout.root
    const inside = await fakeDataDir(join(root, 'backups', 'my-node'))
    const link = join(outside, 'sneaky')
    await symlink(inside, link)
    for (const db of [root, inside, link, join(root, '..'), `${root}/../${root.split('/').pop()}/clusters`]) {
      const res = await attach({db})
      assert.equal(res.statusCode, 400, `${db}: ${res.body}`)
      // (the parent of a state directory in /tmp is /tmp itself: a system directory)
      assert.match(res.json().fields.db, /state directory|system directory/)
    }
  })

  it('answers one generic message whether the directory is missing, a file, or lacks regular checkpoint files', async () => {
    const plain = join(outside, 'plain')
    await mkdir(plain)
    const file = join(outside, 'file')
    await writeFile(file, 'x')
    const fifo = await fakeDataDir(join(outside, 'fifo'))
    await rm(join(fifo, 'writer.chk'))
    execFileSync('mkfifo', [join(fifo, 'writer.chk')])
    const onlyWriter = join(outside, 'only-writer')
    await mkdir(onlyWriter)
    await writeFile(join(onlyWriter, 'writer.chk'), Buffer.alloc(8))
    for (const db of [join(outside, 'missing'), plain, file, fifo, onlyWriter, '/root/.ssh', '/nonexistent/x']) {
      const res = await attach({db})
      assert.equal(res.statusCode, 400, `${db}: ${res.body}`)
      assert.equal(res.json().fields.db, `${db} is not a KurrentDB data directory`)
    }
  })

  it('refuses a directory that is already attached, also through another path', async () => {
    const db = await fakeDataDir(join(outside, 'node1'))
    assert.equal((await attach({db})).statusCode, 201)
    const link = join(outside, 'again')
    await symlink(db, link)
    for (const again of [db, link, `${db}/`]) {
      const res = await attach({db: again})
      assert.equal(res.statusCode, 409, `${again}: ${res.body}`)
      assert.match(res.json().detail, /already attached/)
    }
  })

  it('refuses a --ca-file that is not a readable file, and a relative or system --index', async () => {
    const db = await fakeDataDir(join(outside, 'node1'))
    const missing = await attach({db, nodeUrl: 'https://127.0.0.1:2113', nodeCaFile: join(outside, 'ca.crt')})
    assert.equal(missing.statusCode, 400, missing.body)
    assert.ok(missing.json().fields.nodeCaFile)
    const relative = await attach({db, index: 'index'})
    assert.equal(relative.statusCode, 400, relative.body)
    assert.ok(relative.json().fields.index)
    const system = await attach({db, index: '/etc'})
    assert.equal(system.statusCode, 400, system.body)
    await writeFile(join(outside, 'ca.crt'), '-----BEGIN CERTIFICATE-----\nx\n-----END CERTIFICATE-----\n')
    const ok = await attach({db, nodeUrl: 'https://127.0.0.1:2113', nodeCaFile: join(outside, 'ca.crt')})
    assert.equal(ok.statusCode, 201, ok.body)
  })

  it('gives data copied into the state directory mode 0600 and its directories 0700', async () => {
    const db = await fakeDataDir(join(outside, 'node1'))
    const id = (await attach({db})).json().id
    const res = await t.cloud.app.inject({
      method: 'POST',
      url: `${t.mesdb}/backups`,
      headers: t.auth,
      payload: {description: 'b', sourceClusterId: id},
    })
    assert.equal(res.statusCode, 202, res.body)
    await t.cloud.ctx.runner.idle()
    const backupDir = t.cloud.ctx.layout.backupDir(res.json().id)
    assert.equal((await stat(backupDir)).mode & 0o777, 0o700)
    assert.equal((await stat(join(backupDir, 'sub'))).mode & 0o777, 0o700)
    assert.equal((await stat(join(backupDir, 'chunk-000000.000000'))).mode & 0o777, 0o600)
    assert.equal((await stat(join(backupDir, 'sub', 'f'))).mode & 0o777, 0o600)
  })
})
