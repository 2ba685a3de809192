#!/usr/bin/env node
// Startup benchmark of the BUILT CLI (run `npm run build` first):
//   node -e 0                     the floor
//   esc --version                 oclif boot only
//   esc mesdb backups list        boot + config + auth (ESC_ACCESS_TOKEN) + one HTTP call to a loopback responder
//   esc mesdb backups get --id …  the same, for one backup
// Median of BENCH_RUNS (default 15) interleaved rounds, after 2 warm-up rounds. Targets (medians, same
// run): ≤ 1.3× `node -e 0` for --version, ≤ 2.5× for list and get.
// Also checks that the client command loads no server/database/engine module.
//
// `node bench/startup.js --http` (npm run bench:startup -- --http) instead measures what the choice of
// HTTP module costs at start-up: see bench/lib/startup-http.js.
import {spawn} from 'node:child_process'
import {existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import http from 'node:http'
import os from 'node:os'
import path from 'node:path'
import {fileURLToPath, pathToFileURL} from 'node:url'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const runJs = path.join(root, 'bin', 'run.js')
const RUNS = Number(process.env.BENCH_RUNS ?? 15)

if (process.argv.includes('--http')) {
  const {benchHttpImports} = await import('./lib/startup-http.js')
  await benchHttpImports({root, runs: RUNS})
  process.exit(process.exitCode ?? 0)
}

function assertBuilt() {
  const manifest = path.join(root, 'oclif.manifest.json')
  const built = path.join(root, 'dist', 'commands', 'mesdb', 'backups', 'list.js')
  const listed = existsSync(manifest) && 'mesdb:backups:list' in (JSON.parse(readFileSync(manifest, 'utf8')).commands ?? {})
  if (!existsSync(built) || !listed) {
    console.error('bench/startup.js runs the built CLI: run `npm run build` first')
    process.exit(1)
  }
}

const BACKUP = {
  id: 'c1ev3l5o0aeu6ojco7b0',
  projectId: 'p1',
  sourceClusterId: 'c1eut65o0aeu6ojco7a0',
  sourceClusterDescription: 'Demo-Backup',
  description: 'on demand backup',
  sizeGb: 8,
  provider: 'aws',
  region: 'eu-central-1',
  status: 'available',
  created: '2021-03-26T14:38:12Z',
  availableNodeCount: 1,
  serverVersion: '24.10',
  serverVersionTag: '24.10.1',
}
const LIST_BODY = JSON.stringify({backups: [BACKUP, {...BACKUP, id: 'c1ev3l5o0aeu6ojco7b1', created: '2021-03-27T14:38:12Z'}]})
const GET_BODY = JSON.stringify({backup: BACKUP})

/** GET …/backups answers the list, GET …/backups/{id} the one backup. */
function startResponder() {
  const server = http.createServer((req, res) => {
    req.resume()
    res.writeHead(200, {'content-type': 'application/json'})
    res.end(/\/backups\/[^/?]+/.test(req.url ?? '') ? GET_BODY : LIST_BODY)
  })
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)))
}

function runOnce(argv, env) {
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint()
    const child = spawn(process.execPath, argv, {env, stdio: ['ignore', 'pipe', 'pipe']})
    let out = ''
    let err = ''
    child.stdout.on('data', (d) => (out += d))
    child.stderr.on('data', (d) => (err += d))
    child.on('error', reject)
    child.on('close', (code) => {
      const ms = Number(process.hrtime.bigint() - started) / 1e6
      if (code !== 0) reject(new Error(`${argv.join(' ')} exited ${code}\n${err}`))
      else resolve({ms, out, err})
    })
  })
}

const median = (xs) => {
  const t = [...xs].sort((a, b) => a - b)
  return t.length % 2 ? t[(t.length - 1) / 2] : (t[t.length / 2 - 1] + t[t.length / 2]) / 2
}

/**
 * Runs the commands round-robin (one of each per round) so that load from other processes on the
 * machine hits all of them alike; 2 warm-up rounds are discarded.
 */
async function measureAll(cases, env) {
  const times = cases.map(() => [])
  for (let round = -2; round < RUNS; round++) {
    for (const [i, c] of cases.entries()) {
      const {ms} = await runOnce(c.argv, env)
      if (round >= 0) times[i].push(ms)
    }
  }
  return cases.map((c, i) => ({label: c.label, median: median(times[i]), min: Math.min(...times[i]), max: Math.max(...times[i])}))
}

