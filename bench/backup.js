#!/usr/bin/env node
// Benchmark of `esc node backup/restore` (the built CLI) against cp -r and the documented rsync
// commands, on a generated database of ≥ 2 GiB in 256 MiB chunks. Warm page cache (no privilege
// to drop it); `sync` before every timed run. Medians of BENCH_RUNS runs (default 5).
//   npm run bench:backup            BENCH_CHUNKS=9 BENCH_RUNS=5 BENCH_KEEP=1 to keep bench/.data
import {mkdirSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import {loadavg} from 'node:os'
import {dirname, join} from 'node:path'
import {fileURLToPath} from 'node:url'

import {duBytes, ensureBuilt, machine, measureInterleaved, sh, snapshotCli, timed} from './lib/engine-bench.js'

const repo = join(dirname(fileURLToPath(import.meta.url)), '..')
const work = join(repo, 'bench', '.data')
const runs = Number(process.env.BENCH_RUNS ?? 5)
const chunks = Number(process.env.BENCH_CHUNKS ?? 9)
const RSYNC = [
  'rsync -aIR data/./index/**/*.chk "$1" || [ $? -eq 23 ]', // no index checkpoints in generated data: "no such file" is rsync exit 23
  'rsync -aI --exclude "*.chk" data/index "$1"',
  'rsync -aI data/*.chk "$1"',
  'rsync -a data/*.0* "$1"',
].join(' && ')
const rsync = (target) => ['bash', '-O', 'globstar', '-c', RSYNC, 'rsync-commands', target]

ensureBuilt(repo)
const avail = Number(sh(`df -Pk ${JSON.stringify(repo)} | tail -1 | awk '{print $4}'`)) * 1024
if (avail < 9 * 2 ** 30) throw new Error(`need ~9 GiB free under ${repo}, have ${(avail / 2 ** 30).toFixed(1)} GiB`)
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

process.stderr.write(`generating ${chunks} chunks of 256 MiB with an index…\n`)
const gen = timed([...esc, 'node', 'generate', at('data'), '--chunks', String(chunks), '--chunk-size', '256MiB', '--with-index'], {
  cwd: work,
})
const dataBytes = duBytes(at('data'))
const results = []

results.push(
  ...measureInterleaved(
    [
      {name: 'cp -r (full copy)', prepare: clean('cp'), run: () => timed(['cp', '-r', 'data', 'cp'], {cwd: work})},
      {
        name: 'cp -r + sync (full copy, flushed like esc)',
        prepare: clean('cp'),
        run: () => timed(['bash', '-c', 'cp -r data cp && sync'], {cwd: work}),
      },
      {
        name: 'rsync, the 4 documented commands (full)',
        prepare: () => (clean('rs')(), mkdirSync(at('rs'))),
        run: () => timed(rsync('rs'), {cwd: work}),
      },
      {
        name: 'esc node backup (full, MD5-verified)',
        prepare: clean('bk'),
        run: () => timed([...esc, 'node', 'backup', 'bk', '--db', 'data'], {cwd: work}),
      },
      {
        name: 'esc node backup --no-verify (full)',
        prepare: clean('bk'),
        run: () => timed([...esc, 'node', 'backup', 'bk', '--db', 'data', '--no-verify'], {cwd: work}),
      },
    ],
    runs,
  ),
)
clean('cp')()

// Differential: baselines taken now, then one more chunk's worth of appends on the node.
clean('bk', 'rs')()
timed([...esc, 'node', 'backup', 'bk-base', '--db', 'data'], {cwd: work})
mkdirSync(at('rs-base'))
timed(rsync('rs-base'), {cwd: work})
const {WriterSimulator} = await import(join(work, 'cli', 'dist', 'lib', 'kurrentdb', 'index.js'))
const sim = new WriterSimulator({db: at('data'), eventsPerAppend: 1024, eventBytes: 1024, fsync: false})
while (sim.stats.chunksCompleted < 1) await sim.appendOnce()
for (let i = 0; i < 16; i++) await sim.appendOnce()
await sim.stop()
const fromBase = (base, run) => () => (clean(run)(), sh(`cp -al ${JSON.stringify(at(base))} ${JSON.stringify(at(run))}`))
results.push(
  ...measureInterleaved(
    [
      {
        name: 'rsync, the 4 documented commands (after one new chunk)',
        prepare: fromBase('rs-base', 'rs'),
        run: () => timed(rsync('rs'), {cwd: work}),
      },
      {
        name: 'esc node backup (differential after one new chunk)',
        prepare: fromBase('bk-base', 'bk'),
        run: () => timed([...esc, 'node', 'backup', 'bk', '--db', 'data'], {cwd: work}),
      },
    ],
    runs,
  ),
)
clean('rs', 'rs-base')()
const manifest = JSON.parse(readFileSync(at('bk/esc-backup.json'), 'utf8'))
results.push(
  ...measureInterleaved(
    [
      {
        name: 'cp -r of the backup (restore baseline)',
        prepare: clean('restored'),
        run: () => timed(['cp', '-r', join('bk', manifest.dataDir), 'restored'], {cwd: work}),
      },
      {
        name: 'esc node restore (verifies every hash first)',
        prepare: clean('restored'),
        run: () => timed([...esc, 'node', 'restore', 'bk', '--db', 'restored'], {cwd: work}),
      },
    ],
    runs,
  ),
)

const byName = Object.fromEntries(results.map((r) => [r.name, r]))
const ratio = (a, b) => Number((byName[a].seconds / byName[b].seconds).toFixed(2))
const summary = {
  machine: {...info, loadAverageAtEnd: loadavg().map((x) => Number(x.toFixed(2)))},
  data: {
    chunks,
    chunkSize: '256 MiB',
    bytes: dataBytes,
    generateSeconds: Number(gen.seconds.toFixed(1)),
    differentialBytesCopied: manifest.stats.bytesCopied,
  },
  runs,
  results,
  ratios: {
    verifiedVsCp: ratio('esc node backup (full, MD5-verified)', 'cp -r (full copy)'),
    verifiedVsRsync: ratio('esc node backup (full, MD5-verified)', 'rsync, the 4 documented commands (full)'),
    noVerifyVsCp: ratio('esc node backup --no-verify (full)', 'cp -r (full copy)'),
    verifiedVsCpSync: ratio('esc node backup (full, MD5-verified)', 'cp -r + sync (full copy, flushed like esc)'),
    noVerifyVsCpSync: ratio('esc node backup --no-verify (full)', 'cp -r + sync (full copy, flushed like esc)'),
    differentialVsRsync: ratio(
      'esc node backup (differential after one new chunk)',
      'rsync, the 4 documented commands (after one new chunk)',
    ),
    restoreVsCp: ratio('esc node restore (verifies every hash first)', 'cp -r of the backup (restore baseline)'),
  },
  peakRssMiB: Math.max(...results.filter((r) => r.name.startsWith('esc')).map((r) => r.maxRssKb)) / 1024,
}
const table = [
  '| Run | median (s) | runs (s) | peak RSS (MiB) |',
  '|---|---:|---|---:|',
  ...results.map((r) => `| ${r.name} | ${r.seconds.toFixed(2)} | ${r.samples.join(', ')} | ${(r.maxRssKb / 1024).toFixed(0)} |`),
].join('\n')
writeFileSync(join(repo, 'bench', '.data', 'results.json'), JSON.stringify(summary, null, 2))
process.stdout.write(
  `${table}\n\n${JSON.stringify({machine: summary.machine, data: summary.data, ratios: summary.ratios, peakRssMiB: summary.peakRssMiB}, null, 2)}\n`,
)
if (!process.env.BENCH_KEEP) rmSync(work, {recursive: true, force: true})
