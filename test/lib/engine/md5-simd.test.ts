import {strict as assert} from 'node:assert'
import {createHash, randomBytes} from 'node:crypto'
import {chmod, mkdtemp, readFile, rm, stat, writeFile} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

import fc from 'fast-check'

import {Md5Pool, copyWithMd5Parallel, md5OfFileParallel} from '../../../src/lib/engine/md5-pool.js'
import {HashedCopier} from '../../../src/lib/engine/hashed-copy.js'
import {type Md5LaneJob, createMd5Lanes, md5KernelBytes} from '../../../src/lib/engine/md5-simd.js'

const md5 = (b: Buffer) => createHash('md5').update(b).digest('hex')

/** Lengths where MD5's padding changes shape (one or two padding blocks), and a few lane pieces. */
const EDGE_LENGTHS = [0, 1, 55, 56, 57, 63, 64, 65, 119, 120, 127, 128, 129, 1000, 4096, 4096 + 55, 3 * 4096 + 1]

/** Hashes messages through the driver; with a small lane buffer, so most messages span several refills. */
function hashAll(messages: Buffer[], lanes: 4 | 8, laneBytes: number, startEarly = true): string[] {
  const kernel = md5KernelBytes(lanes, laneBytes)
  assert.ok(kernel, 'this Node has WebAssembly SIMD')
  const driver = createMd5Lanes(kernel, lanes, laneBytes)
  const out: string[] = []
  const queue = messages.map((m, i): Md5LaneJob => ({
    name: `m${i}`,
    size: m.length,
    read: (target, position) => m.copy(target, 0, position, Math.min(m.length, position + target.length)),
    done: (d) => (out[i] = d.toString('hex')),
    fail: (e) => assert.fail(String(e)),
  }))
  // Either every lane starts at once, or messages trickle in one per round (lanes of unequal progress).
  do {
    while (queue.length > 0 && driver.free() > 0) {
      driver.start(queue.shift()!)
      if (!startEarly) break
    }
  } while (driver.step() > 0 || queue.length > 0)
  return out
}

