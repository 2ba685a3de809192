import {MD5_IV, STATE_BYTES_PER_GROUP, md5SimdModuleBytes} from './md5-simd-wasm.js'

/**
 * Multi-buffer MD5: up to 4 or 8 messages hashed in lockstep by the SIMD kernel of
 * md5-simd-wasm.ts, a message per lane, a new message taking a lane as soon as the lane's last one
 * ends. The driver is plain JavaScript kept as source text because the hashing runs on worker
 * threads started from source (they load the same way from src under tsx and from the bundled
 * dist); the main thread evaluates the same text for the tests, so they check the code the
 * workers run.
 *
 * Memory is fixed when the instance is made: the state vectors, then `regions` buffers per lane of
 * `laneBytes` (room for the MD5 padding after each), each starting on a 4 KiB boundary so a copy can
 * write them with direct I/O. Data is read straight into a lane's buffer (a Buffer view onto the
 * wasm memory: no copy). With a job's `hashed` hook, a buffer whose bytes are hashed is handed to
 * the job (to write them as a copy) and not refilled until the job releases it; meanwhile the lane
 * hashes its next buffer, or sits out the rounds while all its buffers are held.
 */
export const MD5_LANES_SOURCE = `
function createMd5Lanes(wasmBytes, lanes, laneBytes, regions = 1) {
  const STATE = ${STATE_BYTES_PER_GROUP}
  const IV = ${JSON.stringify(MD5_IV)}
  const groups = lanes / 4
  const {dataStart, stride, total} = md5LanesLayout(lanes, laneBytes, regions)
  if (wasmBytes.length === 0) throw new Error('no kernel')
  const instance = new WebAssembly.Instance(new WebAssembly.Module(wasmBytes), {})
  const memory = instance.exports.memory.buffer
  if (memory.byteLength < total) throw new Error('kernel memory too small: ' + Math.ceil(total / 65536) + ' pages needed')
  const blocks = instance.exports.blocks
  const bytes = Buffer.from(memory)
  const state = new Uint32Array(memory, 0, groups * STATE / 4)
  const slots = Array.from({length: lanes}, (_, i) => ({
    bases: Array.from({length: regions}, (_, r) => dataStart + (i * regions + r) * stride),
    held: Array(regions).fill(false),
    fetch: Array(regions).fill(undefined),
    region: 0, base: 0, job: undefined, pos: 0, fetchPos: 0, off: 0, end: 0, padded: false,
  }))
  const wordIndex = (lane, k) => (lane >> 2) * (STATE / 4) + k * 4 + (lane & 3)
  let active = 0

  function start(job) {
    const lane = slots.findIndex((s) => !s.job)
    if (lane < 0) throw new Error('no free lane')
    const s = slots[lane]
    // A held buffer stays held across jobs: the previous job's write of it may still be running; so
    // does a read ahead still running for it (it frees the buffer when it ends).
    Object.assign(s, {job, pos: 0, fetchPos: 0, off: 0, end: 0, padded: false})
    s.fetch = s.fetch.map((f) => (f && f.state === 'filling' ? f : undefined))
    for (let k = 0; k < 4; k++) state[wordIndex(lane, k)] = IV[k]
    active++
  }

  function release(s) {
    s.job = undefined
    active--
  }

  // Reads the lane's next piece into its next buffer, or returns false while that buffer is held
  // or its read ahead has not ended; after the message's last byte, appends MD5's padding: 0x80,
  // zeros up to 56 mod 64, then the length in bits as 64-bit little-endian.
  function refill(s) {
    const region = (s.region + 1) % regions
    if (s.held[region]) return false
    const want = Math.min(laneBytes, s.job.size - s.pos)
    if (readsAhead(s) && want > 0) {
      const f = s.fetch[region]
      if (!f) startFetch(s, region)
      if (!f || f.state === 'filling' || f.job !== s.job) return false
      s.fetch[region] = undefined
      if (f.error) throw f.error
    } else {
      let got = 0
      while (got < want) {
        const n = s.job.read(bytes.subarray(s.bases[region] + got, s.bases[region] + want), s.pos + got)
        if (n <= 0) throw shrank(s.job, s.pos + got)
        got += n
      }
    }
    s.region = region
    s.base = s.bases[region]
    s.pos += want
    s.off = s.base
    s.end = s.base + want
    s.length = want
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
    // The next piece is read (on another thread) while this one is hashed.
    if (readsAhead(s)) startFetch(s, (region + 1) % regions)
    return true
  }

  const readsAhead = (s) => regions > 1 && s.job.readAhead !== undefined
  const shrank = (job, at) => Object.assign(new Error(job.name + ': file shrank while hashing (at ' + at + ' of ' + job.size + ')'), {code: 'ESHRUNK'})

  // Starts the read of the lane's next piece into \`region\` unless the buffer is busy; one at a time.
  function startFetch(s, region) {
    const job = s.job
    if (s.held[region] || s.fetch[region] || s.fetchPos >= job.size || s.fetch.some((f) => f && f.job === job && f.state === 'filling')) return
    const pos = s.fetchPos
    const want = Math.min(laneBytes, job.size - pos)
    const f = {job, state: 'filling', error: undefined}
    s.fetch[region] = f
    s.fetchPos += want
    job.readAhead(bytes.subarray(s.bases[region], s.bases[region] + want), pos, (error, n) => {
      f.state = 'filled'
      f.error = error || (n < want ? shrank(job, pos + n) : undefined)
      // Read for a job that has since ended: the buffer is free again.
      if (s.fetch[region] === f && s.job !== job) s.fetch[region] = undefined
    })
  }

  // Hands a buffer whose bytes are all hashed to the job's hook, held until the hook releases it.
  function handOver(s) {
    if (!s.job.hashed) return
    const region = s.region
    s.held[region] = true
    s.job.hashed(bytes.subarray(s.base, s.base + s.length), s.pos - s.length, () => (s.held[region] = false))
  }

  /** One round: refills lanes whose buffer is used up, runs the blocks all ready lanes have, ends finished messages. */
  function step() {
    stalled = false
    const waiting = []
    for (const s of slots) {
      if (!s.job || s.off < s.end) continue
      try {
        if (!refill(s)) waiting.push(s)
      } catch (error) {
        const job = s.job
        release(s)
        job.fail(error)
      }
    }
    if (active === 0) return 0
    let n = Infinity
    let spare = -1
    for (const s of slots) {
      if (!s.job || waiting.includes(s)) continue
      n = Math.min(n, (s.end - s.off) / 64)
      spare = s.off
    }
    stalled = spare < 0
    if (stalled) return active
    // Free and waiting lanes hash some other lane's bytes: a free lane's state is reset before a
    // new message uses it, a waiting lane's is put back afterwards.
    const saved = waiting.map((s) => [0, 1, 2, 3].map((k) => state[wordIndex(slots.indexOf(s), k)]))
    const offsets = slots.map((s) => (s.job && !waiting.includes(s) ? s.off : spare))
    blocks(...offsets, n)
    waiting.forEach((s, i) => saved[i].forEach((word, k) => (state[wordIndex(slots.indexOf(s), k)] = word)))
    slots.forEach((s, lane) => {
      if (!s.job || waiting.includes(s)) return
      s.off += 64 * n
      if (s.off < s.end) return
      handOver(s)
      if (!s.padded) return
      const digest = Buffer.allocUnsafe(16)
      for (let k = 0; k < 4; k++) digest.writeUInt32LE(state[wordIndex(lane, k)], 4 * k)
      const job = s.job
      release(s)
      job.done(digest)
    })
    return active
  }

  let stalled = false
  return {start, step, free: () => lanes - active, active: () => active, stalled: () => stalled}
}

${md5LanesLayout.toString()}
`

