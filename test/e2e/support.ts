/**
 * End-to-end support: the built CLI (bin/run.js, `npm test` builds first) against a real local
 * cloud on a free loopback port. No HTTP mocking anywhere.
 */
import {type ChildProcess, execFile, spawn} from 'node:child_process'
import {existsSync} from 'node:fs'
import {mkdir, mkdtemp, open, readFile, rm} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import {join, resolve} from 'node:path'
import {fileURLToPath} from 'node:url'

export const repoRoot = resolve(fileURLToPath(new URL('.', import.meta.url)), '../..')
const BIN = join(repoRoot, 'bin', 'run.js')

export function assertBuilt(): void {
  if (!existsSync(join(repoRoot, 'dist', 'commands', 'local', 'start.js')) || !existsSync(join(repoRoot, 'oclif.manifest.json'))) {
    throw new Error('the e2e tests run the built CLI: run `npm run build` first (npm test does)')
  }
}

export interface CliResult {
  stdout: string
  stderr: string
  code: number
}

export interface Sandbox {
  root: string
  stateDir: string
  env: NodeJS.ProcessEnv
  esc(args: string[], extraEnv?: NodeJS.ProcessEnv): Promise<CliResult>
  cleanup(): Promise<void>
}

/** A temp HOME + ESC_CONFIG_DIR (the real ~/.esc is never touched) and a state dir. */
export async function sandbox(): Promise<Sandbox> {
  const root = await mkdtemp(join(tmpdir(), 'esc-e2e-'))
  await mkdir(join(root, 'home'))
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: join(root, 'home'),
    ESC_CONFIG_DIR: join(root, 'config'),
    ESC_KEYRING: '0',
    CI: 'true',
    NODE_ENV: 'production',
    TMPDIR: tmpdir(),
  }
  return {
    root,
    stateDir: join(root, 'state'),
    env,
    esc: (args, extraEnv = {}) => runEsc(args, {...env, ...extraEnv}),
    cleanup: () => rm(root, {recursive: true, force: true}),
  }
}

export function runEsc(args: string[], env: NodeJS.ProcessEnv): Promise<CliResult> {
  return new Promise((resolvePromise) => {
    execFile(process.execPath, [BIN, ...args], {env, cwd: repoRoot, timeout: 60_000}, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0
      resolvePromise({stdout, stderr, code})
    })
  })
}

export interface RunningCloud {
  url: string
  pid: number
  child: ChildProcess
  banner: string
  /** Resolves with the exit code/signal once the server process ends. */
  exited: Promise<{code: number | null; signal: NodeJS.Signals | null}>
}

/** `esc local start --port 0` in the foreground, as a child; resolves once it listens. */
export async function startCloud(box: Sandbox, extraEnv: NodeJS.ProcessEnv = {}, args: string[] = []): Promise<RunningCloud> {
  const child = spawn(process.execPath, [BIN, 'local', 'start', '--dir', box.stateDir, '--port', '0', ...args], {
    env: {...box.env, ...extraEnv},
    cwd: repoRoot,
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  const exited = new Promise<{code: number | null; signal: NodeJS.Signals | null}>((res) =>
    child.once('exit', (code, signal) => res({code, signal})),
  )
  let out = ''
  let err = ''
  child.stderr!.on('data', (d) => {
    err += d
  })
  const url = await new Promise<string>((res, rej) => {
    const timer = setTimeout(() => rej(new Error(`local start did not come up: ${out}${err}`)), 30_000)
    child.stdout!.on('data', (d) => {
      out += d
      const match = /running at (http:\/\/\S+) /.exec(out)
      if (match && out.includes('esc local stop')) {
        clearTimeout(timer)
        res(match[1])
      }
    })
    void exited.then(({code}) => {
      clearTimeout(timer)
      rej(new Error(`local start exited with ${code}: ${out}${err}`))
    })
  })
  return {url, pid: child.pid!, child, banner: out, exited}
}

export async function stopCloud(cloud: RunningCloud): Promise<void> {
  if (cloud.child.exitCode !== null || cloud.child.signalCode !== null) return
  cloud.child.kill('SIGTERM')
  await cloud.exited
}

/** The local profile's org and project, as written to settings.toml. */
export async function localIds(box: Sandbox): Promise<{orgId: string; projectId: string}> {
  const toml = await readFile(join(box.env.ESC_CONFIG_DIR!, 'settings.toml'), 'utf8')
  return {orgId: /org-id = "([^"]+)"/.exec(toml)![1], projectId: /project-id = "([^"]+)"/.exec(toml)![1]}
}

/** An access token through the password-less admin client (for raw HTTP checks). */
export async function adminToken(box: Sandbox, url: string): Promise<string> {
  const creds = JSON.parse(await readFile(join(box.stateDir, 'admin-credentials.json'), 'utf8'))
  const res = await fetch(`${url}/oauth/token`, {
    method: 'POST',
    headers: {'content-type': 'application/x-www-form-urlencoded'},
    body: new URLSearchParams({grant_type: 'client_credentials', client_id: creds.clientId, client_secret: creds.clientSecret}),
  })
  return ((await res.json()) as {access_token: string}).access_token
}

export async function until<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const value = await probe()
    if (value !== undefined) return value
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await new Promise((r) => setTimeout(r, 50))
  }
}

/**
 * Runs `npm start` (scripts/demo.js) as a user does, stdout and stderr in one stream as a terminal
 * shows them: one file for both, the demo's writes to it being synchronous, so their order is kept.
 */
export async function runDemo(args: string[], env: NodeJS.ProcessEnv): Promise<{code: number | null; out: string}> {
  const dir = await mkdtemp(join(tmpdir(), 'esc-demo-test-'))
  const file = await open(join(dir, 'output'), 'w')
  try {
    const child = spawn(process.execPath, [join(repoRoot, 'scripts', 'demo.js'), ...args], {
      cwd: repoRoot,
      env,
      stdio: ['ignore', file.fd, file.fd],
    })
    const code = await new Promise<number | null>((done) => child.once('exit', done))
    return {code, out: await readFile(join(dir, 'output'), 'utf8')}
  } finally {
    await file.close()
    await rm(dir, {recursive: true, force: true})
  }
}
