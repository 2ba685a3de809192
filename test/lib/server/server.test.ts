import {strict as assert} from 'node:assert'
import {spawn} from 'node:child_process'
import {readdirSync} from 'node:fs'
import {readFile, rm, stat, writeFile} from 'node:fs/promises'
import {join} from 'node:path'

import {createServer} from 'node:net'

import {describeError} from '../../../src/lib/cli/error-exit.js'
import {type EscError, isEscError} from '../../../src/lib/core/errors.js'
import {validationFields} from '../../../src/lib/server/api/app.js'
import {LocalCloud} from '../../../src/lib/server/cloud.js'
import {serve} from '../../../src/lib/cli/local/daemon.js'
import {adminRequest, resolveStateDir, runningServer} from '../../../src/lib/cli/local/control.js'
import {Identity} from '../../../src/lib/server/identity.js'
import {StateLayout} from '../../../src/lib/server/layout.js'
import {localAudience, writeLocalProfile} from '../../../src/lib/cli/local/local-profile.js'
import {isProcessAlive} from '../../../src/lib/core/process.js'
import {ServerLock, writeServerInfo} from '../../../src/lib/server/server-lock.js'
import {Store} from '../../../src/lib/server/store/index.js'
import {tempDir} from './helpers.js'

describe('local server plumbing', () => {
  let dir: string
  beforeEach(async () => {
    dir = await tempDir()
  })
  afterEach(() => rm(dir, {recursive: true, force: true}))

  it('lets one holder take the server lock; a stale server.json does not block', async () => {
    const layout = new StateLayout(dir)
    const first = ServerLock.tryAcquire(layout)!
    assert.ok(first)
    assert.equal(ServerLock.tryAcquire(layout), undefined)
    assert.equal(ServerLock.isHeld(layout), true)
    first.release()
    assert.equal(ServerLock.isHeld(layout), false)
    await writeServerInfo(layout, {pid: 999_999, url: 'http://127.0.0.1:1', startedAt: 'x', dir})
    assert.equal((await stat(layout.serverInfo)).mode & 0o777, 0o600)
    assert.equal(await runningServer(dir), undefined)
    await assert.rejects(stat(layout.serverInfo), /ENOENT/, 'stale server.json removed')
  })

  it('answers "not running" for a state directory that does not exist or was never started, creating nothing', async () => {
    const missing = join(dir, 'never-created')
    assert.equal(ServerLock.isHeld(new StateLayout(missing)), false)
    assert.equal(await runningServer(missing), undefined)
    await assert.rejects(stat(missing), /ENOENT/)
    assert.equal(await runningServer(dir), undefined)
    assert.deepEqual(readdirSync(dir), [], 'checking must not create server.lock')
  })

  it('a first start whose port is taken names the port, and the next start still creates and shows credentials', async () => {
    const blocker = createServer()
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve))
    const port = (blocker.address() as {port: number}).port
    const umask = process.umask()
    try {
      await assert.rejects(
        serve({dir, host: '127.0.0.1', port, env: {ESC_CONFIG_DIR: join(dir, 'config'), ESC_KEYRING: '0'}}),
        new RegExp(
          `^Error: port ${port} on 127\\.0\\.0\\.1 is already in use; stop what uses it or pick another with --port \\(0 picks a free one\\)$`,
        ),
      )
    } finally {
      process.umask(umask)
      blocker.close()
    }
    assert.equal(ServerLock.isHeld(new StateLayout(dir)), false, 'lock released')
    const cloud = await LocalCloud.open({dir, schedule: false})
    try {
      assert.ok(cloud.bootstrap, 'the credentials of the failed start were never shown: the next start must create new ones')
      assert.equal(
        (await cloud.ctx.identity.grant({grant_type: 'password', username: cloud.bootstrap.username, password: cloud.bootstrap.password}))
          .token_type,
        'Bearer',
      )
    } finally {
      await cloud.close(0)
    }
  })

  it('names the admin credentials file when it is missing or damaged (esc local status, demo-data, attach)', async () => {
    const layout = new StateLayout(dir)
    const lock = ServerLock.tryAcquire(layout)!
    try {
      await writeServerInfo(layout, {pid: process.pid, url: 'http://127.0.0.1:1', startedAt: 'x', dir})
      const expected = (why: string) =>
        new RegExp(
          `^Error: cannot read the local cloud's admin credentials ${layout.adminCredentials.replaceAll('.', '\\.')}: ${why}; restore that file \\(it was written at the first start\\), or use a new --dir$`,
        )
      await assert.rejects(adminRequest(dir, 'GET', '/local/v1/status'), expected('it does not exist'))
      await writeFile(layout.adminCredentials, '{', {mode: 0o600})
      await assert.rejects(adminRequest(dir, 'GET', '/local/v1/status'), expected('.*JSON.*'))
      await writeFile(layout.adminCredentials, '{"clientId": "local-admin"}', {mode: 0o600})
      await assert.rejects(adminRequest(dir, 'GET', '/local/v1/status'), expected('clientId or clientSecret missing'))
    } finally {
      lock.release()
    }
  })

  it('a damaged state.db is named in the start error', async () => {
    await writeFile(join(dir, 'state.db'), 'not a database, just text that is long enough for SQLite to read a header from it', {
      mode: 0o600,
    })
    // The server names the file and gives advice; only the CLI words the advice as a flag.
    const error = await LocalCloud.open({dir, schedule: false}).then(
      () => undefined,
      (e: EscError) => e,
    )
    assert.ok(error && isEscError(error))
    assert.equal(error.message, `${join(dir, 'state.db')}: file is not a database`)
    assert.equal(
      describeError(error).message,
      `${join(dir, 'state.db')}: file is not a database; restore it from a copy, or start with a new --dir`,
    )
  })

  it('treats a dead or zombie pid as not alive', async () => {
    assert.equal(isProcessAlive(process.pid), true)
    const child = spawn(process.execPath, ['-e', ''], {stdio: 'ignore'})
    await new Promise((resolve) => child.once('exit', resolve))
    assert.equal(isProcessAlive(child.pid!), false)
    // `sleep 0` exits under a parent (`exec sleep 5`) that never reaps it: a zombie kill(pid, 0) still sees.
    const parent = spawn('sh', ['-c', 'sleep 0 & echo $!; exec sleep 5'], {stdio: ['ignore', 'pipe', 'ignore']})
    const zombie = Number(await new Promise<string>((resolve) => parent.stdout!.once('data', (d) => resolve(String(d).trim()))))
    try {
      let state = ''
      for (let i = 0; i < 200 && state !== 'Z'; i++) {
        const text = await readFile(`/proc/${zombie}/stat`, 'utf8').catch(() => '')
        state = text.slice(text.lastIndexOf(')') + 2).split(' ')[0]
        if (state !== 'Z') await new Promise((r) => setTimeout(r, 5))
      }
      assert.equal(state, 'Z')
      assert.doesNotThrow(() => process.kill(zombie, 0))
      assert.equal(isProcessAlive(zombie), false)
    } finally {
      parent.kill('SIGKILL')
    }
  })

  it('resolves the state directory from the flag, ESC_LOCAL_DIR, then the config dir', () => {
    assert.equal(resolveStateDir('/a/b', {ESC_LOCAL_DIR: '/c'}), '/a/b')
    assert.equal(resolveStateDir(undefined, {ESC_LOCAL_DIR: '/c'}), '/c')
    assert.equal(resolveStateDir(undefined, {ESC_CONFIG_DIR: '/cfg'}), '/cfg/local')
  })

  it('writes the local profile and a 0600 token that the server accepts', async () => {
    const store = new Store(join(dir, 'state.db'))
    const identity = new Identity(store)
    const env = {ESC_CONFIG_DIR: join(dir, 'config'), ESC_KEYRING: '0'}
    const result = await writeLocalProfile({
      url: 'http://127.0.0.1:2180',
      organizationId: 'o'.repeat(20),
      projectId: 'p'.repeat(20),
      identity,
      env,
    })
    assert.equal(result.madeDefault, true)
    assert.equal(result.tokenSource, 'file')
    const toml = await readFile(join(dir, 'config', 'settings.toml'), 'utf8')
    assert.match(toml, /default-profile = "local"/)
    assert.match(toml, /api-base-url = "http:\/\/127\.0\.0\.1:2180\/"/)
    assert.match(toml, /identity-url = "http:\/\/127\.0\.0\.1:2180"/)
    const tokenFile = join(dir, 'config', 'tokens', localAudience('o'.repeat(20)))
    assert.equal((await stat(tokenFile)).mode & 0o777, 0o600)
    const token = JSON.parse(await readFile(tokenFile, 'utf8'))
    assert.equal(identity.verifyAccessToken(token.access_token), 'admin@esc.local')
    assert.equal((await identity.grant({grant_type: 'refresh_token', refresh_token: token.refresh_token})).token_type, 'Bearer')
    // A second write keeps the existing default.
    const again = await writeLocalProfile({
      url: 'http://127.0.0.1:9',
      organizationId: 'o'.repeat(20),
      projectId: 'p'.repeat(20),
      identity,
      env,
    })
    assert.equal(again.madeDefault, false)
    assert.match(await readFile(join(dir, 'config', 'settings.toml'), 'utf8'), /api-base-url = "http:\/\/127\.0\.0\.1:9\/"/)
    store.close()
  })

  it('names nested and missing fields in the problem details map', () => {
    assert.deepEqual(
      validationFields([
        {instancePath: '/data', message: "must have required property 'clusterId'", params: {missingProperty: 'clusterId'}},
        {
          instancePath: '/topology',
          message: 'must be equal to one of the allowed values',
          params: {allowedValues: ['single-node', 'three-node-multi-zone']},
        },
        {instancePath: '/backupId', message: 'must match pattern "^[0-9a-v]{20}$"', params: {}},
      ]),
      {
        'data.clusterId': "must have required property 'clusterId'",
        topology: 'must be equal to one of the allowed values: single-node, three-node-multi-zone',
        backupId: 'must be an id: 20 characters of 0-9 and a-v',
      },
    )
  })
})
