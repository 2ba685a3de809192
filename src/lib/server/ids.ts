import {randomBytes} from 'node:crypto'

import {ID_PATTERN} from '../contract/ids.js'

/**
 * Ids look like the cloud's (xid-style, the contract's ID_PATTERN): 20 characters of lowercase
 * base32hex. The first 32 bits are the creation second, so ids sort by age.
 */
const ALPHABET = '0123456789abcdefghijklmnopqrstuv'
const ID_RE = new RegExp(ID_PATTERN)

let counter = randomBytes(3).readUIntBE(0, 3)

export function newId(now: number = Date.now()): string {
  const bytes = Buffer.alloc(12)
  bytes.writeUInt32BE(Math.floor(now / 1000) >>> 0, 0)
  randomBytes(5).copy(bytes, 4)
  counter = (counter + 1) & 0xff_ffff
  bytes.writeUIntBE(counter, 9, 3)
  let bits = 0
  let value = 0
  let out = ''
  for (const byte of bytes) {
    value = (value << 8) | byte
    bits += 8
    while (bits >= 5) {
      out += ALPHABET[(value >>> (bits - 5)) & 31]
      bits -= 5
    }
  }
  // 96 bits = 19 full characters + 1 bit left: pad it like xid does.
  out += ALPHABET[(value << (5 - bits)) & 31]
  return out
}

export function isId(value: unknown): value is string {
  return typeof value === 'string' && ID_RE.test(value)
}