describe('multi-buffer MD5 (WebAssembly SIMD)', () => {
  it('matches node:crypto at the padding edges, 4 and 8 lanes', () => {
    const messages = EDGE_LENGTHS.map((n) => randomBytes(n))
    for (const lanes of [4, 8] as const) {
      assert.deepEqual(hashAll(messages, lanes, 4096), messages.map(md5))
    }
  })

  it('matches node:crypto for random contents, lengths and numbers of messages', () => {
    const message = fc.oneof(
      fc.constantFrom(...EDGE_LENGTHS).map((n) => randomBytes(n)),
      fc.uint8Array({maxLength: 20_000}).map((a) => Buffer.from(a)),
    )
    fc.assert(
      fc.property(fc.array(message, {minLength: 1, maxLength: 20}), fc.constantFrom(4, 8), fc.boolean(), (messages, lanes, early) => {
        assert.deepEqual(hashAll(messages, lanes as 4 | 8, 1024, early), messages.map(md5))
      }),
      {numRuns: 60},
    )
  })

  it('hands every hashed buffer to the hook and waits for its release, reading ahead or not: copies and digests are exact', () => {
    // The hook keeps buffers (as a copy's writes in flight do) and releases them in a random order,
    // a few rounds later; reads ahead end in a random order too, and copy their bytes only when they
    // end. The lanes must wait, never refill a buffer held or being read, and keep their MD5 state.
    fc.assert(
      fc.property(
        fc.array(fc.oneof(fc.constantFrom(...EDGE_LENGTHS), fc.nat({max: 12_000})), {minLength: 1, maxLength: 12}),
        fc.constantFrom(4, 8),
        fc.constantFrom(1, 2, 3),
        fc.boolean(),
        fc.infiniteStream(fc.nat()),
        (lengths, lanes, regions, ahead, picks) => {
          const messages = lengths.map((n) => randomBytes(n))
          const driver = createMd5Lanes(md5KernelBytes(lanes as 4 | 8, 1024, regions)!, lanes as 4 | 8, 1024, regions)
          const copies = messages.map((m) => Buffer.alloc(m.length, 0xee))
          const digests: string[] = []
          const pending: {end: () => void}[] = []
          const queue = messages.map((m, i): Md5LaneJob => ({
            name: `m${i}`,
            size: m.length,
            read: (target, position) => m.copy(target, 0, position, Math.min(m.length, position + target.length)),
            readAhead: ahead
              ? (target, position, done) =>
                  pending.push({end: () => done(null, m.copy(target, 0, position, Math.min(m.length, position + target.length)))})
              : undefined,
            // Copied when released, as a write in flight reads its buffer until it ends.
            hashed: (bytes, position, release) => pending.push({end: () => (bytes.copy(copies[i], position), release())}),
            done: (d) => (digests[i] = d.toString('hex')),
            fail: (e) => assert.fail(String(e)),
          }))
          const pick = picks[Symbol.iterator]()
          let rounds = 0
          while (queue.length > 0 || driver.active() > 0 || pending.length > 0) {
            assert.ok(rounds++ < 100_000, 'no progress')
            while (queue.length > 0 && driver.free() > 0) driver.start(queue.shift()!)
            driver.step()
            // End some writes and reads; all of them when the lanes cannot go on otherwise.
            const n = driver.stalled() || driver.active() === 0 ? pending.length : pick.next().value % (pending.length + 1)
            for (let k = 0; k < n; k++) pending.splice(pick.next().value % pending.length, 1)[0].end()
          }
          assert.deepEqual(digests, messages.map(md5))
          assert.deepEqual(copies, messages)
        },
      ),
      {numRuns: 120},
    )
  })

  it('fails only the message whose read ends early, the others complete', () => {
    const kernel = md5KernelBytes(4, 1024)!
    const driver = createMd5Lanes(kernel, 4, 1024)
    const good = randomBytes(5000)
    const results: string[] = []
    driver.start({
      name: 'good',
      size: good.length,
      read: (t, p) => good.copy(t, 0, p, p + t.length),
      done: (d) => results.push(d.toString('hex')),
      fail: assert.fail,
    })
    driver.start({
      name: 'short',
      size: 5000,
      read: (t, p) => (p >= 2048 ? 0 : t.fill(1).length),
      done: () => assert.fail('no digest'),
      fail: (e) => results.push(String(e)),
    })
    while (driver.step() > 0);
    assert.deepEqual(results, ['Error: short: file shrank while hashing (at 2048 of 5000)', md5(good)])
  })

  it('hashes real files through the worker pool, many at once and a prefix of one', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'esc-md5-'))
    try {
      const sizes = [0, 1, 63, 64, 9 * 1024 * 1024 + 7, 3 * 1024 * 1024, 17 * 1024 * 1024 + 55, 1, 2 * 1024 * 1024 + 64, 5000]
      const data = sizes.map((n) => randomBytes(n))
      await Promise.all(data.map((d, i) => writeFile(join(dir, `f${i}`), d)))
      const got = await Promise.all(data.map((_, i) => md5OfFileParallel(join(dir, `f${i}`))))
      assert.deepEqual(
        got.map((b) => b.toString('hex')),
        data.map(md5),
      )
      const prefix = await md5OfFileParallel(join(dir, 'f4'), 1_000_003)
      assert.equal(prefix.toString('hex'), md5(data[4].subarray(0, 1_000_003)))
      await assert.rejects(md5OfFileParallel(join(dir, 'f9'), 6000), /f9: file shrank while hashing \(at 5000 of 6000\)/)
    } finally {
      await rm(dir, {recursive: true, force: true})
    }
  })

  /** Sizes around the 4 KiB boundary of direct I/O and the lanes' buffers, with a prefix MD5 as chunks have it. */
  async function checkCopies(dir: string, copy: (src: string, dst: string, md5End?: number) => Promise<Buffer>): Promise<void> {
    const sizes = [
      0,
      1,
      16,
      17,
      4095,
      4096,
      4097,
      4096 + 16,
      4096 + 15,
      256 * 1024,
      256 * 1024 + 4096 + 17,
      3 * 1024 * 1024 + 7,
      9 * 1024 * 1024 + 4096 * 3 + 16,
    ]
    const data = sizes.map((n) => randomBytes(n))
    await Promise.all(data.map((d, i) => writeFile(join(dir, `f${i}`), d)))
    await chmod(join(dir, 'f3'), 0o600)
    const md5Ends = sizes.map((n, i) => (i % 2 === 0 ? Math.max(0, n - 16) : undefined))
    const got = await Promise.all(data.map((_, i) => copy(join(dir, `f${i}`), join(dir, `c${i}`), md5Ends[i])))
    for (const [i, d] of data.entries()) {
      assert.equal(got[i].toString('hex'), md5(d.subarray(0, md5Ends[i] ?? d.length)), `MD5 of f${i}`)
      assert.ok((await readFile(join(dir, `c${i}`))).equals(d), `copy of f${i} (${d.length} bytes)`)
    }
    assert.equal((await stat(join(dir, 'c3'))).mode & 0o777, 0o600)
    // An ongoing chunk: a hashed prefix, then megabytes copied as they are.
    const ongoing = randomBytes(3 * 1024 * 1024 + 5)
    await writeFile(join(dir, 'ongoing'), ongoing)
    assert.equal(
      (await copy(join(dir, 'ongoing'), join(dir, 'c-ongoing'), 1024 * 1024 + 3)).toString('hex'),
      md5(ongoing.subarray(0, 1024 * 1024 + 3)),
    )
    assert.ok((await readFile(join(dir, 'c-ongoing'))).equals(ongoing))
    await assert.rejects(copy(join(dir, 'missing'), join(dir, 'cx')), {code: 'ENOENT'})
    // Never written through an existing file (a link into a previous backup, say).
    await assert.rejects(copy(join(dir, 'f1'), join(dir, 'f2')), {code: 'EEXIST'})
    assert.ok((await readFile(join(dir, 'f2'))).equals(data[2]))
  }

  it('copies files through the lanes with direct I/O: the bytes written are the bytes hashed', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'esc-md5-copy-'))
    try {
      await checkCopies(dir, (path, copyTo, md5End) => copyWithMd5Parallel(path, copyTo, md5End))
    } finally {
      await rm(dir, {recursive: true, force: true})
    }
  })

  it('where direct I/O is refused, the copy fails with EDIRECTIO and the copier falls back to the kernel copy, once', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'esc-md5-copy-'))
    try {
      const pool = new Md5Pool(1, 4, true, false)
      let tries = 0
      const copier = new HashedCopier([], async (path, copyTo, md5End) => {
        tries++
        return Buffer.from((await pool.hashes({path, copyTo, md5End})).md5, 'hex')
      })
      const data = [randomBytes(9 * 1024 * 1024 + 5), randomBytes(5 * 1024 * 1024)]
      await Promise.all(data.map((d, i) => writeFile(join(dir, `f${i}`), d)))
      await assert.rejects(pool.hashes({path: join(dir, 'f0'), copyTo: join(dir, 'x')}), {code: 'EDIRECTIO'})
      for (const i of [0, 1]) {
        assert.equal(
          await copier.copy(join(dir, `f${i}`), join(dir, `c${i}`), dir, data[i].length - 16),
          undefined,
          'read back, not hashed while written',
        )
        assert.ok((await readFile(join(dir, `c${i}`))).equals(data[i]))
      }
      assert.equal(tries, 1)
    } finally {
      await rm(dir, {recursive: true, force: true})
    }
  })

  it("a file left by an open refused for direct I/O is removed, inside the copy's directory, before the kernel copies to that name", async () => {
    const dir = await mkdtemp(join(tmpdir(), 'esc-md5-copy-'))
    try {
      await writeFile(join(dir, 'src'), randomBytes(6 * 1024 * 1024))
      const copier = new HashedCopier([], async (_path, copyTo) => {
        await writeFile(copyTo, 'created, then refused', {flag: 'wx'})
        throw Object.assign(new Error(`${copyTo}: the filesystem refuses direct I/O`), {code: 'EDIRECTIO'})
      })
      assert.equal(await copier.copy(join(dir, 'src'), join(dir, 'dst'), dir, 100), undefined)
      assert.ok((await readFile(join(dir, 'dst'))).equals(await readFile(join(dir, 'src'))))
    } finally {
      await rm(dir, {recursive: true, force: true})
    }
  })

  it('copies files without WebAssembly SIMD too, through OpenSSL', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'esc-md5-copy-'))
    try {
      const pool = new Md5Pool(1, 4, false)
      await checkCopies(dir, async (path, copyTo, md5End) => Buffer.from((await pool.hashes({path, copyTo, md5End})).md5, 'hex'))
    } finally {
      await rm(dir, {recursive: true, force: true})
    }
  })

  it('drops hashes still queued when their signal aborts; those running finish, and the pool goes on', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'esc-md5-'))
    try {
      const data = randomBytes(9 * 1024 * 1024)
      await writeFile(join(dir, 'f'), data)
      const abort = new AbortController()
      const runs = Array.from({length: 20}, () => md5OfFileParallel(join(dir, 'f'), undefined, abort.signal))
      abort.abort()
      const settled = await Promise.allSettled(runs)
      const dropped = settled.filter((r) => r.status === 'rejected')
      assert.ok(dropped.length > 0 && dropped.length < 20, `${dropped.length} of 20 dropped`)
      for (const r of dropped) assert.match(String(r.reason), /hashing aborted/)
      for (const r of settled) if (r.status === 'fulfilled') assert.equal(r.value.toString('hex'), md5(data))
      assert.equal((await md5OfFileParallel(join(dir, 'f'))).toString('hex'), md5(data))
    } finally {
      await rm(dir, {recursive: true, force: true})
    }
  })

  it('without WebAssembly SIMD, the pool hashes with OpenSSL one file per worker', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'esc-md5-'))
    try {
      const pool = new Md5Pool(2, 4, false)
      const data = [0, 1, 64, 9 * 1024 * 1024 + 3, 2 * 1024 * 1024].map((n) => randomBytes(n))
      await Promise.all(data.map((d, i) => writeFile(join(dir, `f${i}`), d)))
      const got = await Promise.all(data.map((_, i) => pool.hash(join(dir, `f${i}`))))
      assert.deepEqual(
        got.map((b) => b.toString('hex')),
        data.map(md5),
      )
      await assert.rejects(pool.hash(join(dir, 'f2'), 100), /f2: file shrank while hashing \(at 64 of 100\)/)
    } finally {
      await rm(dir, {recursive: true, force: true})
    }
  })
})
