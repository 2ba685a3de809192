import {availableParallelism} from 'node:os'
import {Worker} from 'node:worker_threads'

import {throwIfAborted} from './format-error.js'
import {COPY_JOB_SOURCE} from './md5-copy-job.js'
import {MD5_LANES_SOURCE, md5KernelBytes} from './md5-simd.js'

/**
 * MD5 of large files on worker threads, so verification runs beside the event loop. Each worker
 * hashes several files at once with the multi-buffer SIMD kernel (md5-simd.ts): MD5 is one long
 * dependency chain per message, so a single stream cannot go faster than ~0.7 GB/s per core,
 * but 4 streams in the lanes of one vector cost barely more than one. Without WebAssembly SIMD a
 * worker hashes one file at a time with OpenSSL. The worker is plain CommonJS passed as source:
 * it loads the same way from src (tsx) and dist.
 */
const WORKER_SOURCE = `
const {parentPort, workerData} = require('node:worker_threads')
const fs = require('node:fs')
const crypto = require('node:crypto')
${MD5_LANES_SOURCE}
${COPY_JOB_SOURCE}
const lanes = workerData.kernel ? createMd5Lanes(workerData.kernel, workerData.lanes, workerData.laneBytes, workerData.regions) : undefined
const fail = (id, error) => parentPort.postMessage({id, error: String((error && error.message) || error), code: error && error.code})
const waiting = []
let scheduled = false
// 1 MiB: the block read back is still in the CPU cache when MD5 runs over it.
let buf
// A file that arrives while this worker has nothing else to do is hashed with OpenSSL, a slice per
// round: one busy lane of the kernel costs ~1.8x OpenSSL's CPU per byte (bench/md5.js), and a
// caller hashing one file after another never fills the lanes.
let solo
const SOLO_SLICE = 1024 * 1024

parentPort.on('message', (job) => {
  if (job.copyTo && !lanes) return copyWithOpenSsl(job)
  // A SHA-256 with no MD5 to go with it has nothing to gain from the lanes.
  if (!lanes || (job.sha256 && !job.md5End)) return hashWithOpenSsl(job)
  waiting.push(job)
  schedule()
})

// One round per turn of the event loop, so jobs posted meanwhile join free lanes at once.
function schedule() {
  if (scheduled) return
  scheduled = true
  setImmediate(run)
}

function run() {
  scheduled = false
  if (!solo && lanes.active() === 0 && waiting.length === 1 && !waiting[0].copyTo) solo = openSolo(waiting.shift())
  while (waiting.length > 0 && lanes.free() > 0) {
    const job = waiting.shift()
    if (job.copyTo) startCopy(job)
    else startJob(job)
  }
  if (solo) soloSlice()
  const busy = lanes.step()
  // Lanes waiting for their copies' writes go on when a write ends (it schedules the next round).
  if (solo || ((busy > 0 || waiting.length > 0) && !lanes.stalled())) schedule()
}

function openSolo({id, path, end, md5End, sha256}) {
  let fd
  try {
    fd = fs.openSync(path, 'r')
    const size = end ?? fs.fstatSync(fd).size
    const sha = sha256 ? crypto.createHash('sha256') : undefined
    return {id, path, fd, size, md5Until: md5End ?? size, sha, pos: 0, hash: crypto.createHash('md5')}
  } catch (error) {
    if (fd !== undefined) fs.closeSync(fd)
    fail(id, error)
    return undefined
  }
}

function soloSlice() {
  const s = solo
  buf ??= Buffer.allocUnsafe(SOLO_SLICE)
  try {
    const n = s.pos < s.size ? fs.readSync(s.fd, buf, 0, Math.min(buf.length, s.size - s.pos), s.pos) : 0
    if (s.pos < s.size && n === 0) throw shrank(s.path, s.pos, s.size)
    if (s.pos < s.md5Until) s.hash.update(buf.subarray(0, Math.min(n, s.md5Until - s.pos)))
    if (s.sha) s.sha.update(buf.subarray(0, n))
    s.pos += n
    if (s.pos < s.size) return
    solo = undefined
    fs.closeSync(s.fd)
    parentPort.postMessage({id: s.id, md5: s.hash.digest('hex'), sha256: s.sha && s.sha.digest('hex'), via: 'solo'})
  } catch (error) {
    solo = undefined
    fs.closeSync(s.fd)
    fail(s.id, error)
  }
}

function startJob({id, path, end, md5End, sha256}) {
  let fd
  try {
    fd = fs.openSync(path, 'r')
    const size = end ?? fs.fstatSync(fd).size
    const source = readHandle(fd)
    const close = () => source.close()
    // The lane's message is the MD5's prefix; a SHA-256 takes the same bytes as they are read into
    // the lane, and the rest of the file once the MD5 is done.
    const md5Until = Math.min(md5End ?? size, size)
    const sha = sha256 ? crypto.createHash('sha256') : undefined
    lanes.start({
      name: path,
      size: md5Until,
      read: (target, position) => {
        const n = fs.readSync(fd, target, 0, target.length, position)
        if (sha && n > 0) sha.update(target.subarray(0, n))
        return n
      },
      // Reads ahead end in order (one at a time per lane), so the SHA-256 takes them as they come.
      readAhead: (target, position, done) =>
        source.readAhead(target, position, (error, n) => {
          if (!error && sha && n > 0) sha.update(target.subarray(0, n))
          done(error, n)
        }),
      done: (digest) => {
        try {
          if (sha) readRest(fd, path, sha, md5Until, size)
          parentPort.postMessage({id, md5: digest.toString('hex'), sha256: sha && sha.digest('hex'), via: 'lanes'})
        } catch (error) {
          fail(id, error)
        } finally {
          close()
        }
      },
      fail: (error) => (close(), fail(id, error)),
    })
  } catch (error) {
    if (fd !== undefined) fs.closeSync(fd)
    fail(id, error)
  }
}

// A file read ahead: closed when its last read ahead has ended, never under one still running
// (its number could by then name another file).
function readHandle(fd) {
  let running = 0
  let closing = false
  return {
    readAhead: (target, position, done) => {
      running++
      readFully(fd, target, position, (error, n) => {
        running--
        if (closing && running === 0) fs.closeSync(fd)
        done(error, n)
      })
    },
    close: () => {
      closing = true
      if (running === 0) fs.closeSync(fd)
    },
  }
}

// Reads all of target from position on a pool thread (short only at the end of the file), then
// schedules a round: the lane waiting for these bytes can go on.
function readFully(fd, target, position, done, got = 0) {
  fs.read(fd, target, got, target.length - got, position + got, (error, n) => {
    if (error || n === 0 || got + n === target.length) {
      done(error, got + (n || 0))
      schedule()
    } else readFully(fd, target, position, done, got + n)
  })
}

// The bytes past a lane's MD5 prefix, for the SHA-256 only (a chunk's last 16 bytes).
function readRest(fd, path, sha, pos, size) {
  buf ??= Buffer.allocUnsafe(SOLO_SLICE)
  while (pos < size) {
    const n = fs.readSync(fd, buf, 0, Math.min(buf.length, size - pos), pos)
    if (n === 0) throw shrank(path, pos, size)
    sha.update(buf.subarray(0, n))
    pos += n
  }
}

const shrank = (path, pos, size) => Object.assign(new Error(path + ': file shrank while hashing (at ' + pos + ' of ' + size + ')'), {code: 'ESHRUNK'})

// Also the SHA-256 of all bytes read when asked (a repository object's name), in the same read;
// the MD5 may then cover a prefix only (a chunk's stored hash is of all but its last 16 bytes).
function hashWithOpenSsl({id, path, end, md5End, sha256}) {
  buf ??= Buffer.allocUnsafe(1024 * 1024)
  let fd
  try {
    fd = fs.openSync(path, 'r')
    const size = end ?? fs.fstatSync(fd).size
    const md5Until = md5End ?? size
    const hash = crypto.createHash('md5')
    const sha = sha256 ? crypto.createHash('sha256') : undefined
    let pos = 0
    while (pos < size) {
      const n = fs.readSync(fd, buf, 0, Math.min(buf.length, size - pos), pos)
      if (n === 0) throw shrank(path, pos, size)
      if (pos < md5Until) hash.update(buf.subarray(0, Math.min(n, md5Until - pos)))
      if (sha) sha.update(buf.subarray(0, n))
      pos += n
    }
    parentPort.postMessage({id, md5: hash.digest('hex'), sha256: sha && sha.digest('hex'), via: 'openssl'})
  } catch (error) {
    fail(id, error)
  } finally {
    if (fd !== undefined) fs.closeSync(fd)
  }
}
`

