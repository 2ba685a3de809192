import {strict as assert} from 'node:assert'
import {randomBytes} from 'node:crypto'
import {Readable} from 'node:stream'
import {buffer} from 'node:stream/consumers'

import {COMPRESSIONS, type Compression} from '../../../../src/lib/engine/repository/compress.js'
import {createRepositoryKey, openRepositoryKey} from '../../../../src/lib/engine/repository/crypto-keys.js'
import {decodeObject, encodeObject} from '../../../../src/lib/engine/repository/object-frames.js'
import {isEscError} from '../../../../src/lib/core/errors.js'

const FRAME = 4096
const json = Buffer.from(
  Array.from({length: 400}, (_, i) => JSON.stringify({orderId: `order-${i}`, customer: 'Ada Lovelace', total: i * 3.5})).join('\n'),
)

async function roundTrip(data: Buffer, compression: Compression, withKey: boolean): Promise<{stored: Buffer; back: Buffer}> {
  const key = withKey ? await openRepositoryKey(await createRepositoryKey('pw', 'r', {N: 1024, r: 8, p: 1}), 'pw', 'r') : undefined
  const stored = await buffer(Readable.from([data]).pipe(encodeObject('o', {key, compression, frameSize: FRAME})))
  const back = await buffer(Readable.from([stored]).pipe(decodeObject('o', {key})))
  return {stored, back}
}

describe('repository compression', () => {
  it('offers the node:zlib algorithms and none', () => {
    assert.deepEqual([...COMPRESSIONS].sort(), ['brotli', 'deflate', 'gzip', 'none'])
  })

  for (const compression of COMPRESSIONS) {
    for (const withKey of [false, true]) {
      it(`${compression}${withKey ? ' then encryption' : ''}: round-trips, and shrinks JSON unless none`, async () => {
        for (const data of [Buffer.alloc(0), randomBytes(FRAME * 2 + 3), json]) {
          const {stored, back} = await roundTrip(data, compression, withKey)
          assert.deepEqual(back, data)
          if (data === json && compression !== 'none') assert.ok(stored.length < json.length / 3, `${stored.length} of ${json.length}`)
        }
      })
    }
  }

  it('compresses before encrypting: an encrypted object is as small as its compressed plaintext', async () => {
    const {stored: compressed} = await roundTrip(json, 'gzip', false)
    const {stored: both} = await roundTrip(json, 'gzip', true)
    assert.ok(both.length < compressed.length * 1.2, `${both.length} vs ${compressed.length}`)
  })

  it('refuses a frame that would inflate beyond the frame size (a planted object cannot exhaust memory)', async () => {
    // A frame whose declared content decompresses to more than one frame: built by encoding with a
    // larger frame size and relabelling the header's frame size.
    const stored = await buffer(
      Readable.from([Buffer.alloc(FRAME * 4)]).pipe(encodeObject('o', {compression: 'gzip', frameSize: FRAME * 4})),
    )
    stored[5] = Math.log2(FRAME)
    await assert.rejects(
      buffer(Readable.from([stored]).pipe(decodeObject('o', {}))),
      (e: unknown) => isEscError(e) && e.kind === 'unsound-backup' && /object o is damaged/.test(e.message),
    )
  })
})
