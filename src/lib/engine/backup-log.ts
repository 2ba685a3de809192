import {createHash} from 'node:crypto'
import {readdir, rename} from 'node:fs/promises'
import {join} from 'node:path'

import {writeFileAtomic} from '../core/atomic-write.js'
import {EscError} from '../core/errors.js'
import type {BackupContext} from './backup-context.js'
import {
  CHUNK_FOOTER_SIZE,
  CHUNK_HEADER_SIZE,
  HASH_SIZE,
  decodeChunkFooter,
  parseChunkName,
  preallocatedChunkFileSize,
} from './chunk-format.js'
import {removeInside} from './contained-path.js'
import {copyFileAtomic, copyPrefixAtomic, linkOrCopy, partialName, runPool} from './copy.js'
import {HashedCopier} from './hashed-copy.js'
import {throwIfAborted} from './format-error.js'
import {type ChunkFile, discoverLayout} from './layout.js'
import {checkTrailerMd5, md5OfFile, readTail} from './md5.js'
import {HASHES_AHEAD} from './md5-pool.js'
import {Slots} from './slots.js'
import {type CheckpointRead, LOG_CHECKPOINT_ORDER, assertCheckpoints, planLog, readNodeCheckpoint} from './source-check.js'
import {traced} from './trace-timings.js'
import {walkOngoingChunk} from './record-walk.js'
import {chunkCopyError} from './vanished.js'

export interface LogBackupResult {
  checkpoints: {writer: number; chaser: number; epoch: number; proposal: number; tag?: number}
  chunkSize: number
  lastChunk: number
  dropped: string[]
  duckdb: string[]
}

/**
 * The differential procedure for the log (steps 1–8; docs/engine.md, "The procedure, and the hazards
 * it handles"), hardened against the hazards listed there: chunks
 * starting after floor(writer/chunkSize) are dropped, a name already in the backup is re-copied
 * when size or footer MD5 differ, every copied completed chunk is verified from the bytes written,
 * and the ongoing chunk is copied up to writer.chk only.
 */
