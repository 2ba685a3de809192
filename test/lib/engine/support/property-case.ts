import {strict as assert} from 'node:assert'
import {execFileSync} from 'node:child_process'
import {constants} from 'node:fs'
import {access, copyFile, mkdir, mkdtemp, readdir, rm, symlink, unlink, writeFile} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import {join, relative} from 'node:path'

import {backupNode, generateDataDir, restoreBackup, verifyDirectory} from '../../../../src/lib/engine/index.js'
import {snapshotTree} from './sandbox.js'

/**
 * The sandbox each generated case runs in: a copy of a template holding a tiny node (`db`, its
 * index inside), a sound backup of it (`bk`), and a bystander directory (`victim`) that no run may
 * touch. Copying a template keeps a case to a few milliseconds, so thousands of them fit in CI.
 */
export const CHUNK = 4096
export const RUN_BOUND_MS = 5000

/** Cases scale with ESC_PROPERTY_SCALE (e.g. 10 for a long local run); the seed with ESC_PROPERTY_SEED. */
export function runs(count: number): number {
  const scale = Number(process.env.ESC_PROPERTY_SCALE ?? 1)
  return Math.max(1, Math.round(count * (Number.isFinite(scale) && scale > 0 ? scale : 1)))
}

export const SEED = Number(process.env.ESC_PROPERTY_SEED ?? 20_261_203)

export interface Template {
  root: string
  /** A fresh copy per case. */
  newCase(): Promise<Case>
  remove(): Promise<void>
}

export interface Case {
  root: string
  db: string
  index: string
  bk: string
  victim: string
  remove(): Promise<void>
}

/** Memory-backed when the machine has /dev/shm: a case's fsyncs then cost nothing, and thousands fit in CI. */
async function scratchDir(): Promise<string> {
  const shm = '/dev/shm'
  const usable = await access(shm, constants.W_OK).then(
    () => true,
    () => false,
  )
  return mkdtemp(join(usable ? shm : tmpdir(), 'esc-prop-'))
}

/** The template's directories (parents first) and files, copied per case without fs.cp's per-entry overhead. */
async function listTemplate(root: string): Promise<{dirs: string[]; files: string[]}> {
  const entries = await readdir(root, {recursive: true, withFileTypes: true})
  const rel = (e: {parentPath: string; name: string}) => relative(root, join(e.parentPath, e.name))
  return {
    dirs: entries
      .filter((e) => e.isDirectory())
      .map(rel)
      .sort((a, b) => a.length - b.length),
    files: entries.filter((e) => e.isFile()).map(rel),
  }
}

export async function makeTemplate(): Promise<Template> {
  const root = await scratchDir()
  const source = join(root, 'template')
  await generateDataDir(join(source, 'db'), {chunks: 3, chunkSize: CHUNK, withIndex: true})
  await backupNode({db: join(source, 'db'), backupDir: join(source, 'bk')})
  await mkdir(join(source, 'victim'))
  await writeFile(join(source, 'victim', 'keep.txt'), 'precious')
  // The template's backup is proven once; a case whose backup keeps these bytes restores too.
  assert.deepEqual((await verifyDirectory(join(source, 'bk'))).problems, [])
  await restoreBackup({backupDir: join(source, 'bk'), db: join(root, 'proof')})
  await rm(join(root, 'proof'), {recursive: true})
  const {dirs, files} = await listTemplate(source)
  let n = 0
  return {
    root,
    async newCase() {
      const caseRoot = join(root, `case-${++n}`)
      await mkdir(caseRoot)
      for (const dir of dirs) await mkdir(join(caseRoot, dir))
      await Promise.all(files.map((f) => copyFile(join(source, f), join(caseRoot, f))))
      return {
        root: caseRoot,
        db: join(caseRoot, 'db'),
        index: join(caseRoot, 'db', 'index'),
        bk: join(caseRoot, 'bk'),
        victim: join(caseRoot, 'victim'),
        remove: () => rm(caseRoot, {recursive: true, force: true}),
      }
    },
    remove: () => rm(root, {recursive: true, force: true}),
  }
}

/** Settles `run` or fails the case when it has not ended within the bound. */
export async function withinBound<T>(what: string, run: () => Promise<T>): Promise<{ok: true; value: T} | {ok: false; error: Error}> {
  let timer: NodeJS.Timeout | undefined
  const bound = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not end within ${RUN_BOUND_MS} ms`)), RUN_BOUND_MS)
  })
  try {
    const value = await Promise.race([run(), bound])
    return {ok: true, value}
  } catch (error) {
    if ((error as Error).message.endsWith(`within ${RUN_BOUND_MS} ms`)) throw error
    return {ok: false, error: error as Error}
  } finally {
    clearTimeout(timer)
  }
}

/** Snapshot of everything in the case except the paths a run may write (relative to the case root). */
export function snapshotExcept(c: Case, writable: string[]): Promise<Record<string, string>> {
  const rels = writable.map((p) => relative(c.root, p))
  return snapshotTree(c.root, (rel) => rels.some((w) => rel === w || rel.startsWith(`${w}/`)))
}

/** Proves a backup directory holds a backup that verifies (hashes included) and restores. */
export async function assertRestorable(c: Case, why: string): Promise<void> {
  const report = await verifyDirectory(c.bk)
  assert.deepEqual(report.problems, [], `${why}: the backup verifies`)
  const target = `${c.root}-restored`
  try {
    await restoreBackup({backupDir: c.bk, db: target})
  } finally {
    await rm(target, {recursive: true, force: true})
  }
}

/** The kinds of thing a hostile or damaged node can have where a file should be. */
export const FILE_KINDS = ['fifo', 'directory', 'dev-zero-link', 'dangling-link', 'empty', 'truncated', 'grown', 'missing'] as const
export type FileKind = (typeof FILE_KINDS)[number]

export async function replaceWith(path: string, kind: FileKind, original: Buffer): Promise<void> {
  await rm(path, {recursive: true, force: true})
  switch (kind) {
    case 'fifo': {
      execFileSync('mkfifo', [path])
      break
    }

    case 'directory': {
      await mkdir(path)
      break
    }

    case 'dev-zero-link': {
      await symlink('/dev/zero', path)
      break
    }

    case 'dangling-link': {
      await symlink(`${path}.nowhere`, path)
      break
    }

    case 'empty': {
      await writeFile(path, '')
      break
    }

    case 'truncated': {
      await writeFile(path, original.subarray(0, Math.floor(original.length / 2)))
      break
    }

    case 'grown': {
      await writeFile(path, Buffer.concat([original, Buffer.alloc(8, 0xab)]))
      break
    }

    case 'missing': {
      await unlink(path).catch(() => undefined)
      break
    }
  }
}