/**
 * A file to hash: bytes `[0, end)` (default: all), the MD5 of `[0, md5End)` (default: all read), and
 * the SHA-256 of all read if asked. With `copyTo`, the whole file is also copied there from the
 * buffers hashed (a new file; `end` and `sha256` do not apply).
 */
export interface HashRequest {
  path: string
  end?: number
  md5End?: number
  sha256?: boolean
  copyTo?: string
  signal?: AbortSignal
}

export interface Hashes {
  md5: string
  sha256?: string
  /** How the worker hashed the file (for tests and measurements): in the SIMD lanes, alone with OpenSSL, or with OpenSSL for want of SIMD. */
  via?: 'lanes' | 'solo' | 'openssl'
}

interface Job extends HashRequest {
  id: number
  resolve: (hashes: Hashes) => void
  reject: (error: Error) => void
}

interface PoolWorker {
  worker: Worker
  running: Map<number, Job>
}

/**
 * Bytes read per lane per round, and buffers per lane (a copy's writes of two run while the lane
 * hashes the third). 1 MiB and 3 measured fastest for copies (direct I/O writes of 1 MiB) and for
 * hashing alone (docs/BENCHMARKS.md); ESC_MD5_LANE_KIB and ESC_MD5_REGIONS are for measuring.
 */
