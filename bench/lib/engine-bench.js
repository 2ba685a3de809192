// Helpers for bench/backup.js: timed runs through /usr/bin/time (wall time and peak RSS), medians,
// machine description. Plain ESM JavaScript: the bench runs the built CLI, without tsx.
import {execFileSync, spawnSync} from 'node:child_process'
import {existsSync, readFileSync, readdirSync, rmSync, statSync} from 'node:fs'
import {cpus, freemem, loadavg, totalmem} from 'node:os'
import {join} from 'node:path'

export function sh(command, options = {}) {
  return execFileSync('bash', ['-c', command], {encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], ...options}).trim()
}

/** Runs argv under /usr/bin/time; returns {seconds, maxRssKb}. `sync` first (untimed) so earlier writes don't throttle this run. */
export function timed(argv, {cwd, allowExit = [0], env} = {}) {
  spawnSync('sync')
  const out = join(cwd ?? process.cwd(), '.time-output')
  const started = process.hrtime.bigint()
  const r = spawnSync('/usr/bin/time', ['-f', '%e %M', '-o', out, ...argv], {
    cwd,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {...process.env, CI: 'true', ...env},
  })
  const seconds = Number(process.hrtime.bigint() - started) / 1e9
  const [, rss] = readFileSync(out, 'utf8').trim().split('\n').at(-1).split(' ')
  rmSync(out, {force: true})
  if (!allowExit.includes(r.status)) {
    throw new Error(`${argv.join(' ')} exited ${r.status}: ${r.stderr.toString().slice(0, 2000)}`)
  }
  return {seconds, maxRssKb: Number(rss)}
}

export function median(values) {
  const s = [...values].sort((a, b) => a - b)
  const m = Math.floor(s.length / 2)
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2
}

/**
 * Runs each spec's `prepare` (untimed) then `run` (timed), interleaved (run 1 of every spec, then run 2…)
 * so that load from other processes on the machine hits every contender alike; returns medians.
 */
export function measureInterleaved(specs, runs) {
  const samples = specs.map(() => [])
  for (let i = 0; i < runs; i++) {
    specs.forEach((spec, k) => {
      spec.prepare?.()
      samples[k].push(spec.run())
      process.stderr.write(
        `  ${spec.name} #${i + 1}: ${samples[k].at(-1).seconds.toFixed(2)} s, ${(samples[k].at(-1).maxRssKb / 1024).toFixed(0)} MiB\n`,
      )
    })
  }
  return specs.map((spec, k) => summarize(spec.name, samples[k]))
}

function summarize(name, samples) {
  return {
    name,
    seconds: median(samples.map((s) => s.seconds)),
    maxRssKb: Math.max(...samples.map((s) => s.maxRssKb)),
    samples: samples.map((s) => Number(s.seconds.toFixed(3))),
  }
}

/** Runs `prepare` (untimed) then `run` (timed) `runs` times; returns medians and every sample. */
export function measure(name, runs, prepare, run) {
  const samples = []
  for (let i = 0; i < runs; i++) {
    prepare?.()
    samples.push(run())
    process.stderr.write(
      `  ${name} #${i + 1}: ${samples.at(-1).seconds.toFixed(2)} s, ${(samples.at(-1).maxRssKb / 1024).toFixed(0)} MiB\n`,
    )
  }
  return {
    name,
    seconds: median(samples.map((s) => s.seconds)),
    maxRssKb: Math.max(...samples.map((s) => s.maxRssKb)),
    samples: samples.map((s) => Number(s.seconds.toFixed(3))),
  }
}

export function machine(dir) {
  const fsType = sh(`stat -f -c %T ${JSON.stringify(dir)}`)
  const mountLine = sh(`df -P ${JSON.stringify(dir)} | tail -1 | awk '{print $1}'`)
  const mountType = sh(`awk -v d=${JSON.stringify(mountLine)} '$1==d {print $3; exit}' /proc/mounts`)
  return {
    nproc: cpus().length,
    cpu: cpus()[0]?.model ?? 'unknown',
    memoryGiB: Number((totalmem() / 2 ** 30).toFixed(1)),
    freeMemoryGiB: Number((freemem() / 2 ** 30).toFixed(1)),
    filesystem: mountType || fsType,
    kernel: sh('uname -r'),
    node: process.version,
    rsync: sh('rsync --version | head -1'),
    coreutils: sh('cp --version | head -1'),
    loadAverageAtStart: loadavg().map((x) => Number(x.toFixed(2))),
  }
}

export function duBytes(path) {
  return Number(sh(`du -sb ${JSON.stringify(path)} | cut -f1`))
}

/**
 * A private copy of the built CLI (dist, bin, manifest; node_modules linked), so a rebuild of the
 * shared dist/ by someone else during the run cannot pull files from under the bench.
 */
export function snapshotCli(repo, into) {
  rmSync(into, {recursive: true, force: true})
  sh(
    `mkdir -p ${into} && cp -r ${repo}/dist ${into}/dist && cp -r ${repo}/bin ${into}/bin && cp ${repo}/package.json ${repo}/oclif.manifest.json ${into}/ && ln -s ${repo}/node_modules ${into}/node_modules`,
  )
  return join(into, 'bin', 'run.js')
}

/** Builds (npm run build) when any engine or node-command source is newer than its compiled file. */
export function ensureBuilt(repo) {
  const stale = ['lib/engine', 'commands/node'].some((sub) =>
    readdirSync(join(repo, 'src', sub))
      .filter((n) => n.endsWith('.ts'))
      .some((n) => {
        const built = join(repo, 'dist', sub, n.replace(/\.ts$/, '.js'))
        return !existsSync(built) || statSync(built).mtimeMs < statSync(join(repo, 'src', sub, n)).mtimeMs
      }),
  )
  if (!stale && existsSync(join(repo, 'oclif.manifest.json'))) return
  process.stderr.write('building (npm run build)…\n')
  execFileSync('npm', ['run', 'build'], {cwd: repo, stdio: 'inherit'})
}
