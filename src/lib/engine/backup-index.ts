import {createHash} from 'node:crypto'
import {lstat, mkdir, readFile, readdir, stat} from 'node:fs/promises'
import {join} from 'node:path'

import {writeFileAtomic} from '../core/atomic-write.js'
import {EscError} from '../core/errors.js'
import type {BackupContext} from './backup-context.js'
import {removeInside} from './contained-path.js'
import {copyFileAtomic, partialName, runPool} from './copy.js'
import {FormatError, throwIfAborted} from './format-error.js'
import {type IndexMap, parseIndexMap} from './indexmap.js'
import {INDEXMAP, SCAVENGING_DB, STREAM_EXISTENCE_CHK, STREAM_EXISTENCE_DAT, listIndexFiles} from './layout.js'
import type {ManifestFile, ManifestFileKind} from './manifest.js'
import {md5OfFile, readTail} from './md5.js'
import {HASHES_AHEAD} from './md5-pool.js'
import {isBloomFilterName, isPTableName, verifyPTable} from './ptable.js'
import {NotRegularFileError, readRegularFile} from './regular-file.js'
import {INDEXMAP_READ_LIMIT} from './source-check.js'
import {vanishedFromNode} from './vanished.js'

const MAX_INDEXMAP_ATTEMPTS = 50
const INDEXMAP_WAIT_MS = 20
const INDEXMAP_WAIT_LIMIT = 1500

export interface IndexBackupResult {
  map?: IndexMap
  attempts: number
}

/**
 * The documented differential procedure for the index (steps 1–9), hardened: only PTables the
 * copied indexmap references are copied (a half-written PTable is never picked up), each copy's
 * MD5 is verified, and a name already in the backup is re-copied when its size or hash differ.
 */
export async function backupIndex(ctx: BackupContext): Promise<IndexBackupResult> {
  const dst = join(ctx.staging, 'index')
  await mkdir(dst, {recursive: true})
  const listing = await listIndexFiles(ctx.index)
  let map: IndexMap | undefined
  let attempts = 0
  // Step 1: no files in the index directory → step 7 (stale index files in the backup go too).
  // PTables without an indexmap: it is between delete and rename, so step 2 waits for it.
  if (listing.anyFiles && (listing.hasIndexMap || listing.ptables.length > 0)) {
    // Bloom filters deleted on the node while this step ran; they matter only if the final copy
    // of the indexmap still references their table (otherwise a merge removed both).
    const vanished = new Set<string>()
    for (;;) {
      throwIfAborted(ctx.signal, 'backup')
      if (++attempts > MAX_INDEXMAP_ATTEMPTS)
        throw new EscError(
          `the indexmap in ${ctx.index} kept changing (the node kept merging PTables) during ${MAX_INDEXMAP_ATTEMPTS} attempts; retry the backup`,
          {kind: 'conflict'},
        )
      // A merge in progress replaces the indexmap and deletes tables in quick succession: give it a moment.
      if (attempts > 1) await ctx.sleep(INDEXMAP_WAIT_MS)
      // Step 2: copy indexmap, waiting while it is between delete and rename.
      const copied = await readIndexMapWhenPresent(ctx)
      map = parseIndexMap(copied, 'indexmap')
      await writeIndexFile(ctx, INDEXMAP, copied, 'indexmap')
      // Step 3: list PTables and bloom filters.
      const files = await listIndexFiles(ctx.index)
      const listed = new Set([...files.ptables, ...files.bloomfilters])
      const referenced = map.tables.map((t) => t.file)
      // A referenced table missing from the listing was merged away after our copy: start over.
      if (referenced.some((name) => !listed.has(name))) continue
      // Step 4 (hardened): copy referenced PTables (+ bloom filters) not already in the backup intact.
      const ok = await copyReferenced(ctx, referenced, listed, vanished)
      // Step 5: compare the node's indexmap with the backup's copy; changed or gone → step 2.
      const now = await readRegularFile(join(ctx.index, INDEXMAP), INDEXMAP_READ_LIMIT).catch(() => undefined)
      const inBackup = await readFile(join(dst, INDEXMAP))
      if (!ok || !now || !now.equals(inBackup)) continue
      break
    }
    for (const t of map?.tables ?? []) {
      const bloom = `${t.file}.bloomfilter`
      if (!vanished.has(bloom) || ctx.files.has(`index/${bloom}`)) continue
      await removeInside(join(dst, bloom), dst, ctx.protect)
      ctx.log(`index/${bloom}: deleted on the node during the copy; left out (the node runs without it)`)
    }
  }
  // Step 6 (hardened): drop index files the copied indexmap does not reference.
  const keep = new Set<string>(map ? map.tables.flatMap((t) => [t.file, `${t.file}.bloomfilter`]) : [])
  for (const name of await readdir(dst).catch(() => [] as string[])) {
    const isIndexFile = isPTableName(name) || isBloomFilterName(name) || name === INDEXMAP
    if ((isIndexFile && !keep.has(name) && !(name === INDEXMAP && map)) || name.endsWith('.esc-partial')) {
      await removeInside(join(dst, name), dst, ctx.protect)
      ctx.files.delete(`index/${name}`)
    }
  }
  // Steps 7–9: stream-existence checkpoint before its data file, then the scavenge state.
  await copyOptional(ctx, STREAM_EXISTENCE_CHK, 'stream-existence', true)
  await copyOptional(ctx, STREAM_EXISTENCE_DAT, 'stream-existence', false)
  await copyOptional(ctx, SCAVENGING_DB, 'scavenge-db', false)
  return {map, attempts}
}

