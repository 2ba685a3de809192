import {chmod, mkdir, mkdtemp, rm, writeFile} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

import type {Engine, EngineBackupRequest, EngineChangeRequest, EngineRestoreRequest} from '../../../src/lib/server/engine-adapter.js'
import {LocalCloud, type LocalCloudOptions} from '../../../src/lib/server/cloud.js'
import {newId} from '../../../src/lib/server/ids.js'

interface Deferred {
  promise: Promise<void>
  resolve: () => void
  reject: (error: Error) => void
}

function deferred(): Deferred {
  let resolve!: () => void
  let reject!: (error: Error) => void
  const promise = new Promise<void>((res, rej) => {
    resolve = res
    reject = rej
  })
  return {promise, resolve, reject}
}

/**
 * An engine that writes a small file per backup and, when `hold` is on, waits until the test
 * releases (or fails) each copy: tests decide when an operation ends.
 */
export class FakeEngine implements Engine {
  hold = false
  failWith?: string
  readonly backups: EngineBackupRequest[] = []
  readonly restores: EngineRestoreRequest[] = []
  readonly changes: EngineChangeRequest[] = []
  private readonly gates: Deferred[] = []
  private arrivals: Array<() => void> = []

  async backup(request: EngineBackupRequest): Promise<{sizeBytes: number}> {
    this.backups.push(request)
    // Modes as a copy from a node would bring them (0644/0755): the runner must restrict them.
    await mkdir(join(request.backupDir, 'sub'), {recursive: true, mode: 0o755})
    await chmod(request.backupDir, 0o755)
    await writeFile(join(request.backupDir, 'chunk-000000.000000'), 'data')
    await writeFile(join(request.backupDir, 'sub', 'f'), 'data')
    await chmod(join(request.backupDir, 'chunk-000000.000000'), 0o644)
    await chmod(join(request.backupDir, 'sub', 'f'), 0o644)
    await this.gate(request.signal)
    if (this.failWith) throw new Error(this.failWith)
    return {sizeBytes: 3 * 1024 ** 3 + 1}
  }

  async restore(request: EngineRestoreRequest): Promise<void> {
    this.restores.push(request)
    await mkdir(request.db, {recursive: true})
    await this.gate(request.signal)
    if (this.failWith) throw new Error(this.failWith)
  }

  async provision(db: string): Promise<void> {
    await mkdir(db, {recursive: true})
  }

  async generate(db: string): Promise<void> {
    await mkdir(db, {recursive: true})
  }

  async startWriter(): Promise<{stop(): Promise<void>}> {
    return {stop: async () => {}}
  }

  /** A cluster change (expand, resize…): held like a copy when `hold` is on. */
  async changeCluster(request: EngineChangeRequest): Promise<void> {
    this.changes.push(request)
    await this.gate(request.signal)
    if (this.failWith) throw new Error(this.failWith)
  }

  /** Lets the oldest held operation finish (or fail), once it has reached its gate. */
  async release(error?: Error): Promise<void> {
    if (this.gates.length === 0) await new Promise<void>((resolve) => this.arrivals.push(resolve))
    const gate = this.gates.shift()!
    if (error) gate.reject(error)
    else gate.resolve()
  }

  /** Resolves once an operation waits at its gate. */
  async reached(): Promise<void> {
    if (this.gates.length === 0) await new Promise<void>((resolve) => this.arrivals.push(resolve))
  }

  get waiting(): number {
    return this.gates.length
  }

  private async gate(signal: AbortSignal): Promise<void> {
    if (!this.hold) return
    const gate = deferred()
    this.gates.push(gate)
    const arrivals = this.arrivals
    this.arrivals = []
    for (const arrived of arrivals) arrived()
    signal.addEventListener('abort', () => gate.reject(new Error('aborted')), {once: true})
    await gate.promise
  }
}

export async function tempDir(prefix = 'esc-local-'): Promise<string> {
  return mkdtemp(join(tmpdir(), prefix))
}

export interface TestCloud {
  cloud: LocalCloud
  engine: FakeEngine
  dir: string
  token: string
  auth: {authorization: string}
  mesdb: string
  orchestrate: string
  close(): Promise<void>
}

/** A local cloud on a temp dir with a fake engine, driven through fastify's inject. */
export async function openTestCloud(options: Partial<LocalCloudOptions> & {dir?: string} = {}): Promise<TestCloud> {
  const dir = options.dir ?? (await tempDir())
  const engine = (options.engine as FakeEngine | undefined) ?? new FakeEngine()
  const cloud = await LocalCloud.open({schedule: false, ...options, dir, engine})
  const token = cloud.ctx.identity.issueAccessToken('test')
  const {organizationId: o, projectId: p} = cloud.defaults
  const t: TestCloud = {
    cloud,
    engine,
    dir,
    token,
    auth: {authorization: `Bearer ${token}`},
    mesdb: `/mesdb/v1/organizations/${o}/projects/${p}`,
    orchestrate: `/orchestrate/v1/organizations/${o}/projects/${p}`,
    async close() {
      await cloud.close(1000)
      if (!options.dir) await rm(dir, {recursive: true, force: true})
    },
  }
  // The network clusterBody names: clusters are created only on a network of their project.
  if (!cloud.ctx.store.networks.find(o, p, TEST_NETWORK_ID)) addNetwork(t, p, TEST_NETWORK_ID)
  return t
}

/** An available network of the default project of every test cloud (openTestCloud adds it). */
export const TEST_NETWORK_ID = 'c10dr5qrh41lbabqa2j0'

export const clusterBody = {
  description: 'Demo-Backup',
  diskSizeGb: 10,
  diskType: 'gp3',
  instanceType: 'F1',
  networkId: TEST_NETWORK_ID,
  projectionLevel: 'off',
  serverVersion: '24.10',
  topology: 'single-node',
}

/** Adds an available network to a project of the test cloud (as a settled create would); returns its id. */
export function addNetwork(t: TestCloud, projectId: string, id = newId()): string {
  t.cloud.ctx.store.networks.insert({
    id,
    organization_id: t.cloud.defaults.organizationId,
    project_id: projectId,
    provider: 'aws',
    region: 'local',
    cidr_block: '10.1.0.0/16',
    description: 'Test network',
    public_access: false,
    status: 'available',
    created: t.cloud.ctx.now().toISOString(),
    settles_at: null,
  })
  return id
}

/** Creates a cluster through the API and waits until it is available. */
export async function createCluster(t: TestCloud, body: Record<string, unknown> = clusterBody): Promise<string> {
  const res = await t.cloud.app.inject({method: 'POST', url: `${t.mesdb}/clusters`, headers: t.auth, payload: body})
  if (res.statusCode !== 202) throw new Error(`cluster create answered ${res.statusCode}: ${res.body}`)
  await t.cloud.ctx.runner.idle()
  return res.json().id
}

/** A minimal KurrentDB data directory: the two checkpoints attach looks for. */
export async function fakeDataDir(db: string): Promise<string> {
  await mkdir(db, {recursive: true})
  await writeFile(join(db, 'writer.chk'), Buffer.alloc(8))
  await writeFile(join(db, 'chaser.chk'), Buffer.alloc(8))
  return db
}
