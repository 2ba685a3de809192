import {createHash} from 'node:crypto'
import {copyFile, link, open, rename, rm} from 'node:fs/promises'

import {deferFlush} from './deferred-flush.js'
import {throwIfAborted} from './format-error.js'
import {assertRegularFile, openRegular} from './regular-file.js'
import type {Slots} from './slots.js'
import {traced} from './trace-timings.js'

const PREFIX_BUFFER = 4 * 1024 * 1024

/** Sibling temp name for a file being written; never the final name, so a hard-linked file is never written through. */
export function partialName(path: string): string {
  return `${path}.esc-partial`
}

/**
 * Copies with fs.copyFile (copy_file_range in the kernel, reflink where the filesystem has it) to
 * a temp name, then renames. Writing in place would write through a hard link into the previous
 * backup; the rename replaces the directory entry instead. The copy is fsynced before the rename
 * (unless `sync` is false), or inside a deferred-flush scope together with the scope's other copies
 * at its end: the manifest written afterwards must never name data still in flight. With `copySlots`,
 * only the kernel copy waits for a slot: the check and flush of earlier copies go on meanwhile.
 * `copier` replaces the kernel copy (a copy that hashes what it writes, hashed-copy.ts).
 */
export async function copyFileAtomic(
  src: string,
  dst: string,
  then?: (tmp: string) => Promise<void>,
  sync = true,
  copySlots?: Slots,
  copier: (src: string, tmp: string) => Promise<unknown> = copyFile,
): Promise<void> {
  const tmp = partialName(dst)
  await rm(tmp, {force: true})
  await assertRegularFile(src)
  try {
    const copy = () => traced(`copy ${src}`, () => copier(src, tmp))
    await (copySlots ? copySlots.use(copy) : copy())
    // The flush to disk and the check of the copy (which reads it back from the page cache) overlap.
    const flushNow = sync && !deferFlush(dst)
    await Promise.all([
      flushNow ? traced(`fsync ${tmp}`, () => fsyncFile(tmp)) : undefined,
      then ? traced(`check ${tmp}`, () => then(tmp)) : undefined,
    ])
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
 * there) and the rest is pre-allocated space.
 */
export async function copyPrefixAtomic(
  src: string,
  dst: string,
  length: number,
  finalSize: number,
  signal?: AbortSignal,
): Promise<{md5: Buffer; copied: number}> {
  const tmp = partialName(dst)
  await rm(tmp, {force: true})
  const input = await openRegular(src)
  const output = await open(tmp, 'w')
  const hash = createHash('md5')
  let pos = 0
  try {
    const buf = Buffer.allocUnsafe(Math.min(PREFIX_BUFFER, Math.max(length, 1)))
    while (pos < length) {
      throwIfAborted(signal, 'backup')
      const {bytesRead} = await input.read(buf, 0, Math.min(buf.length, length - pos), pos)
      if (bytesRead === 0) break
      // Hash the very bytes handed to write(), while other copies run in the kernel.
      hash.update(buf.subarray(0, bytesRead))
      await output.write(buf, 0, bytesRead, pos)
      pos += bytesRead
    }
    if (pos < length) throw new Error(`${src} is shorter than the ${length} bytes writer.chk points to`)
    await output.truncate(finalSize)
    if (!deferFlush(dst)) await output.sync()
  } catch (error) {
    await output.close().catch(() => undefined)
    await rm(tmp, {force: true})
    throw error
  } finally {
    await input.close()
  }
  await output.close()
  await rename(tmp, dst)
  return {md5: hash.digest(), copied: pos}
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
    // A copy is new data (a link is not): flushed like every other copy before a manifest names it.
    await copyFile(src, tmp)
    if (!deferFlush(dst)) await fsyncFile(tmp)
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
