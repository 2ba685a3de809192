import {createHash} from 'node:crypto'
import {readFile, readdir, rename, rm} from 'node:fs/promises'
import {join} from 'node:path'

import {EscError} from '../errors.js'
import type {BackupContext} from './backup-context.js'
import {CHUNK_FOOTER_SIZE, CHUNK_HEADER_SIZE, HASH_SIZE, decodeChunkFooter, parseChunkName, preallocatedChunkFileSize} from './chunk-format.js'
import {decodeCheckpoint} from './checkpoint.js'
import {copyFileAtomic, copyPrefixAtomic, linkOrCopy, runPool, writeFileAtomic} from './copy.js'
import {throwIfAborted} from './format-error.js'
import {type ChunkFile, discoverLayout, readChunkHeader} from './layout.js'
import {checkTrailerMd5, md5OfFile, readTail} from './md5.js'

/** Copied in this order (chaser and epoch before writer: the writer only grows, so they stay ≤ it). */
export const LOG_CHECKPOINT_ORDER = ['chaser.chk', 'epoch.chk', 'writer.chk', 'proposal.chk'] as const

export interface LogBackupResult {
  checkpoints: {writer: number; chaser: number; epoch: number; proposal: number; tag?: number}
  chunkSize: number
  lastChunk: number
  dropped: string[]
  duckdb: string[]
}

/**
 * The documented differential procedure for the log (steps 1–8), hardened against §5.3: chunks
 * starting after floor(writer/chunkSize) are dropped, a name already in the backup is re-copied
 * when size or footer MD5 differ, every copied completed chunk is verified from the bytes written,
 * and the ongoing chunk is copied up to writer.chk only.
 */
export async function backupLog(ctx: BackupContext, duckdb: string[]): Promise<LogBackupResult> {
  // Step 1: rename the last chunk in the backup to *.old so the formerly ongoing chunk is copied afresh.
  const old = await renameLastChunkToOld(ctx)
  // Steps 2–5: checkpoints, in order; plus tag.chk (main after v26.1) which the *.chk glob would catch.
  const values: Record<string, number> = {}
  for (const name of [...LOG_CHECKPOINT_ORDER, 'tag.chk']) {
    throwIfAborted(ctx.signal, 'backup')
    const bytes = await readFile(join(ctx.db, name)).catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT' && name !== 'writer.chk' && name !== 'chaser.chk') return undefined
      throw new EscError(`cannot read ${join(ctx.db, name)}: ${error.message}`)
    })
    if (!bytes) continue
    values[name] = decodeCheckpoint(bytes, join(ctx.db, name))
    await writeFileAtomic(join(ctx.staging, name), bytes)
    ctx.files.set(name, {path: name, kind: 'checkpoint', size: 8, md5: createHash('md5').update(bytes).digest('hex'), verified: true, origin: 'copied', value: values[name]})
  }
  const writer = values['writer.chk']
  // Step 6: list chunk files.
  const layout = await discoverLayout(ctx.db, ctx.index)
  if (layout.chunks.length === 0) throw new EscError(`${ctx.db} holds no chunk files; is --db the node's data directory?`)
  const chunkSize = (await readChunkHeader(join(ctx.db, layout.chunks[0].name))).chunkSize
  const lastChunk = Math.floor(writer / chunkSize)
  const planned = layout.chunks.filter((c) => c.start <= lastChunk)
  await assertNoGaps(ctx, layout.unreadable.filter((u) => (parseChunkName(u.name)?.start ?? 0) <= lastChunk), planned, lastChunk, writer, chunkSize)
  const dropped = layout.chunks.filter((c) => c.start > lastChunk).map((c) => c.name)
  for (const name of dropped) ctx.log(`${name}: starts after writer.chk (${writer}); left out so the restore's truncation succeeds`)
  ctx.progress.addTotal(planned.reduce((sum, c) => sum + (c.start === lastChunk ? Math.min(c.size, CHUNK_HEADER_SIZE + writer - c.start * chunkSize) : c.size), 0))
  // Step 7: copy what is not already in the backup (intact), in parallel.
  await runPool(planned, ctx.concurrency, (c) => copyChunk(ctx, c, {writer, chunkSize, lastChunk, old}), ctx.signal)
  throwIfAborted(ctx.signal, 'backup')
  // Step 8: remove chunks that are not in the list (the *.old file, switched-out and excess chunks).
  const keep = new Set(planned.map((c) => c.name))
  for (const name of await readdir(ctx.staging)) {
    if ((name.startsWith('chunk-') && !keep.has(name)) || name.endsWith('.esc-partial')) {
      await rm(join(ctx.staging, name), {force: true})
      ctx.files.delete(name)
    }
  }
  for (const name of ['truncate.chk']) ctx.files.delete(name)
  const checkpoints = {writer, chaser: values['chaser.chk'], epoch: values['epoch.chk'] ?? -1, proposal: values['proposal.chk'] ?? -1, ...(values['tag.chk'] === undefined ? {} : {tag: values['tag.chk']})}
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
}