/** Lists every module URL the CLI resolves (ESM resolve hook) while running argv. */
async function loadedModules(argv, env, dir) {
  const log = path.join(dir, 'modules.log')
  const hooks = path.join(dir, 'hooks.mjs')
  const preload = path.join(dir, 'preload.mjs')
  writeFileSync(
    hooks,
    `import {appendFileSync} from 'node:fs'
export async function resolve(specifier, context, next) {
  const r = await next(specifier, context)
  appendFileSync(${JSON.stringify(log)}, r.url + '\\n')
  return r
}\n`,
  )
  writeFileSync(preload, `import {register} from 'node:module'\nregister(${JSON.stringify(new URL(`file://${hooks}`).href)})\n`)
  await runOnce(['--import', preload, ...argv], env)
  return existsSync(log) ? [...new Set(readFileSync(log, 'utf8').split('\n').filter(Boolean))] : []
}

assertBuilt()
const server = await startResponder()
const home = mkdtempSync(path.join(os.tmpdir(), 'esc-bench-'))
writeFileSync(path.join(home, 'settings.toml'), '')
const env = {
  ...process.env,
  ESC_CONFIG_DIR: home,
  HOME: home,
  ESC_KEYRING: '0',
  ESC_ACCESS_TOKEN: 'bench-token',
  ESC_API_URL: `http://127.0.0.1:${server.address().port}`,
  ESC_ORG_ID: 'o1',
  ESC_PROJECT_ID: 'p1',
  NODE_ENV: 'production',
}
delete env.NODE_OPTIONS
try {
  const check = await runOnce([runJs, 'mesdb', 'backups', 'list'], env)
  if (!check.out.startsWith('Backup { id: BackupId("c1ev3l5o0aeu6ojco7b0")'))
    throw new Error(`unexpected list output:\n${check.out}${check.err}`)
  const getArgv = [runJs, 'mesdb', 'backups', 'get', '--id', BACKUP.id]
  const checkGet = await runOnce(getArgv, env)
  if (!checkGet.out.includes(`BackupId("${BACKUP.id}")`)) throw new Error(`unexpected get output:\n${checkGet.out}${checkGet.err}`)

  const cases = [
    {label: 'node -e 0', argv: ['-e', '0']},
    {label: 'esc --version', argv: [runJs, '--version'], target: 1.3},
    {label: 'esc mesdb backups list', argv: [runJs, 'mesdb', 'backups', 'list'], target: 2.5},
    {label: `esc mesdb backups get --id ${BACKUP.id}`, argv: getArgv, target: 2.5},
  ]
  const results = await measureAll(cases, env)
  const floor = results[0].median
  console.log(`machine: ${os.cpus().length} CPUs (nproc), node ${process.version}, ${os.platform()} ${os.arch()}`)
  console.log(
    `command: npm run bench:startup (BENCH_RUNS=${RUNS} rounds, commands interleaved, median after 2 warm-up rounds); 1-min load average at the end: ${os.loadavg()[0].toFixed(2)}`,
  )
  console.log('')
  console.log('| command | median ms | min | max | × node -e 0 (median) | × node -e 0 (min) | target | met? |')
  console.log('|---|---:|---:|---:|---:|---:|---:|---|')
  for (const [i, r] of results.entries()) {
    const ratio = r.median / floor
    const {target} = cases[i]
    const verdict = target === undefined ? '' : ratio <= target ? 'yes' : '**no**'
    console.log(
      `| \`${r.label}\` | ${r.median.toFixed(1)} | ${r.min.toFixed(1)} | ${r.max.toFixed(1)} | ${ratio.toFixed(2)} | ${(r.min / results[0].min).toFixed(2)} | ${target === undefined ? '' : `≤ ${target}×`} | ${verdict} |`,
    )
  }
  const missed = results.filter((r, i) => cases[i].target !== undefined && r.median / floor > cases[i].target)
  console.log('')
  console.log(
    `targets (median vs node -e 0, same run): ${missed.length === 0 ? 'all met' : `NOT met for ${missed.map((r) => r.label).join(', ')}`}`,
  )

  const files = await loadedModules([runJs, 'mesdb', 'backups', 'list'], env, home)
  // The build bundles commands (scripts/bundle-commands.js): a loaded bundle or chunk names the
  // modules it contains in esbuild's `// dist/…` comments, so those count as loaded too.
  // The @oclif/core bundle (dist/oclif-core/lib/bundle.js, only @oclif/core and its dependencies) is
  // compiled by bin/oclif-core.js with vm.Script, not resolved as a module: it is not in these counts.
  const bundled = files
    .filter((u) => u.startsWith(pathToFileURL(path.join(root, 'dist')).href))
    .flatMap((u) => readFileSync(fileURLToPath(u), 'utf8').match(/^\/\/ dist\/\S+\.js$/gm) ?? [])
    .map((comment) => pathToFileURL(path.join(root, comment.slice(3))).href)
  const modules = [...new Set([...files, ...bundled])]
  console.log(`files loaded by \`esc mesdb backups list\`: ${files.length}`)
  const forbidden = modules.filter((u) =>
    /\/(src|dist)\/local\/|\/lib\/kurrentdb\/|\/node_modules\/(fastify|better-sqlite3|@fastify|@aws-sdk|@smithy)\//.test(u),
  )
  console.log(
    `modules resolved by \`esc mesdb backups list\`: ${modules.length}; server/database/engine modules: ${forbidden.length === 0 ? 'none' : forbidden.join(', ')}`,
  )
  if (forbidden.length > 0) process.exitCode = 1
} finally {
  server.close()
  rmSync(home, {recursive: true, force: true})
}
