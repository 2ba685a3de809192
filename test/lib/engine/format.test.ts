import {strict as assert} from 'node:assert'
import {createHash} from 'node:crypto'
import {mkdtemp, readFile, rm, stat, writeFile} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

import {
  chunkFileName,
  completedChunkFileSize,
  decodeChunkFooter,
  decodeChunkHeader,
  encodeChunkFooter,
  encodeChunkHeader,
  footerProblem,
  parseChunkName,
  preallocatedChunkFileSize,
} from '../../../src/lib/engine/chunk-format.js'
import {decodeCheckpoint, readCheckpoint, writeCheckpoint} from '../../../src/lib/engine/checkpoint.js'
import {FormatError} from '../../../src/lib/engine/format-error.js'
import {parseIndexMap, serializeIndexMap} from '../../../src/lib/engine/indexmap.js'
import {checkTrailerMd5, md5OfFile} from '../../../src/lib/engine/md5.js'
import {encodePTable, ptableFileSize, verifyPTable} from '../../../src/lib/engine/ptable.js'
import {
  dotnetTicks,
  encodeEpochSystemRecord,
  encodePrepareV1,
  frameRecord,
  guidToBytes,
  readFramedRecord,
} from '../../../src/lib/engine/records.js'
import {murmur3a, xxhash32} from '../../../src/lib/engine/stream-hash.js'
import {exitCodeOf} from '../../../src/lib/cli/error-exit.js'

const throwsFormat = (fn: () => unknown, file: string, reason: RegExp) =>
  assert.throws(fn, (e: unknown) => e instanceof FormatError && e.file === file && reason.test(e.reason) && exitCodeOf(e) === 5)