async function readIndexMapWhenPresent(ctx: BackupContext): Promise<Buffer> {
  for (let waited = 0; ; waited++) {
    try {
      return await readRegularFile(join(ctx.index, INDEXMAP), INDEXMAP_READ_LIMIT)
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error
      if (waited >= INDEXMAP_WAIT_LIMIT) {
        throw new FormatError(
          join(ctx.index, INDEXMAP),
          'missing',
          `${join(ctx.index, INDEXMAP)} is missing while the index directory holds PTables (waited ${(INDEXMAP_WAIT_LIMIT * INDEXMAP_WAIT_MS) / 1000} s for the node to write it)`,
          {advice: 'index'},
        )
      }
      throwIfAborted(ctx.signal, 'backup')
      await ctx.sleep(INDEXMAP_WAIT_MS)
    }
  }
}

/**
 * Returns false when a referenced file vanished or changed while copying (the indexmap moved on).
 * PTables are independent files: several are copied and checked at once, so their hashes share
 * the MD5 workers' lanes instead of running one after the other on the event loop.
 */
async function copyReferenced(ctx: BackupContext, referenced: string[], listed: Set<string>, vanished: Set<string>): Promise<boolean> {
  let intact = true
  await runPool(
    referenced,
    HASHES_AHEAD,
    async (name) => {
      if (intact && !(await copyOneReferenced(ctx, name, listed, vanished))) intact = false
    },
    ctx.signal,
  )
  throwIfAborted(ctx.signal, 'backup')
  return intact
}

async function copyOneReferenced(ctx: BackupContext, name: string, listed: Set<string>, vanished: Set<string>): Promise<boolean> {
  throwIfAborted(ctx.signal, 'backup')
  const src = join(ctx.index, name)
  const rel = `index/${name}`
  const dst = join(ctx.staging, rel)
  let srcTail: {size: number; tail: Buffer}
  try {
    srcTail = await readTail(src, 16)
  } catch (error) {
    if (await vanishedFromNode(error, src)) return false
    if (error instanceof EscError) throw error
    const reason = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'dangling symbolic link' : (error as Error).message
    throw new FormatError(src, reason, `${src}, referenced by the indexmap, cannot be read: ${reason}`)
  }
  const have = await readTail(dst, 16).catch(() => undefined)
  // Already in the backup intact (kept from the previous run, or copied in an earlier attempt).
  if (!(have && have.size === srcTail.size && have.tail.equals(srcTail.tail) && ctx.files.has(rel))) {
    if (have) ctx.log(`${rel}: differs from the node's copy (size or hash), copying again`)
    ctx.progress.addTotal(srcTail.size)
    try {
      await copyFileAtomic(src, dst, async (tmp) => {
        await verifyPTable(tmp, ctx.signal)
      })
    } catch (error) {
      if (await vanishedFromNode(error, src)) return false
      throw new EscError(`PTable ${name} referenced by the indexmap fails verification: ${(error as Error).message}`, {cause: error})
    }
    ctx.progress.advance(srcTail.size, rel)
    ctx.files.set(rel, {
      path: rel,
      kind: 'ptable',
      size: srcTail.size,
      md5: srcTail.tail.toString('hex'),
      verified: true,
      origin: 'copied',
    })
  }
  // A bloom filter is optional (the node runs without one, only slower): one deleted since the
  // listing is left out; a merge that deleted it also replaced the indexmap, which step 5 notices.
  const bloom = `${name}.bloomfilter`
  if (listed.has(bloom) && !(await copyIfChanged(ctx, join(ctx.index, bloom), `index/${bloom}`, 'bloomfilter'))) vanished.add(bloom)
  return true
}

