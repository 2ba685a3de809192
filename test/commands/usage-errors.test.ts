import {strict as assert} from 'node:assert'
import {mkdir, mkdtemp, rm, writeFile} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

import {runCli} from '../support/run-cli.js'
import {useCommandEnv} from './mesdb/clusters/helpers.js'

// Input a user got wrong is a usage error: exit 2, one line that names the flag or argument and
// the fix, and nothing sent or written.
describe('usage errors name the input (exit 2, one line)', () => {
  const {env, esc} = useCommandEnv()
  const e = () => ({...env(), ESC_PROJECT_ID: 'p1'})
  let dir: string
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'esc-usage-'))
  })
  afterEach(() => rm(dir, {recursive: true, force: true}))

  const oneLine = (r: {stderr: string; exitCode: number; stdout: string}, pattern: RegExp) => {
    assert.equal(r.exitCode, 2, r.stderr)
    assert.equal(r.stdout, '')
    assert.equal(r.stderr.split('\n').filter(Boolean).length, 1, r.stderr)
    assert.match(r.stderr, pattern)
  }

  for (const [flag, value] of [
    ['--description', ''],
    ['--description', '   '],
    ['--source-cluster-id', ''],
  ] as const) {
    it(`backups create ${flag} "${value}"`, async () => {
      const args = {'--description': 'nightly', '--source-cluster-id': 'c1', [flag]: value}
      const r = await esc(['mesdb', 'backups', 'create', ...Object.entries(args).flat()], {env: e()})
      oneLine(r, new RegExp(`^Error: ${flag} is empty: `))
    })
  }

  it('clusters create and jobs create refuse a blank --description too', async () => {
    const c = await esc(
      [
        'mesdb',
        'clusters',
        'create',
        '--description',
        ' ',
        '--network-id',
        'n',
        '--topology',
        'single-node',
        '--instance-type',
        'F1',
        '--disk-size-in-gb',
        '10',
        '--disk-type',
        'gp3',
        '--server-version',
        '24.10',
        '--projection-level',
        'off',
      ],
      {env: e()},
    )
    oneLine(c, /^Error: --description is empty: /)
    const j = await esc(
      [
        'orchestrate',
        'jobs',
        'create',
        '--description',
        '',
        '--schedule',
        '0 * * * *',
        'scheduled-backup',
        '--cluster-id',
        'c1',
        '--description',
        'nightly',
        '--max-backup-count',
        '2',
      ],
      {env: e()},
    )
    oneLine(j, /^Error: --description is empty: /)
  })

  it('a mistyped flag gets a did-you-mean, a typo and a missing prefix alike', async () => {
    const typo = await esc(['mesdb', 'backups', 'create', '--descripton', 'x', '--source-cluster-id', 'c1'], {env: e()})
    assert.equal(typo.exitCode, 2)
    assert.equal(typo.stderr.split('\n')[0], 'Error: Nonexistent flag: --descripton; did you mean --description?')
    const partial = await esc(['mesdb', 'backups', 'create', '--description', 'x', '--cluster-id', 'c1'], {env: e()})
    assert.equal(partial.exitCode, 2)
    assert.equal(partial.stderr.split('\n')[0], 'Error: Nonexistent flag: --cluster-id; did you mean --source-cluster-id?')
    const far = await esc(['mesdb', 'backups', 'list', '--zzzzzz'], {env: e()})
    assert.equal(far.stderr.split('\n')[0], 'Error: Nonexistent flag: --zzzzzz')
  })

  it('backups list --status bogus names the statuses', async () => {
    const r = await esc(['mesdb', 'backups', 'list', '--status', 'bogus'], {env: e()})
    oneLine(r, /^Error: --status bogus is not a backup status: use one of creating, available, deleted, deleting, defunct\n$/)
  })

  for (const command of ['verify', 'restore']) {
    it(`node ${command} of a directory that does not exist`, async () => {
      const missing = join(dir, 'nope')
      const r = await runCli(['node', command, missing, ...(command === 'restore' ? ['--db', join(dir, 'db')] : [])], {env: {CI: 'true'}})
      oneLine(r, new RegExp(`^Error: ${missing}: no such directory; `))
    })
  }

  it('node backup --link-from that is not a backup', async () => {
    await runCli(['node', 'generate', join(dir, 'db'), '--chunks', '2', '--chunk-size', '64KiB'], {env: {CI: 'true'}})
    for (const from of [join(dir, 'junk'), join(dir, 'db')]) {
      const r = await runCli(['node', 'backup', join(dir, 'bk'), '--db', join(dir, 'db'), '--link-from', from], {env: {CI: 'true'}})
      oneLine(r, new RegExp(`^Error: --link-from ${from} is not a backup directory .*: give a directory written by \`esc node backup\``))
    }
  })

  it('node backup --node-url garbage', async () => {
    await writeFile(join(dir, 'x'), '')
    const r = await runCli(['node', 'backup', join(dir, 'bk'), '--db', join(dir, 'db'), '--node-url', 'garbage'], {
      env: {CI: 'true', ESC_NODE_URL: undefined},
    })
    oneLine(r, /^Error: --node-url garbage is not a URL: give the node's HTTP URL, e\.g\. https:\/\/127\.0\.0\.1:2113\n$/)
  })
})

describe("errors of the system said in the user's terms (one line)", () => {
  let dir: string
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'esc-raw-'))
  })
  afterEach(() => rm(dir, {recursive: true, force: true}))

  it('local start --dir <a file>: names the file (exit 2), not EEXIST … mkdir', async () => {
    const file = join(dir, 'f')
    await writeFile(file, '')
    const r = await runCli(['local', 'start', '--dir', file], {env: {CI: 'true', ESC_CONFIG_DIR: dir}})
    assert.equal(r.exitCode, 2)
    assert.equal(r.stderr, `Error: ${file} is a file, not a directory; give --dir a directory (created when missing)\n`)
  })

  it('node generate <a file>: names the file (exit 2)', async () => {
    const file = join(dir, 'f')
    await writeFile(file, '')
    const r = await runCli(['node', 'generate', file], {env: {CI: 'true'}})
    assert.equal(r.exitCode, 2)
    assert.equal(
      r.stderr,
      `Error: ${file} is a file, not a directory; give a directory to write the data directory into (created when missing)\n`,
    )
  })

  it('node backup --db <not a data directory>: says what it is not, and what is missing', async () => {
    const db = join(dir, 'db')
    await mkdir(db)
    const r = await runCli(['node', 'backup', join(dir, 'bk'), '--db', db], {env: {CI: 'true', ESC_NODE_URL: undefined}})
    assert.equal(r.exitCode, 5)
    assert.equal(r.stderr, `Error: ${db} is not a KurrentDB data directory: no chaser.chk\n`)
  })
})
