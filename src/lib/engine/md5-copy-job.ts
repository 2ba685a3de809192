/**
 * The hashing workers' copy: a file read once into the MD5 lanes, hashed there, and written to its
 * copy from the same buffers, so the bytes written are the bytes hashed and no second read (of the
 * copy) is needed. The writes use direct I/O: the device reads the lanes' memory itself, sparing
 * the kernel a copy of every byte into the page cache and its later writeback, which on two cores
 * compete with the hashing. Where the filesystem refuses direct I/O the copy fails with EDIRECTIO
 * and nothing left behind, and the caller copies another way: written through the page cache from
 * the pool's threads, the same copy measured several times slower than the kernel's own copy.
 * Bytes past the last 4 KiB boundary of the hashed part (and any past it that are not hashed, such
 * as a chunk's stored MD5) are written through the page cache at the end. Plain JavaScript evaluated in the worker beside the lanes'
 * driver (md5-pool.ts): `fs`, `crypto`, `lanes`, `workerData`, `parentPort`, `fail`, `schedule` and `readHandle` are its.
 */
export const COPY_JOB_SOURCE = `
const DIRECT_ALIGN = 4096

// A new file (never written through an existing one or a link), with the source's permission
// bits, as fs.copyFile gives them.
function openCopyTarget(path, mode) {
  const {O_WRONLY, O_CREAT, O_EXCL, O_DIRECT} = fs.constants
  if (!O_DIRECT || workerData.directIo === false) throw noDirectIo(path)
  try {
    return fs.openSync(path, O_WRONLY | O_CREAT | O_EXCL | O_DIRECT, mode)
  } catch (error) {
    throw error.code === 'EINVAL' ? noDirectIo(path) : error
  }
}

const noDirectIo = (path) => Object.assign(new Error(path + ': the filesystem refuses direct I/O'), {code: 'EDIRECTIO'})

function startCopy({id, path, copyTo, md5End}) {
  const copy = {id, path, copyTo, src: undefined, dst: undefined, buffered: undefined, writes: 0, ended: false, finished: false}
  try {
    copy.src = fs.openSync(path, 'r')
    copy.source = readHandle(copy.src)
    const stat = fs.fstatSync(copy.src)
    copy.size = stat.size
    copy.md5Until = Math.max(0, Math.min(md5End ?? copy.size, copy.size))
    copy.dst = openCopyTarget(copyTo, stat.mode & 0o777)
    copy.directEnd = copy.md5Until - (copy.md5Until % DIRECT_ALIGN)
    copy.tail = Buffer.allocUnsafe(copy.md5Until - copy.directEnd)
  } catch (error) {
    closeCopy(copy)
    return fail(id, error)
  }
  lanes.start({
    name: path,
    size: copy.md5Until,
    read: (target, position) => fs.readSync(copy.src, target, 0, target.length, position),
    readAhead: (target, position, done) => copy.source.readAhead(target, position, done),
    hashed: (bytes, position, release) => {
      const toDirectEnd = Math.max(0, Math.min(bytes.length, copy.directEnd - position))
      if (toDirectEnd < bytes.length) bytes.copy(copy.tail, position + toDirectEnd - copy.directEnd, toDirectEnd)
      if (toDirectEnd === 0 || copy.error) return release()
      copy.writes++
      writeAt(copy, bytes, toDirectEnd, position, (error) => {
        copy.writes--
        if (error) copy.error ??= error
        release()
        schedule()
        settleCopy(copy)
      })
    },
    done: (digest) => {
      copy.digest = digest
      copy.ended = true
      settleCopy(copy)
    },
    fail: (error) => {
      copy.error ??= error
      copy.ended = true
      settleCopy(copy)
    },
  })
}

function writeAt(copy, bytes, length, position, done) {
  fs.write(copy.dst, bytes, 0, length, position, (error, written) => {
    // A filesystem that opens with direct I/O but refuses the write.
    if (error) return done(error.code === 'EINVAL' ? noDirectIo(copy.copyTo) : error)
    if (written === length) return done()
    writeAt(copy, bytes.subarray(written), length - written, position + written, done)
  })
}

// The tail, through the page cache (not a multiple of the direct I/O block).
function bufferedFd(copy) {
  copy.buffered ??= fs.openSync(copy.copyTo, 'r+')
  return copy.buffered
}

// When hashing has ended and no write is in flight: the tail, then the answer.
function settleCopy(copy) {
  if (!copy.ended || copy.writes > 0 || copy.finished) return
  copy.finished = true
  try {
    if (copy.error) throw copy.error
    if (copy.tail.length > 0) fs.writeSync(bufferedFd(copy), copy.tail, 0, copy.tail.length, copy.directEnd)
    // What follows the hashed part (a chunk's stored MD5, an ongoing chunk's zeros) is copied as read.
    buf ??= Buffer.allocUnsafe(1024 * 1024)
    for (let pos = copy.md5Until; pos < copy.size; ) {
      const n = fs.readSync(copy.src, buf, 0, Math.min(buf.length, copy.size - pos), pos)
      if (n === 0) throw Object.assign(new Error(copy.path + ': file shrank while copying (at ' + pos + ' of ' + copy.size + ')'), {code: 'ESHRUNK'})
      fs.writeSync(bufferedFd(copy), buf, 0, n, pos)
      pos += n
    }
    closeCopy(copy)
    parentPort.postMessage({id: copy.id, md5: copy.digest.toString('hex')})
  } catch (error) {
    closeCopy(copy)
    fail(copy.id, error)
  }
}

function closeCopy(copy) {
  // The source closes once its reads ahead have ended.
  if (copy.source) copy.source.close()
  else if (copy.src !== undefined) fs.closeSync(copy.src)
  copy.src = copy.source = undefined
  for (const key of ['dst', 'buffered']) {
    if (copy[key] === undefined) continue
    try {
      fs.closeSync(copy[key])
    } catch {}
    copy[key] = undefined
  }
}

// Without the lanes: one file at a time through OpenSSL, the bytes written from the buffer hashed.
function copyWithOpenSsl({id, path, copyTo, md5End}) {
  buf ??= Buffer.allocUnsafe(1024 * 1024)
  const copy = {src: undefined, dst: undefined}
  try {
    copy.src = fs.openSync(path, 'r')
    const stat = fs.fstatSync(copy.src)
    const size = stat.size
    const md5Until = Math.max(0, Math.min(md5End ?? size, size))
    copy.dst = fs.openSync(copyTo, fs.constants.O_WRONLY | fs.constants.O_CREAT | fs.constants.O_EXCL, stat.mode & 0o777)
    const hash = crypto.createHash('md5')
    let pos = 0
    for (;;) {
      const n = fs.readSync(copy.src, buf, 0, buf.length, pos)
      if (n === 0) break
      if (pos < md5Until) hash.update(buf.subarray(0, Math.min(n, md5Until - pos)))
      fs.writeSync(copy.dst, buf, 0, n, pos)
      pos += n
    }
    if (pos < size) throw Object.assign(new Error(path + ': file shrank while copying (at ' + pos + ' of ' + size + ')'), {code: 'ESHRUNK'})
    closeCopy(copy)
    parentPort.postMessage({id, md5: hash.digest('hex')})
  } catch (error) {
    closeCopy(copy)
    fail(id, error)
  }
}
`
