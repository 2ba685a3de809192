/**
 * Emits the bytes of a WebAssembly module that runs MD5 over 4 (or 8) independent messages at
 * once, one message per 32-bit lane of an i32x4 vector. MD5 only uses 32-bit add, and/or/xor/not
 * and rotate, all of which have i32x4 forms, so one vector instruction does the work of four
 * scalar ones. Generated here rather than shipped as a binary: no build step, and the 64 rounds
 * are unrolled from the same constant tables as any MD5.
 *
 * Exported `blocks(off_0 … off_{L-1}, n)`: runs n 64-byte blocks of every lane, lane i reading its
 * blocks at off_i, off_i + 64, …; the chaining state lives at the start of memory as 4 vectors
 * (A, B, C, D) per group of 4 lanes, lane i in 32-bit lane i % 4 of group i / 4.
 */
import {uleb128Bytes} from './leb128.js'

const K = Array.from({length: 64}, (_, i) => Math.trunc(Math.abs(Math.sin(i + 1)) * 2 ** 32) >>> 0)
const SHIFT = [7, 12, 17, 22, 5, 9, 14, 20, 4, 11, 16, 23, 6, 10, 15, 21]
/** Which message word step i reads. */
const MESSAGE_INDEX = Array.from({length: 64}, (_, i) =>
  i < 16 ? i : i < 32 ? (5 * i + 1) % 16 : i < 48 ? (3 * i + 5) % 16 : (7 * i) % 16,
)

/** Bytes of the state per group of 4 lanes: the A, B, C and D vectors. */
export const STATE_BYTES_PER_GROUP = 64
export const MD5_IV = [0x67452301, 0xefcdab89, 0x98badcfe, 0x10325476]

function sleb(n: number): number[] {
  const out: number[] = []
  for (;;) {
    const byte = n & 0x7f
    n >>= 7
    if ((n === 0 && (byte & 0x40) === 0) || (n === -1 && (byte & 0x40) !== 0)) return [...out, byte]
    out.push(byte | 0x80)
  }
}

const section = (id: number, body: number[]) => [id, ...uleb128Bytes(body.length), ...body]
const vec = (items: number[][]) => [...uleb128Bytes(items.length), ...items.flat()]
const name = (s: string) => [...uleb128Bytes(s.length), ...Buffer.from(s, 'latin1')]

const I32 = 0x7f
const V128 = 0x7b
const op = {
  localGet: (i: number) => [0x20, ...uleb128Bytes(i)],
  localSet: (i: number) => [0x21, ...uleb128Bytes(i)],
  localTee: (i: number) => [0x22, ...uleb128Bytes(i)],
  i32Const: (n: number) => [0x41, ...sleb(n | 0)],
  i32Add: [0x6a],
  i32Sub: [0x6b],
  i32Eqz: [0x45],
  simd: (code: number, ...rest: number[]) => [0xfd, ...uleb128Bytes(code), ...rest],
}
// memarg: alignment exponent, then offset.
const v128Load = (offset: number) => op.simd(0x00, 4, ...uleb128Bytes(offset))
const v128Store = (offset: number) => op.simd(0x0b, 4, ...uleb128Bytes(offset))
const v128Const = (words: number[]) => op.simd(0x0c, ...Buffer.from(new Uint32Array(words).buffer))
const shuffle = (lanes: number[]) => op.simd(0x0d, ...lanes)
const OR = op.simd(0x50)
const XOR = op.simd(0x51)
const NOT = op.simd(0x4d)
const BITSELECT = op.simd(0x52)
const ADD = op.simd(0xae)
const SHL = op.simd(0xab)
const SHR_U = op.simd(0xad)

/** i8x16.shuffle lanes picking 32-bit words (0–3 from the first operand, 4–7 from the second). */
const words = (w: number[]) => w.flatMap((x) => [4 * x, 4 * x + 1, 4 * x + 2, 4 * x + 3])

/**
 * The module for `groups` groups of 4 lanes (1 or 2) and a memory of `pages` 64 KiB pages, fixed:
 * no memory.grow, so views onto memory.buffer stay valid for the module's life.
 */