const LANE_BYTES = Number(process.env.ESC_MD5_LANE_KIB ?? 1024) * 1024
const REGIONS = Number(process.env.ESC_MD5_REGIONS ?? 3)

/** Worker threads hashing files; `simd` false: OpenSSL only, as where WebAssembly SIMD is missing. */
export class Md5Pool {
  private readonly all: PoolWorker[] = []
  private readonly queue: Job[] = []
  private nextId = 0
  private readonly watched = new WeakSet<AbortSignal>()
  private readonly kernel: Uint8Array | undefined
  /** Jobs a worker takes at once: its lanes and one file hashed alone with OpenSSL, or 1 without the kernel. */
  private readonly capacity: number

  constructor(
    private readonly size: number,
    private readonly lanes: 4 | 8,
    simd = true,
    /** false: copies fail with EDIRECTIO, as on a filesystem without direct I/O (tests). */
    private readonly directIo = true,
  ) {
    this.kernel = simd ? md5KernelBytes(lanes, LANE_BYTES, REGIONS) : undefined
    this.capacity = this.kernel ? lanes + 1 : 1
  }

  async hash(path: string, end?: number, signal?: AbortSignal): Promise<Buffer> {
    return Buffer.from((await this.hashes({path, end, signal})).md5, 'hex')
  }

  hashes(request: HashRequest): Promise<Hashes> {
    const {signal} = request
    return new Promise((resolve, reject) => {
      this.queue.push({...request, id: this.nextId++, resolve, reject})
      // Callers keep many hashes pending; on abort those not yet handed to a worker are dropped,
      // so the caller stops after the files being hashed rather than after all of them. One
      // listener per signal, however many files it covers.
      if (signal && !this.watched.has(signal)) {
        this.watched.add(signal)
        signal.addEventListener('abort', () => this.drop(signal), {once: true})
      }
      this.pump()
    })
  }

  private drop(signal: AbortSignal): void {
    for (const job of this.queue.filter((j) => j.signal === signal)) {
      this.queue.splice(this.queue.indexOf(job), 1)
      try {
        throwIfAborted(signal, 'hashing')
      } catch (error) {
        job.reject(error as Error)
      }
    }
  }

  private pump(): void {
    while (this.queue.length > 0) {
      const w = this.pick()
      if (!w) return
      const job = this.queue.shift()!
      if (w.running.size === 0) w.worker.ref()
      w.running.set(job.id, job)
      w.worker.postMessage({id: job.id, path: job.path, end: job.end, md5End: job.md5End, sha256: job.sha256, copyTo: job.copyTo})
    }
  }

  /**
   * The busiest worker with a free lane: filling one worker's lanes before starting another costs
   * the least CPU, which the kernel's copies beside the hashing need as well.
   */
  private pick(): PoolWorker | undefined {
    const open = this.all.filter((w) => w.running.size < this.capacity)
    if (open.length > 0) return open.reduce((a, b) => (b.running.size > a.running.size ? b : a))
    return this.spawn()
  }

