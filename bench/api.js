#!/usr/bin/env node
// `npm run bench:api`: the local cloud's API under load (autocannon on loopback, bounded duration)
// and the service overhead of a backup (create → available) against the engine alone.
// Needs a build (runs `npm run build` when dist/ is missing). Prints a markdown report.
import {spawn, spawnSync} from 'node:child_process'
import {existsSync} from 'node:fs'
import {mkdtemp, readFile, rm} from 'node:fs/promises'
import {cpus, tmpdir, totalmem} from 'node:os'
import {dirname, join} from 'node:path'
import {performance} from 'node:perf_hooks'
import {fileURLToPath} from 'node:url'

import autocannon from 'autocannon'
import Database from 'better-sqlite3'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const bin = join(root, 'bin', 'run.js')
const DURATION = Number(process.env.BENCH_DURATION ?? 10)
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 10)
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 9)
const CHUNKS = Number(process.env.BENCH_CHUNKS ?? 64)
const CHUNK_SIZE = 1024 * 1024

if (!existsSync(join(root, 'dist', 'local', 'cloud.js')) || !existsSync(join(root, 'oclif.manifest.json'))) {
  if (spawnSync('npm', ['run', 'build'], {cwd: root, stdio: 'inherit'}).status !== 0) process.exit(1)
}
const {newId} = await import(join(root, 'dist', 'local', 'ids.js'))

const work = await mkdtemp(join(tmpdir(), 'esc-bench-api-'))
const stateDir = join(work, 'state')
const env = {...process.env, ESC_CONFIG_DIR: join(work, 'config'), ESC_KEYRING: '0', CI: 'true'}
const esc = (args) => spawnSync(process.execPath, [bin, ...args], {cwd: root, env, encoding: 'utf8'})
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]
const log = (s) => process.stderr.write(`${s}\n`)

async function start() {
  const child = spawn(process.execPath, [bin, 'local', 'start', '--dir', stateDir, '--port', '0'], {
    cwd: root,
    env,
    stdio: ['ignore', 'pipe', 'inherit'],
  })
  let out = ''
  const url = await new Promise((resolve, reject) => {
    child.stdout.on('data', (d) => {
      out += d
      const m = /running at (http:\/\/\S+) /.exec(out)
      if (m && out.includes('esc local stop')) resolve(m[1])
    })
    child.once('exit', (code) => reject(new Error(`server exited ${code}: ${out}`)))
  })
  return {child, url}
}
async function stop(server) {
  server.child.kill('SIGTERM')
  await new Promise((resolve) => server.child.once('exit', resolve))
}

async function token(url) {
  const creds = JSON.parse(await readFile(join(stateDir, 'admin-credentials.json'), 'utf8'))
  const res = await fetch(`${url}/oauth/token`, {
    method: 'POST',
    headers: {'content-type': 'application/x-www-form-urlencoded'},
    body: new URLSearchParams({grant_type: 'client_credentials', client_id: creds.clientId, client_secret: creds.clientSecret}),
  })
  return (await res.json()).access_token
}

function load(url, path, headers) {
  return new Promise((resolve, reject) => {
    autocannon({url: `${url}${path}`, headers, connections: CONNECTIONS, duration: DURATION}, (error, result) =>
      error ? reject(error) : resolve(result),
    )
  })
}

