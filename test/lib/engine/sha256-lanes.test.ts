import {strict as assert} from 'node:assert'
import {createHash, randomBytes} from 'node:crypto'
import {mkdtemp, rm, writeFile} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

import fc from 'fast-check'

import {Md5Pool} from '../../../src/lib/engine/md5-pool.js'

const hex = (algorithm: string, bytes: Buffer) => createHash(algorithm).update(bytes).digest('hex')

/** Sizes around the pool's 256 KiB lane pieces and MD5's 64-byte blocks. */
const EDGES = [0, 1, 16, 17, 55, 56, 64, 80, 262_144 - 16, 262_144, 262_144 + 16, 262_144 + 70, 2 * 262_144 + 5]

describe('SHA-256 with a prefix MD5 in the multi-buffer lanes', () => {
  let dir: string
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'esc-sha-lanes-'))
  })
  after(() => rm(dir, {recursive: true, force: true}))

  it('matches node:crypto for random files, MD5 ends and numbers of files at once', async () => {
    const pool = new Md5Pool(1, 4)
    const file = fc.record({
      size: fc.oneof(fc.constantFrom(...EDGES), fc.integer({min: 0, max: 700_000})),
      cut: fc.oneof(fc.constant(16), fc.integer({min: 0, max: 700_000})),
    })
    let run = 0
    await fc.assert(
      fc.asyncProperty(fc.array(file, {minLength: 1, maxLength: 6}), async (files) => {
        const data = files.map(({size}) => randomBytes(size))
        const paths = data.map((_, i) => join(dir, `r${run}-${i}`))
        run++
        await Promise.all(data.map((d, i) => writeFile(paths[i], d)))
        // The MD5 covers [0, md5End), anywhere from none to all of the file: a chunk's is all but its last 16 bytes.
        const md5Ends = files.map(({size, cut}) => Math.max(0, size - Math.min(cut, size)))
        const got = await Promise.all(paths.map((path, i) => pool.hashes({path, end: data[i].length, md5End: md5Ends[i], sha256: true})))
        assert.deepEqual(
          got.map(({md5, sha256}) => ({md5, sha256})),
          data.map((d, i) => ({md5: hex('md5', d.subarray(0, md5Ends[i])), sha256: hex('sha256', d)})),
        )
        await Promise.all(paths.map((p) => rm(p)))
      }),
      {numRuns: 25},
    )
  })

  it('files arriving together share the lanes; one alone goes through OpenSSL; without SIMD, all do', async () => {
    const data = [1_000_000, 700_001, 300_017].map((n) => randomBytes(n))
    const paths = data.map((_, i) => join(dir, `t${i}`))
    await Promise.all(data.map((d, i) => writeFile(paths[i], d)))
    const ask = (pool: Md5Pool, i: number) => pool.hashes({path: paths[i], end: data[i].length, md5End: data[i].length - 16, sha256: true})

    const simd = new Md5Pool(1, 4)
    const together = await Promise.all(paths.map((_, i) => ask(simd, i)))
    assert.deepEqual(
      together.map((h) => h.via),
      ['lanes', 'lanes', 'lanes'],
    )
    const alone = await ask(simd, 0)
    assert.equal(alone.via, 'solo')
    assert.equal(alone.sha256, hex('sha256', data[0]))
    assert.equal(alone.md5, hex('md5', data[0].subarray(0, data[0].length - 16)))

    const plain = new Md5Pool(1, 4, false)
    assert.deepEqual(
      (await Promise.all(paths.map((_, i) => ask(plain, i)))).map((h) => h.via),
      ['openssl', 'openssl', 'openssl'],
    )
  })

  it('a file shorter than asked rejects with ESHRUNK in the lanes and alone, the others complete', async () => {
    const data = randomBytes(300_000)
    const path = join(dir, 'short')
    await writeFile(path, data)
    const pool = new Md5Pool(1, 4)
    const [short, good] = await Promise.allSettled([
      pool.hashes({path, end: data.length + 10, md5End: data.length - 6, sha256: true}),
      pool.hashes({path, end: data.length, md5End: data.length - 16, sha256: true}),
    ])
    assert.equal(short.status, 'rejected')
    assert.equal((short as PromiseRejectedResult).reason.code, 'ESHRUNK')
    assert.equal(good.status === 'fulfilled' && good.value.sha256, hex('sha256', data))
    await assert.rejects(
      pool.hashes({path, end: data.length + 10, md5End: data.length - 6, sha256: true}),
      (e: NodeJS.ErrnoException) => e.code === 'ESHRUNK' && /short: file shrank while hashing \(at 300000 of 300010\)/.test(e.message),
    )
  })
})
