import {mkdtemp, rm} from 'node:fs/promises'
import type {AddressInfo} from 'node:net'
import {createServer, request, type Server} from 'node:http'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

import {spawn, type ChildProcess} from 'node:child_process'
import {createInterface} from 'node:readline'
import {fileURLToPath} from 'node:url'

/** What the proxy does to the next requests that match: the store behind it is not touched by them. */
export type Fault = {kind: 'status'; status: 500 | 503} | {kind: 'drop'} | {kind: 'stall'}

export interface FaultRule {
  fault: Fault
  /** How many matching requests get the fault (Infinity: until cleared). */
  times: number
  /** Which requests (default: all). */
  match?: (method: string, url: string) => boolean
}

/**
 * An S3 server (s3rver) on 127.0.0.1 with a small fault-injection proxy in front of it: the proxy
 * answers 500/503, drops the connection, or stalls, for the requests a rule matches, and forwards
 * the rest. Tests point the SDK at the proxy (path-style, since the endpoint is an IP address).
 */
export class TestS3 {
  readonly bucket = 'esc-test'
  private rules: FaultRule[] = []
  /** Every request the proxy saw: method and path (with query). */
  readonly requests: {method: string; url: string; bytes: number}[] = []
  private constructor(
    private readonly child: ChildProcess,
    private readonly proxy: Server,
    private readonly dir: string,
    readonly endpoint: string,
  ) {}

  static async start(): Promise<TestS3> {
    const dir = await mkdtemp(join(tmpdir(), 'esc-s3rver-'))
    const script = fileURLToPath(new URL('s3rver-child.cjs', import.meta.url))
    // A plain node: without the test's loader in NODE_OPTIONS.
    const child = spawn(process.execPath, [script, dir, 'esc-test'], {
      stdio: ['ignore', 'pipe', 'inherit'],
      env: {...process.env, NODE_OPTIONS: ''},
    })
    const line = await new Promise<string>((resolve, reject) => {
      createInterface({input: child.stdout!}).once('line', resolve)
      child.once('exit', (code) => reject(new Error(`s3rver exited with ${code}`)))
    })
    const addr = JSON.parse(line) as {port: number}
    const box: {self?: TestS3} = {}
    const stalled = new Set<import('node:net').Socket>()
    const proxy = createServer((req, res) => {
      const url = req.url ?? '/'
      const method = req.method ?? 'GET'
      const entry = {method, url, bytes: 0}
      box.self!.requests.push(entry)
      req.on('data', (b: Buffer) => (entry.bytes += b.length))
      const rule = box.self!.rules.find((r) => r.times > 0 && (r.match?.(method, url) ?? true))
      if (rule) {
        rule.times--
        if (rule.fault.kind === 'drop') return void req.socket.destroy()
        if (rule.fault.kind === 'stall') return void stalled.add(req.socket)
        req.resume()
        res.writeHead(rule.fault.status, {'content-type': 'application/xml'})
        return void res.end(
          `<?xml version="1.0"?><Error><Code>${rule.fault.status === 503 ? 'SlowDown' : 'InternalError'}</Code><Message>injected</Message></Error>`,
        )
      }
      // A fresh connection each time: a kept-alive one that s3rver closes as it is reused would look
      // like a network fault the test did not inject.
      const upstream = request({host: '127.0.0.1', port: addr.port, method, path: url, headers: req.headers, agent: false}, (up) => {
        res.writeHead(up.statusCode ?? 502, up.headers)
        up.pipe(res)
      })
      upstream.on('error', () => res.destroy())
      req.pipe(upstream)
    })
    proxy.on('close', () => {
      for (const s of stalled) s.destroy()
    })
    await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve))
    const endpoint = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`
    box.self = new TestS3(child, proxy, dir, endpoint)
    return box.self
  }

  /** The environment the SDK reads: static test credentials and the proxy as endpoint. */
  env(): NodeJS.ProcessEnv {
    return {
      AWS_ACCESS_KEY_ID: 'S3RVER',
      AWS_SECRET_ACCESS_KEY: 'S3RVER',
      AWS_REGION: 'us-east-1',
      AWS_ENDPOINT_URL_S3: this.endpoint,
    }
  }

  url(prefix: string): string {
    return `s3://${this.bucket}/${prefix}`
  }

  fail(rule: FaultRule): void {
    this.rules.push(rule)
  }

  clearFaults(): void {
    this.rules = []
  }

  async stop(): Promise<void> {
    this.proxy.closeAllConnections()
    await new Promise<void>((resolve) => this.proxy.close(() => resolve()))
    const exited = new Promise((resolve) => this.child.once('exit', resolve))
    this.child.kill('SIGTERM')
    await exited
    await rm(this.dir, {recursive: true, force: true})
  }
}

/** Sets `vars` in process.env for the duration of a test; returns the undo. */
export function setEnv(vars: NodeJS.ProcessEnv): () => void {
  const before = new Map(Object.keys(vars).map((k) => [k, process.env[k]]))
  Object.assign(process.env, vars)
  return () => {
    for (const [k, v] of before) {
      if (v === undefined) delete process.env[k]
      else process.env[k] = v
    }
  }
}

/** What a suite's tests share: the server, and per test a fresh prefix and temporary directory. */
export interface TestS3Suite {
  s3: TestS3
  prefix: string
  dir: string
}

/**
 * Registers the hooks of a suite that uses one S3 server: started once with the SDK's environment
 * pointed at it, and for every test a new prefix (`<name><n>`), an empty temporary directory, no
 * faults and an empty request log.
 */
export function useTestS3(name: string): TestS3Suite {
  const suite = {} as TestS3Suite
  let undoEnv = () => {}
  let n = 0
  before(async () => {
    suite.s3 = await TestS3.start()
    undoEnv = setEnv(suite.s3.env())
  })
  after(async () => {
    undoEnv()
    await suite.s3.stop()
  })
  beforeEach(async () => {
    suite.dir = await mkdtemp(join(tmpdir(), `esc-${name}-`))
    suite.prefix = `${name}${++n}`
    suite.s3.clearFaults()
    suite.s3.requests.length = 0
  })
  afterEach(() => rm(suite.dir, {recursive: true, force: true}))
  return suite
}
