#!/usr/bin/env node
// What compression saves and costs on generated KurrentDB data with JSON events (`esc node
// generate`), through the repository's object encoder (bench: dist/, so `npm run build` first).
// For each algorithm, with and without encryption: stored bytes, encode and decode time of every
// file one after the other (one core) and CPU time. Two data sets: the generator's default events
// (1 KiB, padded with a repeated character, so optimistic) and small 256-byte events.
//   node bench/compress.js          BENCH_CHUNK_MIB=64 BENCH_CHUNKS=3 BENCH_RUNS=3
import {mkdirSync, readFileSync, readdirSync, rmSync, statSync, createReadStream} from 'node:fs'
import {loadavg, cpus, totalmem} from 'node:os'
import {dirname, join} from 'node:path'
import {Writable} from 'node:stream'
import {pipeline} from 'node:stream/promises'
import {fileURLToPath} from 'node:url'
import {performance} from 'node:perf_hooks'

import {ensureBuilt, median, snapshotCli, timed} from './lib/engine-bench.js'

const repo = join(dirname(fileURLToPath(import.meta.url)), '..')
const work = join(repo, 'bench', '.data', 'compress')
const chunkMiB = Number(process.env.BENCH_CHUNK_MIB ?? 64)
const chunks = Number(process.env.BENCH_CHUNKS ?? 3)
const runs = Number(process.env.BENCH_RUNS ?? 3)

ensureBuilt(repo)
const {encodeObject, decodeObject} = await import(join(repo, 'dist/lib/engine/repository/object-frames.js'))
const {createRepositoryKey, openRepositoryKey} = await import(join(repo, 'dist/lib/engine/repository/crypto-keys.js'))
const {COMPRESSIONS} = await import(join(repo, 'dist/lib/engine/repository/compress.js'))

rmSync(work, {recursive: true, force: true})
mkdirSync(work, {recursive: true})
const cli = snapshotCli(repo, join(work, 'cli'))
const sets = [
  {name: `default events (1 KiB)`, dir: join(work, 'db-1k'), extra: []},
  {name: `small events (256 B)`, dir: join(work, 'db-256'), extra: ['--events-per-chunk', String((chunkMiB * 2 ** 20) / 256)]},
]
for (const s of sets) {
  const args = ['node', 'generate', s.dir, '--chunks', String(chunks), '--chunk-size', `${chunkMiB}MiB`, '--with-index', ...s.extra]
  timed([process.execPath, cli, ...args], {cwd: work})
}

const filesOf = (dir) =>
  readdirSync(dir, {recursive: true, withFileTypes: true})
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath, e.name))

/** Encodes (and then decodes) every file; returns stored bytes and times. */
async function run(files, compression, key) {
  let stored = 0
  const encoded = []
  const cpu0 = process.cpuUsage()
  const t0 = performance.now()
  for (const f of files) {
    const parts = []
    await pipeline(
      createReadStream(f, {highWaterMark: 1 << 20}),
      encodeObject('o', {key, compression}),
      new Writable({
        write(c, _e, cb) {
          stored += c.length
          parts.push(c)
          cb()
        },
      }),
    )
    encoded.push(Buffer.concat(parts))
  }
  const encodeMs = performance.now() - t0
  const cpu = process.cpuUsage(cpu0)
  const t1 = performance.now()
  for (const e of encoded) {
    await pipeline(
      async function* () {
        for (let i = 0; i < e.length; i += 1 << 20) yield e.subarray(i, i + (1 << 20))
      },
      decodeObject('o', {key}),
      new Writable({write: (_c, _e, cb) => cb()}),
    )
  }
  const decodeMs = performance.now() - t1
  return {stored, encodeMs, decodeMs, cpuMs: (cpu.user + cpu.system) / 1000}
}

const key = await openRepositoryKey(await createRepositoryKey('bench', 'r'), 'bench', 'r')
const rows = []
for (const s of sets) {
  const files = filesOf(s.dir)
  const bytes = files.reduce((n, f) => n + statSync(f).size, 0)
  for (const encrypted of [false, true]) {
    for (const compression of COMPRESSIONS) {
      const results = []
      for (let i = 0; i < runs; i++) results.push(await run(files, compression, encrypted ? key : undefined))
      const r = {
        stored: results[0].stored,
        encodeMs: median(results.map((x) => x.encodeMs)),
        decodeMs: median(results.map((x) => x.decodeMs)),
      }
      rows.push({
        data: s.name,
        compression,
        encrypted,
        ratio: bytes / r.stored,
        savedPct: (1 - r.stored / bytes) * 100,
        encodeMiBs: bytes / 2 ** 20 / (r.encodeMs / 1000),
        decodeMiBs: bytes / 2 ** 20 / (r.decodeMs / 1000),
        bytes,
      })
      process.stderr.write('.')
    }
  }
}
process.stderr.write('\n')
const f1 = (x) => x.toFixed(1)
console.log(
  `machine: ${cpus().length} × ${cpus()[0]?.model}, ${(totalmem() / 2 ** 30).toFixed(1)} GiB, node ${process.version}, load ${loadavg()
    .map((x) => x.toFixed(1))
    .join(' ')}`,
)
console.log(`data: ${chunks} chunks of ${chunkMiB} MiB (one ongoing, preallocated) with an index; medians of ${runs} runs; one core\n`)
console.log('| data | compression | encrypted | stored / original | saved | encode MiB/s | decode MiB/s |')
console.log('|---|---|---|---|---|---|---|')
for (const r of rows)
  console.log(
    `| ${r.data} | ${r.compression} | ${r.encrypted ? 'yes' : 'no'} | 1 / ${f1(r.ratio)} | ${f1(r.savedPct)} % | ${f1(r.encodeMiBs)} | ${f1(r.decodeMiBs)} |`,
  )

// Why the levels compress.ts uses: a sweep on the first 8 MiB of the first chunk, 1 MiB blocks.
const zlib = await import('node:zlib')
const sample = readFileSync(join(sets[0].dir, 'chunk-000000.000000')).subarray(0, 8 * 2 ** 20)
const sweep = [
  ['gzip level 1', (b) => zlib.gzipSync(b, {level: 1})],
  ['gzip level 6 (zlib default)', (b) => zlib.gzipSync(b, {level: 6})],
  ['gzip level 9', (b) => zlib.gzipSync(b, {level: 9})],
  ['brotli quality 4', (b) => zlib.brotliCompressSync(b, {params: {[zlib.constants.BROTLI_PARAM_QUALITY]: 4}})],
  ['brotli quality 11 (default)', (b) => zlib.brotliCompressSync(b, {params: {[zlib.constants.BROTLI_PARAM_QUALITY]: 11}})],
]
console.log('\n| level (8 MiB of default events) | stored / original | compress MiB/s |')
console.log('|---|---|---|')
for (const [name, fn] of sweep) {
  const t = performance.now()
  let out = 0
  for (let i = 0; i < sample.length; i += 2 ** 20) out += fn(sample.subarray(i, i + 2 ** 20)).length
  console.log(`| ${name} | 1 / ${f1(sample.length / out)} | ${f1(8 / ((performance.now() - t) / 1000))} |`)
}
if (!process.env.BENCH_KEEP) rmSync(work, {recursive: true, force: true})
