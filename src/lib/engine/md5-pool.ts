import {availableParallelism} from 'node:os'
import {Worker} from 'node:worker_threads'

/**
 * MD5 of large files on worker threads, so verification uses every core instead of the one the
 * event loop runs on (MD5 runs at roughly 500 MB/s per core, slower than a page-cache copy). A
 * worker also copies while hashing where the bytes must pass through user space anyway (the
 * ongoing chunk, copied up to writer.chk): hashing it on the event loop held up every other copy.
 * Whole files are better copied by the kernel and hashed afterwards: copying through a user-space
 * buffer cost about 1.7 times the CPU. The worker is plain CommonJS passed as source: it loads the
 * same way from src (tsx) and dist.
 */
const WORKER_SOURCE = `
const {parentPort} = require('node:worker_threads')
const fs = require('node:fs')
const writeAsync = require('node:util').promisify(fs.write)
const crypto = require('node:crypto')
const buf = Buffer.allocUnsafe(4 * 1024 * 1024)
const READ = fs.constants.O_RDONLY | fs.constants.O_NONBLOCK
const aborted = (flag) => flag !== undefined && Atomics.load(flag, 0) !== 0
function hashFile({path, end}) {
  const fd = fs.openSync(path, 'r')
  try {
    const size = end ?? fs.fstatSync(fd).size
    const hash = crypto.createHash('md5')
    let pos = 0
    while (pos < size) {
      const n = fs.readSync(fd, buf, 0, Math.min(buf.length, size - pos), pos)
      if (n === 0) throw new Error(path + ': file shrank while hashing (at ' + pos + ' of ' + size + ')')
      hash.update(buf.subarray(0, n))
      pos += n
    }
    return {md5: hash.digest('hex')}
  } finally {
    fs.closeSync(fd)
  }
}
// Destinations are created exclusively ('wx'): a copy never writes through an existing file or link.
// \`length\` bytes are copied; the source must be exactly that long unless \`prefix\` (the ongoing
// chunk, copied up to writer.chk), and the copies are then extended with zeros to \`finalSize\`.
// Two buffers: block i is hashed while block i-1 is written on libuv's pool, so a write held back
// by the kernel (dirty-page throttling) does not stop the hashing.
const bufs = [buf, Buffer.allocUnsafe(buf.length)]
const writeAll = async (fd, b, n, pos) => {
  for (let w = 0; w < n; ) w += (await writeAsync(fd, b, w, n - w, pos + w)).bytesWritten
}
async function copyFile({src, dsts, length, hashEnd, prefix, finalSize, sync, abort}) {
  const fd = fs.openSync(src, READ)
  const outs = []
  let pending = Promise.resolve()
  try {
    const st = fs.fstatSync(fd)
    if (!st.isFile()) throw new Error(src + ' is not a regular file')
    if (prefix && st.size < length) throw new Error(src + ' is ' + st.size + ' bytes, shorter than the ' + length + ' to copy')
    if (!prefix && st.size !== length) throw new Error(src + ': size ' + st.size + ' differs from the expected ' + length + ' (changed while copied?)')
    for (const dst of dsts) outs.push(fs.openSync(dst, 'wx', 0o644))
    const hash = crypto.createHash('md5')
    const tailStart = Math.max(0, length - 16)
    const tail = Buffer.alloc(length - tailStart)
    let pos = 0
    for (let k = 0; pos < length; k ^= 1) {
      if (aborted(abort)) return {aborted: true}
      const b = bufs[k]
      const n = fs.readSync(fd, b, 0, Math.min(b.length, length - pos), pos)
      if (n === 0) throw new Error(src + ': file shrank while copying (at ' + pos + ' of ' + length + ')')
      if (pos < hashEnd) hash.update(b.subarray(0, Math.min(n, hashEnd - pos)))
      if (pos + n > tailStart) b.copy(tail, Math.max(pos, tailStart) - tailStart, Math.max(pos, tailStart) - pos, n)
      await pending
      const at = pos
      pending = Promise.all(outs.map((out) => writeAll(out, b, n, at)))
      pos += n
    }
    await pending
    for (const out of outs) {
      if (finalSize !== undefined) fs.ftruncateSync(out, finalSize)
      // The copy keeps the source's permissions, as cp or fs.copyFile would (PTables are read-only).
      fs.fchmodSync(out, st.mode & 0o7777)
      if (sync) fs.fsyncSync(out)
    }
    return {md5: hash.digest('hex'), tail: tail.toString('hex')}
  } finally {
    await pending.catch(() => undefined)
    fs.closeSync(fd)
    for (const out of outs) fs.closeSync(out)
  }
}
parentPort.on('message', async (job) => {
  try {
    parentPort.postMessage({id: job.id, ...(job.op === 'copy' ? await copyFile(job) : hashFile(job))})
  } catch (error) {
    parentPort.postMessage({id: job.id, error: String((error && error.message) || error), code: error && error.code})
  }
})
`

