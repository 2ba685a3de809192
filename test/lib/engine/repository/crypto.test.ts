import {strict as assert} from 'node:assert'
import {Readable} from 'node:stream'
import {buffer} from 'node:stream/consumers'
import {pipeline} from 'node:stream/promises'
import {randomBytes} from 'node:crypto'

import {
  createRepositoryKey,
  openRepositoryKey,
  type RepositoryKeyFile,
  type UnlockedKey,
} from '../../../../src/lib/engine/repository/crypto-keys.js'
import {decodeObject, encodeObject} from '../../../../src/lib/engine/repository/object-frames.js'
import {openManifest, sealManifest} from '../../../../src/lib/engine/repository/crypto-manifest.js'
import {exitCodeOf} from '../../../../src/lib/cli/error-exit.js'
import {isEscError} from '../../../../src/lib/core/errors.js'

// Cheap scrypt parameters: the tests check the construction, not the work factor.
const FAST = {N: 1024, r: 8, p: 1}
const REPO = 'repo-1111'
const FRAME = 1024

async function encrypt(key: UnlockedKey, name: string, data: Buffer, frameSize = FRAME): Promise<Buffer> {
  return buffer(Readable.from([data]).pipe(encodeObject(name, {key, frameSize})))
}

async function decrypt(key: UnlockedKey, name: string, data: Buffer): Promise<Buffer> {
  const out: Buffer[] = []
  await pipeline(Readable.from([data]), decodeObject(name, {key}), async function (source: AsyncIterable<Buffer>) {
    for await (const c of source) out.push(c)
  })
  return Buffer.concat(out)
}

const refuses = (kind: string, pattern: RegExp) => (e: unknown) =>
  isEscError(e) && e.kind === kind && pattern.test(e.message) && !e.message.includes('\n') && !/--[a-z]/.test(e.message)

