#!/usr/bin/env node
// Benchmark of `esc node backup|restore s3://…` (the built CLI) against s3rver on 127.0.0.1, with a
// counting proxy in front of it (bench/lib/s3rver-proxy.cjs). Baselines (bench/s3-plain.js): the same
// files uploaded with the same SDK, part size and parallelism by a plain script, and a plain parallel
// download (then fsync, as esc does). `--compress none`, so that objects are the files' bytes.
// Runs are interleaved; medians reported. The differential is run once (it changes the repository):
// its bytes moved (request bodies through the proxy, manifest and locks included) against the bytes of
// the files whose content changed (what any differential must move).
//   npm run bench:s3                                      3 chunks of 64 MiB, 3 runs (about a minute)
//   BENCH_CHUNKS=4 BENCH_CHUNK_SIZE=256MiB npm run bench:s3   1 GiB
//   BENCH_RUNS=5 BENCH_KEEP=1                             runs; keep bench/.data-s3
import {spawn} from 'node:child_process'
import {createHash} from 'node:crypto'
import {mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync} from 'node:fs'
import {loadavg} from 'node:os'
import {dirname, join, relative} from 'node:path'
import {createInterface} from 'node:readline'
import {fileURLToPath} from 'node:url'

import {duBytes, ensureBuilt, machine, measureInterleaved, snapshotCli, timed} from './lib/engine-bench.js'

const repo = join(dirname(fileURLToPath(import.meta.url)), '..')
const work = join(repo, 'bench', '.data-s3')
const runs = Number(process.env.BENCH_RUNS ?? 3)
const chunks = Number(process.env.BENCH_CHUNKS ?? 3)
const chunkSize = process.env.BENCH_CHUNK_SIZE ?? '64MiB'
const concurrency = 3 // esc node backup's --concurrency default: files in flight, for both
const downloads = 4 // objects esc downloads at once in a restore

ensureBuilt(repo)
rmSync(work, {recursive: true, force: true})
mkdirSync(join(work, 's3'), {recursive: true})
const cli = snapshotCli(repo, join(work, 'cli'))
const esc = [process.execPath, cli]
const plain = [process.execPath, join(repo, 'bench', 's3-plain.js')]
const info = machine(work)
const at = (p) => join(work, p)
const clean =
  (...paths) =>
  () =>
    paths.forEach((p) => rmSync(at(p), {recursive: true, force: true}))

const server = spawn(process.execPath, [join(repo, 'bench', 'lib', 's3rver-proxy.cjs'), at('s3'), 'bench'], {
  stdio: ['ignore', 'pipe', 'inherit'],
  env: {...process.env, NODE_OPTIONS: ''},
})
const {port} = JSON.parse(await new Promise((resolve) => createInterface({input: server.stdout}).once('line', resolve)))
const endpoint = `http://127.0.0.1:${port}`
const env = {AWS_ACCESS_KEY_ID: 'S3RVER', AWS_SECRET_ACCESS_KEY: 'S3RVER', AWS_REGION: 'us-east-1', AWS_ENDPOINT_URL_S3: endpoint}
const counted = async () => (await fetch(`${endpoint}/__bytes`)).json()
// s3rver keeps a bucket's objects under <directory>/<bucket>/<key…>: a prefix is a directory.
const dropPrefix = (prefix) => () => rmSync(at(`s3/bench/${prefix}`), {recursive: true, force: true})

