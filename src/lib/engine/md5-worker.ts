import {COPY_JOB_SOURCE} from './md5-copy-job.js'
import {MD5_LANES_SOURCE} from './md5-simd.js'

/**
 * The hashing pool's worker thread (md5-pool.ts), so hashing runs beside the event loop. Each
 * worker hashes several files at once with the multi-buffer SIMD kernel (md5-simd.ts): MD5 is one
 * long dependency chain per message, so a single stream cannot go faster than ~0.7 GB/s per core,
 * but 4 streams in the lanes of one vector cost barely more than one. It also takes a SHA-256 over
 * the same reads, and copies files from the buffers it hashes (md5-copy-job.ts). Without
 * WebAssembly SIMD a worker hashes one file at a time with OpenSSL. The worker is plain CommonJS
 * passed as source: it loads the same way from src (tsx) and dist.
 */
export const HASH_WORKER_SOURCE = `
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