describe('repository encryption', () => {
  let file: RepositoryKeyFile
  let key: UnlockedKey
  before(async () => {
    file = await createRepositoryKey('correct horse', REPO, FAST)
    key = await openRepositoryKey(file, 'correct horse', REPO)
  })

  it('wraps a random data key with a scrypt-derived key; the file holds salt and parameters, not the key', async () => {
    assert.equal(file.kdf.name, 'scrypt')
    assert.deepEqual({N: file.kdf.N, r: file.kdf.r, p: file.kdf.p}, FAST)
    assert.equal(Buffer.from(file.kdf.salt, 'base64').length, 32)
    assert.equal(file.cipher, 'aes-256-gcm')
    const other = await createRepositoryKey('correct horse', REPO, FAST)
    assert.notEqual(other.kdf.salt, file.kdf.salt)
    assert.notEqual(other.wrappedKey, file.wrappedKey)
    // Two repositories with the same password still have different data keys.
    const otherKey = await openRepositoryKey(other, 'correct horse', REPO)
    assert.notEqual(otherKey.objectName('abc'), key.objectName('abc'))
  })

  it('says in one line that a wrong password is wrong (exit 3)', async () => {
    await assert.rejects(openRepositoryKey(file, 'wrong', REPO), (e: unknown) => {
      assert.ok(refuses('auth', /password is wrong/)(e), String(e))
      assert.equal(exitCodeOf(e), 3)
      return true
    })
  })

  it('refuses a key file with parameters that would exhaust memory, naming the field', async () => {
    await assert.rejects(
      openRepositoryKey({...file, kdf: {...file.kdf, N: 2 ** 30}}, 'correct horse', REPO),
      refuses('damaged-file', /scrypt/),
    )
  })

  it('names objects by HMAC, not by their content hash', () => {
    const hash = 'd41d8cd98f00b204e9800998ecf8427e'
    const name = key.objectName(hash)
    assert.match(name, /^[0-9a-f]{64}$/)
    assert.equal(name.includes(hash), false)
    assert.equal(key.objectName(hash), name)
    assert.notEqual(key.objectName(hash + '0'), name)
  })

  it('round-trips objects of every size around the frame boundary', async () => {
    for (const size of [0, 1, FRAME - 1, FRAME, FRAME + 1, 3 * FRAME, 3 * FRAME + 7]) {
      const data = randomBytes(size)
      const sealed = await encrypt(key, 'obj', data)
      assert.deepEqual(await decrypt(key, 'obj', sealed), data, `size ${size}`)
      assert.equal(sealed.includes(data.subarray(0, Math.min(size, 16))) && size >= 16, false)
    }
  })

  it('uses a fresh random nonce per object: the same plaintext never encrypts the same way', async () => {
    const data = Buffer.from('the same event payload, twice')
    const a = await encrypt(key, 'obj', data)
    const b = await encrypt(key, 'obj', data)
    assert.notDeepEqual(a, b)
  })

  it('refuses a flipped byte, naming the object', async () => {
    const sealed = await encrypt(key, 'obj-a', randomBytes(3 * FRAME))
    for (const at of [sealed.length - 1, sealed.length - 2 * FRAME, 60]) {
      const bad = Buffer.from(sealed)
      bad[at] ^= 1
      await assert.rejects(decrypt(key, 'obj-a', bad), (e: unknown) => {
        assert.ok(refuses('unsound-backup', /object obj-a .*damaged or altered/)(e), String(e))
        assert.equal(exitCodeOf(e), 5)
        return true
      })
    }
  })

  it("refuses an object stored under another object's name (swapped)", async () => {
    const sealed = await encrypt(key, 'obj-a', Buffer.from('a'))
    await assert.rejects(decrypt(key, 'obj-b', sealed), refuses('unsound-backup', /object obj-b holds object obj-a/))
  })

  it('refuses an object truncated at a frame boundary as truncated', async () => {
    const sealed = await encrypt(key, 'obj-a', randomBytes(3 * FRAME + 5))
    const headerAndTwo = sealed.length - (5 + 5 + 16) - (5 + FRAME + 16)
    await assert.rejects(
      decrypt(key, 'obj-a', sealed.subarray(0, headerAndTwo)),
      refuses('unsound-backup', /object obj-a is truncated \(it ends after frame 1/),
    )
    await assert.rejects(
      decrypt(key, 'obj-a', sealed.subarray(0, headerAndTwo - 7)),
      refuses('unsound-backup', /object obj-a is truncated \(it ends inside frame 1/),
    )
    await assert.rejects(
      decrypt(key, 'obj-a', sealed.subarray(0, 10)),
      refuses('unsound-backup', /object obj-a is truncated \(it ends inside its header/),
    )
  })

  it('refuses an unencrypted object where an encrypted one is expected (no downgrade)', async () => {
    const plain = await buffer(Readable.from([Buffer.from('x')]).pipe(encodeObject('obj', {})))
    await assert.rejects(decrypt(key, 'obj', plain), refuses('unsound-backup', /object obj is not encrypted/))
  })

  it('refuses bytes appended after the final frame', async () => {
    const sealed = await encrypt(key, 'obj', Buffer.from('x'))
    await assert.rejects(
      decrypt(key, 'obj', Buffer.concat([sealed, Buffer.from('more')])),
      refuses('unsound-backup', /data after its final frame/),
    )
  })

  it('refuses an object a key of another repository encrypted', async () => {
    const other = await openRepositoryKey(await createRepositoryKey('correct horse', REPO, FAST), 'correct horse', REPO)
    const sealed = await encrypt(other, 'obj', Buffer.from('x'))
    await assert.rejects(decrypt(key, 'obj', sealed), refuses('unsound-backup', /damaged or altered/))
  })

  it('keeps memory flat: output comes out frame by frame while input streams in', async () => {
    const frames = 64
    let produced = 0
    const source = Readable.from(
      (function* () {
        for (let i = 0; i < frames; i++) yield Buffer.alloc(FRAME, i)
      })(),
    )
    const enc = source.pipe(encodeObject('big', {key, frameSize: FRAME}))
    const dec = enc.pipe(decodeObject('big', {key}))
    let maxBuffered = 0
    for await (const c of dec) {
      produced += (c as Buffer).length
      maxBuffered = Math.max(maxBuffered, enc.readableLength, dec.readableLength)
    }
    assert.equal(produced, frames * FRAME)
    assert.ok(maxBuffered <= 64 * 1024, `buffered ${maxBuffered}`)
  })

  it('authenticates the manifest and binds it to its repository and backup', async () => {
    const manifest = Buffer.from(JSON.stringify({id: 'b1', files: [{name: 'chunk-000000.000000', md5: 'abc'}]}))
    const sealed = sealManifest(key, manifest, {repositoryId: REPO, backupId: 'b1'})
    assert.equal(sealed.includes(Buffer.from('chunk-000000')), false)
    assert.deepEqual(openManifest(key, sealed, {repositoryId: REPO, backupId: 'b1'}), manifest)
    const bad = Buffer.from(sealed)
    bad[bad.length - 20] ^= 1
    assert.throws(
      () => openManifest(key, bad, {repositoryId: REPO, backupId: 'b1'}),
      refuses('unsound-backup', /manifest of backup b1 .*altered/),
    )
    assert.throws(
      () => openManifest(key, sealed, {repositoryId: REPO, backupId: 'b2'}),
      refuses('unsound-backup', /manifest of backup b2 is the manifest of backup b1/),
    )
    assert.throws(
      () => openManifest(key, sealed, {repositoryId: 'repo-2', backupId: 'b1'}),
      refuses('unsound-backup', /another repository/),
    )
    assert.throws(
      () => openManifest(key, sealed.subarray(0, 8), {repositoryId: REPO, backupId: 'b1'}),
      refuses('unsound-backup', /manifest of backup b1/),
    )
  })
})
