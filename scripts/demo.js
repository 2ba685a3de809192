#!/usr/bin/env node
// `npm start`: a guided tour of esc against a throw-away local cloud. Every step runs the built
// CLI exactly as a user would type it; each command is echoed first. Works with CI=true and no TTY.
import {spawn, spawnSync} from 'node:child_process'
import {existsSync} from 'node:fs'
import {mkdtemp, rm} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import {dirname, join} from 'node:path'
import {fileURLToPath} from 'node:url'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const bin = join(root, 'bin', 'run.js')
const color = process.stdout.isTTY && !process.env.CI && !process.env.NO_COLOR
const bold = (s) => (color ? `\x1b[1m${s}\x1b[0m` : s)
const dim = (s) => (color ? `\x1b[2m${s}\x1b[0m` : s)

if (!existsSync(join(root, 'dist', 'commands')) || !existsSync(join(root, 'oclif.manifest.json'))) {
  console.log(dim('Building esc first (npm run build)…'))
  const build = spawnSync('npm', ['run', 'build'], {cwd: root, stdio: 'inherit', shell: process.platform === 'win32'})
  if (build.status !== 0) process.exit(build.status ?? 1)
}

// `npm start -- --backup-store s3://bucket/prefix` (or ESC_LOCAL_BACKUP_STORE): the demo's local
// cloud keeps every backup in that S3 repository (credentials and endpoint from AWS_*).
const storeAt = process.argv.indexOf('--backup-store')
const backupStore = storeAt > 0 ? process.argv[storeAt + 1] : process.env.ESC_LOCAL_BACKUP_STORE || undefined
if (storeAt > 0 && !backupStore?.startsWith('s3://')) {
  console.error('usage: npm start [-- --backup-store s3://bucket/prefix]')
  process.exit(2)
}

const work = await mkdtemp(join(tmpdir(), 'esc-demo-'))
const stateDir = join(work, 'state')
// A private config dir: the user's ~/.esc and keychain are never touched.
const env = {...process.env, ESC_CONFIG_DIR: join(work, 'config'), ESC_KEYRING: '0', ESC_PROFILE: 'local'}
// The command line the demo shows names the store: nothing is taken silently from the environment.
delete env.ESC_LOCAL_BACKUP_STORE
delete env.ESC_TOKEN
delete env.ESC_ACCESS_TOKEN
delete env.ESC_REFRESH_TOKEN
delete env.ESC_CLIENT_ID
delete env.ESC_CLIENT_SECRET
delete env.ESC_API_URL
const quote = (a) => (/^[\w@%+=:,./{}-]+$/.test(a) ? a : `'${a.replaceAll("'", "'\\''")}'`)
const timings = []
let server

function section(title) {
  console.log(`\n${bold(`== ${title}`)}`)
}

/** Runs `esc …` like a user would, echoing it, and returns its stdout. */
function esc(args, {show = true, quiet = false} = {}) {
  if (!quiet) console.log(`${bold('$')} esc ${args.map(quote).join(' ')}`)
  const started = Date.now()
  const result = spawnSync(process.execPath, [bin, ...args], {cwd: root, env, encoding: 'utf8'})
  timings.push({args, ms: Date.now() - started})
  // A wait's progress (stderr) came before its result (stdout): show them in that order.
  if (result.stderr) process.stderr.write(result.stderr)
  if (show && result.stdout) process.stdout.write(result.stdout.endsWith('\n') ? result.stdout : `${result.stdout}\n`)
  if (result.status !== 0) throw new Error(`esc ${args[0]} ${args[1] ?? ''} ${args[2] ?? ''} exited with ${result.status}`)
  return result.stdout
}

const idOf = (text, kind) => {
  const match = new RegExp(`${kind}\\("([0-9a-v]{20})"\\)`).exec(text) ?? /"?([0-9a-v]{20})"?/.exec(text)
  if (!match) throw new Error(`no ${kind} in: ${text}`)
  return match[1]
}

function supportsWait(command) {
  const help = spawnSync(process.execPath, [bin, ...command, '--help'], {cwd: root, env, encoding: 'utf8'})
  return help.stdout.includes('--wait')
}