export function md5SimdModuleBytes(groups: 1 | 2, pages: number): Uint8Array {
  const lanes = 4 * groups
  const nParam = lanes // local index of the block count; the lane offsets are 0 … lanes-1
  // v128 locals per group: a b c d, saved aa bb cc dd, 16 message words, 4 rows for the transpose.
  const PER_GROUP = 4 + 4 + 16 + 4 + 4
  const base = (g: number) => lanes + 1 + g * PER_GROUP
  const st = (g: number, k: number) => base(g) + k // 0..3 a b c d
  const saved = (g: number, k: number) => base(g) + 4 + k
  const msg = (g: number, w: number) => base(g) + 8 + w
  const row = (g: number, r: number) => base(g) + 24 + r
  const tmp = (g: number, r: number) => base(g) + 28 + r

  const body: number[] = []
  const emit = (...parts: number[][]) => {
    for (const p of parts) body.push(...p)
  }
  for (let g = 0; g < groups; g++) {
    for (let k = 0; k < 4; k++) emit(op.i32Const(0), v128Load(g * STATE_BYTES_PER_GROUP + 16 * k), op.localSet(st(g, k)))
  }
  // block; if n == 0 skip; loop
  emit([0x02, 0x40], op.localGet(nParam), op.i32Eqz, [0x0d, 0x00], [0x03, 0x40])
  for (let g = 0; g < groups; g++) {
    for (let k = 0; k < 4; k++) emit(op.localGet(st(g, k)), op.localSet(saved(g, k)))
    // Message words: 4 loads of 16 bytes per lane, then a 4x4 transpose per quarter of the block,
    // so vector w holds word w of each of the group's 4 lanes.
    for (let q = 0; q < 4; q++) {
      for (let r = 0; r < 4; r++) emit(op.localGet(4 * g + r), v128Load(16 * q), op.localSet(row(g, r)))
      const pair = (x: number, y: number, w: number[], dst: number) =>
        emit(op.localGet(x), op.localGet(y), shuffle(words(w)), op.localSet(dst))
      pair(row(g, 0), row(g, 1), [0, 4, 1, 5], tmp(g, 0))
      pair(row(g, 0), row(g, 1), [2, 6, 3, 7], tmp(g, 1))
      pair(row(g, 2), row(g, 3), [0, 4, 1, 5], tmp(g, 2))
      pair(row(g, 2), row(g, 3), [2, 6, 3, 7], tmp(g, 3))
      pair(tmp(g, 0), tmp(g, 2), [0, 1, 4, 5], msg(g, 4 * q))
      pair(tmp(g, 0), tmp(g, 2), [2, 3, 6, 7], msg(g, 4 * q + 1))
      pair(tmp(g, 1), tmp(g, 3), [0, 1, 4, 5], msg(g, 4 * q + 2))
      pair(tmp(g, 1), tmp(g, 3), [2, 3, 6, 7], msg(g, 4 * q + 3))
    }
  }
  // The 64 steps, the groups interleaved step by step so their dependency chains overlap.
  for (let i = 0; i < 64; i++) {
    for (let g = 0; g < groups; g++) {
      // Roles rotate each step: a, b, c, d are these state locals.
      const [a, b, c, d] = [0, 1, 2, 3].map((k) => st(g, (k - i + 64) % 4))
      const get = op.localGet
      let f: number[]
      if (i < 16) f = [...get(c), ...get(d), ...get(b), ...BITSELECT]
      else if (i < 32) f = [...get(b), ...get(c), ...get(d), ...BITSELECT]
      else if (i < 48)
        f = [...get(c), ...get(d), ...XOR, ...get(b), ...XOR] // b, the newest, last
      else f = [...get(c), ...get(b), ...get(d), ...NOT, ...OR, ...XOR]
      // a = b + rotl(a + K[i] + M[g] + f, s). a, K and M are known steps ahead; adding f last keeps
      // the chain from the previous step's result (b) short: f, one add, the rotate, one add.
      const s = SHIFT[(i >> 4) * 4 + (i % 4)]
      emit(get(a), v128Const([K[i], K[i], K[i], K[i]]), ADD, get(msg(g, MESSAGE_INDEX[i])), ADD, f, ADD, op.localTee(tmp(g, 0)))
      emit(op.i32Const(s), SHL, get(tmp(g, 0)), op.i32Const(32 - s), SHR_U, OR, get(b), ADD, op.localSet(a))
    }
  }
  for (let g = 0; g < groups; g++) {
    for (let k = 0; k < 4; k++) emit(op.localGet(st(g, k)), op.localGet(saved(g, k)), ADD, op.localSet(st(g, k)))
  }
  for (let l = 0; l < lanes; l++) emit(op.localGet(l), op.i32Const(64), op.i32Add, op.localSet(l))
  emit(op.localGet(nParam), op.i32Const(1), op.i32Sub, op.localTee(nParam), [0x0d, 0x00], [0x0b, 0x0b])
  for (let g = 0; g < groups; g++) {
    for (let k = 0; k < 4; k++) emit(op.i32Const(0), op.localGet(st(g, k)), v128Store(g * STATE_BYTES_PER_GROUP + 16 * k))
  }
  emit([0x0b])

  const locals = vec([[...uleb128Bytes(groups * PER_GROUP), V128]])
  const code = [...locals, ...body]
  return new Uint8Array([
    ...[0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00],
    ...section(1, vec([[0x60, ...vec(Array.from({length: lanes + 1}, () => [I32])), 0x00]])),
    ...section(3, vec([[0x00]])),
    ...section(5, vec([[0x00, ...uleb128Bytes(pages)]])),
    ...section(
      7,
      vec([
        [...name('blocks'), 0x00, 0x00],
        [...name('memory'), 0x02, 0x00],
      ]),
    ),
    ...section(10, vec([[...uleb128Bytes(code.length), ...code]])),
  ])
}
