import {strict as assert} from 'node:assert'
import {mkdir, readdir, writeFile} from 'node:fs/promises'
import {join} from 'node:path'

import {useTestS3} from '../../lib/engine/repository/support/s3-server.js'
import {snapshotTree} from '../../lib/engine/support/sandbox.js'
import {runCli} from '../../support/run-cli.js'

/**
 * Ctrl-C while `esc node restore s3://…` downloads: exit 130, the download directory is removed,
 * no staging directory is left and every target is as it was (a moved-aside one was never moved).
 */
describe('esc node restore s3://… interrupted during the download', function () {
  this.timeout(60_000)
  const t = useTestS3('restore-int')
  const env = {CI: 'true', ESC_NODE_URL: undefined, ESC_BACKUP_PASSWORD: undefined}
  const at = (n: string) => join(t.dir, n)
  const isObjectGet = (method: string, url: string) => method === 'GET' && url.includes(`/${t.prefix}/objects/`)

  it('SIGINT while an object is being fetched: exit 130, no download or staging directory, the targets untouched', async () => {
    const url = t.s3.url(t.prefix)
    assert.equal(
      (await runCli(['node', 'generate', at('db'), '--chunks', '3', '--chunk-size', '64KiB', '--with-index'], {env})).exitCode,
      0,
    )
    assert.equal((await runCli(['node', 'backup', url, '--db', at('db')], {env})).exitCode, 0)
    for (const n of ['n1', 'n2']) {
      await mkdir(at(n))
      await writeFile(join(at(n), 'old.txt'), `the node ${n} before`)
    }
    const before = await snapshotTree(t.dir)
    // The first object fetched never answers; Ctrl-C once the proxy holds it.
    t.s3.fail({fault: {kind: 'stall'}, times: 1, match: isObjectGet})
    const poll = setInterval(() => {
      if (t.s3.requests.some((q) => isObjectGet(q.method, q.url))) {
        clearInterval(poll)
        process.emit('SIGINT')
      }
    }, 10)
    let r
    try {
      r = await runCli(['node', 'restore', url, '--db', at('n1'), '--db', at('n2'), '--force'], {env})
    } finally {
      clearInterval(poll)
    }
    assert.equal(r.exitCode, 130, r.stderr)
    assert.match(
      r.stderr,
      new RegExp(
        `^Error: restore interrupted while downloading backup \\S+ from ${url}; nothing was written to ${at('n1')}, ${at('n2')}\\n$`,
      ),
    )
    assert.equal(process.listenerCount('SIGINT'), 0, 'the handler is removed afterwards')
    assert.deepEqual(await snapshotTree(t.dir), before)
    assert.deepEqual(
      (await readdir(t.dir)).filter((n) => n.startsWith('.esc-restore-download-') || n.includes('before-restore')),
      [],
    )
  })
})
