import {strict as assert} from 'node:assert'
import {spawn} from 'node:child_process'
import {mkdtemp, readdir, rm} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import {dirname, join} from 'node:path'
import {fileURLToPath} from 'node:url'

import {backupNode, generateDataDir, readManifest, restoreBackup, verifyDirectory, WriterSimulator} from '../../../src/lib/engine/index.js'
import {walkLog} from './support/independent-reader.js'
import {isAbortError} from '../../../src/lib/core/errors.js'

const here = dirname(fileURLToPath(import.meta.url))
const repoRoot = join(here, '..', '..', '..')

describe('kurrentdb interrupted backups leave the previous backup intact', function () {
  this.timeout(60_000)
  let dir: string
  let db: string
  let bk: string
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'esc-intr-'))
    db = join(dir, 'db')
    bk = join(dir, 'bk')
    await generateDataDir(db, {chunks: 3, chunkSize: 65536, withIndex: true})
  })
  afterEach(() => rm(dir, {recursive: true, force: true}))

  async function grow(): Promise<void> {
    const sim = new WriterSimulator({db, eventsPerAppend: 50, eventBytes: 1000, ptableEvery: 2, fsync: false})
    for (let i = 0; i < 6; i++) await sim.appendOnce()
    await sim.stop()
  }

  async function assertPreviousIntact(id: string): Promise<void> {
    const manifest = await readManifest(bk)
    assert.equal(manifest.id, id, 'the manifest still names the previous backup')
    const report = await verifyDirectory(bk)
    assert.deepEqual(report.problems, [])
    const restored = join(dir, `restored-${Date.now()}`)
    const r = await restoreBackup({backupDir: bk, db: restored})
    assert.equal(walkLog(restored, r.truncateTo).endPosition, r.truncateTo)
  }

  it('abort mid-copy rejects with an AbortError, removes the staging directory and keeps the previous backup', async () => {
    const previous = await backupNode({db, backupDir: bk})
    await grow()
    const controller = new AbortController()
    let copied = 0
    await assert.rejects(
      backupNode({
        db,
        backupDir: bk,
        concurrency: 1,
        signal: controller.signal,
        onProgress: (p) => {
          copied = p.bytesDone
          if (p.bytesDone > 0) controller.abort()
        },
      }),
      (e: Error) => isAbortError(e),
    )
    assert.ok(copied > 0)
    assert.deepEqual((await readdir(bk)).sort(), [previous.dataDir, 'esc-backup.json'])
    await assertPreviousIntact(previous.id)
    const next = await backupNode({db, backupDir: bk})
    assert.equal(next.kind, 'differential')
  })

  it('SIGKILL mid-run leaves the previous backup restorable; the next run cleans up and takes over the lock', async () => {
    const previous = await backupNode({db, backupDir: bk})
    await grow()
    const child = spawn(process.execPath, ['--import', 'tsx', join(here, 'support', 'backup-child.ts'), db, bk], {
      cwd: repoRoot,
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let stderr = ''
    child.stderr.on('data', (d) => (stderr += d))
    const exited = new Promise<NodeJS.Signals | null>((resolve) => child.on('exit', (_code, signal) => resolve(signal)))
    await new Promise<void>((resolve, reject) => {
      child.stdout.on('data', (d: Buffer) => d.toString().includes('copying') && resolve())
      child.on('exit', () => reject(new Error(`child exited before copying: ${stderr}`)))
    })
    const during = await readdir(bk)
    assert.ok(
      during.some((n) => n.startsWith('.staging-')),
      'killed while staging',
    )
    assert.ok(during.includes('.lock'))
    child.kill('SIGKILL')
    assert.equal(await exited, 'SIGKILL')
    await assertPreviousIntact(previous.id)
    const lines: string[] = []
    const next = await backupNode({db, backupDir: bk, log: (l) => lines.push(l)})
    assert.equal(next.kind, 'differential')
    assert.ok(
      lines.some((l) => /^removed leftovers of an interrupted run: \.staging-/.test(l)),
      lines.join('\n'),
    )
    assert.deepEqual((await readdir(bk)).sort(), [next.dataDir, 'esc-backup.json'])
    assert.equal((await verifyDirectory(bk)).ok, true)
  })

  it('a directory holding only an interrupted first run is not a backup', async () => {
    const controller = new AbortController()
    controller.abort()
    await assert.rejects(backupNode({db, backupDir: bk, signal: controller.signal}), (e: Error) => isAbortError(e))
    const report = await verifyDirectory(bk)
    assert.equal(report.ok, false)
    await assert.rejects(restoreBackup({backupDir: bk, db: join(dir, 'x')}), /is not a complete esc backup: esc-backup\.json is missing/)
  })

  it('a run that finishes while another waits for the lock: the waiting run reads the new manifest, the backup stays whole', async () => {
    await backupNode({db, backupDir: bk})
    await grow()
    // Run a whole backup ("another run") just as this one takes the lock: the moment a run that
    // read the manifest before taking the lock would hold a stale one.
    const fs = (await import('node:fs')).promises
    const {syncBuiltinESMExports} = await import('node:module')
    const realOpen = fs.open
    let other: Promise<unknown> | undefined
    fs.open = (async (...args: Parameters<typeof realOpen>) => {
      if (!other && String(args[0]).endsWith('/.lock')) {
        other = backupNode({db, backupDir: bk})
        await other
      }
      return realOpen(...args)
    }) as typeof realOpen
    syncBuiltinESMExports()
    let manifest
    try {
      manifest = await backupNode({db, backupDir: bk})
    } finally {
      fs.open = realOpen
      syncBuiltinESMExports()
    }
    assert.ok(other, 'the other run happened in between')
    assert.equal(manifest.kind, 'differential')
    assert.equal((await readManifest(bk)).id, manifest.id)
    const report = await verifyDirectory(bk)
    assert.ok(report.ok, JSON.stringify(report.problems))
  })
})
