import {strict as assert} from 'node:assert'
import {mkdtemp, readdir, rm} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

import {runCli} from '../../support/run-cli.js'

describe('esc local start --backup-store', () => {
  it('refuses anything but an s3:// URL with exit 2 and one line, before creating the state directory', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'esc-local-store-'))
    try {
      const r = await runCli(['local', 'start', '--dir', join(dir, 'state'), '--backup-store', '/backups'], {env: {CI: 'true'}})
      assert.equal(r.exitCode, 2)
      assert.equal(r.stderr, 'Error: --backup-store /backups is not an S3 URL: give s3://bucket/prefix\n')
      const bad = await runCli(['local', 'start', '--dir', join(dir, 'state'), '--backup-store', 's3://B/x'], {env: {CI: 'true'}})
      assert.equal(bad.exitCode, 2)
      assert.equal(bad.stderr, 'Error: the bucket name B in s3://B/x is not valid: 3-63 lowercase letters, digits, dots and hyphens\n')
      assert.deepEqual(await readdir(dir), [])
    } finally {
      await rm(dir, {recursive: true, force: true})
    }
  })
})
