/**
 * The index's 64-bit stream hash: `XXHash32(stream) << 32 | Murmur3A(stream)`, both with the seed
 * KurrentDB uses. Only the generator needs it (PTable entries carry it).
 */
const SEED = 0xc58f1a7b

const P1 = 2654435761
const P2 = 2246822519
const P3 = 3266489917
const P4 = 668265263
const P5 = 374761393

const rotl = (x: number, r: number): number => ((x << r) | (x >>> (32 - r))) >>> 0

export function xxhash32(data: Buffer, seed = SEED): number {
  const len = data.length
  let i = 0
  let h: number
  if (len >= 16) {
    let v1 = (seed + P1 + P2) >>> 0
    let v2 = (seed + P2) >>> 0
    let v3 = seed >>> 0
    let v4 = (seed - P1) >>> 0
    const round = (v: number, input: number): number => Math.imul(rotl((v + Math.imul(input, P2)) >>> 0, 13), P1) >>> 0
    while (i <= len - 16) {
      v1 = round(v1, data.readUInt32LE(i))
      v2 = round(v2, data.readUInt32LE(i + 4))
      v3 = round(v3, data.readUInt32LE(i + 8))
      v4 = round(v4, data.readUInt32LE(i + 12))
      i += 16
    }
    h = (rotl(v1, 1) + rotl(v2, 7) + rotl(v3, 12) + rotl(v4, 18)) >>> 0
  } else {
    h = (seed + P5) >>> 0
  }
  h = (h + len) >>> 0
  while (i + 4 <= len) {
    h = Math.imul(rotl((h + Math.imul(data.readUInt32LE(i), P3)) >>> 0, 17), P4) >>> 0
    i += 4
  }
  while (i < len) {
    h = Math.imul(rotl((h + Math.imul(data[i], P5)) >>> 0, 11), P1) >>> 0
    i++
  }
  h = Math.imul(h ^ (h >>> 15), P2) >>> 0
  h = Math.imul(h ^ (h >>> 13), P3) >>> 0
  return (h ^ (h >>> 16)) >>> 0
}

export function murmur3a(data: Buffer, seed = SEED): number {
  const c1 = 0xcc9e2d51
  const c2 = 0x1b873593
  let h = seed >>> 0
  const blocks = data.length - (data.length % 4)
  for (let i = 0; i < blocks; i += 4) {
    let k = data.readUInt32LE(i)
    k = Math.imul(rotl(Math.imul(k, c1) >>> 0, 15), c2) >>> 0
    h = (Math.imul(rotl((h ^ k) >>> 0, 13), 5) + 0xe6546b64) >>> 0
  }
  let k = 0
  const rest = data.length % 4
  if (rest === 3) k ^= data[blocks + 2] << 16
  if (rest >= 2) k ^= data[blocks + 1] << 8
  if (rest >= 1) {
    k ^= data[blocks]
    k = Math.imul(rotl(Math.imul(k, c1) >>> 0, 15), c2) >>> 0
    h = (h ^ k) >>> 0
  }
  h = (h ^ data.length) >>> 0
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b) >>> 0
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35) >>> 0
  return (h ^ (h >>> 16)) >>> 0
}

export function streamHash(stream: string): bigint {
  const bytes = Buffer.from(stream, 'utf8')
  return (BigInt(xxhash32(bytes)) << 32n) | BigInt(murmur3a(bytes))
}
