import {AsyncLocalStorage} from 'node:async_hooks'
import {open} from 'node:fs/promises'

import {traced} from './trace-timings.js'

/**
 * Flushing each copy to disk as it is made costs a journal commit and a device flush per file and
 * holds up the next copy. Inside `withDeferredFlush`, copies register their final path instead, and
 * the scope flushes them all at once when its work has succeeded, before returning: whatever the
 * caller writes next (a backup's manifest) never names data still in flight.
 */
interface FlushScope {
  paths: string[]
}

const scope = new AsyncLocalStorage<FlushScope>()

/** How many files are flushed at once: enough to keep the device's queue full. */
const FLUSH_CONCURRENCY = 8

export interface DeferredFlushOptions {
  /** Flushes one file (tests observe it); fsync by default. */
  fsync?: (path: string) => Promise<void>
}

export async function withDeferredFlush<T>(work: () => Promise<T>, opts: DeferredFlushOptions = {}): Promise<T> {
  const {result, flush} = await collectFlushes(work)
  await flush(opts)
  return result
}

/**
 * Runs `work` with the copies' flushes collected, and leaves them to the caller: it must await
 * `flush()` before writing anything that names the files, and may run read-only checks meanwhile
 * (the device writes back while the CPU checks).
 */
export async function collectFlushes<T>(
  work: () => Promise<T>,
): Promise<{result: T; flush: (opts?: DeferredFlushOptions) => Promise<void>}> {
  const current: FlushScope = {paths: []}
  const result = await scope.run(current, work)
  return {result, flush: (opts = {}) => flushAll([...new Set(current.paths)], opts.fsync ?? fsyncPath)}
}

async function flushAll(paths: string[], fsync: (path: string) => Promise<void>): Promise<void> {
  await traced(`flush ${paths.length} files`, async () => {
    let next = 0
    let failed: unknown
    const lanes = Array.from({length: Math.min(FLUSH_CONCURRENCY, paths.length)}, async () => {
      while (next < paths.length && failed === undefined) {
        const path = paths[next++]
        await fsync(path).catch((error: unknown) => {
          failed ??= error
        })
      }
    })
    await Promise.all(lanes)
    if (failed !== undefined) throw failed
  })
}

/**
 * Called by a copy that would flush `path` now: inside a scope, the flush is left to the scope and
 * this returns true; outside one it returns false and the caller flushes.
 */
export function deferFlush(path: string): boolean {
  const current = scope.getStore()
  if (!current) return false
  current.paths.push(path)
  return true
}

async function fsyncPath(path: string): Promise<void> {
  // Removed after its copy within the scope (a superseded PTable, a dropped chunk): nothing to flush.
  const fh = await open(path, 'r').catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return undefined
    throw error
  })
  if (!fh) return
  try {
    await fh.sync()
  } finally {
    await fh.close()
  }
}
