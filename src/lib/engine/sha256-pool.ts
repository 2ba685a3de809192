import {Worker} from 'node:worker_threads'

/**
 * SHA-256 (an object's content address) and a footer MD5 of files on a worker thread, in one read,
 * for backups to a repository: the event loop stays free for the uploads running meanwhile. The
 * MD5-only hashing of local backups and restores is md5-pool.ts, whose lanes need several files at
 * once; here one file at a time is hashed with OpenSSL. The worker is plain CommonJS passed as
 * source: it loads the same way from src (tsx) and dist.
 */
const WORKER_SOURCE = `
const {parentPort} = require('node:worker_threads')
const fs = require('node:fs')
const crypto = require('node:crypto')
// 1 MiB: the block read back is still in the CPU cache when MD5 runs over it (4 MiB measured more system time).
const buf = Buffer.allocUnsafe(1024 * 1024)
parentPort.on('message', ({id, path, end, md5End, sha256}) => {
  let fd
  try {
    fd = fs.openSync(path, 'r')
    const size = end ?? fs.fstatSync(fd).size
    // The MD5 may cover only a prefix (a chunk's footer hash is of all but its last 16 bytes).
    const md5Until = md5End ?? size
    const hash = crypto.createHash('md5')
    const sha = sha256 ? crypto.createHash('sha256') : undefined
    let pos = 0
    while (pos < size) {
      const n = fs.readSync(fd, buf, 0, Math.min(buf.length, size - pos), pos)
      if (n === 0) throw Object.assign(new Error(path + ': file shrank while hashing (at ' + pos + ' of ' + size + ')'), {code: 'ESHRUNK'})
      if (pos < md5Until) hash.update(buf.subarray(0, Math.min(n, md5Until - pos)))
      if (sha) sha.update(buf.subarray(0, n))
      pos += n
    }
    parentPort.postMessage({id, md5: hash.digest('hex'), sha256: sha && sha.digest('hex')})
  } catch (error) {
    parentPort.postMessage({id, error: String(error && error.message || error), code: error && error.code})
  } finally {
    if (fd !== undefined) fs.closeSync(fd)
  }
})
`

interface Request {
  path: string
  /** Bytes read (default: the file's size). */
  end?: number
  /** Bytes the MD5 covers (default: all read). */
  md5End?: number
  /** Also the SHA-256 of all bytes read. */
  sha256?: boolean
}

interface Hashes {
  md5: string
  sha256?: string
}

interface Job extends Request {
  id: number
  resolve: (hashes: Hashes) => void
  reject: (error: Error) => void
}

class ShaPool {
  private readonly idle: Worker[] = []
  private readonly all: Worker[] = []
  private readonly queue: Job[] = []
  private readonly running = new Map<Worker, Job>()
  private nextId = 0

  constructor(private readonly size: number) {}

  hash(request: Request): Promise<Hashes> {
    return new Promise((resolve, reject) => {
      this.queue.push({...request, id: this.nextId++, resolve, reject})
      this.pump()
    })
  }

  private pump(): void {
    while (this.queue.length > 0) {
      const worker = this.idle.pop() ?? this.spawn()
      if (!worker) return
      const job = this.queue.shift()!
      this.running.set(worker, job)
      worker.ref()
      worker.postMessage({id: job.id, path: job.path, end: job.end, md5End: job.md5End, sha256: job.sha256})
    }
  }

  private retireTimer: NodeJS.Timeout | undefined

  /**
   * Idle workers are ended after a second without work: each holds a V8 isolate (about 10 MiB),
   * memory that a backup's uploads, which run long after the hashing, need more. A later job spawns
   * them again.
   */
  private retireWhenIdle(): void {
    if (this.running.size > 0 || this.queue.length > 0) return
    clearTimeout(this.retireTimer)
    this.retireTimer = setTimeout(() => {
      if (this.running.size > 0 || this.queue.length > 0) return
      for (const worker of this.idle.splice(0)) {
        this.all.splice(this.all.indexOf(worker), 1)
        void worker.terminate()
      }
    }, 1000).unref()
  }

  private spawn(): Worker | undefined {
    if (this.all.length >= this.size) return undefined
    const worker = new Worker(WORKER_SOURCE, {eval: true})
    worker.on('message', (msg: {md5?: string; sha256?: string; error?: string; code?: string}) => {
      const job = this.running.get(worker)
      this.running.delete(worker)
      worker.unref()
      this.idle.push(worker)
      if (job) {
        if (msg.error) job.reject(Object.assign(new Error(msg.error), msg.code ? {code: msg.code} : {}))
        else job.resolve({md5: msg.md5!, sha256: msg.sha256})
      }
      this.pump()
      this.retireWhenIdle()
    })
    worker.on('error', (error) => {
      const job = this.running.get(worker)
      this.running.delete(worker)
      this.all.splice(this.all.indexOf(worker), 1)
      job?.reject(error)
      this.pump()
    })
    this.all.push(worker)
    return worker
  }
}

/**
 * One thread for the SHA-256s of a backup to a repository, apart from the MD5 pool: those files are
 * hashed while others upload, and on a 2-core machine a second thread gained nothing but its
 * isolate's memory (peak RSS 178-199 MiB with one, 190-205 MiB with two, same times).
 */
let shaPool: ShaPool | undefined

/**
 * The SHA-256 of `[0, size)` of a file and the MD5 of `[0, md5End)`, in one read on a worker
 * thread (the event loop stays free for the transfers running meanwhile). A missing file rejects
 * with its `code` (ENOENT), as fs does.
 */
export async function sha256AndMd5Parallel(path: string, size: number, md5End: number): Promise<{sha256: string; md5: string}> {
  shaPool ??= new ShaPool(1)
  const {sha256, md5} = await shaPool.hash({path, end: size, md5End, sha256: true})
  return {sha256: sha256!, md5}
}

/** The SHA-256 of a whole file, on the same thread. */
export async function sha256OfFileParallel(path: string): Promise<string> {
  shaPool ??= new ShaPool(1)
  return (await shaPool.hash({path, md5End: 0, sha256: true})).sha256!
}
