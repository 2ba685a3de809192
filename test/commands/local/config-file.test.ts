import {strict as assert} from 'node:assert'
import {mkdir, mkdtemp, readdir, rm, writeFile} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

import {startSettings} from '../../../src/lib/cli/local/start-config.js'
import {runCli} from '../../support/run-cli.js'

describe('esc local start: the configuration file (<state dir>/config.toml, or --config)', () => {
  let root: string
  let state: string
  let file: string
  beforeEach(async () => {
    root = await mkdtemp(join(tmpdir(), 'esc-local-config-'))
    state = join(root, 'state')
    await mkdir(state)
    file = join(state, 'config.toml')
  })
  afterEach(() => rm(root, {recursive: true, force: true}))

  // Were a bad file ever accepted, the cloud must not write the user's settings.toml or take port 2180.
  const start = (args: string[] = []) =>
    runCli(['local', 'start', '--dir', state, ...args], {
      env: {CI: 'true', ESC_LOCAL_BACKUP_STORE: undefined, ESC_CONFIG_DIR: join(root, 'config'), ESC_KEYRING: '0'},
    })
  /** The cloud did not start: nothing but the configuration file in the state directory. */
  const notStarted = async () => assert.deepEqual(await readdir(state), ['config.toml'])

  it('refuses a file that is not TOML: one line with the file, where, and the fix; exit 2', async () => {
    await writeFile(file, 'backup-store = "s3://bucket/x\n')
    const r = await start()
    assert.equal(r.exitCode, 2)
    assert.match(r.stderr, new RegExp(`^Error: ${file} is not valid TOML \\(.+ at line 1 column \\d+\\): fix it, or remove it\n$`))
    await notStarted()
  })

  it('refuses an unknown key, naming it and the keys there are; exit 2', async () => {
    await writeFile(file, 'backup_store = "s3://my-bucket/x"\n')
    const r = await start()
    assert.equal(r.exitCode, 2)
    assert.equal(r.stderr, `Error: ${file}: unknown key backup_store; the keys are backup-store, port and profile\n`)
    await notStarted()
  })

  it('refuses a value of the wrong type, naming the key and what it takes; exit 2', async () => {
    await writeFile(file, 'port = "2180"\n')
    const port = await start()
    assert.equal(port.exitCode, 2)
    assert.equal(port.stderr, `Error: ${file}: port must be an integer from 0 to 65535\n`)
    await writeFile(file, 'backup-store = 3\n')
    const store = await start()
    assert.equal(store.exitCode, 2)
    assert.equal(store.stderr, `Error: ${file}: backup-store must be a string: s3://bucket/prefix\n`)
    await writeFile(file, 'profile = ""\n')
    const profile = await start()
    assert.equal(profile.exitCode, 2)
    assert.equal(profile.stderr, `Error: ${file}: profile must be the name of a profile of settings.toml\n`)
    await notStarted()
  })

  it('refuses a backup store that is not a valid s3:// URL; exit 2', async () => {
    await writeFile(file, 'backup-store = "/backups"\n')
    const path = await start()
    assert.equal(path.exitCode, 2)
    assert.equal(path.stderr, `Error: ${file}: backup-store /backups is not an S3 URL: give s3://bucket/prefix\n`)
    await writeFile(file, 'backup-store = "s3://B/x"\n')
    const bucket = await start()
    assert.equal(bucket.exitCode, 2)
    assert.equal(
      bucket.stderr,
      `Error: ${file}: backup-store: the bucket name B in s3://B/x is not valid: 3-63 lowercase letters, digits, dots and hyphens\n`,
    )
    await notStarted()
  })

  it('--config names another file: a missing one is refused (the default one may be absent); exit 2', async () => {
    const other = join(root, 'nowhere.toml')
    const r = await start(['--config', other])
    assert.equal(r.exitCode, 2)
    assert.equal(r.stderr, `Error: --config ${other}: no such file; give the path of the local cloud's configuration file\n`)
    const bad = join(root, 'bad.toml')
    await writeFile(bad, 'port = -1\n')
    const b = await start(['--config', bad])
    assert.equal(b.exitCode, 2)
    assert.equal(b.stderr, `Error: ${bad}: port must be an integer from 0 to 65535\n`)
    assert.deepEqual(await readdir(state), [])
  })

  it('reads ESC_LOCAL_BACKUP_STORE over the file, and names it when its value is wrong', async () => {
    await writeFile(file, 'backup-store = "s3://from-file/x"\n')
    const r = await runCli(['local', 'start', '--dir', state], {
      env: {CI: 'true', ESC_LOCAL_BACKUP_STORE: '/backups', ESC_CONFIG_DIR: join(root, 'config'), ESC_KEYRING: '0'},
    })
    assert.equal(r.exitCode, 2)
    assert.equal(r.stderr, 'Error: ESC_LOCAL_BACKUP_STORE /backups is not an S3 URL: give s3://bucket/prefix\n')
    await notStarted()
  })

  it('takes a flag (or its environment variable) over the file, and the file over the default', () => {
    const file = {backupStore: 's3://from-file/x', port: 3000, profile: 'filed'}
    assert.deepEqual(startSettings({}, file), {backupStore: 's3://from-file/x', port: 3000, profile: 'filed'})
    assert.deepEqual(startSettings({'backup-store': 's3://from-flag/x', port: 0, profile: 'flagged'}, file), {
      backupStore: 's3://from-flag/x',
      port: 0,
      profile: 'flagged',
    })
    assert.deepEqual(startSettings({}, {}), {backupStore: undefined, port: 2180, profile: 'local'})
  })
})
