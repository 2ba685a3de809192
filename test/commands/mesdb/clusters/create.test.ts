import {strict as assert} from 'node:assert'
import http from 'node:http'
import type {AddressInfo} from 'node:net'
import nock from 'nock'

import {API, backup, capture, cluster, DOCS_RESTORE, DOCS_RESTORE_BODY, MESDB, useCommandEnv} from './helpers.js'

const PLAIN = DOCS_RESTORE.filter((_a, i) => i !== 5 && i !== 6)

describe('esc mesdb clusters create', () => {
  const {env, clock, esc} = useCommandEnv()

  it('runs the docs restore command verbatim: checks the backup, sends the body in esc key order, prints ClusterId', async () => {
    const post = capture({id: 'c1mnqjdo0aembuk4ljo0'})
    const scope = nock(API, {reqheaders: {authorization: 'Bearer tok'}})
      .get(`${MESDB}/backups/c10dvoarh41lb9otkdrg`)
      .reply(200, {backup: backup({sizeGb: 8})})
      .post(`${MESDB}/clusters`)
      .reply(post.reply)
    const r = await esc(DOCS_RESTORE, {env: env()})
    assert.equal(r.stderr, '')
    assert.equal(r.stdout, 'ClusterId("c1mnqjdo0aembuk4ljo0")\n')
    assert.equal(r.exitCode, 0)
    assert.deepEqual(post.bodies, [DOCS_RESTORE_BODY])
    assert.ok(scope.isDone())
  })

  it('sends every optional field in esc order, booleans as booleans', async () => {
    const post = capture({id: 'c2'})
    nock(API).get(`${MESDB}/backups/b9`).query(true).reply(404, {})
    nock(API)
      .get('/mesdb/v1/organizations/bt77lfqrh41scaatc180/projects/other/backups/b9')
      .reply(200, {backup: backup({id: 'b9', sizeGb: 20})})
    nock(API).post(`${MESDB}/clusters`).reply(post.reply)
    const r = await esc(
      [
        ...PLAIN.map((a) => (a === '10' ? '20' : a)),
        '--source-backup-id',
        'b9',
        '--source-project-id',
        'other',
        '--acl-id',
        'acl1',
        '--disk-iops',
        '3000',
        '--disk-throughput',
        '125',
        '--public-access',
        'true',
        '--protected',
        'false',
        '--provider',
        'aws',
        '--region',
        'eu-west-2',
        '--json',
      ],
      {env: env()},
    )
    assert.equal(r.stderr, '')
    assert.equal(r.stdout, '"c2"')
    assert.deepEqual(post.bodies, [
      '{"aclId":"acl1","description":"restore","diskSizeGb":20,"diskType":"gp3","diskIops":3000,"diskThroughput":125,' +
        '"instanceType":"F1","networkId":"c10dr5qrh41lbabqa2j0","projectionLevel":"off","provider":"aws","region":"eu-west-2",' +
        '"serverVersion":"24.10","sourceBackupId":"b9","topology":"single-node","protected":false,"publicAccess":true,' +
        '"sourceBackupProjectId":"other"}',
    ])
  })

  it('without a source backup sends one POST and nothing else', async () => {
    const post = capture({id: 'c3'})
    const scope = nock(API).post(`${MESDB}/clusters`).reply(post.reply)
    const r = await esc(PLAIN, {env: env()})
    assert.equal(r.stdout, 'ClusterId("c3")\n')
    assert.equal(post.bodies.length, 1)
    assert.ok(!post.bodies[0].includes('sourceBackupId'))
    assert.ok(scope.isDone())
  })

  it('refuses a disk smaller than the backup before sending (exit 2)', async () => {
    nock(API)
      .get(`${MESDB}/backups/c10dvoarh41lb9otkdrg`)
      .reply(200, {backup: backup({sizeGb: 16})})
    const r = await esc(DOCS_RESTORE, {env: env()})
    assert.equal(r.exitCode, 2)
    assert.equal(
      r.stderr,
      'Error: --disk-size-in-gb 10 is smaller than backup c10dvoarh41lb9otkdrg (16 GB): use --disk-size-in-gb 16 or more\n',
    )
    assert.equal(r.stdout, '')
    assert.ok(nock.isDone())
  })

  // The backup read is advice: a token that may create clusters but not read backups, or a backup
  // the API alone can see, must not stop a restore the API would accept.
  for (const [what, reply] of [
    ['403', 403],
    ['404', 404],
  ] as const) {
    it(`when reading the backup fails (${what}): one warning line, and the create is sent anyway`, async () => {
      const post = capture({id: 'c4'})
      nock(API).get(`${MESDB}/backups/c10dvoarh41lb9otkdrg`).reply(reply, {message: 'no'}).post(`${MESDB}/clusters`).reply(post.reply)
      const r = await esc(DOCS_RESTORE, {env: env()})
      assert.equal(r.exitCode, 0)
      assert.equal(r.stdout, 'ClusterId("c4")\n')
      assert.deepEqual(post.bodies, [DOCS_RESTORE_BODY])
      const lines = r.stderr.split('\n').filter(Boolean)
      assert.equal(lines.length, 1, r.stderr)
      assert.match(
        lines[0],
        /^Warning: could not read backup c10dvoarh41lb9otkdrg to check the disk size \(.+\); sending the create anyway$/,
      )
      assert.ok(nock.isDone())
    })
  }

  it('when the backup cannot be reached (network): one warning line, and the create is sent anyway', async () => {
    // A real loopback server: the GET's connection is reset every time, the POST is answered.
    const posts: string[] = []
    const api = http.createServer((req, res) => {
      if (req.method === 'GET') return void req.socket.destroy()
      let body = ''
      req.on('data', (c: Buffer) => (body += c.toString()))
      req.on('end', () => {
        posts.push(body)
        res.writeHead(201, {'content-type': 'application/json'}).end(JSON.stringify({id: 'c5'}))
      })
    })
    await new Promise<void>((resolve) => api.listen(0, '127.0.0.1', resolve))
    nock.enableNetConnect('127.0.0.1')
    try {
      const r = await esc(DOCS_RESTORE, {env: {...env(), ESC_API_URL: `http://127.0.0.1:${(api.address() as AddressInfo).port}`}})
      assert.equal(r.stdout, 'ClusterId("c5")\n')
      assert.equal(r.exitCode, 0)
      assert.match(
        r.stderr,
        /^Warning: could not read backup c10dvoarh41lb9otkdrg to check the disk size \(.*reset\); sending the create anyway\n$/,
      )
      assert.deepEqual(posts, [DOCS_RESTORE_BODY])
    } finally {
      nock.disableNetConnect()
      await new Promise<void>((resolve) => api.close(() => resolve()))
    }
  })

  it('--dry-run prints the request and sends no POST', async () => {
    nock(API).get(`${MESDB}/backups/c10dvoarh41lb9otkdrg`).reply(200, {backup: backup()})
    const r = await esc([...DOCS_RESTORE, '--dry-run'], {env: env()})
    assert.equal(r.exitCode, 0)
    assert.equal(r.stdout, `POST ${MESDB}/clusters\n${JSON.stringify(JSON.parse(DOCS_RESTORE_BODY), null, 2)}\n`)
    assert.equal(r.stderr, 'Dry run: nothing was sent.\n')
    const json = await esc([...PLAIN, '--dry-run', '--json'], {env: env()})
    assert.deepEqual(JSON.parse(json.stdout), {
      dryRun: true,
      method: 'POST',
      path: `${MESDB}/clusters`,
      body: JSON.parse(DOCS_RESTORE_BODY.replace(',"sourceBackupId":"c10dvoarh41lb9otkdrg"', '')),
    })
  })

  it('refuses an unknown topology or projection level (exit 2) without calling the API', async () => {
    const a = await esc(
      PLAIN.map((x) => (x === 'single-node' ? 'five-node' : x)),
      {env: env()},
    )
    assert.equal(a.exitCode, 2)
    assert.match(a.stderr, /^Error: .*topology/)
    const b = await esc(
      PLAIN.map((x) => (x === 'off' ? 'all' : x)),
      {env: env()},
    )
    assert.equal(b.exitCode, 2)
    assert.match(b.stderr, /projection-level/)
  })

  it('requires --network-id even for restores (exit 2)', async () => {
    const r = await esc(
      DOCS_RESTORE.filter((_a, i) => i !== 13 && i !== 14),
      {env: env()},
    )
    assert.equal(r.exitCode, 2)
    assert.match(r.stderr, /network-id/)
  })

  it('--wait polls until available and prints the cluster instead of the id', async () => {
    nock(API).post(`${MESDB}/clusters`).reply(200, {id: 'c4'})
    nock(API)
      .get(`${MESDB}/clusters/c4`)
      .reply(200, {cluster: cluster({id: 'c4', status: 'provisioning'})})
    nock(API)
      .get(`${MESDB}/clusters/c4`)
      .reply(200, {cluster: cluster({id: 'c4', status: 'provisioning'})})
    nock(API)
      .get(`${MESDB}/clusters/c4`)
      .reply(200, {cluster: cluster({id: 'c4', status: 'available'})})
    const r = await esc([...PLAIN, '--wait', '--json'], {env: env()})
    assert.equal(r.exitCode, 0)
    assert.equal(JSON.parse(r.stdout).status, 'available')
    assert.equal(JSON.parse(r.stdout).id, 'c4')
    assert.equal(r.stderr, 'cluster c4: provisioning (0s)\ncluster c4: available (1s)\n')
    assert.deepEqual(clock().sleeps, [500, 1000])
    assert.ok(nock.isDone())
  })

  it('--wait exits 5 when the cluster ends defunct, printing it and the status', async () => {
    nock(API).post(`${MESDB}/clusters`).reply(200, {id: 'c5'})
    nock(API)
      .get(`${MESDB}/clusters/c5`)
      .reply(200, {cluster: cluster({id: 'c5', status: 'defunct'})})
    const r = await esc([...PLAIN, '--wait', '--poll-interval', '2s'], {env: env()})
    assert.equal(r.exitCode, 5)
    assert.match(r.stdout, /^EnrichedCluster \{ cluster: Cluster \{ id: ClusterId\("c5"\)/)
    assert.equal(r.stderr, "cluster c5: defunct (0s)\nError: The cluster c5 ended with status 'defunct'\n")
  })

  it('refuses a malformed --timeout and a --poll-interval under 1s before sending (exit 2)', async () => {
    const a = await esc([...PLAIN, '--wait', '--timeout', '10'], {env: env()})
    assert.equal(a.exitCode, 2)
    assert.match(a.stderr, /^Error: Invalid --timeout '10': expected a number with a unit/)
    const b = await esc([...PLAIN, '--wait', '--poll-interval', '500ms'], {env: env()})
    assert.equal(b.exitCode, 2)
    assert.equal(b.stderr, "Error: Invalid --poll-interval '500ms': it must be at least 1s, to spare the API\n")
  })
})
