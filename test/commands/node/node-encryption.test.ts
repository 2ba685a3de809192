import {strict as assert} from 'node:assert'
import {createHash} from 'node:crypto'
import {mkdtemp, readFile, readdir, rm, writeFile} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

import {generateDataDir} from '../../../src/lib/engine/index.js'
import {runCli} from '../../support/run-cli.js'
import {TestS3} from '../../lib/engine/repository/support/s3-server.js'

/** One line on stderr (plus the advice lines given), no stack trace. */
function oneLine(stderr: string, pattern: RegExp): void {
  const [first] = stderr.trimEnd().split('\n')
  assert.match(first, pattern, stderr)
  assert.doesNotMatch(stderr, /\n\s+at /, stderr)
}

describe('esc node backup|restore|verify: encrypted repositories', function () {
  this.timeout(60_000)
  let s3: TestS3
  let dir: string
  let db: string
  let n = 0
  let url: string
  let env: Record<string, string | undefined>
  before(async () => {
    s3 = await TestS3.start()
  })
  after(() => s3.stop())
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'esc-node-crypt-'))
    db = join(dir, 'db')
    await generateDataDir(db, {chunks: 2, chunkSize: 16384, withIndex: true})
    url = s3.url(`crypt${++n}`)
    // No password anywhere unless a test gives one; the real scrypt cost, as users pay it.
    env = {...s3.env(), ESC_BACKUP_PASSWORD: undefined}
  })
  afterEach(() => rm(dir, {recursive: true, force: true}))

  it('backs up with --encrypt and ESC_BACKUP_PASSWORD, then restores and verifies with --password-file', async () => {
    const backup = await runCli(['node', 'backup', url, '--db', db, '--encrypt', '--compress', 'gzip'], {
      env: {...env, ESC_BACKUP_PASSWORD: 'correct horse'},
    })
    assert.equal(backup.exitCode, 0, backup.stderr)
    assert.match(backup.stdout, /encrypted \(AES-256-GCM\), compressed with gzip/)
    await writeFile(join(dir, 'pw'), 'correct horse\n')
    const restored = join(dir, 'restored')
    const restore = await runCli(['node', 'restore', url, '--db', restored, '--password-file', join(dir, 'pw')], {env})
    assert.equal(restore.exitCode, 0, restore.stderr)
    assert.deepEqual(await readFile(join(restored, 'chunk-000000.000000')), await readFile(join(db, 'chunk-000000.000000')))
    const verify = await runCli(['node', 'verify', url, '--password-file', join(dir, 'pw')], {env})
    assert.equal(verify.exitCode, 0, verify.stderr)
  })

  it('leaves no plaintext of an event in the bucket, nor a content hash in an object name', async () => {
    const backup = await runCli(['node', 'backup', url, '--db', db, '--encrypt', '--json'], {env: {...env, ESC_BACKUP_PASSWORD: 'pw'}})
    assert.equal(backup.exitCode, 0, backup.stderr)
    const chunk = await readFile(join(db, 'chunk-000000.000000'))
    const plaintexts = ['"currency":"EUR"', '"amount":1234', 'OrderPlaced', 'stream-000001']
    for (const p of plaintexts) assert.ok(chunk.includes(p), p)
    // Everything s3rver keeps on disk for the bucket: objects and their metadata.
    const bucketDir = (s3 as unknown as {dir: string}).dir
    const files = (await readdir(bucketDir, {recursive: true, withFileTypes: true})).filter((e) => e.isFile())
    const mine = files.filter((e) => join(e.parentPath, e.name).includes(`crypt${n}`))
    assert.ok(mine.length > 5, `${mine.length} files of this repository`)
    const hashes = [
      createHash('sha256').update(chunk).digest('hex'),
      createHash('md5')
        .update(chunk.subarray(0, chunk.length - 16))
        .digest('hex'),
    ]
    for (const e of mine) {
      const path = join(e.parentPath, e.name)
      const bytes = await readFile(path)
      for (const p of plaintexts) assert.equal(bytes.includes(p), false, `${path} holds ${p}`)
      for (const h of hashes) assert.equal(path.includes(h), false, `${path} is named by a content hash`)
    }
  })

  it('says a wrong password is wrong in one line (exit 3), and never prints it', async () => {
    assert.equal(
      (await runCli(['node', 'backup', url, '--db', db, '--encrypt'], {env: {...env, ESC_BACKUP_PASSWORD: 'right'}})).exitCode,
      0,
    )
    const r = await runCli(['node', 'restore', url, '--db', join(dir, 'r')], {env: {...env, ESC_BACKUP_PASSWORD: 'wrong-one'}})
    assert.equal(r.exitCode, 3)
    oneLine(r.stderr, /^Error: the password is wrong for the encrypted repository/)
    assert.equal(r.stderr.trimEnd().split('\n').length, 1, r.stderr)
    assert.doesNotMatch(r.stderr + r.stdout, /wrong-one|right/)
  })

  it('without a password and without a terminal, names the ways to give one (exit 2)', async () => {
    const enc = await runCli(['node', 'backup', url, '--db', db, '--encrypt'], {env})
    assert.equal(enc.exitCode, 2)
    oneLine(
      enc.stderr,
      /^Error: --encrypt needs a password: set ESC_BACKUP_PASSWORD, pass --password-file FILE, or run in a terminal to be asked$/,
    )
    assert.equal((await runCli(['node', 'backup', url, '--db', db, '--encrypt'], {env: {...env, ESC_BACKUP_PASSWORD: 'pw'}})).exitCode, 0)
    const restore = await runCli(['node', 'restore', url, '--db', join(dir, 'r')], {env})
    assert.equal(restore.exitCode, 2)
    oneLine(restore.stderr, /^Error: this repository is encrypted, and no password was given$/)
    assert.match(restore.stderr, /Set ESC_BACKUP_PASSWORD, pass --password-file FILE, or run in a terminal to be asked for it\./)
  })

  it('backups list and forget of an encrypted repository need its password the same way', async () => {
    const backup = await runCli(['node', 'backup', url, '--db', db, '--encrypt', '--json'], {env: {...env, ESC_BACKUP_PASSWORD: 'pw'}})
    assert.equal(backup.exitCode, 0, backup.stderr)
    const id = JSON.parse(backup.stdout).id as string
    const without = await runCli(['node', 'backups', 'list', url], {env})
    assert.equal(without.exitCode, 2)
    oneLine(without.stderr, /^Error: this repository is encrypted, and no password was given$/)
    await writeFile(join(dir, 'pw'), 'pw')
    const list = await runCli(['node', 'backups', 'list', url, '--password-file', join(dir, 'pw'), '--json'], {env})
    assert.equal(list.exitCode, 0, list.stderr)
    assert.deepEqual(
      JSON.parse(list.stdout).map((b: {id: string}) => b.id),
      [id],
    )
    const forget = await runCli(['node', 'backups', 'forget', url, id, '--password-file', join(dir, 'pw')], {env})
    assert.equal(forget.exitCode, 0, forget.stderr)
  })

  it('refuses an unreadable or empty --password-file, naming it', async () => {
    const missing = await runCli(['node', 'backup', url, '--db', db, '--encrypt', '--password-file', join(dir, 'nope')], {env})
    assert.equal(missing.exitCode, 2)
    oneLine(missing.stderr, /^Error: cannot read --password-file .*nope$/)
    await writeFile(join(dir, 'empty'), '\n')
    const empty = await runCli(['node', 'backup', url, '--db', db, '--encrypt', '--password-file', join(dir, 'empty')], {env})
    assert.equal(empty.exitCode, 2)
    oneLine(empty.stderr, /^Error: --password-file .*empty is empty$/)
  })

  it('refuses --encrypt and --compress for a local backup directory, which stays a plain data directory', async () => {
    for (const flag of [['--encrypt'], ['--compress', 'gzip']]) {
      const r = await runCli(['node', 'backup', join(dir, 'local'), '--db', db, ...flag], {env: {...env, ESC_BACKUP_PASSWORD: 'pw'}})
      assert.equal(r.exitCode, 2)
      oneLine(r.stderr, new RegExp(`^Error: ${flag[0]} applies to repositories \\(s3://bucket/prefix\\)`))
    }
  })

  it('refuses --encrypt for a repository created without encryption', async () => {
    const plain = await runCli(['node', 'backup', url, '--db', db], {env})
    assert.equal(plain.exitCode, 0, plain.stderr)
    assert.match(plain.stdout, /\n {2}objects: not encrypted, compressed with deflate\n/)
    const r = await runCli(['node', 'backup', url, '--db', db, '--encrypt'], {env: {...env, ESC_BACKUP_PASSWORD: 'pw'}})
    assert.equal(r.exitCode, 2)
    oneLine(r.stderr, /^Error: this repository was created without encryption/)
  })
})
