import {MD5_IV, STATE_BYTES_PER_GROUP, md5SimdModuleBytes} from './md5-simd-wasm.js'

/**
 * Multi-buffer MD5: up to 4 or 8 messages hashed in lockstep by the SIMD kernel of
 * md5-simd-wasm.ts, a message per lane, a new message taking a lane as soon as the lane's last one
 * ends. The driver is plain JavaScript kept as source text because the hashing runs on worker
 * threads started from source (they load the same way from src under tsx and from the bundled
 * dist); the main thread evaluates the same text for the tests, so they check the code the
 * workers run.
 *
 * Memory is fixed when the instance is made: the state vectors, then one buffer per lane of
 * `laneBytes` + 128 bytes (room for the MD5 padding after the message's last bytes). Data is read
 * straight into the lane's buffer (a Buffer view onto the wasm memory: no copy).
 */
export const MD5_LANES_SOURCE = `
function createMd5Lanes(wasmBytes, lanes, laneBytes) {
  const STATE = ${STATE_BYTES_PER_GROUP}
  const IV = ${JSON.stringify(MD5_IV)}
  const groups = lanes / 4
  const dataStart = 256
  const stride = laneBytes + 128
  const pages = Math.ceil((dataStart + lanes * stride) / 65536)
  if (wasmBytes.length === 0) throw new Error('no kernel')
  const instance = new WebAssembly.Instance(new WebAssembly.Module(wasmBytes), {})
  const memory = instance.exports.memory.buffer
  if (memory.byteLength < dataStart + lanes * stride) throw new Error('kernel memory too small: ' + pages + ' pages needed')
  const blocks = instance.exports.blocks
  const bytes = Buffer.from(memory)
  const state = new Uint32Array(memory, 0, groups * STATE / 4)
  const slots = Array.from({length: lanes}, (_, i) => ({base: dataStart + i * stride, job: undefined, pos: 0, off: 0, end: 0, padded: false}))
  const wordIndex = (lane, k) => (lane >> 2) * (STATE / 4) + k * 4 + (lane & 3)
  let active = 0

  function start(job) {
    const lane = slots.findIndex((s) => !s.job)
    if (lane < 0) throw new Error('no free lane')
    const s = slots[lane]
    Object.assign(s, {job, pos: 0, off: s.base, end: s.base, padded: false})
    for (let k = 0; k < 4; k++) state[wordIndex(lane, k)] = IV[k]
    active++
  }

  function release(s) {
    s.job = undefined
    active--
  }

  // Reads the lane's next piece; after the message's last byte, appends MD5's padding: 0x80,
  // zeros up to 56 mod 64, then the length in bits as 64-bit little-endian.
  function refill(s) {
    const want = Math.min(laneBytes, s.job.size - s.pos)
    let got = 0
    while (got < want) {
      const n = s.job.read(bytes.subarray(s.base + got, s.base + want), s.pos + got)
      if (n <= 0) throw Object.assign(new Error(s.job.name + ': file shrank while hashing (at ' + (s.pos + got) + ' of ' + s.job.size + ')'), {code: 'ESHRUNK'})
      got += n
    }
    s.pos += want
    s.off = s.base
    s.end = s.base + want
    if (s.pos === s.job.size) {
      let p = s.end
      bytes[p++] = 0x80
      const stop = p + ((56 - (p - s.base)) % 64 + 64) % 64
      bytes.fill(0, p, stop)
      const bits = s.job.size * 8
      bytes.writeUInt32LE(bits % 0x100000000, stop)
      bytes.writeUInt32LE(Math.floor(bits / 0x100000000), stop + 4)
      s.end = stop + 8
      s.padded = true
    }
  }

  /** One round: refills lanes whose buffer is used up, runs the blocks all lanes have, ends finished messages. */
  function step() {
    for (const s of slots) {
      if (!s.job || s.off < s.end) continue
      try {
        refill(s)
      } catch (error) {
        const job = s.job
        release(s)
        job.fail(error)
      }
    }
    if (active === 0) return 0
    let n = Infinity
    let spare = 0
    for (const s of slots) {
      if (!s.job) continue
      n = Math.min(n, (s.end - s.off) / 64)
      spare = s.off
    }
    // Free lanes hash some other lane's bytes: their state is reset before a new message uses it.
    const offsets = slots.map((s) => (s.job ? s.off : spare))
    blocks(...offsets, n)
    slots.forEach((s, lane) => {
      if (!s.job) return
      s.off += 64 * n
      if (s.off < s.end || !s.padded) return
      const digest = Buffer.allocUnsafe(16)
      for (let k = 0; k < 4; k++) digest.writeUInt32LE(state[wordIndex(lane, k)], 4 * k)
      const job = s.job
      release(s)
      job.done(digest)
    })
    return active
  }

  return {start, step, free: () => lanes - active, active: () => active}
}
`

export interface Md5LaneJob {
  name: string
  size: number
  /** Reads into `target` from `position` of the message; returns the bytes read (0: ended early). */
  read(target: Buffer, position: number): number
  done(digest: Buffer): void
  fail(error: unknown): void
}

export interface Md5Lanes {
  start(job: Md5LaneJob): void
  /** Runs one round; returns the lanes still busy. */
  step(): number
  free(): number
  active(): number
}

/** Bytes of the kernel for `lanes` lanes (4 or 8) with room for `laneBytes` per lane, or undefined without WebAssembly SIMD. */
export function md5KernelBytes(lanes: 4 | 8, laneBytes: number): Uint8Array | undefined {
  const pages = Math.ceil((256 + lanes * (laneBytes + 128)) / 65536)
  const bytes = md5SimdModuleBytes(lanes === 8 ? 2 : 1, pages)
  // Typed by hand: the project's TypeScript libs leave out the WebAssembly namespace.
  const wasm = (globalThis as {WebAssembly?: {validate(bytes: Uint8Array): boolean}}).WebAssembly
  return wasm?.validate(bytes) ? bytes : undefined
}

/** The driver on this thread (the tests, the bench); the pool's workers run the same source. */
export function createMd5Lanes(wasmBytes: Uint8Array, lanes: 4 | 8, laneBytes: number): Md5Lanes {
  // Evaluated, not imported: the one source text shared with the worker threads.
  const make = new Function('Buffer', `${MD5_LANES_SOURCE}; return createMd5Lanes`)(Buffer)
  return make(wasmBytes, lanes, laneBytes) as Md5Lanes
}