/** Copies `src` unless the backup already has it; false when `src` is gone from the node. */
async function copyIfChanged(ctx: BackupContext, src: string, rel: string, kind: ManifestFileKind): Promise<boolean> {
  const dst = join(ctx.staging, rel)
  const [s, d] = await Promise.all([stat(src).catch(() => undefined), stat(dst).catch(() => undefined)])
  if (!s) return false
  if (!s.isFile()) throw new NotRegularFileError(src, s)
  const known = ctx.files.get(rel)
  if (d && known && d.size === s.size && kind === 'bloomfilter') return true // written once, never rewritten
  ctx.progress.addTotal(s.size)
  let entry: ManifestFile | undefined
  try {
    await copyFileAtomic(src, dst, async (tmp) => {
      const size = (await stat(tmp)).size
      entry = {path: rel, kind, size, md5: (await md5OfFile(tmp, undefined, ctx.signal)).toString('hex'), verified: true, origin: 'copied'}
    })
  } catch (error) {
    if (await vanishedFromNode(error, src)) return false
    throw error
  }
  ctx.progress.advance(s.size, rel)
  ctx.files.set(rel, entry!)
  return true
}

async function copyOptional(ctx: BackupContext, relInIndex: string, kind: ManifestFileKind, isCheckpoint: boolean): Promise<void> {
  throwIfAborted(ctx.signal, 'backup')
  const src = join(ctx.index, relInIndex)
  const rel = `index/${relInIndex.split('\\').join('/')}`
  const dst = join(ctx.staging, rel)
  const exists = await lstat(src).catch(() => undefined)
  if (!exists) {
    if (await removeInside(dst, ctx.staging, ctx.protect)) ctx.files.delete(rel)
    return
  }
  await mkdir(join(dst, '..'), {recursive: true})
  if (isCheckpoint) {
    // Checked before anything is written, and written once (temp, fsync, rename).
    const bytes = await readRegularFile(src, 64)
    if (bytes.length !== 8) throw new EscError(`${src} is ${bytes.length} bytes; a checkpoint must be exactly 8`)
    await writeIndexFile(ctx, relInIndex, bytes, kind, Number(bytes.readBigInt64LE(0)))
    return
  }
  // Deleted on the node since the check above: as if it had not been there.
  if (!(await copyIfChanged(ctx, src, rel, kind)) && (await removeInside(dst, ctx.staging, ctx.protect))) ctx.files.delete(rel)
}

async function writeIndexFile(
  ctx: BackupContext,
  relInIndex: string,
  bytes: Buffer,
  kind: ManifestFileKind,
  value?: number,
): Promise<void> {
  const rel = `index/${relInIndex}`
  const target = join(ctx.staging, rel)
  await writeFileAtomic(target, bytes, {tempPath: partialName(target)})
  ctx.files.set(rel, {
    path: rel,
    kind,
    size: bytes.length,
    md5: createHash('md5').update(bytes).digest('hex'),
    verified: true,
    origin: 'copied',
    ...(value === undefined ? {} : {value}),
  })
}
