import {createCipheriv, createDecipheriv, randomBytes} from 'node:crypto'
import {Transform, type TransformCallback} from 'node:stream'

import {EscError} from '../../core/errors.js'
import {type Compression, COMPRESSION_ID, compressBlock, compressionOfId, decompressBlock} from './compress.js'
import type {UnlockedKey} from './crypto-keys.js'

/**
 * A stored object, streamed. An object can be a 256 MiB chunk, so it is never held whole: it is cut
 * into frames of plaintext (1 MiB by default), each compressed and then sealed with AES-256-GCM on
 * its own. Layout:
 *
 *   header: "ESCO" ‖ version (1) ‖ log2 frame size (1) ‖ flags (1: bit 0 encrypted) ‖ compression (1)
 *           ‖ object nonce (12, when encrypted) ‖ name length (1) ‖ name
 *   frames: payload length (4) ‖ final flag (1) ‖ payload (the compressed frame, sealed: ‖ GCM tag 16)
 *
 * Frame i's nonce is the object's random nonce with i XORed into its last four bytes; its additional
 * data is the whole header, i and the final flag. So a frame cannot be moved, dropped or taken from
 * another object; an object cut after a whole frame has no final frame (truncation is caught); and
 * the header binds the object to its name, so an object stored under another's name is refused.
 */

const MAGIC = Buffer.from('ESCO')
const VERSION = 1
const ENCRYPTED = 1
const NONCE = 12
const TAG = 16
const FRAME_PREFIX = 5
export const DEFAULT_FRAME_SIZE = 1024 * 1024
const MIN_FRAME_LOG2 = 10
const MAX_FRAME_LOG2 = 24

export interface EncodeOptions {
  /** Encrypt with this key (no key: frames are only compressed). */
  key?: UnlockedKey
  compression?: Compression
  frameSize?: number
}

export interface DecodeOptions {
  /** The key the object must be encrypted with; without one, an encrypted object is refused. */
  key?: UnlockedKey
  /** What the object holds (a file of a backup): added to error messages. */
  context?: string
}

function frameNonce(base: Buffer, index: number): Buffer {
  const nonce = Buffer.from(base)
  nonce.writeUInt32BE((nonce.readUInt32BE(NONCE - 4) ^ index) >>> 0, NONCE - 4)
  return nonce
}

function frameAad(header: Buffer, index: number, final: boolean): Buffer {
  const tail = Buffer.alloc(5)
  tail.writeUInt32BE(index, 0)
  tail[4] = final ? 1 : 0
  return Buffer.concat([header, tail])
}

/** Collects bytes and hands them back in pieces without copying more than needed. */
class Pending {
  private parts: Buffer[] = []
  length = 0
  push(b: Buffer): void {
    this.parts.push(b)
    this.length += b.length
  }
  peek(n: number): Buffer {
    if (this.parts.length > 1) this.parts = [Buffer.concat(this.parts, this.length)]
    return this.parts[0].subarray(0, n)
  }
  take(n: number): Buffer {
    const all = this.parts.length === 1 ? this.parts[0] : Buffer.concat(this.parts, this.length)
    this.parts = n < all.length ? [all.subarray(n)] : []
    this.length = all.length - n
    return all.subarray(0, n)
  }
}

/** A stream that encodes one object stored as `name`. */
export function encodeObject(name: string, options: EncodeOptions = {}): Transform {
  const {key, compression = 'none', frameSize = DEFAULT_FRAME_SIZE} = options
  const log2 = Math.log2(frameSize)
  if (!Number.isInteger(log2) || log2 < MIN_FRAME_LOG2 || log2 > MAX_FRAME_LOG2) throw new RangeError(`frame size ${frameSize}`)
  const nameBytes = Buffer.from(name)
  if (nameBytes.length > 255) throw new RangeError(`object name too long: ${name}`)
  const nonce = key ? randomBytes(NONCE) : Buffer.alloc(0)
  const header = Buffer.concat([
    MAGIC,
    Buffer.from([VERSION, log2, key ? ENCRYPTED : 0, COMPRESSION_ID[compression]]),
    nonce,
    Buffer.from([nameBytes.length]),
    nameBytes,
  ])
  const pending = new Pending()
  let index = 0
  let started = false

  async function emit(t: Transform, final: boolean, plain: Buffer): Promise<void> {
    let payload = await compressBlock(compression, plain)
    if (key) {
      const cipher = createCipheriv('aes-256-gcm', key.objectKey, frameNonce(nonce, index)).setAAD(frameAad(header, index, final))
      payload = Buffer.concat([cipher.update(payload), cipher.final(), cipher.getAuthTag()])
    }
    const prefix = Buffer.alloc(FRAME_PREFIX)
    prefix.writeUInt32BE(payload.length, 0)
    prefix[4] = final ? 1 : 0
    if (!started) t.push(header)
    started = true
    t.push(prefix)
    t.push(payload)
    index++
  }

  return new Transform({
    transform(chunk: Buffer, _enc, done: TransformCallback) {
      pending.push(chunk)
      // A full frame is not the last one once a byte beyond it has arrived.
      void (async () => {
        while (pending.length > frameSize) await emit(this, false, pending.take(frameSize))
      })().then(() => done(), done)
    },
    flush(done: TransformCallback) {
      emit(this, true, pending.take(pending.length)).then(() => done(), done)
    },
  })
}

