#!/usr/bin/env node
// Benchmark of `esc node backup/restore` (the built CLI) against `cp -r` followed by `sync` (esc
// flushes what it writes; cp does not) and the documented rsync commands when rsync is installed,
// on a generated database (default 9 chunks of 256 MiB with an index, ≥ 2 GiB). Warm page cache
// (no privilege to drop it); `sync` before every timed run. Runs are interleaved; medians reported.
//   npm run bench:backup
//   BENCH_CHUNKS=4 BENCH_RUNS=3 BENCH_DIFF=0 npm run bench:backup     a quick run (1 GiB, no differential)
//   BENCH_CHUNK_SIZE=256MiB BENCH_NODES=3 BENCH_KEEP=1                 chunk size, nodes restored, keep bench/.data
import {mkdirSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import {loadavg} from 'node:os'
import {dirname, join} from 'node:path'
import {fileURLToPath} from 'node:url'

import {duBytes, ensureBuilt, machine, measureInterleaved, sh, snapshotCli, timed} from './lib/engine-bench.js'

const repo = join(dirname(fileURLToPath(import.meta.url)), '..')
const work = join(repo, 'bench', '.data')
const runs = Number(process.env.BENCH_RUNS ?? 5)
const chunks = Number(process.env.BENCH_CHUNKS ?? 9)
const chunkSize = process.env.BENCH_CHUNK_SIZE ?? '256MiB'
const nodes = Number(process.env.BENCH_NODES ?? 3)
const differential = process.env.BENCH_DIFF !== '0'
const hasRsync = sh('command -v rsync || true') !== ''
const RSYNC = [
  'rsync -aIR data/./index/**/*.chk "$1" || [ $? -eq 23 ]', // no index checkpoints in generated data: "no such file" is rsync exit 23
  'rsync -aI --exclude "*.chk" data/index "$1"',
  'rsync -aI data/*.chk "$1"',
  'rsync -a data/*.0* "$1"',
].join(' && ')
const rsync = (target) => ['bash', '-O', 'globstar', '-c', RSYNC, 'rsync-commands', target]
const bash = (command) => ['bash', '-c', command]

ensureBuilt(repo)
const chunkBytes = Number(sh(`numfmt --from=iec-i ${JSON.stringify(chunkSize.replace(/B$/, ''))}`))
const needed = chunks * chunkBytes * (4 + nodes)
const avail = Number(sh(`df -Pk ${JSON.stringify(repo)} | tail -1 | awk '{print $4}'`)) * 1024
if (avail < needed)
  throw new Error(`need ~${(needed / 2 ** 30).toFixed(1)} GiB free under ${repo}, have ${(avail / 2 ** 30).toFixed(1)} GiB`)
rmSync(work, {recursive: true, force: true})
mkdirSync(work, {recursive: true})
const cli = snapshotCli(repo, join(work, 'cli'))
const esc = [process.execPath, cli]
const info = machine(work)
const at = (p) => join(work, p)
const clean =
  (...paths) =>
  () =>
    paths.forEach((p) => rmSync(at(p), {recursive: true, force: true}))
const optional = (spec) => (hasRsync ? [spec] : [])

process.stderr.write(`generating ${chunks} chunks of ${chunkSize} with an index…\n`)
const gen = timed([...esc, 'node', 'generate', at('data'), '--chunks', String(chunks), '--chunk-size', chunkSize, '--with-index'], {
  cwd: work,
})
const dataBytes = duBytes(at('data'))
const results = []

// Every run starts in the same memory state: earlier outputs removed, and just before it a copy of
// the data made, flushed and removed (untimed). On the VMs this was measured on, memory freed more
// than ~2 s earlier goes back to the host, and a copy through the page cache that must take such
// pages ran ~1.8x slower (cp -r + sync 3.8-4.2 s against 2.2 s, docs/BENCHMARKS.md), whichever
// program made it; a run right after another page-cache writer got warm pages, one after a direct
// I/O writer cold ones. Warm for all is what a machine without that reclaim gives every run.
const warm = () => sh(`cd ${JSON.stringify(work)} && cp -r data .warm && sync && rm -rf .warm`)
const cleanAll = () => (clean('cp', 'bk', 'rs')(), warm())
results.push(
  ...measureInterleaved(
    [
      {name: 'cp -r (full copy)', prepare: cleanAll, run: () => timed(['cp', '-r', 'data', 'cp'], {cwd: work})},
      {
        name: 'cp -r + sync (full copy, flushed like esc)',
        prepare: cleanAll,
        run: () => timed(bash('cp -r data cp && sync'), {cwd: work}),
      },
      ...optional({
        name: 'rsync, the 4 documented commands (full)',
        prepare: () => (cleanAll(), mkdirSync(at('rs'))),
        run: () => timed(rsync('rs'), {cwd: work}),
      }),
      {
        name: 'esc node backup (full, MD5-verified)',
        prepare: cleanAll,
        run: () => timed([...esc, 'node', 'backup', 'bk', '--db', 'data'], {cwd: work}),
      },
      {
        name: 'esc node backup --no-verify (full)',
        prepare: cleanAll,
        run: () => timed([...esc, 'node', 'backup', 'bk', '--db', 'data', '--no-verify'], {cwd: work}),
      },
    ],
    runs,
  ),
)
clean('cp', 'bk', 'rs')()

// Restore from a verified full backup, before the differential appends change the node.
timed([...esc, 'node', 'backup', 'bk-r', '--db', 'data'], {cwd: work})
const restoredDir = JSON.parse(readFileSync(at('bk-r/esc-backup.json'), 'utf8')).dataDir
const names = Array.from({length: nodes}, (_, i) => `r${i + 1}`)
results.push(
  ...measureInterleaved(
    [
      {
        name: 'cp -r + sync of the backup (restore baseline)',
        prepare: () => (clean('r1')(), warm()),
        run: () => timed(bash(`cp -r ${join('bk-r', restoredDir)} r1 && sync`), {cwd: work}),
      },
      {
        name: 'esc node restore (one node, verified while copying)',
        prepare: () => (clean('r1')(), warm()),
        run: () => timed([...esc, 'node', 'restore', 'bk-r', '--db', 'r1'], {cwd: work}),
      },
      {
        name: `cp -r + sync of the backup into ${nodes} nodes (restore baseline)`,
        prepare: () => (clean(...names)(), warm()),
        run: () => timed(bash(`${names.map((n) => `cp -r ${join('bk-r', restoredDir)} ${n}`).join(' && ')} && sync`), {cwd: work}),
      },
      {
        name: `esc node restore (${nodes} nodes, verified while copying)`,
        prepare: () => (clean(...names)(), warm()),
        run: () => timed([...esc, 'node', 'restore', 'bk-r', ...names.flatMap((n) => ['--db', n])], {cwd: work}),
      },
    ],
    runs,
  ),
)
clean('bk-r', ...names)()

let differentialBytesCopied
if (differential) {
  // Differential: baselines taken now, then one more chunk's worth of appends on the node.
  timed([...esc, 'node', 'backup', 'bk-base', '--db', 'data'], {cwd: work})
  if (hasRsync) mkdirSync(at('rs-base'))
  if (hasRsync) timed(rsync('rs-base'), {cwd: work})
  const {WriterSimulator} = await import(join(work, 'cli', 'dist', 'lib', 'engine', 'index.js'))
  const sim = new WriterSimulator({db: at('data'), eventsPerAppend: 1024, eventBytes: 1024, fsync: false})
  while (sim.stats.chunksCompleted < 1) await sim.appendOnce()
  for (let i = 0; i < 16; i++) await sim.appendOnce()
  await sim.stop()
  const fromBase = (base, run) => () => (clean(run)(), sh(`cp -al ${JSON.stringify(at(base))} ${JSON.stringify(at(run))}`))
  results.push(
    ...measureInterleaved(
      [
        ...optional({
          name: 'rsync, the 4 documented commands (after one new chunk)',
          prepare: fromBase('rs-base', 'rs'),
          run: () => timed(rsync('rs'), {cwd: work}),
        }),
        {
          name: 'esc node backup (differential after one new chunk)',
          prepare: fromBase('bk-base', 'bk'),
          run: () => timed([...esc, 'node', 'backup', 'bk', '--db', 'data'], {cwd: work}),
        },
      ],
      runs,
    ),
  )
  differentialBytesCopied = JSON.parse(readFileSync(at('bk/esc-backup.json'), 'utf8')).stats.bytesCopied
  clean('rs', 'rs-base', 'bk-base')()
}

const byName = Object.fromEntries(results.map((r) => [r.name, r]))
const ratio = (a, b) => (byName[a] && byName[b] ? Number((byName[a].seconds / byName[b].seconds).toFixed(2)) : undefined)
const peak = (prefix) => Math.round(Math.max(...results.filter((r) => r.name.startsWith(prefix)).map((r) => r.maxRssKb)) / 1024)
const summary = {
  machine: {...info, loadAverageAtEnd: loadavg().map((x) => Number(x.toFixed(2)))},
  command: `BENCH_CHUNKS=${chunks} BENCH_CHUNK_SIZE=${chunkSize} BENCH_RUNS=${runs} BENCH_NODES=${nodes} BENCH_DIFF=${differential ? 1 : 0} npm run bench:backup`,
  data: {chunks, chunkSize, bytes: dataBytes, generateSeconds: Number(gen.seconds.toFixed(1)), differentialBytesCopied},
  runs,
  results,
  ratios: {
    verifiedVsCpSync: ratio('esc node backup (full, MD5-verified)', 'cp -r + sync (full copy, flushed like esc)'),
    noVerifyVsCpSync: ratio('esc node backup --no-verify (full)', 'cp -r + sync (full copy, flushed like esc)'),
    verifiedVsCp: ratio('esc node backup (full, MD5-verified)', 'cp -r (full copy)'),
    verifiedVsRsync: ratio('esc node backup (full, MD5-verified)', 'rsync, the 4 documented commands (full)'),
    differentialVsRsync: ratio(
      'esc node backup (differential after one new chunk)',
      'rsync, the 4 documented commands (after one new chunk)',
    ),
    restoreVsCpSync: ratio('esc node restore (one node, verified while copying)', 'cp -r + sync of the backup (restore baseline)'),
    restoreNodesVsCpSync: ratio(
      `esc node restore (${nodes} nodes, verified while copying)`,
      `cp -r + sync of the backup into ${nodes} nodes (restore baseline)`,
    ),
  },
  peakRssMiB: {backup: peak('esc node backup'), restore: peak('esc node restore')},
}
const table = [
  '| Run | median (s) | runs (s) | peak RSS (MiB) |',
  '|---|---:|---|---:|',
  ...results.map((r) => `| ${r.name} | ${r.seconds.toFixed(2)} | ${r.samples.join(', ')} | ${(r.maxRssKb / 1024).toFixed(0)} |`),
].join('\n')
writeFileSync(join(work, 'results.json'), JSON.stringify(summary, null, 2))
process.stdout.write(
  `${table}\n\n${JSON.stringify({machine: summary.machine, command: summary.command, data: summary.data, ratios: summary.ratios, peakRssMiB: summary.peakRssMiB}, null, 2)}\n`,
)
if (!process.env.BENCH_KEEP) rmSync(work, {recursive: true, force: true})