describe('kurrentdb format', () => {
  let dir: string
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'esc-fmt-'))
  })
  afterEach(() => rm(dir, {recursive: true, force: true}))

  describe('chunk names', () => {
    it('parses start number and version and formats them back', () => {
      assert.deepEqual(parseChunkName('chunk-000123.000002'), {start: 123, version: 2})
      assert.equal(chunkFileName(123, 2), 'chunk-000123.000002')
      for (const bad of ['chunk-1.0', 'chunk-000001.000000.old', 'chk-000001.000000', 'chunk-000001.000000.tmp'])
        assert.equal(parseChunkName(bad), undefined, bad)
    })
    it('computes pre-allocated and completed sizes like the server', () => {
      assert.equal(preallocatedChunkFileSize(268435456), 268439552)
      assert.equal(preallocatedChunkFileSize(10000), 12288)
      assert.equal(completedChunkFileSize(1000), 4096)
      assert.equal(completedChunkFileSize(4096 - 256), 4096)
      assert.equal(completedChunkFileSize(4096 - 255), 8192)
    })
  })

  describe('chunk header', () => {
    it('writes the documented byte layout and reads it back', () => {
      const id = guidToBytes('00112233-4455-6677-8899-aabbccddeeff')
      const buf = encodeChunkHeader({chunkSize: 1048576, startNumber: 3, endNumber: 5, isScavenged: true, chunkId: id})
      assert.equal(buf.length, 128)
      assert.equal(buf[0], 2)
      assert.equal(buf[1], 3)
      assert.equal(buf.readInt32LE(2), 1048576)
      assert.equal(buf.readInt32LE(6), 3)
      assert.equal(buf.readInt32LE(10), 5)
      assert.equal(buf.readInt32LE(14), 1)
      assert.equal(buf.subarray(18, 34).toString('hex'), '33221100554477668899aabbccddeeff', '.NET GUID byte order')
      assert.equal(buf[34], 4)
      const h = decodeChunkHeader(buf)
      assert.deepEqual([h.chunkSize, h.startNumber, h.endNumber, h.isScavenged, h.version, h.transformType], [1048576, 3, 5, true, 4, 0])
    })
    it('refuses short, non-chunk and inconsistent headers with the file named', () => {
      throwsFormat(
        () => decodeChunkHeader(Buffer.alloc(40), 'chunk-000000.000000'),
        'chunk-000000.000000',
        /too short for a chunk header \(40 of 128 bytes\)/,
      )
      const ptable = encodeChunkHeader({chunkSize: 1, startNumber: 0, fileType: 1})
      throwsFormat(() => decodeChunkHeader(ptable, 'x'), 'x', /not a chunk file \(header file type 1, expected 2\)/)
      throwsFormat(() => decodeChunkHeader(encodeChunkHeader({chunkSize: 0, startNumber: 0}), 'x'), 'x', /bad chunk size 0/)
      throwsFormat(
        () => decodeChunkHeader(encodeChunkHeader({chunkSize: 10, startNumber: 4, endNumber: 2}), 'x'),
        'x',
        /bad chunk range 4-2/,
      )
    })
  })

  describe('chunk footer', () => {
    it('round-trips flags, sizes and MD5', () => {
      const md5 = Buffer.alloc(16, 7)
      const f = decodeChunkFooter(encodeChunkFooter({physicalDataSize: 1000, logicalDataSize: 1200, mapSize: 24, md5}))
      assert.deepEqual([f.isCompleted, f.isMap12Bytes, f.physicalDataSize, f.logicalDataSize, f.mapSize], [true, true, 1000, 1200, 24])
      assert.ok(f.md5.equals(md5))
    })
    it('reports inconsistent footers', () => {
      assert.equal(footerProblem(decodeChunkFooter(Buffer.alloc(128)), 4096), 'footer is not marked completed')
      assert.match(
        footerProblem(decodeChunkFooter(encodeChunkFooter({physicalDataSize: 10, mapSize: 13})), 4096)!,
        /posmap size 13 is not a multiple of 12/,
      )
      assert.match(
        footerProblem(decodeChunkFooter(encodeChunkFooter({physicalDataSize: 100, logicalDataSize: 50})), 4096)!,
        /logical data size 50 is below physical 100/,
      )
      assert.match(
        footerProblem(decodeChunkFooter(encodeChunkFooter({physicalDataSize: 5000})), 4096)!,
        /file is 4096 bytes, footer needs at least 5256/,
      )
      assert.equal(footerProblem(decodeChunkFooter(encodeChunkFooter({physicalDataSize: 100})), 4096), undefined)
      throwsFormat(() => decodeChunkFooter(Buffer.alloc(5), 'c'), 'c', /too short for a chunk footer/)
    })
  })

  describe('records', () => {
    it('frames a body with equal length prefix and suffix', () => {
      const framed = frameRecord(Buffer.from('0123456789ab'))
      assert.equal(framed.readInt32LE(0), 12)
      assert.equal(framed.readInt32LE(16), 12)
    })
    it('writes a V1 prepare field by field', () => {
      const eventId = Buffer.alloc(16, 0xab)
      const body = encodePrepareV1({
        logPosition: 4096,
        expectedVersion: 6,
        streamId: 'orders',
        eventId,
        timestampTicks: 5n,
        eventType: 'Placed',
        data: Buffer.from('{"a":1}'),
        metadata: Buffer.from('{}'),
      })
      assert.deepEqual([body[0], body[1]], [0, 1])
      assert.equal(body.readBigInt64LE(2), 4096n)
      assert.equal(body.readUInt16LE(10), 0x127, 'Data|TransactionBegin|TransactionEnd|IsCommitted|IsJson')
      assert.equal(body.readBigInt64LE(12), 4096n, 'transaction position = log position')
      assert.equal(body.readInt32LE(20), 0)
      assert.equal(body.readBigInt64LE(24), 6n)
      assert.equal(body[32], 6)
      assert.equal(body.subarray(33, 39).toString(), 'orders')
      assert.ok(body.subarray(39, 55).equals(eventId))
      assert.equal(body.readBigInt64LE(71), 5n)
      assert.equal(body[79], 6)
      assert.equal(body.subarray(80, 86).toString(), 'Placed')
      assert.equal(body.readInt32LE(86), 7)
      assert.equal(body.subarray(90, 97).toString(), '{"a":1}')
      assert.equal(body.readInt32LE(97), 2)
      assert.equal(body.length, 103)
    })
    it('writes an epoch system record with a JSON payload', () => {
      const body = encodeEpochSystemRecord({
        logPosition: 0,
        timestampMs: 0,
        epochNumber: 2,
        epochId: '00000000-0000-0000-0000-000000000001',
        prevEpochPosition: -1,
        leaderInstanceId: '00000000-0000-0000-0000-000000000002',
      })
      assert.deepEqual([body[0], body[1], body[18], body[19]], [2, 0, 1, 2])
      assert.equal(body.readBigInt64LE(10), dotnetTicks(0))
      assert.equal(dotnetTicks(0), 621355968000000000n)
      const json = JSON.parse(body.subarray(32, 32 + body.readInt32LE(28)).toString())
      assert.equal(json.EpochNumber, 2)
      assert.equal(json.PrevEpochPosition, -1)
    })
    it('reads framed records and refuses bad framing', () => {
      const body = encodePrepareV1({
        logPosition: 77,
        expectedVersion: -1,
        streamId: 's',
        eventId: Buffer.alloc(16),
        timestampTicks: 0n,
        eventType: 't',
        data: Buffer.alloc(0),
      })
      const framed = frameRecord(body)
      const r = readFramedRecord(framed, 0)
      assert.deepEqual([r.length, r.type, r.version, r.logPosition, r.next], [body.length, 0, 1, 77, framed.length])
      const badSuffix = Buffer.from(framed)
      badSuffix.writeInt32LE(body.length + 1, framed.length - 4)
      throwsFormat(() => readFramedRecord(badSuffix, 0, 'c'), 'c', /prefix\/suffix length inconsistency at offset 0/)
      throwsFormat(() => readFramedRecord(framed.subarray(0, 20), 0, 'c'), 'c', /cut short/)
      throwsFormat(() => readFramedRecord(Buffer.alloc(16), 0, 'c'), 'c', /bad record length 0 at offset 0/)
    })
  })

  describe('checkpoints', () => {
    it('writes exactly 8 little-endian bytes and reads them back', async () => {
      const path = join(dir, 'writer.chk')
      await writeCheckpoint(path, 0x0102030405)
      assert.equal((await readFile(path)).toString('hex'), '0504030201000000')
      await writeCheckpoint(path, -1, {atomic: true})
      assert.equal(await readCheckpoint(path), -1)
      assert.equal((await stat(path)).size, 8)
    })
    it('overwrites a longer file in place down to 8 bytes', async () => {
      const path = join(dir, 'chaser.chk')
      await writeFile(path, Buffer.alloc(20, 1))
      await writeCheckpoint(path, 5)
      assert.equal((await stat(path)).size, 8)
    })
    it('refuses a 0-byte or short checkpoint, saying why it matters', async () => {
      await writeFile(join(dir, 'truncate.chk'), '')
      await assert.rejects(
        readCheckpoint(join(dir, 'truncate.chk')),
        (e: FormatError) =>
          e.file === 'truncate.chk' && /exactly 8 bytes, found 0 \(an empty checkpoint reads as 0 on the server\)/.test(e.reason),
      )
      throwsFormat(() => decodeCheckpoint(Buffer.alloc(4), 'epoch.chk'), 'epoch.chk', /exactly 8 bytes, found 4$/)
    })
  })

  describe('indexmap', () => {
    const map = {
      version: 2,
      prepareCheckpoint: 100,
      commitCheckpoint: 90,
      maxAutoMergeLevel: 2147483647,
      tables: [
        {level: 0, position: 0, file: '5a1a8395-94ee-40c1-bf93-aa757b5887f8'},
        {level: 1, position: 0, file: '6b1a8395-94ee-40c1-bf93-aa757b5887f8'},
      ],
    }
    it('writes MD5 of everything after the hash, uppercase, then the documented lines', () => {
      const buf = serializeIndexMap(map)
      const text = buf.toString()
      assert.equal(
        text.split('\n').slice(1).join('\n'),
        '2\n100/90\n2147483647\n0,0,5a1a8395-94ee-40c1-bf93-aa757b5887f8\n1,0,6b1a8395-94ee-40c1-bf93-aa757b5887f8\n',
      )
      assert.equal(text.slice(0, 32), createHash('md5').update(buf.subarray(32)).digest('hex').toUpperCase())
      assert.deepEqual(parseIndexMap(buf), map)
    })
    it('accepts CRLF line ends (written on Windows)', () => {
      assert.deepEqual(parseIndexMap(serializeIndexMap(map, '\r\n')).tables, map.tables)
    })
    it('refuses a bad hash, lowercase hash, bad lines and gaps in a level', () => {
      const buf = serializeIndexMap(map)
      const tampered = Buffer.from(buf.toString().replace('100/90', '100/91'))
      throwsFormat(() => parseIndexMap(tampered), 'indexmap', /MD5 mismatch/)
      throwsFormat(() => parseIndexMap(Buffer.from(buf.toString().toLowerCase())), 'indexmap', /not an uppercase MD5/)
      throwsFormat(() => parseIndexMap(Buffer.from('ABC')), 'indexmap', /too short/)
      throwsFormat(
        () => parseIndexMap(serializeIndexMap({...map, tables: [{level: 0, position: 1, file: 'a'}]})),
        'indexmap',
        /level 0 is missing contiguous positions/,
      )
      throwsFormat(
        () => parseIndexMap(serializeIndexMap({...map, prepareCheckpoint: -1, commitCheckpoint: -1})),
        'indexmap',
        /negative checkpoints with PTables/,
      )
    })
  })

  describe('PTables', () => {
    const entries = [1n, 2n, 3n].map((v) => ({version: v, streamHash: 0xabcdn * v, position: 100n * v}))
    it('writes header, descending entries, midpoints, footer and MD5 with the size formula', async () => {
      const buf = encodePTable(entries)
      assert.equal(buf.length, ptableFileSize(3, 2))
      assert.deepEqual([buf[0], buf[1]], [1, 4])
      assert.equal(buf.readBigUInt64LE(128 + 8), 0xabcdn * 3n, 'highest stream hash first')
      const path = join(dir, '5a1a8395-94ee-40c1-bf93-aa757b5887f8')
      await writeFile(path, buf)
      assert.deepEqual(await verifyPTable(path), {version: 4, entries: 3, midpoints: 2, size: buf.length})
      assert.ok((await checkTrailerMd5(path)).ok)
    })
    it('refuses a half-written PTable and a bad MD5 naming the file', async () => {
      const buf = encodePTable(entries)
      const path = join(dir, '5a1a8395-94ee-40c1-bf93-aa757b5887f8')
      await writeFile(path, buf.subarray(0, 200))
      await assert.rejects(
        verifyPTable(path),
        (e: FormatError) =>
          e.file === '5a1a8395-94ee-40c1-bf93-aa757b5887f8' && /PTable too short|does not fit|footer does not match/.test(e.reason),
      )
      const bad = Buffer.from(buf)
      bad[130] ^= 1
      await writeFile(path, bad)
      await assert.rejects(verifyPTable(path), (e: FormatError) => /PTable MD5 mismatch/.test(e.reason))
    })
  })

  describe('MD5', () => {
    it('streams MD5 over a prefix and checks a trailing hash', async () => {
      const path = join(dir, 'f')
      const body = Buffer.alloc(3 * 1024 * 1024 + 5, 9)
      await writeFile(path, Buffer.concat([body, createHash('md5').update(body).digest()]))
      assert.ok((await md5OfFile(path, body.length)).equals(createHash('md5').update(body).digest()))
      assert.equal((await checkTrailerMd5(path)).ok, true)
      await writeFile(path, Buffer.from('short'))
      assert.equal((await checkTrailerMd5(path)).ok, false)
    })
  })

  describe('stream hash', () => {
    it('matches published XXH32 and Murmur3 x86_32 vectors', () => {
      assert.equal(xxhash32(Buffer.alloc(0), 0), 0x02cc5d05)
      assert.equal(xxhash32(Buffer.from('abc'), 0), 0x32d153ff)
      assert.equal(xxhash32(Buffer.from('Nobody inspects the spammish repetition'), 0), 0xe2293b2f)
      assert.equal(murmur3a(Buffer.alloc(0), 0), 0)
      assert.equal(murmur3a(Buffer.from('hello'), 0), 0x248bfa47)
      assert.equal(murmur3a(Buffer.from('The quick brown fox jumps over the lazy dog'), 0), 0x2e4ff723)
    })
  })
})