/** A stream that decodes object `name`, passing on only frames that authenticated. */
export function decodeObject(name: string, options: DecodeOptions = {}): Transform {
  const {key} = options
  const label = `object ${name}${options.context ? ` (${options.context})` : ''}`
  const refuse = (what: string) => new EscError(`${label} ${what}`, {kind: 'unsound-backup'})
  const pending = new Pending()
  let header: Buffer | undefined
  let nonce: Buffer = Buffer.alloc(0)
  let compression: Compression = 'none'
  let frameSize = 0
  let index = 0
  let ended = false

  function readHeader(): boolean {
    const fixed = MAGIC.length + 4
    if (pending.length < fixed) return false
    const head = pending.peek(fixed)
    if (!head.subarray(0, MAGIC.length).equals(MAGIC) || head[MAGIC.length] !== VERSION)
      throw refuse('is not an esc object (damaged, or from another tool)')
    const [log2, flags, compressionId] = head.subarray(MAGIC.length + 1)
    const encrypted = (flags & ENCRYPTED) !== 0
    if (key && !encrypted) throw refuse('is not encrypted, in an encrypted repository (replaced or altered)')
    if (!key && encrypted) throw refuse('is encrypted, and no key was given to read it')
    const found = compressionOfId(compressionId)
    if (log2 < MIN_FRAME_LOG2 || log2 > MAX_FRAME_LOG2 || !found) throw refuse('is damaged or altered (unknown frame size or compression)')
    const nonceLength = encrypted ? NONCE : 0
    if (pending.length < fixed + nonceLength + 1) return false
    const nameLength = pending.peek(fixed + nonceLength + 1)[fixed + nonceLength]
    if (pending.length < fixed + nonceLength + 1 + nameLength) return false
    header = Buffer.from(pending.take(fixed + nonceLength + 1 + nameLength))
    const stored = header.subarray(fixed + nonceLength + 1).toString()
    if (stored !== name) throw refuse(`holds object ${stored} (objects swapped or renamed)`)
    nonce = header.subarray(fixed, fixed + nonceLength)
    compression = found
    frameSize = 2 ** log2
    return true
  }

  async function openFrame(final: boolean, payload: Buffer): Promise<Buffer> {
    let block = payload
    if (key) {
      if (payload.length < TAG) throw refuse(`is damaged or altered (frame ${index} is too short)`)
      const decipher = createDecipheriv('aes-256-gcm', key.objectKey, frameNonce(nonce, index)).setAAD(frameAad(header!, index, final))
      decipher.setAuthTag(payload.subarray(payload.length - TAG))
      try {
        block = Buffer.concat([decipher.update(payload.subarray(0, payload.length - TAG)), decipher.final()])
      } catch {
        throw refuse(`is damaged or altered (frame ${index} fails authentication)`)
      }
    }
    try {
      return await decompressBlock(compression, block, frameSize)
    } catch {
      throw refuse(`is damaged (frame ${index} does not decompress to at most ${frameSize} bytes)`)
    }
  }

  async function drain(t: Transform): Promise<void> {
    if (!header && !readHeader()) return
    // Compressed or sealed frames may grow a little past the frame size, never by this much.
    const maxPayload = frameSize + frameSize / 16 + 1024
    while (pending.length > 0) {
      if (ended) throw refuse(`has data after its final frame (frame ${index - 1})`)
      if (pending.length < FRAME_PREFIX) return
      const prefix = pending.peek(FRAME_PREFIX)
      const length = prefix.readUInt32BE(0)
      const final = prefix[4] === 1
      if (length > maxPayload || prefix[4] > 1) throw refuse(`is damaged or altered (frame ${index} has a bad length or flag)`)
      if (pending.length < FRAME_PREFIX + length) return
      pending.take(FRAME_PREFIX)
      t.push(await openFrame(final, Buffer.from(pending.take(length))))
      index++
      ended = final
    }
  }

  return new Transform({
    transform(chunk: Buffer, _enc, done: TransformCallback) {
      pending.push(chunk)
      drain(this).then(() => done(), done)
    },
    flush(done: TransformCallback) {
      const check = () => {
        if (!header) throw refuse('is truncated (it ends inside its header)')
        if (pending.length > 0) throw refuse(`is truncated (it ends inside frame ${index})`)
        if (!ended)
          throw refuse(
            index === 0
              ? 'is truncated (it ends after its header)'
              : `is truncated (it ends after frame ${index - 1}, which is not the last)`,
          )
      }
      try {
        check()
        done()
      } catch (error) {
        done(error as Error)
      }
    },
  })
}
