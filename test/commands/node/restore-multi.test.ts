import {strict as assert} from 'node:assert'
import {existsSync} from 'node:fs'
import {mkdir, mkdtemp, readFile, rm, writeFile} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

import {runCli} from '../../support/run-cli.js'
import {tmpHome, type TmpHome} from '../../support/tmp-home.js'

describe('esc node restore into several nodes', function () {
  let dir: string
  let home: TmpHome
  let env: Record<string, string | undefined>

  before(async () => {
    home = await tmpHome()
    env = {...home.env, CI: 'true', ESC_NODE_URL: undefined}
  })
  after(() => home.cleanup())
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'esc-node-multi-'))
    assert.equal(
      (await runCli(['node', 'generate', join(dir, 'db'), '--chunks', '3', '--chunk-size', '64KiB', '--with-index'], {env})).exitCode,
      0,
    )
    assert.equal((await runCli(['node', 'backup', join(dir, 'bk'), '--db', join(dir, 'db')], {env})).exitCode, 0)
  })
  afterEach(() => rm(dir, {recursive: true, force: true}))

  const restore = (...args: string[]) => runCli(['node', 'restore', join(dir, 'bk'), ...args], {env})
  const at = (n: string) => join(dir, n)

  it('--db three times restores the same data into each and prints the cluster advice', async () => {
    const r = await restore('--db', at('n1'), '--db', at('n2'), '--db', at('n3'))
    assert.equal(r.exitCode, 0, r.stderr)
    assert.match(r.stdout, new RegExp(`^Restored \\d+ files \\(.*\\) to 3 nodes: ${at('n1')}, ${at('n2')}, ${at('n3')} in \\d+s\\n`))
    assert.match(r.stdout, /\n {2}- Start all 3 nodes: each truncates its log to the same position \(\d+\)/)
    const chaser = await readFile(join(dir, 'db', 'chaser.chk'))
    for (const n of ['n1', 'n2', 'n3']) {
      assert.deepEqual(await readFile(join(at(n), 'truncate.chk')), chaser)
      assert.deepEqual(await readFile(join(at(n), 'chunk-000001.000000')), await readFile(join(dir, 'db', 'chunk-000001.000000')))
    }
  })

  it('--index once per --db pairs them in order', async () => {
    const r = await restore('--db', at('n1'), '--index', at('i1'), '--db', at('n2'), '--index', at('i2'))
    assert.equal(r.exitCode, 0, r.stderr)
    for (const n of ['1', '2']) {
      assert.ok(existsSync(join(at(`i${n}`), 'indexmap')), `i${n} holds the index`)
      assert.equal(existsSync(join(at(`n${n}`), 'index')), false)
    }
  })

  it('a number of --index other than none or one per --db: exit 2, one line, nothing written', async () => {
    const r = await restore('--db', at('n1'), '--db', at('n2'), '--index', at('i1'))
    assert.equal(r.exitCode, 2)
    assert.equal(
      r.stderr,
      'Error: 2 --db but 1 --index: give one --index per --db, in the same order, or none (each node then uses <db>/index)\n',
    )
    assert.equal(existsSync(at('n1')), false)
  })

  it('a non-empty second target: exit 2 before anything is written; --force moves every one aside', async () => {
    await mkdir(at('n2'))
    await writeFile(join(at('n2'), 'old.txt'), 'node two')
    const refused = await restore('--db', at('n1'), '--db', at('n2'))
    assert.equal(refused.exitCode, 2)
    assert.equal(
      refused.stderr,
      `Error: ${at('n2')} is not empty; restore onto an empty directory or pass --force to move the current contents aside\n`,
    )
    assert.equal(existsSync(at('n1')), false)
    const forced = await restore('--db', at('n1'), '--db', at('n2'), '--force')
    assert.equal(forced.exitCode, 0, forced.stderr)
    assert.match(forced.stdout, new RegExp(`\\n {2}previous contents moved to ${at('n2')}\\.before-restore-\\S+\\n`))
  })

  it('--force with three non-empty targets moves every one aside, says where each went, and prints the cluster advice', async () => {
    for (const n of ['n1', 'n2', 'n3']) {
      await mkdir(at(n))
      await writeFile(join(at(n), 'old.txt'), `the node ${n} before`)
    }
    const r = await restore('--db', at('n1'), '--db', at('n2'), '--db', at('n3'), '--force')
    assert.equal(r.exitCode, 0, r.stderr)
    const moved = [...r.stdout.matchAll(/^ {2}previous contents moved to (\S+)$/gm)].map((m) => m[1])
    assert.deepEqual(
      moved.map((m) => m.replace(/\.before-restore-\S+$/, '')),
      [at('n1'), at('n2'), at('n3')],
    )
    for (const [i, n] of ['n1', 'n2', 'n3'].entries()) {
      assert.equal(await readFile(join(moved[i], 'old.txt'), 'utf8'), `the node ${n} before`)
      assert.equal(existsSync(join(at(n), 'old.txt')), false)
      assert.deepEqual(await readFile(join(at(n), 'chunk-000001.000000')), await readFile(join(dir, 'db', 'chunk-000001.000000')))
    }
    assert.match(r.stdout, /\n {2}- Start all 3 nodes: each truncates its log to the same position \(\d+\)/)
    assert.match(r.stdout, /\n {2}- If one of these nodes was the backup source, take a new full backup once the cluster is back/)
  })
})
