import {strict as assert} from 'node:assert'
import {mkdtemp, readFile, readdir, rename, rm, writeFile} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

import {generateDataDir} from '../../../../src/lib/engine/index.js'
import {escCodecFactory, type CodecChoice} from '../../../../src/lib/engine/repository/crypt-codec.js'
import {FsObjectStore} from '../../../../src/lib/engine/repository/fs-store.js'
import {backupToRepository} from '../../../../src/lib/engine/repository/repo-backup.js'
import {restoreFromRepository} from '../../../../src/lib/engine/repository/repo-restore.js'
import {Repository} from '../../../../src/lib/engine/repository/repository.js'
import {isEscError} from '../../../../src/lib/core/errors.js'

const FAST = {N: 1024, r: 8, p: 1}
/** Strings every generated event carries in its JSON payload or its record. */
const PLAINTEXTS = ['"currency":"EUR"', '"amount":1234', 'OrderPlaced', 'stream-000001']

async function filesUnder(root: string): Promise<string[]> {
  const entries = await readdir(root, {recursive: true, withFileTypes: true})
  return entries.filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name))
}

describe('an encrypted repository', function () {
  this.timeout(30_000)
  let dir: string
  let db: string
  let root: string
  const choice = (over: Partial<CodecChoice> = {}): CodecChoice => ({password: async () => 'correct horse', scrypt: FAST, ...over})
  const open = (c: CodecChoice, create = false) => Repository.open(new FsObjectStore(root), {create, codecs: escCodecFactory(c)})

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'esc-crypt-'))
    db = join(dir, 'db')
    root = join(dir, 'repo')
    await generateDataDir(db, {chunks: 3, chunkSize: 65536, withIndex: true})
  })
  afterEach(() => rm(dir, {recursive: true, force: true}))

  it('stores no plaintext of an event, and no content hash of the manifest in object names', async () => {
    const chunk = await readFile(join(db, 'chunk-000000.000000'))
    for (const s of PLAINTEXTS) assert.ok(chunk.includes(s), `the generated data holds ${s}`)
    const manifest = await backupToRepository({repository: await open(choice({encrypt: true, compression: 'gzip'}), true), db})
    const files = await filesUnder(root)
    assert.ok(files.length >= manifest.files.length / 2, `${files.length} objects`)
    for (const file of files) {
      const bytes = await readFile(file)
      for (const s of PLAINTEXTS) assert.equal(bytes.includes(s), false, `${file} holds ${s}`)
      for (const f of manifest.files) {
        assert.equal(file.includes(f.sha256), false, `${file} is named by the SHA-256 of ${f.path}`)
        if (f.md5) assert.equal(file.toLowerCase().includes(f.md5.toLowerCase()), false, `${file} is named by the MD5 of ${f.path}`)
        assert.equal(bytes.includes(f.path), false, `${file} names ${f.path}`)
      }
    }
    // And it restores with the password.
    const restored = join(dir, 'restored')
    await restoreFromRepository(await open(choice()), undefined, {db: restored})
    assert.deepEqual(await readFile(join(restored, 'chunk-000000.000000')), chunk)
  })

  it('refuses a wrong password in one line', async () => {
    await backupToRepository({repository: await open(choice({encrypt: true}), true), db})
    await assert.rejects(open(choice({password: async () => 'wrong'})), (e: unknown) => {
      assert.ok(isEscError(e) && e.kind === 'auth' && /password is wrong/.test(e.message) && !e.message.includes('\n'), String(e))
      return true
    })
  })

  describe('tampering', () => {
    let objects: string[]
    let backupId: string
    beforeEach(async () => {
      backupId = (await backupToRepository({repository: await open(choice({encrypt: true}), true), db})).id
      objects = (await filesUnder(join(root, 'objects'))).sort()
    })
    const restoreRefused = async (pattern: RegExp) =>
      assert.rejects(restoreFromRepository(await open(choice()), undefined, {db: join(dir, 'restored')}), (e: unknown) => {
        // The backup is refused as a whole; each damaged file is a line of its own under it.
        assert.ok(isEscError(e) && e.kind === 'unsound-backup' && !e.message.includes('\n'), String(e))
        const lines = [e.message, ...e.suggestions]
        assert.ok(
          lines.some((l) => pattern.test(l)),
          lines.join('\n'),
        )
        return true
      })

    it('refuses a flipped byte in an object, naming the file and the object', async () => {
      // The largest object is a chunk's (names are keyed hashes: their order says nothing).
      const sizes = await Promise.all(objects.map(async (o) => (await readFile(o)).length))
      const target = objects[sizes.indexOf(Math.max(...sizes))]
      const bytes = await readFile(target)
      bytes[bytes.length - 3] ^= 0x40
      await writeFile(target, bytes)
      await restoreRefused(/^(chunk-|index\/)\S+: object objects\/\S+ is damaged or altered \(frame \d+ fails authentication\)$/)
    })

    it('refuses swapped objects', async () => {
      const [a, b] = objects
      await rename(a, `${a}.tmp`)
      await rename(b, a)
      await rename(`${a}.tmp`, b)
      await restoreRefused(/object objects\/\S+ holds object objects\/\S+ \(objects swapped or renamed\)/)
    })

    it('refuses a truncated object', async () => {
      const big = (await Promise.all(objects.map(async (o) => ({o, n: (await readFile(o)).length})))).sort((x, y) => y.n - x.n)[0].o
      const bytes = await readFile(big)
      await writeFile(big, bytes.subarray(0, bytes.length - 100))
      await restoreRefused(/object objects\/\S+ is truncated/)
    })

    it('refuses a tampered manifest, naming the backup', async () => {
      const [name] = (await readdir(join(root, 'backups'))).filter((n) => n.endsWith(`${backupId}.json`))
      const path = join(root, 'backups', name)
      const bytes = await readFile(path)
      bytes[bytes.length - 30] ^= 1
      await writeFile(path, bytes)
      await restoreRefused(new RegExp(`manifest of backup ${backupId} is damaged or altered`))
    })
  })
})
