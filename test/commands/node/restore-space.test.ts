import {strict as assert} from 'node:assert'
import {existsSync} from 'node:fs'
import {readFile} from 'node:fs/promises'
import {join} from 'node:path'

import NodeRestore from '../../../src/commands/node/restore.js'
import {readManifest} from '../../../src/lib/engine/index.js'
import {useTestS3} from '../../lib/engine/repository/support/s3-server.js'
import {bytesUnder, fakeDisk} from '../../lib/engine/support/fake-disk.js'
import {snapshotTree} from '../../lib/engine/support/sandbox.js'
import {runCli, runCommand} from '../../support/run-cli.js'

const SLACK = 4096

/**
 * `esc node restore` refuses a restore that does not fit before it writes anything (exit 1, one
 * line), on a fake disk of a chosen capacity that holds the test's directory. From s3:// the
 * download is moved into the first node, so only the other nodes need room for a copy.
 */
describe('esc node restore: not enough space', function () {
  this.timeout(60_000)
  const t = useTestS3('space')
  let env: Record<string, string | undefined>
  /** The bytes of the backup's files a restore writes. */
  let total: number
  let url: string
  const at = (n: string) => join(t.dir, n)

  beforeEach(async () => {
    env = {CI: 'true', ESC_NODE_URL: undefined, ESC_BACKUP_PASSWORD: undefined}
    url = t.s3.url(t.prefix)
    const g = await runCli(['node', 'generate', at('db'), '--chunks', '3', '--chunk-size', '64KiB', '--with-index'], {env})
    assert.equal(g.exitCode, 0, g.stderr)
    for (const to of [at('bk'), url]) assert.equal((await runCli(['node', 'backup', to, '--db', at('db')], {env})).exitCode, 0)
    total = (await readManifest(at('bk'))).files.filter((f) => f.path !== 'truncate.chk').reduce((s, f) => s + f.size, 0)
    t.s3.requests.length = 0
  })

  /** The restore command with a disk that has `bytes` free beyond what the test's directory holds now. */
  async function restoreWithFree(bytes: number, args: string[]) {
    const disk = fakeDisk(t.dir, (await bytesUnder(t.dir)) + bytes)
    class OnFakeDisk extends NodeRestore {
      override freeSpace = disk.freeSpace
    }
    return runCommand(OnFakeDisk, args, {env}, 'node:restore')
  }
  const objectGets = () => t.s3.requests.filter((q) => q.method === 'GET' && q.url.includes(`/${t.prefix}/objects/`)).length

  it('a local backup: exit 1, one line naming the target, what it needs and what is free; nothing written', async () => {
    const before = await snapshotTree(t.dir)
    const r = await restoreWithFree(total, [at('bk'), '--db', at('n1')])
    assert.equal(r.exitCode, 1)
    assert.equal(r.stdout, '')
    assert.equal(
      r.stderr,
      `Error: not enough space for the restore in ${at('n1')}: needs ${total + SLACK} bytes, ${total} free; free space and restore again\n`,
    )
    assert.deepEqual(await snapshotTree(t.dir), before)
  })

  it('s3:// into one node: goes ahead when what is left after the download is less than the backup', async () => {
    const r = await restoreWithFree(total + 16 * 1024, [url, '--db', at('n1')])
    assert.equal(r.exitCode, 0, r.stderr)
    assert.deepEqual(await readFile(join(at('n1'), 'chunk-000000.000000')), await readFile(join(at('db'), 'chunk-000000.000000')))
  })

  it('s3:// into three nodes without room for two full copies: exit 1, one line, refused before the download', async () => {
    const before = await snapshotTree(t.dir)
    const r = await restoreWithFree(2 * total + 3 * SLACK + 16 * 1024, [url, '--db', at('n1'), '--db', at('n2'), '--db', at('n3')])
    assert.equal(r.exitCode, 1)
    assert.match(
      r.stderr,
      new RegExp(
        `^Error: not enough space for the restore in ${at('n1')}, ${at('n2')}, ${at('n3')}: needs ${3 * total + 3 * SLACK} bytes, \\d+ free; free space and restore again\\n$`,
      ),
    )
    assert.equal(objectGets(), 0, 'nothing downloaded')
    assert.deepEqual(await snapshotTree(t.dir), before)
    for (const n of ['n1', 'n2', 'n3']) assert.equal(existsSync(at(n)), false)
  })

  it('s3:// into three nodes with room for the download and two copies: restored', async () => {
    const r = await restoreWithFree(3 * total + 3 * SLACK + 16 * 1024, [url, '--db', at('n1'), '--db', at('n2'), '--db', at('n3')])
    assert.equal(r.exitCode, 0, r.stderr)
    assert.match(r.stdout, /to 3 nodes: /)
  })
})