  /** Worker threads alive now (for tests). */
  get liveWorkers(): number {
    return this.all.length
  }

  private retireTimer: NodeJS.Timeout | undefined

  /**
   * Workers are ended after a second without work: each holds a V8 isolate and its lanes' memory
   * (about 10 MiB), which a backup to a repository, uploading long after its hashing, needs more.
   * A later job spawns them again.
   */
  private retireWhenIdle(): void {
    if (this.queue.length > 0 || this.all.some((w) => w.running.size > 0)) return
    clearTimeout(this.retireTimer)
    this.retireTimer = setTimeout(() => {
      if (this.queue.length > 0) return
      for (const w of this.all.filter((x) => x.running.size === 0)) {
        this.all.splice(this.all.indexOf(w), 1)
        void w.worker.terminate()
      }
    }, 1000).unref()
  }

  private spawn(): PoolWorker | undefined {
    if (this.all.length >= this.size) return undefined
    const worker = new Worker(WORKER_SOURCE, {
      eval: true,
      workerData: {kernel: this.kernel, lanes: this.lanes, laneBytes: LANE_BYTES, regions: REGIONS, directIo: this.directIo},
    })
    const w: PoolWorker = {worker, running: new Map()}
    worker.on('message', (msg: {id: number; md5?: string; sha256?: string; via?: Hashes['via']; error?: string; code?: string}) => {
      const job = w.running.get(msg.id)
      w.running.delete(msg.id)
      if (w.running.size === 0) worker.unref()
      if (job) {
        // The error's code (ENOENT, ESHRUNK) travels with it, as fs errors carry theirs.
        if (msg.error) job.reject(Object.assign(new Error(msg.error), msg.code ? {code: msg.code} : {}))
        else job.resolve({md5: msg.md5!, sha256: msg.sha256, via: msg.via})
      }
      this.pump()
      this.retireWhenIdle()
    })
    worker.on('error', (error) => {
      this.all.splice(this.all.indexOf(w), 1)
      for (const job of w.running.values()) job.reject(error)
      w.running.clear()
      this.pump()
    })
    this.all.push(w)
    return w
  }
}

let pool: Md5Pool | undefined

/**
 * Files whose hash a caller should keep pending beside its copies for the workers' lanes to be
 * full: the lanes of two workers, or those of one worker at 8 lanes.
 */
export const HASHES_AHEAD = 8

/**
 * The process's hashing pool: the local engine's MD5 checks and copies and a repository backup's
 * SHA-256s share its workers and lanes (one isolate less than a pool each, and files of both kinds
 * fill the same lanes).
 */
export function sharedHashPool(): Md5Pool {
  // ESC_MD5_WORKERS and ESC_MD5_LANES (4 or 8) are for measuring (bench/md5.js, docs/BENCHMARKS.md).
  pool ??= new Md5Pool(poolSize(), process.env.ESC_MD5_LANES === '8' ? 8 : 4)
  return pool
}

/** MD5 of `[0, end)` of a file, computed on a worker thread. */
export function md5OfFileParallel(path: string, end?: number, signal?: AbortSignal): Promise<Buffer> {
  return sharedHashPool().hash(path, end, signal)
}

/**
 * Copies a file to `copyTo` (a new file: EEXIST if the name is taken) on a worker thread, returning
 * the MD5 of `[0, md5End)` of the bytes written. The copy is not flushed: the caller fsyncs it.
 */
export async function copyWithMd5Parallel(path: string, copyTo: string, md5End?: number, signal?: AbortSignal): Promise<Buffer> {
  return Buffer.from((await sharedHashPool().hashes({path, copyTo, md5End, signal})).md5, 'hex')
}

function poolSize(): number {
  const fromEnv = Number(process.env.ESC_MD5_WORKERS)
  if (Number.isInteger(fromEnv) && fromEnv > 0) return fromEnv
  // A core left to the kernel copies that run beside the hashing: on two cores one worker with its
  // lanes full used the least CPU and was no slower than two (docs/BENCHMARKS.md).
  return Math.max(1, Math.min(availableParallelism() - 1, 3))
}
