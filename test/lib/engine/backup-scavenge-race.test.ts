import {strict as assert} from 'node:assert'
import {renameSync} from 'node:fs'
import {mkdtemp, readdir, rm} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

import {EscError} from '../../../src/lib/core/errors.js'
import {backupNode, generateDataDir, readManifest} from '../../../src/lib/engine/index.js'
import type {ProgressEvent} from '../../../src/lib/engine/types.js'

const CHUNK = 65536

describe('kurrentdb hot backup: a chunk replaced by a scavenge during the copy', () => {
  let dir: string
  let db: string
  let bk: string
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'esc-scavenge-race-'))
    db = join(dir, 'db')
    bk = join(dir, 'bk')
    await generateDataDir(db, {chunks: 3, chunkSize: CHUNK})
  })
  afterEach(() => rm(dir, {recursive: true, force: true}))

  it('fails with one line naming the chunk (no raw ENOENT) and keeps the previous backup', async () => {
    const before = await backupNode({db, backupDir: bk})
    // The log step adds the listed chunks' sizes to the total (no file named) after listing them
    // and before copying any: a scavenge that lands there replaces chunk 0 by its next version.
    let scavenged = false
    const onProgress = (p: ProgressEvent) => {
      if (p.file !== undefined || scavenged) return
      scavenged = true
      renameSync(join(db, 'chunk-000000.000000'), join(db, 'chunk-000000.000001'))
    }
    await assert.rejects(backupNode({db, backupDir: bk, full: true, onProgress}), (error: Error) => {
      assert.ok(error instanceof EscError, String(error))
      assert.equal(error.kind, 'unsafe-source')
      assert.equal(
        error.message,
        `${join(db, 'chunk-000000.000000')} was deleted on the node during the backup (a scavenge replaced it); stop scavenges on the node (the node guard does) and back up again`,
      )
      return true
    })
    assert.ok(scavenged)
    assert.equal((await readManifest(bk)).id, before.id)
    assert.ok(!(await readdir(bk)).some((n) => n.startsWith('.staging')))
  })
})
