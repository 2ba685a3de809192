import {strict as assert} from 'node:assert'
import {readFile, readdir, realpath, stat, symlink, writeFile} from 'node:fs/promises'
import {basename, dirname, join, relative, resolve} from 'node:path'

import fc from 'fast-check'

import {EscError} from '../../../src/lib/core/errors.js'
import {backupNode, restoreBackup, verifyDirectory} from '../../../src/lib/engine/index.js'
import {manifestEdit, applyManifestEdits} from './support/manifest-edits.js'
import {
  CHUNK,
  type Case,
  FILE_KINDS,
  SEED,
  type Template,
  assertRestorable,
  makeTemplate,
  replaceWith,
  runs,
  snapshotExcept,
  withinBound,
} from './support/property-case.js'
import {snapshotTree} from './support/sandbox.js'

/**
 * The engine's safety rules over generated cases: hostile checkpoint values, the wrong kind of
 * file where a file should be, edited manifests and restore targets anywhere near the backup or
 * the node. Whatever the case, nothing outside the directory a run owns changes, the node's data
 * is never changed by a backup, a failed backup leaves the previous one byte for byte (so it
 * restores, as the template's was proven to), a successful one verifies and restores, every run
 * ends within its bound, and every refusal is one line the user can act on.
 *
 * 2,200 cases by default (fixed seed); ESC_PROPERTY_SCALE=10 runs ten times as many, and
 * ESC_PROPERTY_SEED replays a reported failure.
 */
