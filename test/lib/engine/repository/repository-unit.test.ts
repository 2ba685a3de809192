import {strict as assert} from 'node:assert'
import {mkdtemp, readFile, readdir, rm, writeFile} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {Transform} from 'node:stream'

import {generateDataDir} from '../../../../src/lib/engine/index.js'
import {type ObjectCodec, identityCodec} from '../../../../src/lib/engine/repository/codec.js'
import {FsObjectStore} from '../../../../src/lib/engine/repository/fs-store.js'
import {backupToRepository} from '../../../../src/lib/engine/repository/repo-backup.js'
import {restoreFromRepository} from '../../../../src/lib/engine/repository/repo-restore.js'
import {Repository} from '../../../../src/lib/engine/repository/repository.js'
import {endpointFromEnv, parseS3Url, wantsPathStyle} from '../../../../src/lib/engine/repository/s3-url.js'
import {sha256OfFile, uploadFile} from '../../../../src/lib/engine/repository/transfer.js'

/** A codec that flips every byte: stored objects differ from the files, as with encryption. */
const xor = (): Transform =>
  new Transform({
    transform(chunk: Buffer, _e, done) {
      done(null, Buffer.from(chunk.map((b) => b ^ 0xff)))
    },
  })
const flipCodec: ObjectCodec = {
  name: 'flip',
  params: {version: 1},
  objectName: (sha) => `f/${sha.split('').reverse().join('')}`,
  encode: xor,
  decode: xor,
  sealManifest: async (p) => Buffer.from(p.map((b) => b ^ 0xff)),
  openManifest: async (p) => Buffer.from(p.map((b) => b ^ 0xff)),
}

describe('repository: URLs, codecs, hashes (no network)', function () {
  this.timeout(20_000)
  let dir: string
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'esc-repo-unit-'))
  })
  afterEach(() => rm(dir, {recursive: true, force: true}))

  it('parses s3://bucket/prefix#id and refuses malformed URLs, one line naming the input', () => {
    assert.deepEqual(parseS3Url('s3://my-bucket/a/b/'), {bucket: 'my-bucket', prefix: 'a/b'})
    assert.deepEqual(parseS3Url('s3://my.bucket'), {bucket: 'my.bucket', prefix: ''})
    assert.deepEqual(parseS3Url('s3://bkt/p#20261121T203000Z-a1b2c3'), {bucket: 'bkt', prefix: 'p', backupId: '20261121T203000Z-a1b2c3'})
    assert.throws(() => parseS3Url('s3://ab/x'), /^UsageError: the bucket name ab in s3:\/\/ab\/x is not valid/)
    assert.throws(() => parseS3Url('s3://bkt/../x'), /contains \. or \.\./)
    assert.throws(() => parseS3Url('s3://bkt/x#a/b'), /the backup id in s3:\/\/bkt\/x#a\/b is not valid/)
    assert.throws(() => parseS3Url('s3:/bkt'), /is not an S3 URL: expected s3:\/\/bucket\/prefix/)
  })

  it('reads the endpoint like the SDK (service-specific first) and goes path-style for IP hosts or when asked', () => {
    assert.equal(endpointFromEnv({AWS_ENDPOINT_URL: 'http://a', AWS_ENDPOINT_URL_S3: 'http://b'}), 'http://b')
    assert.equal(endpointFromEnv({AWS_ENDPOINT_URL: 'http://a'}), 'http://a')
    assert.equal(endpointFromEnv({}), undefined)
    assert.equal(wantsPathStyle('http://127.0.0.1:9000', {}), true)
    assert.equal(wantsPathStyle('http://[::1]:9000', {}), true)
    assert.equal(wantsPathStyle('https://minio.example.com', {}), false)
    assert.equal(wantsPathStyle('https://minio.example.com', {ESC_S3_FORCE_PATH_STYLE: '1'}), true)
    assert.equal(wantsPathStyle(undefined, {}), false)
  })

  it('stores objects through the codec: its names, its bytes, its sealed manifest; restore decodes them', async () => {
    const db = join(dir, 'db')
    await generateDataDir(db, {chunks: 2, chunkSize: 16384})
    const root = join(dir, 'repo')
    const repo = await Repository.open(new FsObjectStore(root), {create: true, codecs: async () => flipCodec})
    const m = await backupToRepository({repository: repo, db})
    const config = JSON.parse(await readFile(join(root, 'esc-repository.json'), 'utf8'))
    assert.deepEqual(config.codec, {name: 'flip', params: {version: 1}})
    const chunk = m.files.find((f) => f.path === 'chunk-000000.000000')!
    const stored = await readFile(join(root, 'objects', ...flipCodec.objectName(chunk.sha256).split('/')))
    const plain = await readFile(join(db, 'chunk-000000.000000'))
    assert.deepEqual(Buffer.from(stored.map((b) => b ^ 0xff)), plain)
    const [manifestName] = await readdir(join(root, 'backups'))
    const sealed = await readFile(join(root, 'backups', manifestName))
    assert.throws(() => JSON.parse(sealed.toString('utf8')), SyntaxError, 'the manifest is stored sealed')
    await restoreFromRepository(repo, m.id, {db: join(dir, 'restored')})
    assert.deepEqual(await readFile(join(dir, 'restored', 'chunk-000000.000000')), plain)
  })

  it('refuses to open a repository written with another codec than the one given', async () => {
    const root = join(dir, 'repo')
    await Repository.open(new FsObjectStore(root), {create: true, codecs: async () => flipCodec})
    await assert.rejects(Repository.open(new FsObjectStore(root)), (e: Error & {kind?: string}) => {
      assert.equal(e.message, 'this repository uses the flip codec (encrypted or compressed), which this run was not given')
      assert.equal(e.kind, 'invalid-input')
      return true
    })
  })

  it('an upload whose bytes are not the hash it was named by is removed and fails', async () => {
    const root = join(dir, 'repo')
    const repo = await Repository.open(new FsObjectStore(root), {create: true, codecs: async () => identityCodec})
    const file = join(dir, 'f')
    await writeFile(file, 'one')
    const sha = await sha256OfFile(file)
    await writeFile(file, 'two')
    await assert.rejects(uploadFile(repo, file, sha, 3), /changed while it was uploaded .*; nothing was recorded/)
    assert.equal(await repo.store.head(repo.objectKey(sha)), undefined)
  })

  it('an upload reads its file in 256 KiB pieces, the bytes stored unchanged', async () => {
    const pieces: number[] = []
    const recording: ObjectCodec = {
      ...identityCodec,
      encode: () =>
        new Transform({
          transform(chunk: Buffer, _e, done) {
            pieces.push(chunk.length)
            done(null, chunk)
          },
        }),
    }
    const repo = await Repository.open(new FsObjectStore(join(dir, 'repo')), {create: true, codecs: async () => recording})
    const file = join(dir, 'f')
    const bytes = Buffer.from(Array.from({length: 4 * 262_144 + 5}, (_, i) => i % 253))
    await writeFile(file, bytes)
    const sha = await sha256OfFile(file)
    await uploadFile(repo, file, sha, bytes.length)
    assert.deepEqual(pieces, [262_144, 262_144, 262_144, 262_144, 5])
    assert.ok(bytes.equals(await readFile(join(dir, 'repo', repo.objectKey(sha)))))
  })
})
