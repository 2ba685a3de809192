import {createCipheriv, createDecipheriv, randomBytes} from 'node:crypto'
import {Transform, type TransformCallback} from 'node:stream'

import {EscError} from '../../core/errors.js'
import type {UnlockedKey} from './crypto-keys.js'

/**
 * Encrypted objects, streamed. An object can be a 256 MiB chunk, so it is never held whole: it is
 * cut into frames (1 MiB by default), each sealed with AES-256-GCM on its own. Layout:
 *
 *   header: "ESCO" ‖ version (1) ‖ log2 frame size (1) ‖ object nonce (12) ‖ name length (1) ‖ name
 *   frames: ciphertext (frame size, the last one shorter or empty) ‖ GCM tag (16)
 *
 * Frame i's nonce is the object's random nonce with i XORed into its last four bytes; its additional
 * data is the whole header, i and a final-frame flag. So a frame cannot be moved, dropped or
 * replayed from another object; cutting the object after a whole frame leaves no frame marked final
 * (truncation is caught); and the header binds the object to its name (a swapped object is caught).
 */

const MAGIC = Buffer.from('ESCO')
const VERSION = 1
const NONCE = 12
const TAG = 16
const FIXED_HEADER = MAGIC.length + 2 + NONCE + 1
export const DEFAULT_FRAME_SIZE = 1024 * 1024
const MIN_FRAME_LOG2 = 10
const MAX_FRAME_LOG2 = 24

export interface ObjectCryptoOptions {
  frameSize?: number
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

function sealFrame(key: Buffer, header: Buffer, nonce: Buffer, index: number, final: boolean, plain: Buffer): Buffer[] {
  const cipher = createCipheriv('aes-256-gcm', key, frameNonce(nonce, index)).setAAD(frameAad(header, index, final))
  return [cipher.update(plain), cipher.final(), cipher.getAuthTag()]
}

/** The frame's plaintext, or undefined when it fails authentication. */
function openFrame(key: Buffer, header: Buffer, nonce: Buffer, index: number, final: boolean, sealed: Buffer): Buffer | undefined {
  const decipher = createDecipheriv('aes-256-gcm', key, frameNonce(nonce, index)).setAAD(frameAad(header, index, final))
  decipher.setAuthTag(sealed.subarray(sealed.length - TAG))
  try {
    return Buffer.concat([decipher.update(sealed.subarray(0, sealed.length - TAG)), decipher.final()])
  } catch {
    return undefined
  }
}

/** Collects bytes and hands them back in pieces of a given size without copying more than needed. */
class Pending {
  private parts: Buffer[] = []
  length = 0
  push(b: Buffer): void {
    this.parts.push(b)
    this.length += b.length
  }
  take(n: number): Buffer {
    const all = this.parts.length === 1 ? this.parts[0] : Buffer.concat(this.parts, this.length)
    this.parts = n < all.length ? [all.subarray(n)] : []
    this.length = all.length - n
    return all.subarray(0, n)
  }
}

/** A stream that encrypts one object stored as `name`. */
export function encryptObject(key: UnlockedKey, name: string, options: ObjectCryptoOptions = {}): Transform {
  const frameSize = options.frameSize ?? DEFAULT_FRAME_SIZE
  const log2 = Math.log2(frameSize)
  if (!Number.isInteger(log2) || log2 < MIN_FRAME_LOG2 || log2 > MAX_FRAME_LOG2) throw new RangeError(`frame size ${frameSize}`)
  const nameBytes = Buffer.from(name)
  if (nameBytes.length > 255) throw new RangeError(`object name too long: ${name}`)
  const nonce = randomBytes(NONCE)
  const header = Buffer.concat([MAGIC, Buffer.from([VERSION, log2]), nonce, Buffer.from([nameBytes.length]), nameBytes])
  const pending = new Pending()
  let index = 0
  let started = false
  const emit = (t: Transform, final: boolean, plain: Buffer) => {
    if (!started) t.push(header)
    started = true
    for (const part of sealFrame(key.objectKey, header, nonce, index++, final, plain)) t.push(part)
  }
  return new Transform({
    transform(chunk: Buffer, _enc, done: TransformCallback) {
      pending.push(chunk)
      // A full frame is sealed as not final only once a byte beyond it shows it is not the last.
      while (pending.length > frameSize) emit(this, false, pending.take(frameSize))
      done()
    },
    flush(done: TransformCallback) {
      emit(this, true, pending.take(pending.length))
      done()
    },
  })
}

/** A stream that decrypts object `name`, passing on only plaintext whose frame authenticated. */
export function decryptObject(key: UnlockedKey, name: string, options: ObjectCryptoOptions = {}): Transform {
  const label = `object ${name}${options.context ? ` (${options.context})` : ''}`
  const refuse = (what: string) => new EscError(`${label} ${what}`, {kind: 'unsound-backup'})
  const pending = new Pending()
  let header: Buffer | undefined
  let nonce: Buffer = Buffer.alloc(0)
  let sealedFrame = 0
  let index = 0

  const readHeader = (): boolean => {
    if (pending.length < FIXED_HEADER) return false
    const fixed = pending.take(FIXED_HEADER)
    const nameLength = fixed[FIXED_HEADER - 1]
    if (!fixed.subarray(0, MAGIC.length).equals(MAGIC) || fixed[MAGIC.length] !== VERSION)
      throw refuse('is not an encrypted esc object (damaged, or written without encryption)')
    const log2 = fixed[MAGIC.length + 1]
    if (log2 < MIN_FRAME_LOG2 || log2 > MAX_FRAME_LOG2) throw refuse('is damaged or altered (bad frame size)')
    if (pending.length < nameLength) {
      // Put the fixed part back until the name has arrived.
      const rest = pending.take(pending.length)
      pending.push(Buffer.concat([fixed, rest]))
      return false
    }
    const stored = pending.take(nameLength).toString()
    if (stored !== name) throw refuse(`holds object ${stored} (objects swapped or renamed)`)
    header = Buffer.concat([fixed, Buffer.from(stored)])
    nonce = fixed.subarray(MAGIC.length + 2, MAGIC.length + 2 + NONCE)
    sealedFrame = 2 ** log2 + TAG
    return true
  }

  return new Transform({
    transform(chunk: Buffer, _enc, done: TransformCallback) {
      try {
        pending.push(chunk)
        if (!header && !readHeader()) return done()
        while (pending.length > sealedFrame) {
          const plain = openFrame(key.objectKey, header!, nonce, index, false, pending.take(sealedFrame))
          if (!plain) throw refuse(`is damaged or altered (frame ${index} fails authentication)`)
          index++
          this.push(plain)
        }
        done()
      } catch (error) {
        done(error as Error)
      }
    },
    flush(done: TransformCallback) {
      try {
        if (!header && !readHeader()) throw refuse('is truncated (it ends inside its header)')
        if (pending.length < TAG) throw refuse(`is truncated (it ends inside frame ${index})`)
        const last = pending.take(pending.length)
        const plain = openFrame(key.objectKey, header!, nonce, index, true, last)
        if (plain) {
          this.push(plain)
          return done()
        }
        // A whole frame that opens as not final: the frames after it were cut off.
        if (last.length === sealedFrame && openFrame(key.objectKey, header!, nonce, index, false, last))
          throw refuse(`is truncated (it ends after frame ${index}, which is not the last)`)
        throw refuse(`is damaged or altered (frame ${index} fails authentication)`)
      } catch (error) {
        done(error as Error)
      }
    },
  })
}