describe('engine safety properties (generated cases)', function () {
  this.timeout(240_000)
  let template: Template
  before(async () => {
    template = await makeTemplate()
  })
  after(() => template.remove())

  const options = (numRuns: number) => ({numRuns: runs(numRuns), seed: SEED, endOnFailure: true})

  function assertOneLineRefusal(error: Error, what: string) {
    assert.ok(error instanceof EscError, `${what}: refused with an EscError, got ${error.name}: ${error.message}`)
    assert.ok(!error.message.includes('\n'), `${what}: a one-line error, got ${error.message}`)
  }

  /** A differential backup of a damaged node: outside the backup nothing changes; the backup gets no worse. */
  /**
   * `damaged`: files the previous backup already fails on (its manifest was edited). A differential
   * run keeps unchanged files with the hashes the previous manifest recorded, so it may carry those
   * problems over; it must add none.
   */
  async function backupHolds(c: Case, what: string, full = false, damaged = new Set<string>()) {
    const outside = await snapshotExcept(c, [c.bk])
    const backup = await snapshotTree(c.bk)
    // The wait for an indexmap between delete and rename is real time (up to 30 s, abortable); here it is instant.
    const run = await withinBound(what, () => backupNode({db: c.db, backupDir: c.bk, full, sleep: async () => undefined}))
    assert.deepEqual(await snapshotExcept(c, [c.bk]), outside, `${what}: nothing outside the backup directory changed`)
    if (run.ok && damaged.size > 0) {
      const added = (await verifyDirectory(c.bk)).problems.filter((p) => !damaged.has(p.file))
      assert.deepEqual(added, [], `${what}: the new backup has no problem the previous one did not have`)
    } else if (run.ok) {
      await assertRestorable(c, what)
    } else {
      assertOneLineRefusal(run.error, what)
      assert.deepEqual(await snapshotTree(c.bk), backup, `${what}: a failed run left the previous backup byte for byte`)
    }
  }

  const checkpointValue = fc.oneof(
    fc.constant(undefined),
    fc.integer({min: -16, max: 3 * CHUNK + 16}),
    fc.integer({min: -(2 ** 40), max: 2 ** 40}),
    fc.constantFrom(Number.MAX_SAFE_INTEGER, -1, 0),
  )
  const checkpointSize = fc.constantFrom(8, 8, 8, 0, 4, 12)

  it('checkpoint values: any writer, chaser, epoch and truncate value or size', async () => {
    const names = ['writer.chk', 'chaser.chk', 'epoch.chk', 'truncate.chk'] as const
    const arb = fc.tuple(...names.map(() => fc.record({value: checkpointValue, size: checkpointSize})))
    await fc.assert(
      fc.asyncProperty(arb, async (values) => {
        const c = await template.newCase()
        try {
          const what = names.map((n, i) => `${n}=${values[i].value ?? 'as is'}/${values[i].size}`).join(' ')
          for (const [i, {value, size}] of values.entries()) {
            if (value === undefined) continue
            const bytes = Buffer.alloc(Math.max(8, size))
            bytes.writeBigInt64LE(BigInt(value))
            await writeFile(join(c.db, names[i]), bytes.subarray(0, size))
          }

          await backupHolds(c, what)
        } finally {
          await c.remove()
        }
      }),
      options(700),
    )
  })

  it('file kinds: a FIFO, directory, device link, dangling link, empty, short or long file in place of any file', async () => {
    const ptable = (await readdir(join(template.root, 'template', 'db', 'index'))).find((n) => /^[\da-f-]{36}$/.test(n))
    const files = [
      'writer.chk',
      'chaser.chk',
      'epoch.chk',
      'truncate.chk',
      'proposal.chk',
      'chunk-000000.000000',
      'chunk-000001.000000',
      'chunk-000002.000000',
      'index/indexmap',
      `index/${ptable}`,
      `index/${ptable}.bloomfilter`,
      'index',
    ]
    const replacement = fc.record({file: fc.constantFrom(...files), kind: fc.constantFrom(...FILE_KINDS)})
    await fc.assert(
      fc.asyncProperty(fc.array(replacement, {minLength: 1, maxLength: 2}), fc.boolean(), async (replacements, full) => {
        const c = await template.newCase()
        try {
          for (const {file, kind} of replacements) {
            const path = join(c.db, file)
            // The original bytes come from the template: the case's file may already be a FIFO.
            const original = await readFile(join(template.root, 'template', 'db', file)).catch(() => Buffer.alloc(0))
            // A file inside an index that is no longer a directory cannot be replaced: the first replacement stands.
            await replaceWith(path, kind, original).catch(() => undefined)
          }

          await backupHolds(c, `${replacements.map((r) => `${r.file} as ${r.kind}`).join(', ')}${full ? ' (full)' : ''}`, full)
        } finally {
          await c.remove()
        }
      }),
      options(700),
    )
  })

  it('manifest edits: a backup, restore or verify of an edited backup stays inside what it owns', async () => {
    const operation = fc.constantFrom('backup', 'restore', 'verify')
    await fc.assert(
      fc.asyncProperty(fc.array(manifestEdit, {minLength: 1, maxLength: 3}), operation, async (edits, op) => {
        const c = await template.newCase()
        try {
          const what = `${op} after ${JSON.stringify(edits)}`
          await applyManifestEdits(join(c.bk, 'esc-backup.json'), edits)
          if (op === 'backup') {
            const previous = await verifyDirectory(c.bk).catch(() => undefined)
            return await backupHolds(c, what, false, new Set(previous?.problems.map((p) => p.file)))
          }
          const target = join(c.root, 'target')
          const before = await snapshotTree(c.root)
          const run = await withinBound(what, (): Promise<unknown> =>
            op === 'restore' ? restoreBackup({backupDir: c.bk, db: target}) : verifyDirectory(c.bk),
          )
          if (op === 'verify' || !run.ok) {
            if (!run.ok) assertOneLineRefusal(run.error, what)
            assert.deepEqual(await snapshotTree(c.root), before, `${what}: nothing changed anywhere`)
          } else {
            assert.deepEqual(await snapshotExcept(c, [target]), before, `${what}: nothing outside the target changed`)
            assert.deepEqual((await verifyDirectory(target)).problems, [], `${what}: the restored node verifies`)
          }
        } finally {
          await c.remove()
        }
      }),
      options(400),
    )
  })

  it('restore targets: anywhere relative to the backup and the node, through links, with or without --force', async () => {
    const base = fc.constantFrom('.', 'bk', 'bk/DATA', 'db', 'db/index', 'victim', 'new', 'link-to-bk', 'link-to-db')
    const suffix = fc.constantFrom('', 'x', 'x/y', '..', '../x', '../..')
    const place = fc.tuple(base, suffix).map(([b, s]) => (s ? `${b}/${s}` : b))
    await fc.assert(
      fc.asyncProperty(place, fc.option(place, {nil: undefined}), fc.boolean(), async (dbPlace, indexPlace, force) => {
        const c = await template.newCase()
        try {
          const dataDir = (await readdir(c.bk)).find((n) => n.startsWith('data-'))!
          await symlink(c.bk, join(c.root, 'link-to-bk'))
          await symlink(c.db, join(c.root, 'link-to-db'))
          const at = (p: string) => resolve(c.root, p.replace('DATA', dataDir))
          const db = at(dbPlace)
          const index = indexPlace === undefined ? undefined : at(indexPlace)
          const what = `restore --db ${dbPlace}${indexPlace ? ` --index ${indexPlace}` : ''}${force ? ' --force' : ''}`
          const writable = await writablePaths(c, [db, ...(index ? [index] : [])])
          const skip = (rel: string) => writable.some((w) => rel === w || rel.startsWith(`${w}/`) || rel.startsWith(`${w}.before-restore-`))
          const before = await snapshotTree(c.root)
          const backup = await snapshotTree(c.bk)
          const outside = await snapshotTree(c.root, skip)
          const run = await withinBound(what, () => restoreBackup({backupDir: c.bk, db, index, force}))
          assert.deepEqual(await snapshotTree(c.bk), backup, `${what}: the backup is untouched`)
          if (run.ok) {
            assert.deepEqual(await snapshotTree(c.root, skip), outside, `${what}: nothing outside the target changed`)
            assert.deepEqual((await verifyDirectory(db, {index})).problems, [], `${what}: the restored node verifies`)
          } else {
            assertOneLineRefusal(run.error, what)
            assert.deepEqual(await snapshotTree(c.root), before, `${what}: a refused restore changed nothing`)
          }
        } finally {
          await c.remove()
        }
      }),
      options(400),
    )
  })
})

/**
 * Where a restore may write for each target, relative to the case root: the target as given and
 * as resolved through links, or the outermost directory it has to create on the way there.
 */
async function writablePaths(c: Case, targets: string[]): Promise<string[]> {
  const out: string[] = []
  for (const target of targets) {
    let created = target
    while (!(await exists(dirname(created)))) created = dirname(created)
    out.push(relative(c.root, created), relative(c.root, join(await realpath(dirname(created)), basename(created))))
    if (await exists(target)) out.push(relative(c.root, await realpath(target)))
  }

  return out
}

const exists = (path: string) =>
  stat(path).then(
    () => true,
    () => false,
  )
