import {strict as assert} from 'node:assert'

import {adminToken, assertBuilt, localIds, type RunningCloud, sandbox, type Sandbox, startCloud, stopCloud, until} from './support.js'

describe('e2e: local cloud security', function () {
  this.timeout(60_000)
  let box: Sandbox
  let cloud: RunningCloud
  before(async () => {
    assertBuilt()
    box = await sandbox()
    // Access tokens live 2 s: the CLI must refresh them through the local identity endpoint.
    cloud = await startCloud(box, {ESC_LOCAL_TOKEN_TTL: '2'})
  })
  after(async () => {
    if (cloud) await stopCloud(cloud)
    await box?.cleanup()
  })

  it('answers 401 problem details without a token, with a wrong one and with an expired one', async () => {
    const {orgId, projectId} = await localIds(box)
    const url = `${cloud.url}/mesdb/v1/organizations/${orgId}/projects/${projectId}/backups`
    const get = (authorization?: string) => fetch(url, {headers: authorization ? {authorization} : {}})
    const none = await get()
    assert.equal(none.status, 401)
    assert.equal(((await none.json()) as any).status, 401)
    assert.equal((await get('Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4IiwiZXhwIjo5OTk5OTk5OTk5fQ.c2lnbmF0dXJl')).status, 401)
    const token = await adminToken(box, cloud.url)
    assert.equal((await get(`Bearer ${token}`)).status, 200)
    await until('the token to expire', async () => ((await get(`Bearer ${token}`)).status === 401 ? true : undefined), 10_000)
  })

  it('the CLI refreshes an expired stored token with the local identity endpoint', async () => {
    const list = await box.esc(['mesdb', 'backups', 'list', '--profile', 'local'])
    assert.equal(list.code, 0, list.stderr)
    assert.equal(list.stdout, '\n')
  })

  it('esc access tokens create logs in with the printed password (password grant)', async () => {
    const password = /password: +(\S+)/.exec(cloud.banner)![1]
    assert.match(cloud.banner, /user: +admin@esc\.local/)
    const created = await box.esc([
      'access',
      'tokens',
      'create',
      '--email',
      'admin@esc.local',
      '--unsafe-password',
      password,
      '--profile',
      'local',
    ])
    assert.equal(created.code, 0, created.stderr)
    assert.match(created.stdout, /^lrt_[\w-]+\n$/)
    const wrong = await box.esc([
      'access',
      'tokens',
      'create',
      '--email',
      'admin@esc.local',
      '--unsafe-password',
      'nope',
      '--profile',
      'local',
    ])
    assert.notEqual(wrong.code, 0)
    const list = await box.esc(['mesdb', 'backups', 'list', '--profile', 'local'])
    assert.equal(list.code, 0, list.stderr)
  })

  it('refuses a non-loopback address without an explicit --host', async () => {
    const refused = await box.esc(['local', 'start', '--dir', `${box.root}/other`, '--port', '0'], {ESC_LOCAL_HOST: '0.0.0.0'})
    assert.equal(refused.code, 2)
    assert.match(refused.stderr, /needs an explicit --host 0\.0\.0\.0/)
  })

  it('warns the user, not only server.log, when --detach binds a non-loopback --host', async () => {
    const other = `${box.root}/exposed`
    const started = await box.esc(['local', 'start', '--dir', other, '--port', '0', '--host', '0.0.0.0', '--detach'], {
      ESC_CONFIG_DIR: `${box.root}/exposed-config`,
    })
    try {
      assert.equal(started.code, 0, started.stderr)
      assert.match(
        started.stderr,
        /^Warning: listening on 0\.0\.0\.0, which is not loopback: anyone who can reach port \d+ can try the API\.\n$/,
      )
      assert.match(started.stdout, /Local cloud running at http:\/\/0\.0\.0\.0:\d+/)
    } finally {
      const stopped = await box.esc(['local', 'stop', '--dir', other])
      assert.equal(stopped.code, 0, stopped.stderr)
    }
  })

  it('rejects path traversal in ids before anything touches the filesystem', async () => {
    const {orgId, projectId} = await localIds(box)
    const token = await adminToken(box, cloud.url)
    for (const id of ['..%2Fx', '%2E%2E%2F%2E%2E%2Fetc%2Fpasswd', '..']) {
      const res = await fetch(`${cloud.url}/mesdb/v1/organizations/${orgId}/projects/${projectId}/backups/${id}`, {
        method: 'DELETE',
        headers: {authorization: `Bearer ${token}`},
      })
      assert.ok(res.status === 400 || res.status === 404, `${id}: ${res.status}`)
    }
    const res = await fetch(`${cloud.url}/mesdb/v1/organizations/..%2F..%2Fx/projects/${projectId}/clusters`, {
      headers: {authorization: `Bearer ${token}`},
    })
    assert.equal(res.status, 400)
    assert.ok(((await res.json()) as any).fields.organizationId)
  })

  it('attach refuses the state directory and resolves a relative --db against the caller, not the server', async () => {
    const {mkdir, writeFile} = await import('node:fs/promises')
    const {join} = await import('node:path')
    const inside = join(box.stateDir, 'backups', 'my-node')
    await mkdir(inside, {recursive: true})
    await writeFile(join(inside, 'writer.chk'), Buffer.alloc(8))
    await writeFile(join(inside, 'chaser.chk'), Buffer.alloc(8))
    const refused = await box.esc(['local', 'clusters', 'attach', '--dir', box.stateDir, '--db', inside])
    assert.equal(refused.code, 1)
    assert.match(refused.stderr, /state directory/)
    const {repoRoot} = await import('./support.js')
    const relative = await box.esc(['local', 'clusters', 'attach', '--dir', box.stateDir, '--db', 'test'])
    assert.equal(relative.code, 1)
    assert.ok(relative.stderr.includes(`${join(repoRoot, 'test')} is not a KurrentDB data directory`), relative.stderr)
  })

  it('answers 400 invalid_request to a token request with a non-string field, over HTTP', async () => {
    const res = await fetch(`${cloud.url}/oauth/token`, {
      method: 'POST',
      headers: {'content-type': 'application/json'},
      body: JSON.stringify({grant_type: 'password', username: 'admin@esc.local', password: 12345}),
    })
    assert.equal(res.status, 400)
    assert.equal(((await res.json()) as any).error, 'invalid_request')
  })
})