async function copyChunk(ctx: BackupContext, c: ChunkFile, plan: ChunkPlan): Promise<void> {
  throwIfAborted(ctx.signal, 'backup')
  const src = join(ctx.db, c.name)
  const dst = join(ctx.staging, c.name)
  if (c.start === plan.lastChunk) {
    // The ongoing chunk: bytes up to writer.chk, then pre-allocated zeros like the original.
    const length = CHUNK_HEADER_SIZE + plan.writer - c.start * plan.chunkSize
    const {md5} = await copyPrefixAtomic(src, dst, length, preallocatedChunkFileSize(plan.chunkSize), ctx.signal)
    ctx.progress.advance(length, c.name)
    ctx.files.set(c.name, {path: c.name, kind: 'chunk', size: preallocatedChunkFileSize(plan.chunkSize), md5: md5.toString('hex'), hashedBytes: length, completed: false, verified: true, origin: 'copied'})
    return
  }
  const source = await readTail(src, HASH_SIZE)
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
  await copyFileAtomic(src, dst, async (tmp) => {
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
      const check = await checkTrailerMd5(tmp, ctx.signal)
      if (!check.ok) {
        throw new EscError(`${c.name}: the copy fails its footer MD5 (stored ${check.stored.toString('hex')}, computed ${check.computed.toString('hex')}); the node's file may be damaged — check it with \`esc node verify\``)
      }
    }
    entry = {md5: footer.md5.toString('hex'), completed: true, verified: ctx.verify, size: tail.size}
  })
  ctx.progress.advance(c.size, c.name)
  ctx.files.set(c.name, {path: c.name, kind: 'chunk', ...entry!, origin: 'copied'})
}

/**
 * The chunks to copy must cover the log without holes: an unreadable chunk (dangling symlink,
 * directory) or a missing one fails the backup instead of producing one the node cannot start
 * from. Chunks missing only at the start are allowed, with a warning (an archive-enabled node
 * keeps its oldest chunks in the archive).
 */
async function assertNoGaps(ctx: BackupContext, unreadable: {name: string; reason: string}[], planned: ChunkFile[], lastChunk: number, writer: number, chunkSize: number): Promise<void> {
  if (unreadable.length > 0) {
    const u = unreadable[0]
    throw new EscError(`${join(ctx.db, u.name)} cannot be read (${u.reason}); the backup would have a hole in the log`)
  }
  if (planned.length === 0) return
  let expected = planned[0].start
  if (expected > 0) ctx.warnings.push(`chunks 0..${expected - 1} are not on this node (an archive-enabled node keeps them in the archive)`)
  for (const c of planned) {
    if (c.start !== expected) throw new EscError(`${ctx.db}: chunk ${expected} is missing (the log jumps to ${c.name}); the backup would have a hole in the log`)
    expected = c.version === 0 ? c.start + 1 : (await readChunkHeader(join(ctx.db, c.name))).endNumber + 1
  }
  if (expected < lastChunk || (expected === lastChunk && writer !== lastChunk * chunkSize)) {
    throw new EscError(`${ctx.db}: chunk ${expected} is missing although writer.chk (${writer}) is in chunk ${lastChunk}`)
  }
}
