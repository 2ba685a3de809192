import {copyFile, link, open, rename, rm} from 'node:fs/promises'

import {AbortError, throwIfAborted} from './format-error.js'
import {type CopyHashed, copyHashedParallel} from './md5-pool.js'
import {assertRegularFile} from './regular-file.js'

/** Sibling temp name for a file being written; never the final name, so a hard-linked file is never written through. */
export function partialName(path: string): string {
  return `${path}.esc-partial`
}

/**
 * Copies with fs.copyFile (copy_file_range in the kernel, reflink where the filesystem has it) to
 * a temp name, then renames. Writing in place would write through a hard link into the previous
 * backup; the rename replaces the directory entry instead. The copy is fsynced before the rename
 * (unless `sync` is false): the manifest written afterwards must never name data still in flight.
 */
export async function copyFileAtomic(src: string, dst: string, then?: (tmp: string) => Promise<void>, sync = true): Promise<void> {
  const tmp = partialName(dst)
  await rm(tmp, {force: true})
  await assertRegularFile(src)
  try {
    await copyFile(src, tmp)
    // The flush to disk and the check of the copy (which reads it back from the page cache) overlap.
    await Promise.all([sync ? fsyncFile(tmp) : undefined, then ? then(tmp) : undefined])
    await rename(tmp, dst)
  } catch (error) {
    await rm(tmp, {force: true})
    throw error
  }
}

export async function fsyncFile(path: string): Promise<void> {
  const fh = await open(path, 'r')
  try {
    await fh.sync()
  } finally {
    await fh.close()
  }
}

/**
 * Copies the first `length` bytes and extends the copy with zeros to `finalSize`, hashing what it
 * copied. Used for the ongoing chunk: only data up to writer.chk matters (a restore truncates
 * there) and the rest is pre-allocated space. The copy and its hash run on a worker thread (the
 * ongoing chunk can hold a whole chunk of data: hashing it on the event loop kept every other copy
 * waiting); the flush runs on libuv's pool while the worker takes the next file.
 */
export async function copyPrefixAtomic(
  src: string,
  dst: string,
  length: number,
  finalSize: number,
  signal?: AbortSignal,
): Promise<{md5: Buffer; copied: number}> {
  const copied = await copyHashedAtomic(src, dst, {length, hashEnd: length, prefix: true, finalSize}, signal)
  return {md5: copied.md5, copied: length}
}

/**
 * Copies `src` to a temp name next to `dst` on a worker thread, hashing `[0, hashEnd)` of the bytes
 * handed to write() (one read of the source, no read-back of the copy), fsyncs the copy, runs
 * `check` on the hash and the file's last 16 bytes (a mismatch throws: the copy goes), then renames
 * it into place. `length` defaults to the whole file, which must then keep its size while copied.
 */
export async function copyHashedAtomic(
  src: string,
  dst: string,
  opts: {length?: number; hashEnd?: number; prefix?: boolean; finalSize?: number},
  signal?: AbortSignal,
  check?: (copied: CopyHashed) => void,
): Promise<CopyHashed> {
  const tmp = partialName(dst)
  await rm(tmp, {force: true})
  const length = opts.length ?? (await assertRegularFile(src)).size
  const abort = new Int32Array(new SharedArrayBuffer(4))
  const stop = () => Atomics.store(abort, 0, 1)
  signal?.addEventListener('abort', stop, {once: true})
  try {
    throwIfAborted(signal, 'backup')
    const copied = await copyHashedParallel({
      src,
      dsts: [tmp],
      length,
      hashEnd: opts.hashEnd ?? length,
      prefix: opts.prefix,
      finalSize: opts.finalSize,
      sync: false,
      abort,
    })
    if (!copied) throw new AbortError('backup interrupted')
    check?.(copied)
    await fsyncFile(tmp)
    await rename(tmp, dst)
    return copied
  } catch (error) {
    await rm(tmp, {force: true})
    throw error
  } finally {
    signal?.removeEventListener('abort', stop)
  }
}

/** Hard-links `src` to `dst` (replacing dst); falls back to a copy across filesystems. */
export async function linkOrCopy(src: string, dst: string): Promise<'linked' | 'copied'> {
  const tmp = partialName(dst)
  await rm(tmp, {force: true})
  await assertRegularFile(src)
  try {
    await link(src, tmp)
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EXDEV' && (error as NodeJS.ErrnoException).code !== 'EPERM') throw error
    await copyFile(src, tmp)
    await rename(tmp, dst)
    return 'copied'
  }
  await rename(tmp, dst)
  return 'linked'
}

/** Runs `worker` over `items` with at most `concurrency` in flight; stops starting new ones on abort or error. */
export async function runPool<T>(items: T[], concurrency: number, worker: (item: T) => Promise<void>, signal?: AbortSignal): Promise<void> {
  let next = 0
  let failed: unknown
  const lanes = Array.from({length: Math.max(1, Math.min(concurrency, items.length))}, async () => {
    while (next < items.length && failed === undefined) {
      if (signal?.aborted) return
      const item = items[next++]
      try {
        await worker(item)
      } catch (error) {
        failed ??= error
      }
    }
  })
  await Promise.all(lanes)
  if (failed !== undefined) throw failed
}