export async function backupLog(ctx: BackupContext, duckdb: string[]): Promise<LogBackupResult> {
  // Step 1: rename the last chunk in the backup to *.old so the formerly ongoing chunk is copied afresh.
  const old = await renameLastChunkToOld(ctx)
  // Steps 2–5: checkpoints, in order (chaser and epoch before writer); plus tag.chk (main after
  // v26.1), which the *.chk glob would catch. Each is checked before it is written.
  const values: Record<string, number> = {}
  const reads: CheckpointRead[] = []
  for (const name of LOG_CHECKPOINT_ORDER) {
    throwIfAborted(ctx.signal, 'backup')
    const read = await readNodeCheckpoint(ctx.db, name)
    if (!read) continue
    values[name] = read.value
    reads.push(read)
  }
  const writer = values['writer.chk']
  assertCheckpoints(ctx.db, {writer, chaser: values['chaser.chk'], epoch: values['epoch.chk'], proposal: values['proposal.chk']})
  for (const {name, bytes, value} of reads) {
    const target = join(ctx.staging, name)
    await writeFileAtomic(target, bytes, {tempPath: partialName(target)})
    ctx.files.set(name, {
      path: name,
      kind: 'checkpoint',
      size: 8,
      md5: createHash('md5').update(bytes).digest('hex'),
      verified: true,
      origin: 'copied',
      value,
    })
  }
  // Step 6: list chunk files; the range up to writer.chk must be whole (the node may have moved on
  // since the run's first check: this is the listing the copy uses).
  const {chunkSize, lastChunk, planned, excess} = await planLog(await discoverLayout(ctx.db, ctx.index), writer)
  const dropped = excess.map((c) => c.name)
  for (const name of dropped) ctx.log(`${name}: starts after writer.chk (${writer}); left out so the restore's truncation succeeds`)
  ctx.progress.addTotal(
    planned.reduce(
      (sum, c) => sum + (c.start === lastChunk ? Math.min(c.size, CHUNK_HEADER_SIZE + writer - c.start * chunkSize) : c.size),
      0,
    ),
  )
  // Step 7: copy what is not already in the backup (intact), in parallel. The ongoing chunk goes
  // first: it is copied and hashed on the event loop, which then overlaps the kernel copies and
  // worker hashes of the completed chunks instead of running alone after them.
  // `ctx.concurrency` kernel copies run at once, and up to HASHES_AHEAD more chunks wait for or
  // run their check: the MD5 workers hash several files in one pass (md5-pool.ts), so they need
  // that many pending to run at full speed.
  const order = [...planned.filter((c) => c.start === lastChunk), ...planned.filter((c) => c.start !== lastChunk)]
  const copySlots = new Slots(ctx.concurrency)
  const copier = new HashedCopier(ctx.protect)
  const copy = (c: ChunkFile) =>
    copyChunk(ctx, c, {writer, chunkSize, lastChunk, old, copySlots, copier}).catch(async (error: unknown) => {
      throw await chunkCopyError(error, join(ctx.db, c.name))
    })
  await runPool(order, ctx.concurrency + (ctx.verify ? HASHES_AHEAD : 0), copy, ctx.signal)
  throwIfAborted(ctx.signal, 'backup')
  // Step 8: remove chunks that are not in the list (the *.old file, switched-out and excess chunks).
  const keep = new Set(planned.map((c) => c.name))
  for (const name of await readdir(ctx.staging)) {
    if ((name.startsWith('chunk-') && !keep.has(name)) || name.endsWith('.esc-partial')) {
      await removeInside(join(ctx.staging, name), ctx.staging, ctx.protect)
      ctx.files.delete(name)
    }
  }
  for (const name of ['truncate.chk']) ctx.files.delete(name)
  const checkpoints = {
    writer,
    chaser: values['chaser.chk'],
    epoch: values['epoch.chk'] ?? -1,
    proposal: values['proposal.chk'] ?? -1,
    ...(values['tag.chk'] === undefined ? {} : {tag: values['tag.chk']}),
  }
  return {checkpoints, chunkSize, lastChunk, dropped, duckdb}
}

async function renameLastChunkToOld(ctx: BackupContext): Promise<string | undefined> {
  const names = (await readdir(ctx.staging)).filter((n) => parseChunkName(n)).sort()
  const last = names.at(-1)
  if (!last) return undefined
  await rename(join(ctx.staging, last), join(ctx.staging, `${last}.old`))
  return last
}

interface ChunkPlan {
  writer: number
  chunkSize: number
  lastChunk: number
  old?: string
  copySlots: Slots
  copier: HashedCopier
}

/** Whether the node's chunk footer says it is completed; one that cannot be decoded leaves it to the copy's own check. */
function isCompletedChunk(footer: Buffer, name: string): boolean {
  try {
    return decodeChunkFooter(footer, name).isCompleted
  } catch {
    return false
  }
}