try {
  process.stderr.write(`generating ${chunks} chunks of ${chunkSize} with an index…\n`)
  timed([...esc, 'node', 'generate', at('data'), '--chunks', String(chunks), '--chunk-size', chunkSize, '--with-index'], {cwd: work})
  const dataBytes = duBytes(at('data'))
  const results = []
  results.push(
    ...measureInterleaved(
      [
        {
          name: `plain upload, same SDK (${concurrency} files at once, 5 MiB parts × 2)`,
          prepare: dropPrefix('plain'),
          run: () => timed([...plain, 'upload', 'data', 's3://bench/plain', String(concurrency)], {cwd: work, env}),
        },
        {
          name: 'esc node backup s3:// --compress none (full)',
          prepare: dropPrefix('esc'),
          run: () => timed([...esc, 'node', 'backup', 's3://bench/esc', '--db', 'data', '--compress', 'none'], {cwd: work, env}),
        },
      ],
      runs,
    ),
  )
  results.push(
    ...measureInterleaved(
      [
        {
          name: `plain parallel download + fsync (${downloads} at once)`,
          prepare: clean('dl'),
          run: () => timed([...plain, 'download', 's3://bench/plain', 'dl', String(downloads)], {cwd: work, env}),
        },
        {
          name: 'esc node restore s3:// (verified)',
          prepare: clean('r1'),
          run: () => timed([...esc, 'node', 'restore', 's3://bench/esc', '--db', 'r1'], {cwd: work, env}),
        },
      ],
      runs,
    ),
  )
  clean('dl', 'r1')()

  // Differential: one more completed chunk on the node, then one backup into the same repository.
  const before = hashTree(at('data'))
  const {WriterSimulator} = await import(join(work, 'cli', 'dist', 'lib', 'engine', 'index.js'))
  const sim = new WriterSimulator({db: at('data'), eventsPerAppend: 1024, eventBytes: 1024, fsync: false})
  while (sim.stats.chunksCompleted < 1) await sim.appendOnce()
  await sim.stop()
  const after = hashTree(at('data'))
  const changed = [...after].filter(([path, f]) => before.get(path)?.sha256 !== f.sha256 && path !== 'truncate.chk')
  const newBytes = changed.reduce((s, [, f]) => s + f.size, 0)
  await counted()
  const diffRun = timed([...esc, 'node', 'backup', 's3://bench/esc', '--db', 'data', '--compress', 'none'], {cwd: work, env})
  const moved = await counted()
  results.push({
    name: 'esc node backup s3:// (differential after one new chunk)',
    seconds: diffRun.seconds,
    maxRssKb: diffRun.maxRssKb,
    samples: [Number(diffRun.seconds.toFixed(3))],
  })

  const byName = Object.fromEntries(results.map((r) => [r.name, r]))
  const ratio = (a, b) => Number((byName[a].seconds / byName[b].seconds).toFixed(2))
  const summary = {
    machine: {...info, loadAverageAtEnd: loadavg().map((x) => Number(x.toFixed(2)))},
    command: `BENCH_CHUNKS=${chunks} BENCH_CHUNK_SIZE=${chunkSize} BENCH_RUNS=${runs} npm run bench:s3`,
    data: {chunks, chunkSize, bytes: dataBytes},
    runs,
    results,
    differential: {
      changedFiles: changed.map(([p]) => p),
      newBytes,
      bytesUp: moved.up,
      bytesDown: moved.down,
      requests: moved.requests,
      movedVsNew: Number((moved.up / newBytes).toFixed(4)),
    },
    ratios: {
      fullVsPlainUpload: ratio(
        'esc node backup s3:// --compress none (full)',
        `plain upload, same SDK (${concurrency} files at once, 5 MiB parts × 2)`,
      ),
      restoreVsPlainDownload: ratio('esc node restore s3:// (verified)', `plain parallel download + fsync (${downloads} at once)`),
    },
    peakRssMiB: {
      backup: Math.round(Math.max(byName['esc node backup s3:// --compress none (full)'].maxRssKb, diffRun.maxRssKb) / 1024),
      restore: Math.round(byName['esc node restore s3:// (verified)'].maxRssKb / 1024),
    },
  }
  const table = [
    '| Run | median (s) | runs (s) | peak RSS (MiB) |',
    '|---|---:|---|---:|',
    ...results.map((r) => `| ${r.name} | ${r.seconds.toFixed(2)} | ${r.samples.join(', ')} | ${(r.maxRssKb / 1024).toFixed(0)} |`),
  ].join('\n')
  writeFileSync(join(work, 'results.json'), JSON.stringify(summary, null, 2))
  const {results: _r, ...rest} = summary
  process.stdout.write(`${table}\n\n${JSON.stringify(rest, null, 2)}\n`)
} finally {
  server.kill('SIGTERM')
  if (!process.env.BENCH_KEEP) rmSync(work, {recursive: true, force: true})
}

/** SHA-256 and size of every file under `root`, by relative path. */
function hashTree(root, dir = root, out = new Map()) {
  for (const e of readdirSync(dir, {withFileTypes: true})) {
    const p = join(dir, e.name)
    if (e.isDirectory()) hashTree(root, p, out)
    else if (e.isFile()) {
      const bytes = readFileSync(p)
      out.set(relative(root, p), {size: bytes.length, sha256: createHash('sha256').update(bytes).digest('hex')})
    }
  }
  return out
}
