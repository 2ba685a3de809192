import {strict as assert} from 'node:assert'
import {chmod, mkdtemp, open, readFile, rm, writeFile} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

import nock from 'nock'

import {runCli} from '../../support/run-cli.js'
import {tmpHome, type TmpHome} from '../../support/tmp-home.js'

describe('esc node commands', function () {
  let dir: string
  let home: TmpHome
  let env: Record<string, string | undefined>

  before(async () => {
    home = await tmpHome()
    env = {...home.env, CI: 'true', ESC_NODE_URL: undefined}
  })
  after(() => home.cleanup())
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'esc-node-cmd-'))
  })
  afterEach(() => rm(dir, {recursive: true, force: true}))

  const generate = (extra: string[] = []) =>
    runCli(['node', 'generate', join(dir, 'db'), '--chunks', '3', '--chunk-size', '64KiB', ...extra], {env})

  it('generate writes a data directory that verify finds sound (exit 0)', async () => {
    const g = await generate(['--with-index'])
    assert.equal(g.exitCode, 0, g.stderr)
    assert.match(g.stdout, /^Generated .*db: 3 chunks of 64\.0 KiB .* events, writer \d+, 2 PTables\n$/)
    const v = await runCli(['node', 'verify', join(dir, 'db')], {env})
    assert.equal(v.exitCode, 0, v.stdout)
    assert.match(v.stdout, /^OK: .*db \(data directory\)\n {2}checked 3 chunks \(2 completed, MD5 verified\), 2 PTables, 5 checkpoints/)
    assert.equal(v.stderr, '')
  })

  it('generate rejects a bad --chunk-size with exit 2 and one line', async () => {
    const g = await runCli(['node', 'generate', join(dir, 'db'), '--chunk-size', 'lots'], {env})
    assert.equal(g.exitCode, 2)
    assert.equal(g.stderr, 'Error: --chunk-size "lots" is not a size; use e.g. 1MiB, 64KiB or 4096\n')
  })

  it('backup, verify and restore round-trip with the documented outputs', async () => {
    await generate()
    const b = await runCli(['node', 'backup', join(dir, 'bk'), '--db', join(dir, 'db')], {env})
    assert.equal(b.exitCode, 0, b.stderr)
    assert.equal(b.stderr, '', 'no progress when CI is set')
    assert.match(b.stdout, /^Backup \S+ \(full\) written to .*bk\n {2}files: 7 .*copied 7/)
    assert.match(b.stdout, /verification: every copied completed chunk matched its footer MD5/)
    const again = await runCli(['node', 'backup', join(dir, 'bk'), '--db', join(dir, 'db'), '--json'], {env})
    const summary = JSON.parse(again.stdout)
    assert.equal(summary.kind, 'differential')
    assert.equal(summary.stats.filesKept, 2, 'both completed chunks kept')
    const v = await runCli(['node', 'verify', join(dir, 'bk'), '--json'], {env})
    assert.equal(v.exitCode, 0)
    assert.equal(JSON.parse(v.stdout).kind, 'backup')
    const r = await runCli(['node', 'restore', join(dir, 'bk'), '--db', join(dir, 'restored')], {env})
    assert.equal(r.exitCode, 0, r.stderr)
    assert.match(r.stdout, /^Restored 7 files .* to .*restored in \d+s\nWhat to expect:\n {2}- truncate\.chk = \d+ \(copy of chaser\.chk\)/)
    assert.match(r.stdout, /From 24\.6 on the node exits \(code 0\) after that truncation: start it a second time\./)
    const chaser = await readFile(join(dir, 'db', 'chaser.chk'))
    assert.deepEqual(await readFile(join(dir, 'restored', 'truncate.chk')), chaser)
  })

  it('verify exits 5 and names the damaged chunk and why', async () => {
    await generate()
    const path = join(dir, 'db', 'chunk-000001.000000')
    await chmod(path, 0o644)
    const fh = await open(path, 'r+')
    await fh.write(Buffer.from('X'), 0, 1, 500)
    await fh.close()
    const v = await runCli(['node', 'verify', join(dir, 'db')], {env})
    assert.equal(v.exitCode, 5)
    assert.match(v.stdout, /^NOT SOUND: /)
    assert.match(v.stdout, /\n {2}problem: chunk-000001\.000000: MD5 mismatch \(footer [0-9a-f]{32}, computed [0-9a-f]{32}\)\n/)
    const j = await runCli(['node', 'verify', join(dir, 'db'), '--json'], {env})
    assert.equal(j.exitCode, 5)
    assert.deepEqual(
      JSON.parse(j.stdout).problems.map((p: {file: string}) => p.file),
      ['chunk-000001.000000'],
    )
  })

  it('restore refuses a non-empty target without --force (exit 2) and moves it aside with it', async () => {
    await generate()
    await runCli(['node', 'backup', join(dir, 'bk'), '--db', join(dir, 'db')], {env})
    const target = join(dir, 'target')
    await runCli(['node', 'generate', target, '--chunks', '1', '--chunk-size', '64KiB'], {env})
    const refused = await runCli(['node', 'restore', join(dir, 'bk'), '--db', target], {env})
    assert.equal(refused.exitCode, 2)
    assert.match(
      refused.stderr,
      /^Error: .*target is not empty; restore onto an empty directory or pass --force to move the current contents aside\n$/,
    )
    const forced = await runCli(['node', 'restore', join(dir, 'bk'), '--db', target, '--force'], {env})
    assert.equal(forced.exitCode, 0, forced.stderr)
    const moved = /previous contents moved to (\S+)/.exec(forced.stdout)?.[1]
    assert.ok(moved)
    assert.equal((await readFile(join(moved, 'writer.chk'))).length, 8, 'old directory kept, not deleted')
  })

  it('restore stops at a safe point on SIGTERM (exit 130, nothing copied), like on Ctrl-C', async () => {
    await generate()
    assert.equal((await runCli(['node', 'backup', join(dir, 'bk'), '--db', join(dir, 'db')], {env})).exitCode, 0)
    // SIGTERM as soon as the command listens for it: the restore is verifying the backup then.
    const deliver = (event: string | symbol) => {
      if (event === 'SIGTERM') setImmediate(() => process.emit('SIGTERM'))
    }
    process.on('newListener', deliver)
    let r
    try {
      r = await runCli(['node', 'restore', join(dir, 'bk'), '--db', join(dir, 'restored')], {env})
    } finally {
      process.off('newListener', deliver)
    }
    assert.equal(r.exitCode, 130, r.stderr)
    assert.match(r.stderr, /restore interrupted/)
    assert.equal(process.listenerCount('SIGTERM'), 0, 'the handler is removed afterwards')
    const {existsSync} = await import('node:fs')
    assert.equal(existsSync(join(dir, 'restored')), false, 'nothing was copied')
  })

  it('restore of a directory that is not a backup exits 5 and touches nothing', async () => {
    await writeFile(join(dir, 'junk'), 'x')
    const r = await runCli(['node', 'restore', dir, '--db', join(dir, 'never')], {env})
    assert.equal(r.exitCode, 5)
    assert.match(r.stderr, /^Error: .* is not a complete esc backup: esc-backup\.json is missing\n/)
    await assert.rejects(readFile(join(dir, 'never', 'writer.chk')))
  })

  it('backup refuses DuckDB files on a hot node, with the fix', async () => {
    await generate()
    await writeFile(join(dir, 'db', 'kurrent.ddb'), 'duck')
    const b = await runCli(['node', 'backup', join(dir, 'bk'), '--db', join(dir, 'db')], {env})
    assert.equal(b.exitCode, 1)
    assert.equal(
      b.stderr,
      `Error: ${join(dir, 'db')} has secondary-index files (kurrent.ddb); a hot file copy of them is not safe\n` +
        '  Stop the node (POST /admin/shutdown) and run again with --offline, or use volume snapshots.\n',
    )
    const offline = await runCli(['node', 'backup', join(dir, 'bk'), '--db', join(dir, 'db'), '--offline', '--json'], {env})
    assert.equal(offline.exitCode, 0, offline.stderr)
    assert.equal(JSON.parse(offline.stdout).source.duckdb, true)
  })

  it('--no-verify is recorded in the manifest', async () => {
    await generate()
    const b = await runCli(['node', 'backup', join(dir, 'bk'), '--db', join(dir, 'db'), '--no-verify', '--json'], {env})
    assert.equal(b.exitCode, 0, b.stderr)
    assert.equal(JSON.parse(b.stdout).verification, 'skipped')
    const manifest = JSON.parse(await readFile(join(dir, 'bk', 'esc-backup.json'), 'utf8'))
    assert.ok(manifest.files.filter((f: {completed?: boolean}) => f.completed).every((f: {verified: boolean}) => f.verified === false))
  })

  it('guard flags without --node-url are a usage error', async () => {
    const b = await runCli(['node', 'backup', join(dir, 'bk'), '--db', dir, '--allow-lagging'], {env})
    assert.equal(b.exitCode, 2)
    assert.match(b.stderr, /need --node-url/)
  })

  it('--node-url guards the backup with credentials from ESC_NODE_USERNAME/ESC_NODE_PASSWORD', async () => {
    await generate()
    nock.disableNetConnect()
    try {
      const auth = {authorization: `Basic ${Buffer.from('ops:secret').toString('base64')}`}
      const scope = nock('http://127.0.0.1:2113', {reqheaders: auth})
        .get('/admin/scavenge/current')
        .reply(200, {scavengeId: '', scavengeLink: ''})
        .post('/auto-scavenge/pause')
        .reply(200, {})
        .get('/gossip')
        .reply(200, {
          members: [
            {
              state: 'Leader',
              isAlive: true,
              httpEndPointIp: '127.0.0.1',
              httpEndPointPort: 2113,
              writerCheckpoint: 5,
              chaserCheckpoint: 5,
              epochNumber: 1,
              epochId: 'e',
            },
          ],
          serverIp: '127.0.0.1',
          serverPort: 2113,
        })
        .post('/auto-scavenge/resume')
        .reply(200, {})
      const b = await runCli(['node', 'backup', join(dir, 'bk'), '--db', join(dir, 'db'), '--json'], {
        env: {...env, ESC_NODE_URL: 'http://127.0.0.1:2113', ESC_NODE_USERNAME: 'ops', ESC_NODE_PASSWORD: 'secret'},
      })
      assert.equal(b.exitCode, 0, b.stderr)
      assert.ok(scope.isDone(), `pending: ${scope.pendingMocks()}`)
      const summary = JSON.parse(b.stdout)
      assert.equal(summary.source.nodeUrl, 'http://127.0.0.1:2113')
      assert.equal(summary.source.node.state, 'Leader')
    } finally {
      nock.cleanAll()
      nock.enableNetConnect()
    }
  })
})
