import {strict as assert} from 'node:assert'
import {execFile} from 'node:child_process'
import {mkdtemp, readFile, readdir, rm, stat} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {promisify} from 'node:util'

import {TestS3} from '../../lib/engine/repository/support/s3-server.js'
import {readCheckpointFile} from '../../lib/engine/support/independent-reader.js'
import {repoRoot, runCli} from '../../support/run-cli.js'
import {tmpHome, type TmpHome} from '../../support/tmp-home.js'

describe('esc node backup|restore|verify|backups with an s3:// repository', function () {
  this.timeout(30_000)
  let s3: TestS3
  let home: TmpHome
  let dir: string
  let env: Record<string, string | undefined>
  let n = 0
  let url: string
  before(async () => {
    s3 = await TestS3.start()
    home = await tmpHome()
  })
  after(async () => {
    await s3.stop()
    await home.cleanup()
  })
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'esc-node-s3-'))
    url = s3.url(`cmd${++n}/node1`)
    env = {...home.env, ...s3.env(), CI: 'true', ESC_NODE_URL: undefined}
    await runCli(['node', 'generate', join(dir, 'db'), '--chunks', '3', '--chunk-size', '64KiB', '--with-index'], {env})
  })
  afterEach(() => rm(dir, {recursive: true, force: true}))

  it('backs up to s3://, lists, verifies and restores a named backup with truncate.chk', async () => {
    const b = await runCli(['node', 'backup', url, '--db', join(dir, 'db')], {env})
    assert.equal(b.exitCode, 0, b.stderr)
    assert.equal(b.stderr, '')
    const id = /^Backup (\S+) \(full\) written to s3:\/\/esc-test\/cmd\d+\/node1\n/.exec(b.stdout)?.[1]
    assert.ok(id, b.stdout)
    assert.match(b.stdout, /uploaded 9 objects/)
    // Completed chunks and PTables go from the node to the store; the rest is a local snapshot first.
    assert.match(
      b.stdout,
      /\n {2}copied locally first: [1-9]\d* files \([^)]+\); completed chunks and PTables went straight to the store\n/,
    )
    const b2 = await runCli(['node', 'backup', url, '--db', join(dir, 'db'), '--json'], {env})
    assert.equal(b2.exitCode, 0, b2.stderr)
    const second = JSON.parse(b2.stdout)
    assert.equal(second.kind, 'differential')
    assert.equal(second.uploaded.objects, 0, 'nothing changed: nothing uploaded')
    const list = await runCli(['node', 'backups', 'list', url, '--json'], {env})
    assert.equal(list.exitCode, 0, list.stderr)
    const rows = JSON.parse(list.stdout)
    assert.deepEqual(
      rows.map((r: {id: string; kind: string}) => [r.id, r.kind]),
      [
        [id, 'full'],
        [second.id, 'differential'],
      ],
    )
    const table = await runCli(['node', 'backups', 'list', url], {env})
    assert.match(table.stdout, /^ID +TIME +KIND +SIZE +ADDED +FILES +WRITER +CHASER\n/)
    assert.equal(table.stdout.trim().split('\n').length, 3)
    const v = await runCli(['node', 'verify', `${url}#${id}`], {env})
    assert.equal(v.exitCode, 0, v.stdout + v.stderr)
    assert.match(v.stdout, new RegExp(`^OK: s3://esc-test/cmd\\d+/node1#${id} \\(backup\\)`))
    const r = await runCli(['node', 'restore', `${url}#${id}`, '--db', join(dir, 'restored')], {env})
    assert.equal(r.exitCode, 0, r.stderr)
    assert.match(r.stdout, /^Restored 12 files/)
    assert.equal(readCheckpointFile(join(dir, 'restored', 'truncate.chk')), readCheckpointFile(join(dir, 'restored', 'chaser.chk')))
    assert.deepEqual(await readFile(join(dir, 'restored', 'chunk-000000.000000')), await readFile(join(dir, 'db', 'chunk-000000.000000')))
  })

  it('forget by id and --keep-last remove manifests, then prune only the objects no backup names', async () => {
    for (let i = 0; i < 3; i++) {
      if (i > 0) await runCli(['node', 'generate', join(dir, 'db'), '--chunks', String(3 + i), '--chunk-size', '64KiB'], {env: {...env}})
      const b = await runCli(['node', 'backup', url, '--db', join(dir, 'db')], {env})
      assert.equal(b.exitCode, 0, b.stderr)
    }
    const ids = JSON.parse((await runCli(['node', 'backups', 'list', url, '--json'], {env})).stdout).map((r: {id: string}) => r.id)
    assert.equal(ids.length, 3)
    const f = await runCli(['node', 'backups', 'forget', url, '--keep-last', '1', '--json'], {env})
    assert.equal(f.exitCode, 0, f.stderr)
    const result = JSON.parse(f.stdout)
    assert.deepEqual(result.forgotten, ids.slice(0, 2))
    assert.deepEqual(result.kept, [ids[2]])
    const v = await runCli(['node', 'verify', url], {env})
    assert.equal(v.exitCode, 0, `the kept backup is whole after the prune: ${v.stdout}`)
    const none = await runCli(['node', 'backups', 'forget', url, 'nope'], {env})
    assert.equal(none.exitCode, 1)
    assert.match(none.stderr, /^Error: s3:\/\/esc-test\/cmd\d+\/node1 has no backup nope\n/)
    const both = await runCli(['node', 'backups', 'forget', url, ids[2], '--keep-last', '2'], {env})
    assert.equal(both.exitCode, 2)
    assert.equal(
      both.stderr.split('\n')[0],
      'Error: give either a backup id or --keep-last N (not both): `esc node backups forget <repo> <backup-id>`',
    )
  })

  it('a local backup directory lists its one backup and forgets it by id, leaving the directory empty', async () => {
    const bk = join(dir, 'bk')
    assert.equal((await runCli(['node', 'backup', bk, '--db', join(dir, 'db')], {env})).exitCode, 0)
    const rows = JSON.parse((await runCli(['node', 'backups', 'list', bk, '--json'], {env})).stdout)
    assert.equal(rows.length, 1)
    assert.equal(rows[0].kind, 'full')
    const keep = await runCli(['node', 'backups', 'forget', bk, '--keep-last', '1'], {env})
    assert.equal(keep.exitCode, 0, keep.stderr)
    assert.equal((await runCli(['node', 'verify', bk], {env})).exitCode, 0, 'keeping the newest 1 keeps the one backup')
    const f = await runCli(['node', 'backups', 'forget', bk, rows[0].id], {env})
    assert.equal(f.exitCode, 0, f.stderr)
    assert.deepEqual(await readdir(bk), [])
    const again = await runCli(['node', 'backup', bk, '--db', join(dir, 'db'), '--json'], {env})
    assert.equal(JSON.parse(again.stdout).kind, 'full')
  })

  it('bad URLs and refused flags are one line with exit 2; a missing bucket names it', async () => {
    const bad = await runCli(['node', 'backup', 's3://A_B/x', '--db', join(dir, 'db')], {env})
    assert.equal(bad.exitCode, 2)
    assert.equal(bad.stderr, 'Error: the bucket name A_B in s3://A_B/x is not valid: 3-63 lowercase letters, digits, dots and hyphens\n')
    const full = await runCli(['node', 'backup', url, '--db', join(dir, 'db'), '--full'], {env})
    assert.equal(full.exitCode, 2)
    assert.match(full.stderr, /^Error: --full does not apply to an S3 repository \(s3:\/\/esc-test\/cmd\d+\/node1\)/)
    const missing = await runCli(['node', 'backups', 'list', 's3://no-such-bucket/x'], {env})
    assert.equal(missing.exitCode, 1)
    assert.match(
      missing.stderr,
      /^Error: could not download esc-repository.json in s3:\/\/no-such-bucket\/x: NoSuchBucket \(HTTP 404\): .*; create the bucket first\n$/,
    )
    const empty = await runCli(['node', 'restore', s3.url('nothing-here'), '--db', join(dir, 'r')], {env})
    assert.equal(empty.exitCode, 1)
    assert.equal(empty.stderr, 'Error: s3://esc-test/nothing-here holds no esc backup repository (no esc-repository.json)\n')
  })

  it('never prints the credentials, also not with --debug and refused credentials', async () => {
    const secret = 'wJalrXUtnFEMI-K7MDENG-bPxRfiCYEXAMPLEKEY'
    const bad = {...env, AWS_ACCESS_KEY_ID: 'AKIAUNKNOWN', AWS_SECRET_ACCESS_KEY: secret, AWS_SESSION_TOKEN: 'session-token-secret-123'}
    const r = await runCli(['node', 'backup', url, '--db', join(dir, 'db'), '--debug'], {env: bad})
    assert.equal(r.exitCode, 3, r.stderr)
    assert.match(
      r.stderr,
      /^Error: could not .* in s3:\/\/esc-test\/cmd\d+\/node1: InvalidAccessKeyId \(HTTP 403\): .*; set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY \(or AWS_PROFILE\) for this store\n/,
    )
    for (const out of [r.stdout, r.stderr]) {
      assert.ok(!out.includes(secret), 'secret key printed')
      assert.ok(!out.includes('session-token-secret-123'), 'session token printed')
    }
  })

  it('the built CLI prints nothing from the SDK on stderr (no Node version warning)', async function () {
    const bin = join(repoRoot, 'bin/run.js')
    if (!(await stat(join(repoRoot, 'dist')).catch(() => undefined))) this.skip()
    await runCli(['node', 'backup', url, '--db', join(dir, 'db')], {env})
    const {stdout, stderr} = await promisify(execFile)(process.execPath, [bin, 'node', 'backups', 'list', url], {
      env: {PATH: process.env.PATH, HOME: home.env.HOME, ...s3.env(), CI: 'true'},
    })
    assert.equal(stderr, '')
    assert.equal(stdout.trim().split('\n').length, 2)
  })
})