/** What a worker answers: the MD5 (hex), for a copy the file's last 16 bytes (hex), or an error. */
interface Answer {
  md5?: string
  tail?: string
  aborted?: boolean
  error?: string
  code?: string
}

interface Job {
  message: Record<string, unknown>
  resolve: (answer: Answer) => void
  reject: (error: Error) => void
}

class Md5Pool {
  private readonly idle: Worker[] = []
  private readonly all: Worker[] = []
  private readonly queue: Job[] = []
  private readonly running = new Map<Worker, Job>()
  private nextId = 0

  constructor(private readonly size: number) {}

  run(message: Record<string, unknown>): Promise<Answer> {
    return new Promise((resolve, reject) => {
      this.queue.push({message: {...message, id: this.nextId++}, resolve, reject})
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
      worker.postMessage(job.message)
    }
  }

  private spawn(): Worker | undefined {
    if (this.all.length >= this.size) return undefined
    const worker = new Worker(WORKER_SOURCE, {eval: true})
    worker.on('message', (msg: Answer) => {
      const job = this.running.get(worker)
      this.running.delete(worker)
      worker.unref()
      this.idle.push(worker)
      if (job) {
        if (msg.error) job.reject(Object.assign(new Error(msg.error), msg.code ? {code: msg.code} : {}))
        else job.resolve(msg)
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

function thePool(): Md5Pool {
  // At least 2 threads even on one core: hashing one file while the next one's read waits on I/O.
  pool ??= new Md5Pool(Math.max(2, Math.min(availableParallelism(), 4)))
  return pool
}

/** MD5 of `[0, end)` of a file, computed on a worker thread. */
export async function md5OfFileParallel(path: string, end?: number): Promise<Buffer> {
  const {md5} = await thePool().run({op: 'hash', path, end})
  return Buffer.from(md5!, 'hex')
}

export interface CopyHashed {
  /** MD5 of the bytes `[0, hashEnd)` written. */
  md5: Buffer
  /** The file's last (up to) 16 bytes: where completed chunks and PTables store their own MD5. */
  tail: Buffer
}

/**
 * Copies `length` bytes of the regular file `src` (which must be exactly that long, or at least
 * that long with `prefix`) to each of `dsts` (created, never overwritten; extended with zeros to
 * `finalSize` when given), hashing `[0, hashEnd)` of the bytes handed to write(), and fsyncs the
 * copies when `sync` (a caller that flushes on its own thread pool lets the worker hash the next
 * file meanwhile). `abort` (an Int32Array on shared memory, set to non-zero to stop) is checked
 * between blocks; a stopped copy resolves undefined and leaves its partial files to the caller.
 */
export async function copyHashedParallel(job: {
  src: string
  dsts: string[]
  length: number
  hashEnd: number
  prefix?: boolean
  finalSize?: number
  sync: boolean
  abort?: Int32Array
}): Promise<CopyHashed | undefined> {
  const answer = await thePool().run({op: 'copy', ...job})
  if (answer.aborted) return undefined
  return {md5: Buffer.from(answer.md5!, 'hex'), tail: Buffer.from(answer.tail!, 'hex')}
}