export interface Md5LaneJob {
  name: string
  size: number
  /** Reads into `target` from `position` of the message; returns the bytes read (0: ended early). */
  read(target: Buffer, position: number): number
  /**
   * Optional, with 2 or more buffers per lane: reads like `read` but on another thread, calling
   * `done` with the bytes read (all of `target` unless the message ended early); the lane reads
   * its next piece this way while it hashes the current one, and waits for it if it must.
   */
  readAhead?(target: Buffer, position: number, done: (error: Error | null, bytesRead: number) => void): void
  /**
   * Optional: takes each buffer once its bytes are hashed (`position`: where they sit in the
   * message). The lane does not read into it again until `release` is called.
   */
  hashed?(bytes: Buffer, position: number, release: () => void): void
  done(digest: Buffer): void
  fail(error: unknown): void
}

export interface Md5Lanes {
  start(job: Md5LaneJob): void
  /** Runs one round; returns the lanes still busy. */
  step(): number
  free(): number
  active(): number
  /** Whether the last round hashed nothing: every busy lane waits for a buffer to be released. */
  stalled(): boolean
}

/**
 * Where the lanes' buffers sit in the kernel's memory: after the state vectors, `regions` per
 * lane, each on a 4 KiB boundary (direct I/O writes from them) with room for MD5's padding.
 * Plain JavaScript, also evaluated inside the driver's source.
 */
export function md5LanesLayout(lanes: number, laneBytes: number, regions: number): {dataStart: number; stride: number; total: number} {
  const page = 4096
  const dataStart = page
  const stride = Math.ceil((laneBytes + 128) / page) * page
  return {dataStart, stride, total: dataStart + lanes * regions * stride}
}

/** Bytes of the kernel for `lanes` lanes (4 or 8) with `regions` buffers of `laneBytes` per lane, or undefined without WebAssembly SIMD. */
export function md5KernelBytes(lanes: 4 | 8, laneBytes: number, regions = 1): Uint8Array | undefined {
  const pages = Math.ceil(md5LanesLayout(lanes, laneBytes, regions).total / 65536)
  const bytes = md5SimdModuleBytes(lanes === 8 ? 2 : 1, pages)
  // Typed by hand: the project's TypeScript libs leave out the WebAssembly namespace.
  const wasm = (globalThis as {WebAssembly?: {validate(bytes: Uint8Array): boolean}}).WebAssembly
  return wasm?.validate(bytes) ? bytes : undefined
}

/** The driver on this thread (the tests, the bench); the pool's workers run the same source. */
export function createMd5Lanes(wasmBytes: Uint8Array, lanes: 4 | 8, laneBytes: number, regions = 1): Md5Lanes {
  // Evaluated, not imported: the one source text shared with the worker threads.
  const make = new Function('Buffer', `${MD5_LANES_SOURCE}; return createMd5Lanes`)(Buffer)
  return make(wasmBytes, lanes, laneBytes, regions) as Md5Lanes
}
