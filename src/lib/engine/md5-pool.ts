import {availableParallelism} from 'node:os'
import {Worker} from 'node:worker_threads'

import {throwIfAborted} from './format-error.js'
import {md5KernelBytes} from './md5-simd.js'
import {HASH_WORKER_SOURCE} from './md5-worker.js'

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
    const worker = new Worker(HASH_WORKER_SOURCE, {
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
