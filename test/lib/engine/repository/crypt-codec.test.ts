import {strict as assert} from 'node:assert'
import {createHash} from 'node:crypto'
import {Readable} from 'node:stream'
import {buffer} from 'node:stream/consumers'

import {identityCodec} from '../../../../src/lib/engine/repository/codec.js'
import {escCodecFactory, ESC_CODEC} from '../../../../src/lib/engine/repository/crypt-codec.js'
import {isEscError} from '../../../../src/lib/core/errors.js'
import {describeError, exitCodeOf} from '../../../../src/lib/cli/error-exit.js'

const FAST = {N: 1024, r: 8, p: 1}
const sha = (s: string) => createHash('sha256').update(s).digest('hex')
const password = (pw: string) => {
  const asked: boolean[] = []
  return {asked, provide: async (creating: boolean) => (asked.push(creating), pw)}
}

describe('the encrypting and compressing codec', () => {
  it('keeps the identity codec for a new repository without encryption or compression', async () => {
    const codec = await escCodecFactory({compression: 'none', scrypt: FAST})(undefined)
    assert.equal(codec, identityCodec)
  })

  it('compresses a new repository with deflate when the run does not choose', async () => {
    const codec = await escCodecFactory({})(undefined)
    assert.equal(codec.name, ESC_CODEC)
    assert.equal(codec.params.compression, 'deflate')
    assert.equal(codec.params.key, undefined)
  })

  it('creates an encrypted repository: the key is wrapped in the params, the password asked once for creation', async () => {
    const pw = password('s3cret')
    const codec = await escCodecFactory({encrypt: true, password: pw.provide, scrypt: FAST})(undefined)
    assert.equal(codec.name, ESC_CODEC)
    assert.deepEqual(pw.asked, [true])
    const params = JSON.stringify(codec.params)
    assert.match(params, /"scrypt"/)
    assert.equal(params.includes('s3cret'), false)
    const name = codec.objectName(sha('x'))
    assert.equal(name.includes(sha('x')), false)
    assert.match(name, /^[0-9a-f]{2}\/[0-9a-f]{64}$/)

    // The next run opens it from the stored params and reads what the first wrote.
    const stored = JSON.parse(JSON.stringify({name: codec.name, params: codec.params}))
    const again = await escCodecFactory({password: password('s3cret').provide})(stored)
    assert.equal(again.objectName(sha('x')), name)
    const data = Buffer.from('{"orderId":"order-1"}')
    const obj = await buffer(Readable.from([data]).pipe(codec.encode(name)))
    assert.equal(obj.includes(Buffer.from('order-1')), false)
    assert.deepEqual(await buffer(Readable.from([obj]).pipe(again.decode(name))), data)
    const manifest = Buffer.from('{"id":"b1"}')
    const sealed = await codec.sealManifest(manifest, 'b1')
    assert.deepEqual(await again.openManifest(sealed, 'b1'), manifest)
    await assert.rejects(again.openManifest(sealed, 'b2'), /manifest of backup b2 is the manifest of backup b1/)
  })

  it('says a wrong password is wrong, in one line', async () => {
    const codec = await escCodecFactory({encrypt: true, password: password('s3cret').provide, scrypt: FAST})(undefined)
    const stored = {name: codec.name, params: codec.params}
    await assert.rejects(escCodecFactory({password: password('nope').provide})(stored), (e: unknown) => {
      assert.ok(isEscError(e) && e.kind === 'auth' && /password is wrong/.test(e.message), String(e))
      assert.equal(exitCodeOf(e), 3)
      return true
    })
  })

  it('asks for the password of an encrypted repository; without a way to ask, the advice names how to give it', async () => {
    const codec = await escCodecFactory({encrypt: true, password: password('s3cret').provide, scrypt: FAST})(undefined)
    await assert.rejects(escCodecFactory({})({name: codec.name, params: codec.params}), (e: unknown) => {
      assert.ok(
        isEscError(e) && e.kind === 'invalid-input' && /repository is encrypted/.test(e.message) && !/--/.test(e.message),
        String(e),
      )
      assert.match(describeError(e).suggestions.join('\n'), /ESC_BACKUP_PASSWORD.*--password-file/)
      return true
    })
  })

  it('compresses without encrypting: objects keep hash names, manifests stay plain JSON', async () => {
    const codec = await escCodecFactory({compression: 'gzip'})(undefined)
    assert.equal(codec.objectName(sha('x')), `${sha('x').slice(0, 2)}/${sha('x')}`)
    const data = Buffer.from('{"a":1}'.repeat(1000))
    const obj = await buffer(Readable.from([data]).pipe(codec.encode('n')))
    assert.ok(obj.length < data.length / 10)
    assert.deepEqual(await buffer(Readable.from([obj]).pipe(codec.decode('n'))), data)
    assert.deepEqual(await codec.sealManifest(Buffer.from('{}'), 'b'), Buffer.from('{}'))
  })

  it('refuses to encrypt into a repository created without encryption, and the reverse', async () => {
    const refused = (pattern: RegExp) => (e: unknown) => isEscError(e) && e.kind === 'invalid-input' && pattern.test(e.message)
    await assert.rejects(
      escCodecFactory({encrypt: true, password: password('x').provide})({name: 'identity', params: {}}),
      refused(/created without encryption/),
    )
    await assert.rejects(escCodecFactory({compression: 'brotli'})({name: 'identity', params: {}}), refused(/created without compression/))
    const plainCompressed = await escCodecFactory({compression: 'gzip'})(undefined)
    await assert.rejects(
      escCodecFactory({encrypt: true, password: password('x').provide})({name: plainCompressed.name, params: plainCompressed.params}),
      refused(/created without encryption/),
    )
    // Without an explicit choice, a run follows what the repository was created with.
    assert.equal(await escCodecFactory({})({name: 'identity', params: {}}), identityCodec)
  })
})
