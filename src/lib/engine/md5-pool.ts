import {availableParallelism} from 'node:os'
import {Worker} from 'node:worker_threads'

/**
 * MD5 of large files on worker threads, so verification uses every core instead of the one the
 * event loop runs on (MD5 runs at roughly 500 MB/s per core, slower than a page-cache copy). The
 * worker is plain CommonJS passed as source: it loads the same way from src (tsx) and dist.
 */
const WORKER_SOURCE = `
const {parentPort} = require('node:worker_threads')
const fs = require('node:fs')
const crypto = require('node:crypto')
// 1 MiB: the block read back is still in the CPU cache when MD5 runs over it (4 MiB measured more system time).
const buf = Buffer.allocUnsafe(1024 * 1024)
parentPort.on('message', ({id, path, end}) => {
  let fd
  try {
    fd = fs.openSync(path, 'r')
    const size = end ?? fs.fstatSync(fd).size
    const hash = crypto.createHash('md5')
    let pos = 0
    while (pos < size) {
      const n = fs.readSync(fd, buf, 0, Math.min(buf.length, size - pos), pos)
      if (n === 0) throw new Error(path + ': file shrank while hashing (at ' + pos + ' of ' + size + ')')
      hash.update(buf.subarray(0, n))
      pos += n
    }
    parentPort.postMessage({id, md5: hash.digest('hex')})
  } catch (error) {
    parentPort.postMessage({id, error: String(error && error.message || error)})
  } finally {
    if (fd !== undefined) fs.closeSync(fd)
  }
})
`

interface Job {
  id: number
  path: string
  end?: number
  resolve: (md5: Buffer) => void
  reject: (error: Error) => void
}

class Md5Pool {
  private readonly idle: Worker[] = []
  private readonly all: Worker[] = []
  private readonly queue: Job[] = []
  private readonly running = new Map<Worker, Job>()
  private nextId = 0

  constructor(private readonly size: number) {}

  hash(path: string, end?: number): Promise<Buffer> {
    return new Promise((resolve, reject) => {
      this.queue.push({id: this.nextId++, path, end, resolve, reject})
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
      worker.postMessage({id: job.id, path: job.path, end: job.end})
    }
  }

  private spawn(): Worker | undefined {
    if (this.all.length >= this.size) return undefined
    const worker = new Worker(WORKER_SOURCE, {eval: true})
    worker.on('message', (msg: {md5?: string; error?: string}) => {
      const job = this.running.get(worker)
      this.running.delete(worker)
      worker.unref()
      this.idle.push(worker)
      if (job) {
        if (msg.error) job.reject(new Error(msg.error))
        else job.resolve(Buffer.from(msg.md5!, 'hex'))
      }
      this.pump()
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

let pool: Md5Pool | undefined

/** MD5 of `[0, end)` of a file, computed on a worker thread. */
export function md5OfFileParallel(path: string, end?: number): Promise<Buffer> {
  // At least 2 threads even on one core: hashing one file while the next one's read waits on I/O.
  pool ??= new Md5Pool(Math.max(2, Math.min(availableParallelism(), 4)))
  return pool.hash(path, end)
}