async function pollBackup(id) {
  for (let i = 0; i < 600; i++) {
    const {backup} = JSON.parse(esc(['mesdb', 'backups', 'get', '--id', id, '--fmt', 'api'], {show: i === 0, quiet: i > 0}))
    if (backup.status !== 'creating') {
      if (i > 0) esc(['mesdb', 'backups', 'get', '--id', id])
      if (backup.status !== 'available') throw new Error(`backup ${id} ended ${backup.status}: ${backup.details ?? ''}`)
      return
    }
    await new Promise((resolve) => setTimeout(resolve, 500))
  }
  throw new Error(`backup ${id} still creating after 5 minutes`)
}

let serverBanner = ''

async function startServer() {
  const args = ['local', 'start', '--dir', stateDir, '--port', '0', ...(backupStore ? ['--backup-store', backupStore] : [])]
  console.log(`${bold('$')} esc ${args.join(' ')} ${dim('# in the background for this demo')}`)
  server = spawn(process.execPath, [bin, ...args], {cwd: root, env, stdio: ['ignore', 'pipe', 'inherit']})
  let out = ''
  await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the local cloud did not start:\n${out}`)), 60_000)
    server.stdout.on('data', (data) => {
      out += data
      if (out.includes('esc local stop')) {
        clearTimeout(timer)
        resolve()
      }
    })
    server.once('exit', (code) => {
      clearTimeout(timer)
      reject(new Error(`the local cloud exited with ${code}:\n${out}`))
    })
  })
  process.stdout.write(out)
  serverBanner = out
}

async function cleanup() {
  if (server && server.exitCode === null && server.signalCode === null) {
    try {
      esc(['local', 'stop', '--dir', stateDir])
    } catch {
      server.kill('SIGTERM')
    }
    await new Promise((resolve) => (server.exitCode === null && server.signalCode === null ? server.once('exit', resolve) : resolve()))
  }
  await rm(work, {recursive: true, force: true})
}

process.once('SIGINT', () => {
  void cleanup().finally(() => process.exit(130))
})

const started = Date.now()
try {
  section('A local cloud in a temporary directory')
  await startServer()

  section('A demo cluster with generated data and a live writer')
  const clusterId = esc([
    'local',
    'demo-data',
    '--dir',
    stateDir,
    '--description',
    'Demo-Backup',
    '--chunks',
    '8',
    '--chunk-size',
    '1048576',
  ]).trim()

  section('An on-demand backup with a label template, waiting until it is available')
  const label = 'on demand backup #{index} of {cluster} at {datetime:rfc3339}'
  let manual
  if (supportsWait(['mesdb', 'backups', 'create'])) {
    manual = idOf(
      esc(['mesdb', 'backups', 'create', '--description', label, '--source-cluster-id', clusterId, '--wait', '--poll-interval', '1s']),
      'BackupId',
    )
  } else {
    // An esc without `backups create --wait`: poll `backups get` like esc users do.
    manual = idOf(esc(['mesdb', 'backups', 'create', '--description', label, '--source-cluster-id', clusterId]), 'BackupId')
    await pollBackup(manual)
  }
  esc(['mesdb', 'backups', 'list', '--fmt', 'table'])

  section('An hourly scheduled-backup job that keeps 2 backups')
  const jobId = idOf(
    esc([
      'orchestrate',
      'jobs',
      'create',
      '--description',
      'My Hourly Backup',
      '--schedule',
      '0 */1 * * *',
      'scheduled-backup',
      '--description',
      '{cluster} Hourly Backup {datetime:RFC3339}',
      '--max-backup-count',
      '2',
      '--cluster-id',
      clusterId,
    ]),
    'JobId',
  )
  esc(['orchestrate', 'jobs', 'list'])

  section('Three runs now: the oldest scheduled backup is pruned, the manual one stays')
  for (let run = 1; run <= 3; run++) esc(['orchestrate', 'jobs', 'run', '--id', jobId, '--wait', '--poll-interval', '1s'])
  esc(['orchestrate', 'history', 'list', '--job-id', jobId])
  const backups = JSON.parse(esc(['mesdb', 'backups', 'list', '--fmt', 'api'], {show: false, quiet: true})).backups
  esc(['mesdb', 'backups', 'list', '--fmt', 'table'])
  const latest = backups.filter((b) => b.linkedResource === jobId && b.status === 'available').at(-1)

  section('Restore the newest scheduled backup into a fresh test project')
  // The test project gets a network like the source cluster's: same provider, region and block.
  const source = JSON.parse(esc(['mesdb', 'clusters', 'get', '--id', clusterId, '--json'], {show: false, quiet: true}))
  const sourceNetwork = JSON.parse(esc(['infra', 'networks', 'get', '--id', source.networkId, '--json'], {show: false, quiet: true}))
  const project = esc(['resources', 'projects', 'create', '--name', 'restore test', '-q']).trim()
  const network = esc([
    'infra',
    'networks',
    'create',
    '--project-id',
    project,
    '--provider',
    source.provider,
    '--region',
    source.region,
    '--cidr-block',
    sourceNetwork.cidrBlock,
    '--description',
    'restore test',
    '--wait',
    '--poll-interval',
    '1s',
    '-q',
  ]).trim()
  const restored = esc([
    'mesdb',
    'clusters',
    'create',
    '--project-id',
    project,
    '--source-project-id',
    source.projectId,
    '--source-backup-id',
    latest.id,
    '--network-id',
    network,
    '--description',
    'restore test',
    '--instance-type',
    'F1',
    '--disk-size-in-gb',
    '10',
    '--disk-type',
    'gp3',
    '--projection-level',
    'off',
    '--server-version',
    '24.10',
    '--topology',
    'single-node',
    '--provider',
    source.provider,
    '--region',
    source.region,
    '--wait',
    '--poll-interval',
    '1s',
    '-q',
  ]).trim()

  section("Check the restored data with the engine's verifier")
  esc(['node', 'verify', join(stateDir, 'clusters', restored, 'db')])

  section('Delete the test project and what is in it (examples/restore-into-test-project.sh does all of this in CI)')
  esc(['mesdb', 'clusters', 'delete', '--project-id', project, '--id', restored])
  esc(['infra', 'networks', 'delete', '--project-id', project, '--id', network, '--wait', '--poll-interval', '1s'])
  esc(['resources', 'projects', 'delete', '--org-id', source.organizationId, '--id', project])

  if (backupStore) {
    section('The backups in the backup store (the pruned one is forgotten there too)')
    esc(['node', 'backups', 'list', backupStore])
  }

  section('Summary')
  const scheduled = backups.filter((b) => b.linkedResource === jobId)
  console.log(
    [
      `cluster ${clusterId} (live writer) backed up ${1 + 3} times in ${((Date.now() - started) / 1000).toFixed(1)} s of demo`,
      `manual backup ${manual} kept; job ${jobId} kept its newest ${scheduled.length} of 3 (max-backup-count 2)`,
      `restored backup ${latest.id} into cluster ${restored} of test project ${project}; node verify passed; project deleted`,
      ...(backupStore ? [`backups stored in ${backupStore}`] : []),
      `slowest command: esc ${timings
        .reduce((a, b) => (b.ms > a.ms ? b : a))
        .args.slice(0, 3)
        .join(' ')} (${timings.reduce((a, b) => (b.ms > a.ms ? b : a)).ms} ms)`,
    ].join('\n'),
  )
  // At a terminal the local cloud stays up for the console until Ctrl-C (whose handler cleans up).
  if (process.stdin.isTTY && !process.env.CI) {
    const url = /running at (\S+)/.exec(serverBanner)?.[1]
    const user = /user: +(\S+)/.exec(serverBanner)?.[1]
    const password = /password: +(\S+)/.exec(serverBanner)?.[1]
    section('The console')
    console.log(`Open ${url}/ and sign in as ${user} with the password ${password}`)
    console.log(dim('The local cloud keeps running; Ctrl-C stops it and removes its directory.'))
    await new Promise(() => {})
  }
} catch (error) {
  process.exitCode = 1
  console.error(`\nDemo failed: ${error.message}`)
} finally {
  section('Stopping the local cloud and removing the temporary directory')
  await cleanup()
}
