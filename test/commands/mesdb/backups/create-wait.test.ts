import {strict as assert} from 'node:assert'
import http from 'node:http'
import type {AddressInfo} from 'node:net'
import nock from 'nock'

import {API, backup, capture, cluster, MESDB, ORG, PROJECT, problem, useCommandEnv} from '../clusters/helpers.js'

const CLUSTER_ID = 'c1eut65o0aeu6ojco7a0'
const create = (description: string, ...args: string[]) => [
  'mesdb',
  'backups',
  'create',
  '--description',
  description,
  '--source-cluster-id',
  CLUSTER_ID,
  '--project-id',
  PROJECT,
  ...args,
]
const SOURCE = cluster({id: CLUSTER_ID, description: 'Demo-Backup', provider: 'aws'})
// The virtual clock starts at 2023-11-14T22:13:20Z (1700000000 s).

describe('esc mesdb backups create: labels, --dry-run, --retry-on-lock, --wait', () => {
  const {env, clock, esc} = useCommandEnv()

  it('sends a plain description with exactly one POST', async () => {
    const post = capture({id: 'b1'})
    const scope = nock(API).post(`${MESDB}/backups`).reply(post.reply)
    const r = await esc(create('on demand backup'), {env: env()})
    assert.equal(r.stdout, 'BackupId("b1")\n')
    assert.deepEqual(post.bodies, [`{"description":"on demand backup","sourceClusterId":"${CLUSTER_ID}"}`])
    assert.ok(scope.isDone())
  })

  for (const typed of [
    'pre-upgrade <v24>',
    'a > b',
    'json {"k":1}',
    '{{x}} stays doubled',
    '{cluster} pre-deploy {datetime:RFC3339}',
    '#{index} / <index:HEX>',
  ]) {
    it(`sends ${typed} exactly as typed, with one POST and nothing else (the service renders it)`, async () => {
      const post = capture({id: 'b1'})
      const scope = nock(API).post(`${MESDB}/backups`).reply(post.reply)
      const r = await esc(create(typed), {env: env()})
      assert.equal(r.exitCode, 0, r.stderr)
      assert.equal(r.stdout, 'BackupId("b1")\n')
      assert.deepEqual(post.bodies, [JSON.stringify({description: typed, sourceClusterId: CLUSTER_ID})])
      assert.ok(scope.isDone())
    })
  }

  it('a template with a bad token fails with the caret picture before any API call (exit 2)', async () => {
    const r = await esc(create('{cluster:name} backup'), {env: env()})
    assert.equal(r.exitCode, 2)
    assert.equal(
      r.stderr,
      "Error: Unknown format 'name' for token 'cluster' in the label template; valid formats: description, id, provider\n" +
        '  {cluster:name} backup\n' +
        '           ^^^^\n',
    )
    assert.equal(r.stdout, '')
  })

  it('a misspelt token is refused with a did-you-mean (exit 2), nothing sent', async () => {
    const r = await esc(create('nightly {clustr}'), {env: env()})
    assert.equal(r.exitCode, 2)
    assert.equal(
      r.stderr,
      "Error: Unknown token 'clustr' in the label template (did you mean 'cluster'?); valid tokens: index, cluster, datetime; write '{{' and '}}' for literal braces\n" +
        '  nightly {clustr}\n' +
        '           ^^^^^^\n',
    )
    assert.equal(r.stdout, '')
  })

  it('--dry-run shows the template as sent and a preview of its rendering, POSTs nothing', async () => {
    nock(API).get(`${MESDB}/clusters/${CLUSTER_ID}`).reply(200, {cluster: SOURCE})
    const r = await esc(create('{cluster} {datetime} {{x}}', '--dry-run'), {env: env()})
    assert.equal(r.exitCode, 0)
    assert.equal(
      r.stdout,
      `POST ${MESDB}/backups\n{\n  "description": "{cluster} {datetime} {{x}}",\n  "sourceClusterId": "${CLUSTER_ID}"\n}\n` +
        'Label preview: Demo-Backup 2023-11-14 22:13:20 UTC {x}\n',
    )
    assert.equal(r.stderr, 'Dry run: nothing was sent.\n')
    assert.ok(nock.isDone())
  })

  it('--dry-run estimates {index} as the backups of that cluster + 1 and says so', async () => {
    const backups = [
      ...Array.from({length: 10}, (_, i) => backup({id: `b${i}`, sourceClusterId: CLUSTER_ID})),
      backup({id: 'other', sourceClusterId: 'another-cluster'}),
    ]
    nock(API).get(`${MESDB}/backups`).reply(200, {backups})
    const r = await esc(create('#{index} / <index:HEX> / {cluster:id} / {datetime:unix}', '--dry-run', '--json'), {env: env()})
    assert.equal(r.exitCode, 0, r.stderr)
    assert.deepEqual(JSON.parse(r.stdout), {
      dryRun: true,
      method: 'POST',
      path: `${MESDB}/backups`,
      body: {description: '#{index} / <index:HEX> / {cluster:id} / {datetime:unix}', sourceClusterId: CLUSTER_ID},
      labelPreview: `#11 / b / ${CLUSTER_ID} / 1700000000`,
      index: 'estimated as the 10 existing backups of the cluster + 1; the service assigns the actual number',
    })
    assert.ok(nock.isDone())
  })

  it('--dry-run of a description with brackets but no token shows no preview', async () => {
    const r = await esc(create('pre-upgrade <v24>', '--dry-run'), {env: env()})
    assert.equal(r.stdout, `POST ${MESDB}/backups\n{\n  "description": "pre-upgrade <v24>",\n  "sourceClusterId": "${CLUSTER_ID}"\n}\n`)
  })

  it('--dry-run previews a description whose doubled braces the service will unescape, calling nothing', async () => {
    const r = await esc(create('keep {{x}}', '--dry-run'), {env: {...env(), ESC_TOKEN: undefined}})
    assert.equal(r.exitCode, 0, r.stderr)
    assert.equal(
      r.stdout,
      `POST ${MESDB}/backups\n{\n  "description": "keep {{x}}",\n  "sourceClusterId": "${CLUSTER_ID}"\n}\nLabel preview: keep {x}\n`,
    )
  })

  it('--dry-run with a plain description calls nothing at all', async () => {
    const r = await esc(create('on demand backup', '--dry-run', '--json'), {env: env()})
    assert.deepEqual(JSON.parse(r.stdout), {
      dryRun: true,
      method: 'POST',
      path: `${MESDB}/backups`,
      body: {description: 'on demand backup', sourceClusterId: CLUSTER_ID},
    })
  })

  it('--dry-run needs no credentials, like the other dry runs (nothing is sent)', async () => {
    const r = await esc(create('on demand backup', '--dry-run', '--noninteractive'), {env: {...env(), ESC_ACCESS_TOKEN: undefined}})
    assert.equal(r.stderr, 'Dry run: nothing was sent.\n')
    assert.equal(r.exitCode, 0)
    assert.equal(r.stdout, `POST ${MESDB}/backups\n{\n  "description": "on demand backup",\n  "sourceClusterId": "${CLUSTER_ID}"\n}\n`)
  })

  it('--wait polls the new backup until available and prints it', async () => {
    nock(API).post(`${MESDB}/backups`).reply(200, {id: 'b1'})
    nock(API)
      .get(`${MESDB}/backups/b1`)
      .reply(200, {backup: backup({id: 'b1', status: 'creating'})})
    nock(API)
      .get(`${MESDB}/backups/b1`)
      .reply(200, {backup: backup({id: 'b1', status: 'available'})})
    const r = await esc(create('ci backup', '--wait', '--json'), {env: env()})
    assert.equal(r.exitCode, 0)
    assert.equal(JSON.parse(r.stdout).id, 'b1')
    assert.equal(r.stderr, 'backup b1: creating (0s)\nbackup b1: available (0s)\n')
  })

  it('--wait exits 5 when the backup ends defunct', async () => {
    nock(API).post(`${MESDB}/backups`).reply(200, {id: 'b1'})
    nock(API)
      .get(`${MESDB}/backups/b1`)
      .reply(200, {backup: backup({id: 'b1', status: 'defunct'})})
    const r = await esc(create('ci backup', '--wait'), {env: env()})
    assert.equal(r.exitCode, 5)
    assert.match(r.stderr, /Error: The backup b1 ended with status 'defunct'\n$/)
  })

  it('--wait exits 4 on timeout with the re-attach command', async () => {
    nock(API).post(`${MESDB}/backups`).reply(200, {id: 'b1'})
    nock(API)
      .get(`${MESDB}/backups/b1`)
      .times(6)
      .reply(200, {backup: backup({id: 'b1', status: 'creating'})})
    const r = await esc(create('ci backup', '--wait', '--timeout', '10s'), {env: env()})
    assert.equal(r.exitCode, 4)
    assert.match(
      r.stderr,
      new RegExp(`  Re-attach with: esc mesdb backups wait -i b1 --org-id ${ORG} --project-id ${PROJECT} --timeout 20s\\n$`),
    )
  })

  it('without --retry-on-lock a locked cluster is an error at once (exit 1)', async () => {
    nock(API)
      .post(`${MESDB}/backups`)
      .reply(409, problem(409, 'Conflict', 'cluster is locked by another operation'))
    const r = await esc(create('ci backup'), {env: env()})
    assert.equal(r.exitCode, 1)
    // The error now says how to wait for the lock instead of failing.
    assert.equal(
      r.stderr,
      `Error: Conflict: cluster is locked by another operation (HTTP 409 POST ${MESDB}/backups)\n` +
        '  Pass --retry-on-lock to retry until the cluster is free (a scheduled backup may hold it)\n',
    )
  })

  it('a POST that times out says the backup may exist and how to check (exit 1)', async () => {
    nock.enableNetConnect('127.0.0.1')
    const stalled = http.createServer(() => {})
    await new Promise<void>((resolve) => stalled.listen(0, '127.0.0.1', resolve))
    const url = `http://127.0.0.1:${(stalled.address() as AddressInfo).port}`
    try {
      const r = await esc(create('ci backup'), {env: {...env(), ESC_API_URL: url, ESC_HTTP_TIMEOUT: '200ms'}})
      assert.equal(r.exitCode, 1)
      assert.equal(
        r.stderr,
        `Error: POST ${MESDB}/backups timed out after 200 ms — set ESC_HTTP_TIMEOUT to wait longer\n` +
          `  The backup may have been created anyway; check with: esc mesdb backups list --org-id ${ORG} --project-id ${PROJECT}\n`,
      )
    } finally {
      nock.disableNetConnect()
      stalled.closeAllConnections()
      await new Promise<void>((resolve) => stalled.close(() => resolve()))
    }
  })

  it('--retry-on-lock retries 409/423 with backoff, then succeeds', async () => {
    nock(API).post(`${MESDB}/backups`).reply(423, problem(423, 'Locked'))
    nock(API).post(`${MESDB}/backups`).reply(409, problem(409, 'Conflict'))
    nock(API).post(`${MESDB}/backups`).reply(200, {id: 'b1'})
    const r = await esc(create('ci backup', '--retry-on-lock'), {env: env()})
    assert.equal(r.exitCode, 0)
    assert.equal(r.stdout, 'BackupId("b1")\n')
    assert.equal(
      r.stderr,
      `Cluster ${CLUSTER_ID} is locked by another operation (HTTP 423); retry 1 in 2s\n` +
        `Cluster ${CLUSTER_ID} is locked by another operation (HTTP 409); retry 2 in 4s\n`,
    )
    assert.deepEqual(clock().sleeps, [2000, 4000])
  })

  it('--retry-on-lock gives up at --timeout with exit 4', async () => {
    nock(API).post(`${MESDB}/backups`).times(4).reply(423, problem(423, 'Locked'))
    const r = await esc(create('ci backup', '--retry-on-lock', '--timeout', '10s'), {env: env()})
    assert.equal(r.exitCode, 4)
    assert.match(
      r.stderr,
      new RegExp(
        `Error: The cluster was still locked by another operation after 10s \\(4 attempts\\); the backup of cluster ${CLUSTER_ID} was not started\\n`,
      ),
    )
    assert.ok(nock.isDone())
  })

  it('one --timeout covers lock retries and the wait that follows', async () => {
    nock(API).post(`${MESDB}/backups`).reply(423, problem(423, 'Locked'))
    nock(API).post(`${MESDB}/backups`).reply(200, {id: 'b1'})
    nock(API)
      .get(`${MESDB}/backups/b1`)
      .times(6)
      .reply(200, {backup: backup({id: 'b1', status: 'creating'})})
    const r = await esc(create('ci backup', '--retry-on-lock', '--wait', '--timeout', '12s'), {env: env()})
    assert.equal(r.exitCode, 4)
    assert.deepEqual(clock().sleeps, [2000, 500, 1000, 2000, 5000, 1500])
    assert.match(r.stderr, /Error: Timed out after 12s waiting for the backup b1 \(last status: 'creating'\)/)
  })

  it('--retry-on-lock does not retry other errors', async () => {
    nock(API)
      .post(`${MESDB}/backups`)
      .reply(400, problem(400, 'Bad Request', 'cluster is stopped'))
    const r = await esc(create('ci backup', '--retry-on-lock'), {env: env()})
    assert.equal(r.exitCode, 1)
    assert.deepEqual(clock().sleeps, [])
  })
})