try {
  // 1. A demo cluster (no writer: the same bytes for both sides of the overhead comparison).
  let server = await start()
  const demo = esc(['local', 'demo-data', '--dir', stateDir, '--no-writer', '--chunks', String(CHUNKS), '--chunk-size', String(CHUNK_SIZE)])
  const clusterId = demo.stdout.trim()
  const settings = await readFile(join(env.ESC_CONFIG_DIR, 'settings.toml'), 'utf8')
  const org = /org-id = "(\w+)"/.exec(settings)[1]
  const project = /project-id = "(\w+)"/.exec(settings)[1]
  const mesdb = `/mesdb/v1/organizations/${org}/projects/${project}`
  const db = join(stateDir, 'clusters', clusterId, 'db')

  // 2. create → available through the service vs backupNode() alone, alternating, same data.
  log(`backup overhead: ${ROUNDS} rounds on ${CHUNKS} x 1 MiB chunks`)
  let auth = {authorization: `Bearer ${await token(server.url)}`, 'content-type': 'application/json'}
  const service = {full: [], linked: []}
  const direct = {full: [], linked: []}
  let readOnly
  const stateDb = () => (readOnly ??= new Database(join(stateDir, 'state.db'), {readonly: true}))
  const serviceBackup = async () => {
    const t0 = performance.now()
    const created = await (
      await fetch(`${server.url}${mesdb}/backups`, {
        method: 'POST',
        headers: auth,
        body: JSON.stringify({description: 'bench', sourceClusterId: clusterId}),
      })
    ).json()
    for (;;) {
      const {backup} = await (await fetch(`${server.url}${mesdb}/backups/${created.id}`, {headers: auth})).json()
      if (backup.status === 'available') {
        // The server's own clock: from the row's creation to its completion (no polling granularity).
        const row = stateDb().prepare('SELECT created, completed FROM backups WHERE id = ?').get(created.id)
        return {ms: Date.parse(row.completed) - Date.parse(row.created), observed: performance.now() - t0, id: created.id}
      }
      if (backup.status === 'defunct') throw new Error(backup.details)
      await new Promise((r) => setTimeout(r, 50))
    }
  }
  // The engine's own `esc node backup` on the same data, in its own process like the server:
  // the time it reports for the backup (manifest timings), without the CLI's startup.
  const directBackup = async (dir, linkFrom) => {
    const run = esc(['node', 'backup', dir, '--db', db, '--json', ...(linkFrom ? ['--link-from', linkFrom] : [])])
    if (run.status !== 0) throw new Error(`esc node backup failed: ${run.stderr}`)
    return JSON.parse(run.stdout).timings.durationMs
  }
  // Full: nothing to link from (the service's previous backup is deleted before each round).
  // Rounds alternate which side goes first, so page cache and machine load favour neither.
  for (let round = 0; round < ROUNDS; round++) {
    const viaEngine = () => directBackup(join(work, `direct-full-${round}`))
    const engineFirst = round % 2 === 1
    if (engineFirst) direct.full.push(await viaEngine())
    const {ms, id} = await serviceBackup()
    service.full.push(ms)
    if (!engineFirst) direct.full.push(await viaEngine())
    if (round < ROUNDS - 1)
      await fetch(`${server.url}${mesdb}/backups/${id}`, {method: 'DELETE', headers: {authorization: auth.authorization}})
  }
  // Linked: each backup hard-links the unchanged completed chunks of the previous one.
  let previousDirect = join(work, `direct-full-${ROUNDS - 1}`)
  for (let round = 0; round < ROUNDS; round++) {
    const dir = join(work, `direct-linked-${round}`)
    const engineFirst = round % 2 === 1
    if (engineFirst) direct.linked.push(await directBackup(dir, previousDirect))
    service.linked.push((await serviceBackup()).ms)
    if (!engineFirst) direct.linked.push(await directBackup(dir, previousDirect))
    previousDirect = dir
  }
  readOnly?.close()
  // The engine's share of each service backup, from the server's own log.
  const engineInService = [
    ...(await readFile(join(stateDir, 'server.log'), 'utf8')).matchAll(/available \(\d+ bytes in (\d+) ms(, linked)?/g),
  ]
  const inside = {
    full: engineInService.filter((m) => !m[2]).map((m) => Number(m[1])),
    linked: engineInService.filter((m) => m[2]).map((m) => Number(m[1])),
  }
  const cliT0 = performance.now()
  const cli = esc(['node', 'backup', join(work, 'cli-backup'), '--db', db])
  const cliMs = performance.now() - cliT0
  if (cli.status !== 0) log(`esc node backup failed: ${cli.stderr}`)

  // 3. 1,000 stored backups (rows written straight into the state database while the server is down).
  await stop(server)
  const state = new Database(join(stateDir, 'state.db'))
  const spec = state.prepare('SELECT spec FROM clusters WHERE id = ?').get(clusterId).spec
  const insert =
    state.prepare(`INSERT INTO backups(id, organization_id, project_id, cluster_id, cluster_description, description, status, size_bytes, created, completed, job_id, dir, cluster_spec)
    VALUES (?, ?, ?, ?, 'Demo cluster', ?, 'available', 1073741824, ?, ?, NULL, ?, ?)`)
  const existing = state.prepare('SELECT count(*) AS n FROM backups').get().n
  state.transaction(() => {
    for (let i = existing; i < 1000; i++) {
      const id = newId(Date.now() - (1000 - i) * 1000)
      const at = new Date(Date.now() - (1000 - i) * 60_000).toISOString()
      insert.run(id, org, project, clusterId, `seeded backup ${i}`, at, at, join(stateDir, 'backups', id), spec)
    }
  })()
  const sample = state.prepare('SELECT id FROM backups ORDER BY created DESC LIMIT 1').get().id
  state.close()
  server = await start()
  auth = {authorization: `Bearer ${await token(server.url)}`}
  const count = (await (await fetch(`${server.url}${mesdb}/backups`, {headers: auth})).json()).backups.length

  log(`load: ${DURATION} s per endpoint, ${CONNECTIONS} connections`)
  const list = await load(server.url, `${mesdb}/backups`, auth)
  const get = await load(server.url, `${mesdb}/backups/${sample}`, auth)
  await stop(server)

  const row = (name, r) =>
    `| ${name} | ${r.requests.average.toFixed(0)} | ${r.latency.p50} | ${r.latency.p99} | ${r.non2xx} | ${(r.throughput.average / 1024 / 1024).toFixed(1)} |`
  const ms = (x) => x.toFixed(0)
  const overhead = (a, b) => `${(((a - b) / b) * 100).toFixed(1)} %`
  const full = {s: median(service.full), d: median(direct.full)}
  const linked = service.linked.length ? {s: median(service.linked), d: median(direct.linked)} : undefined
  console.log(`## Run ${new Date().toISOString()}

Machine: ${cpus().length} x ${cpus()[0]?.model ?? 'unknown CPU'}, ${(totalmem() / 1024 ** 3).toFixed(1)} GiB RAM, Node ${process.version}, ${process.platform}
Command: \`npm run bench:api\` (BENCH_DURATION=${DURATION}, BENCH_CONNECTIONS=${CONNECTIONS}, BENCH_ROUNDS=${ROUNDS}, BENCH_CHUNKS=${CHUNKS})

### API load (autocannon, loopback, ${count} stored backups)

| endpoint | req/s (avg) | p50 ms | p99 ms | non-2xx | MiB/s |
|---|---|---|---|---|---|
${row('GET …/backups (list, 1,000 backups)', list)}
${row('GET …/backups/{id}', get)}

### Backup: service (create → available) vs engine alone, ${CHUNKS} x 1 MiB chunks

| backup | service: create → available, median ms | engine inside the service, median ms | \`esc node backup\` (engine's own time), median ms | service overhead |
|---|---|---|---|---|
| full | ${ms(full.s)} | ${ms(median(inside.full))} | ${ms(full.d)} | ${overhead(full.s, full.d)} |
${linked ? `| hard-linked from the previous | ${ms(linked.s)} | ${ms(median(inside.linked))} | ${ms(linked.d)} | ${overhead(linked.s, linked.d)} |\n` : ''}
Each row: ${ROUNDS} rounds, alternating which side runs first; service time = the backup row's \`completed − created\` (server clock); the client polls \`backups get\` every 50 ms.
\`esc node backup\` of the same data, whole process (startup included): ${ms(cliMs)} ms.
`)
} finally {
  await rm(work, {recursive: true, force: true})
}
