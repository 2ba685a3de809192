import {strict as assert} from 'node:assert'
import {createHash} from 'node:crypto'
import {mkdtemp, rm, writeFile} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

import {Md5Pool, md5OfFileParallel, sharedHashPool} from '../../../src/lib/engine/md5-pool.js'
import {sha256AndMd5Parallel, sha256OfFileParallel} from '../../../src/lib/engine/sha256-pool.js'

const hex = (algorithm: string, bytes: Buffer) => createHash(algorithm).update(bytes).digest('hex')

describe('hashes on worker threads', () => {
  let dir: string
  // 3 MiB and a bit: more than one of the worker's 1 MiB blocks, the MD5's end inside the last one.
  const bytes = Buffer.from(Array.from({length: 3 * 1024 * 1024 + 123}, (_, i) => (i * 31) % 251))
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'esc-hash-pool-'))
    await writeFile(join(dir, 'f'), bytes)
  })
  after(() => rm(dir, {recursive: true, force: true}))

  it('SHA-256 of the whole file and MD5 of all but its last 16 bytes, in one read', async () => {
    const {sha256, md5} = await sha256AndMd5Parallel(join(dir, 'f'), bytes.length, bytes.length - 16)
    assert.deepEqual(
      {sha256, md5},
      {
        sha256: hex('sha256', bytes),
        md5: hex('md5', bytes.subarray(0, bytes.length - 16)),
      },
    )
  })

  it("a repository backup's hashes share the lanes and the thread of the local engine's MD5 checks", async () => {
    // Once the idle thread is ended, the next one starts with all three files waiting for it:
    // alone in a pool of its own, the SHA-256 would have gone through OpenSSL ('solo').
    await new Promise((resolve) => setTimeout(resolve, 1300))
    const [both] = await Promise.all([
      sha256AndMd5Parallel(join(dir, 'f'), bytes.length, bytes.length - 16),
      md5OfFileParallel(join(dir, 'f')),
      md5OfFileParallel(join(dir, 'f'), 1000),
    ])
    assert.equal(both.via, 'lanes')
    assert.equal(both.sha256, hex('sha256', bytes))
    assert.equal(sharedHashPool().liveWorkers, 1)
  })

  it('SHA-256 of a whole file, and MD5 as before', async () => {
    assert.equal(await sha256OfFileParallel(join(dir, 'f')), hex('sha256', bytes))
    assert.equal((await md5OfFileParallel(join(dir, 'f'))).toString('hex'), hex('md5', bytes))
    assert.equal((await md5OfFileParallel(join(dir, 'f'), 1000)).toString('hex'), hex('md5', bytes.subarray(0, 1000)))
  })

  it('threads idle for a second are ended and come back for the next file', async () => {
    assert.equal(await sha256OfFileParallel(join(dir, 'f')), hex('sha256', bytes))
    await new Promise((resolve) => setTimeout(resolve, 1300))
    assert.equal(await sha256OfFileParallel(join(dir, 'f')), hex('sha256', bytes))
  })

  it('a missing file rejects with ENOENT; a file shorter than expected with ESHRUNK', async () => {
    await assert.rejects(sha256AndMd5Parallel(join(dir, 'gone'), 10, 0), (e: NodeJS.ErrnoException) => e.code === 'ENOENT')
    await assert.rejects(sha256AndMd5Parallel(join(dir, 'f'), bytes.length + 1, 0), (e: NodeJS.ErrnoException) => e.code === 'ESHRUNK')
  })

  it('MD5 workers idle for a second are ended (their memory freed) and come back for the next file', async () => {
    const pool = new Md5Pool(1, 4)
    assert.equal((await pool.hash(join(dir, 'f'))).toString('hex'), hex('md5', bytes))
    assert.equal(pool.liveWorkers, 1)
    await new Promise((resolve) => setTimeout(resolve, 1300))
    assert.equal(pool.liveWorkers, 0, 'the idle worker was ended')
    assert.equal((await pool.hash(join(dir, 'f'))).toString('hex'), hex('md5', bytes))
    assert.equal(pool.liveWorkers, 1)
  })
})