async function copyChunk(ctx: BackupContext, c: ChunkFile, plan: ChunkPlan): Promise<void> {
  throwIfAborted(ctx.signal, 'backup')
  const src = join(ctx.db, c.name)
  const dst = join(ctx.staging, c.name)
  if (c.start === plan.lastChunk) {
    // The ongoing chunk: bytes up to writer.chk, then pre-allocated zeros like the original.
    const length = CHUNK_HEADER_SIZE + plan.writer - c.start * plan.chunkSize
    const {md5} = await copyPrefixAtomic(src, dst, length, preallocatedChunkFileSize(plan.chunkSize), ctx.signal)
    // The final check walks the copy's records; walked now, while the other chunks copy, that
    // check skips it. A failure here is left for the final check to report.
    await traced(`walk ${c.name}`, () => walkOngoingChunk(dst, c.start, plan.chunkSize, length)).then(
      () => ctx.recordsChecked.set(c.name, length),
      () => undefined,
    )
    ctx.progress.advance(length, c.name)
    ctx.files.set(c.name, {
      path: c.name,
      kind: 'chunk',
      size: preallocatedChunkFileSize(plan.chunkSize),
      md5: md5.toString('hex'),
      hashedBytes: length,
      completed: false,
      verified: true,
      origin: 'copied',
    })
    return
  }
  // The footer, read once: its last 16 bytes are the stored MD5.
  const {size: sourceSize, tail: sourceFooter} = await readTail(src, CHUNK_FOOTER_SIZE)
  const source = {size: sourceSize, tail: sourceFooter.subarray(Math.max(0, sourceFooter.length - HASH_SIZE))}
  const sourceMd5 = source.tail.toString('hex')
  // Already in the backup (or the *.old of the previous run) with the same size and footer MD5: keep it.
  const known = ctx.previous?.byPath.get(c.name)
  for (const candidate of [c.name, plan.old === c.name ? `${c.name}.old` : undefined]) {
    if (!candidate || !known?.completed) continue
    const have = await readTail(join(ctx.staging, candidate), HASH_SIZE).catch(() => undefined)
    if (!have) continue
    if (have.size === source.size && have.tail.equals(source.tail) && known.md5 === sourceMd5) {
      if (candidate !== c.name) await rename(join(ctx.staging, candidate), dst)
      ctx.files.set(c.name, {...known, origin: 'kept'})
      ctx.progress.advance(c.size, c.name)
      return
    }
    if (candidate === c.name) ctx.log(`${c.name}: same name, different size or footer MD5 than the backup's copy; copying again`)
  }
  const linked = ctx.linkFrom?.byPath.get(c.name)
  if (linked?.completed && linked.size === source.size && linked.md5 === sourceMd5) {
    const how = await linkOrCopy(join(ctx.linkFrom!.dataDir, c.name), dst)
    ctx.files.set(c.name, {...linked, origin: how === 'linked' ? 'linked' : 'copied'})
    ctx.progress.advance(c.size, c.name)
    return
  }
  let entry: {md5: string; completed: boolean; verified: boolean; size: number} | undefined
  // A verified copy of a completed chunk is hashed as it is written where it can be (hashed-copy.ts),
  // else read back and hashed; unverified copies are the kernel's.
  let computed: Buffer | undefined
  const hashWhileCopying = ctx.verify && isCompletedChunk(sourceFooter, c.name)
  const copyAndHash = async (from: string, tmp: string) => {
    computed = await plan.copier.copy(from, tmp, ctx.staging, source.size - HASH_SIZE, ctx.signal)
  }
  await copyFileAtomic(
    src,
    dst,
    async (tmp) => {
      const tail = await readTail(tmp, CHUNK_FOOTER_SIZE)
      const footer = decodeChunkFooter(tail.tail, c.name)
      if (!footer.isCompleted) {
        // Not completed although below the last chunk: the one case is a chunk ending exactly at
        // writer.chk that the server completes on open. Hash what was written.
        entry = {md5: (await md5OfFile(tmp, undefined, ctx.signal)).toString('hex'), completed: false, verified: true, size: tail.size}
        ctx.warnings.push(`${c.name} is below the last chunk but not completed; the node completes it on start`)
        return
      }
      if (ctx.verify) {
        const stored = tail.tail.subarray(tail.tail.length - HASH_SIZE)
        const check =
          computed && tail.size === source.size ? {ok: computed.equals(stored), stored, computed} : await checkTrailerMd5(tmp, ctx.signal)
        if (!check.ok) {
          throw new EscError(
            `${c.name}: the copy fails its footer MD5 (stored ${check.stored.toString('hex')}, computed ${check.computed.toString('hex')}); the node's file may be damaged — check it with \`esc node verify\``,
          )
        }
      }
      entry = {md5: footer.md5.toString('hex'), completed: true, verified: ctx.verify, size: tail.size}
    },
    true,
    hashWhileCopying ? undefined : plan.copySlots,
    hashWhileCopying ? copyAndHash : undefined,
  )
  ctx.progress.advance(c.size, c.name)
  ctx.files.set(c.name, {path: c.name, kind: 'chunk', ...entry!, origin: 'copied'})
}
