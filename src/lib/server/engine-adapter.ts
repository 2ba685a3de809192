import {readFile} from 'node:fs/promises'

import type {NodeAccess} from './store/clusters.js'

/**
 * What the operations runner needs from the KurrentDB engine (src/lib/kurrentdb). Tests inject a
 * fake; the server uses `loadEngine()`. The switch to the engine's real API is in this file only.
 */
export interface EngineBackupRequest {
  db: string
  index?: string
  backupDir: string
  /** The cluster's previous backup: unchanged completed chunks are hard-linked from it. */
  linkFrom?: string
  /** A self-hosted node's HTTP API (URL, credentials, TLS): the engine's node guard checks it during the copy. */
  nodeGuard?: {url: string} & NodeAccess
  signal: AbortSignal
}

export interface EngineRestoreRequest {
  backupDir: string
  db: string
  index?: string
  signal: AbortSignal
}

export interface LiveWriter {
  stop(): Promise<void>
}

export interface Engine {
  backup(request: EngineBackupRequest): Promise<{sizeBytes: number}>
  restore(request: EngineRestoreRequest): Promise<void>
  /** A backup is being deleted: release what it holds outside its directory (a backup store's copy). */
  forget?(request: {backupDir: string}): Promise<void>
  /** A new, empty data directory. */
  provision(db: string): Promise<void>
  generate(db: string, options: {chunks: number; chunkSize: number; eventsPerChunk?: number}): Promise<void>
  startWriter(db: string, options?: {intervalMs?: number}): Promise<LiveWriter>
  /** The time a change of a cluster (expand, resize, upgrade, stop, start) takes; its data is not touched. */
  changeCluster(request: EngineChangeRequest): Promise<void>
}

export interface EngineChangeRequest {
  kind: string
  db: string
  signal: AbortSignal
}

/**
 * How long a cluster change takes on the local cloud (ESC_LOCAL_CLUSTER_CHANGE_MS, default 2s): long
 * enough to see its status and its lock, as on the cloud where it takes minutes.
 */
function simulatedChange(signal: AbortSignal): Promise<void> {
  const configured = Number(process.env.ESC_LOCAL_CLUSTER_CHANGE_MS)
  const ms = Number.isFinite(configured) && configured >= 0 ? configured : 2000
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(new Error('aborted'))
    const timer = setTimeout(resolve, ms)
    signal.addEventListener(
      'abort',
      () => {
        clearTimeout(timer)
        reject(new Error('aborted'))
      },
      {once: true},
    )
  })
}

/**
 * Test hook (ESC_LOCAL_TEST_COPY_THROTTLE_MS): the copy stalls this long after each file, so a
 * small cluster takes seconds to back up and a test can kill or stop the server mid-copy, with
 * part of the files on disk. The stall blocks the thread on purpose (the engine's progress
 * callback is synchronous); never set it outside tests.
 */
function copyThrottle(): ((p: {file?: string}) => void) | undefined {
  const ms = Number(process.env.ESC_LOCAL_TEST_COPY_THROTTLE_MS ?? 0)
  if (!Number.isFinite(ms) || ms <= 0) return undefined
  const cell = new Int32Array(new SharedArrayBuffer(4))
  return (progress) => {
    if (progress.file) Atomics.wait(cell, 0, 0, ms)
  }
}

/** The real engine, imported on first use (the server starts without loading it). */
export function lazyEngine(): Engine {
  let loaded: Promise<Engine> | undefined
  const get = () => (loaded ??= loadEngine())
  return {
    backup: async (request) => (await get()).backup(request),
    restore: async (request) => (await get()).restore(request),
    provision: async (db) => (await get()).provision(db),
    generate: async (db, options) => (await get()).generate(db, options),
    startWriter: async (db, options) => (await get()).startWriter(db, options),
    // Nothing of the engine is needed: no reason to load it.
    changeCluster: (request) => simulatedChange(request.signal),
  }
}

async function guardOptions({caFile, ...rest}: {url: string} & NodeAccess) {
  const ca = caFile
    ? await readFile(caFile).catch((error: Error) => {
        throw new Error(`cannot read the node's CA file ${caFile}: ${error.message}`)
      })
    : undefined
  return {...rest, ca}
}

/** A new cluster's data directory: one ongoing chunk holding only the first epoch record, like a new node's. */
const EMPTY_CHUNK_SIZE = 1024 * 1024

export async function loadEngine(): Promise<Engine> {
  const engine = await import('../engine/index.js')
  return {
    async backup(request) {
      const manifest = await engine.backupNode({
        db: request.db,
        index: request.index,
        backupDir: request.backupDir,
        linkFrom: request.linkFrom,
        nodeGuard: request.nodeGuard ? await guardOptions(request.nodeGuard) : undefined,
        signal: request.signal,
        onProgress: copyThrottle(),
      })
      return {sizeBytes: engine.backupSizeBytes(manifest)}
    },
    async restore(request) {
      await engine.restoreBackup({backupDir: request.backupDir, db: request.db, index: request.index, signal: request.signal})
    },
    async provision(db) {
      await engine.generateDataDir(db, {chunks: 1, chunkSize: EMPTY_CHUNK_SIZE, eventsPerChunk: 1, withIndex: false})
    },
    async generate(db, options) {
      await engine.generateDataDir(db, {...options, withIndex: true})
    },
    async startWriter(db, options = {}) {
      const writer = new engine.WriterSimulator({db, intervalMs: options.intervalMs ?? 100, eventsPerAppend: 2, fsync: false})
      await writer.start()
      return {stop: () => writer.stop()}
    },
    changeCluster: (request) => simulatedChange(request.signal),
  }
}
