import {strict as assert} from 'node:assert'
import nock from 'nock'

import {tmpHome} from '../../../support/tmp-home.js'
import {backup} from '../../../lib/client/api/fixtures.js'
import {API, BACKUPS, ORG, PROJECT, useBackupsEnv} from './helpers.js'

const LIST = ['mesdb', 'backups', 'list', '--project-id', PROJECT]
const old = backup({id: 'b-old', created: '2021-03-01T00:00:00Z', sourceClusterId: 'c1', status: 'available'})
const mid = backup({id: 'b-mid', created: '2021-03-15T00:00:00Z', sourceClusterId: 'c2', status: 'defunct'})
const recent = backup({id: 'b-new', created: '2021-03-26T14:38:12.250Z', sourceClusterId: 'c1', status: 'available'})
const BODY = {backups: [old, recent, mid]}

describe('esc mesdb backups list', () => {
  const {env, esc} = useBackupsEnv()

  // esc prints the API's order and scripts take the first line: only --limit and table sort.
  it("prints one Debug line per backup, in the API's order, then an empty line", async () => {
    const scope = nock(API, {reqheaders: {authorization: 'Bearer tok'}})
      .get(BACKUPS)
      .reply(200, BODY)
    const r = await esc(LIST, {env: env()})
    assert.equal(r.exitCode, 0)
    assert.equal(r.stderr, '')
    const lines = r.stdout.split('\n')
    assert.equal(lines.length, 5)
    assert.deepEqual(
      lines.slice(0, 3).map((l) => /BackupId\("([^"]+)"\)/.exec(l)?.[1]),
      ['b-old', 'b-new', 'b-mid'],
    )
    assert.match(lines[1], /created: "2021-03-26T14:38:12\.250\+00:00"/)
    assert.deepEqual(lines.slice(3), ['', ''])
    assert.ok(scope.isDone())
  })

  it('an empty list prints just a newline (cli) or [] (json)', async () => {
    nock(API).get(BACKUPS).twice().reply(200, {backups: []})
    assert.equal((await esc(LIST, {env: env()})).stdout, '\n')
    assert.equal((await esc([...LIST, '--json'], {env: env()})).stdout, '[]')
  })

  it("keeps the API's order in --json and -q", async () => {
    nock(API).get(BACKUPS).twice().reply(200, BODY)
    assert.deepEqual(
      JSON.parse((await esc([...LIST, '--json'], {env: env()})).stdout).map((b: {id: string}) => b.id),
      ['b-old', 'b-new', 'b-mid'],
    )
    assert.equal((await esc([...LIST, '-q'], {env: env()})).stdout, 'b-old\nb-new\nb-mid\n')
  })

  it('filters client-side by --cluster-id, --status and --limit (the N newest, newest first); -q prints ids', async () => {
    nock(API).get(BACKUPS).times(4).reply(200, BODY)
    assert.equal((await esc([...LIST, '--cluster-id', 'c1', '-q'], {env: env()})).stdout, 'b-old\nb-new\n')
    assert.equal((await esc([...LIST, '--limit', '3', '-q'], {env: env()})).stdout, 'b-new\nb-mid\nb-old\n')
    assert.equal((await esc([...LIST, '--status', 'DEFUNCT', '-q'], {env: env()})).stdout, 'b-mid\n')
    const json = JSON.parse((await esc([...LIST, '--limit', '2', '--json'], {env: env()})).stdout)
    assert.deepEqual(
      json.map((b: {id: string}) => b.id),
      ['b-new', 'b-mid'],
    )
    assert.deepEqual(Object.keys(json[0]), [
      'id',
      'projectId',
      'sourceClusterId',
      'sourceClusterDescription',
      'description',
      'sizeGb',
      'provider',
      'region',
      'status',
      'created',
      'linkedResource',
    ])
  })

  it('rejects --limit 0 as a usage error', async () => {
    const r = await esc([...LIST, '--limit', '0'], {env: env()})
    assert.equal(r.exitCode, 2)
    assert.match(r.stderr, /^Error: .*limit/)
  })

  it('--fmt api prints the raw body unchanged (no sorting or filtering)', async () => {
    const raw = JSON.stringify(BODY)
    nock(API).get(BACKUPS).reply(200, raw)
    const r = await esc([...LIST, '--fmt', 'api', '--status', 'defunct'], {env: env()})
    assert.equal(r.stdout, `${raw}\n`)
  })

  it('uses the profile fmt when no flag is given, and --fmt over it', async () => {
    const home = await tmpHome({profile: {orgId: ORG, projectId: PROJECT, fmt: 'cli-json'}, token: false})
    try {
      nock(API)
        .get(BACKUPS)
        .twice()
        .reply(200, {backups: [recent]})
      const a = await esc(['mesdb', 'backups', 'list'], {env: {...env(), ...home.env}, tty: true})
      assert.equal(JSON.parse(a.stdout)[0].id, 'b-new')
      const b = await esc(['mesdb', 'backups', 'list', '--fmt', 'cli', '-q'], {env: {...env(), ...home.env}})
      assert.equal(b.stdout, 'b-new\n')
    } finally {
      await home.cleanup()
    }
  })

  it("without a project anywhere: esc's (sic) message naming --project-id and ESC_PROJECT_ID (exit 2)", async () => {
    const r = await esc(['mesdb', 'backups', 'list'], {env: env()})
    assert.equal(r.exitCode, 2)
    assert.equal(r.stdout, '')
    assert.equal(
      r.stderr,
      "Error: Invalid value for '--project-id <project-id>': Not provided and you don't have an project-id property set in the [context] section of your settings.toml file\n" +
        '  Pass --project-id <id>, set ESC_PROJECT_ID, or run `esc profiles set -p default -n project-id -v <id>`\n',
    )
  })

  it('--org-id and ESC_PROJECT_ID override the profile', async () => {
    const scope = nock(API).get('/mesdb/v1/organizations/other-org/projects/env-project/backups').reply(200, {backups: []})
    const r = await esc(['mesdb', 'backups', 'list', '--org-id', 'other-org'], {env: {...env(), ESC_PROJECT_ID: 'env-project'}})
    assert.equal(r.exitCode, 0)
    assert.ok(scope.isDone())
  })

  it('a table on a terminal, newest first', async () => {
    nock(API).get(BACKUPS).reply(200, BODY)
    const r = await esc(LIST, {env: env(), tty: true})
    const rows = r.stdout.trimEnd().split('\n')
    assert.match(rows[1], /│ ID +│ Description +│ Cluster +│ Status +│ Size +│ Region +│ Created +│/)
    assert.match(
      rows[3],
      /│ b-new +│ on demand backup │ Demo-Backup \(c1\) │ available │ 8 GB │ aws\/eu-central-1 │ 2021-03-26 14:38 UTC \(.+ ago\) │/,
    )
    assert.match(rows[5], /│ b-mid /)
    assert.match(rows[7], /│ b-old /)
    assert.equal(rows.length, 9)
  })

  it('503 then 200: retried with backoff', async () => {
    nock(API).get(BACKUPS).reply(503).get(BACKUPS).reply(200, {backups: []})
    const r = await esc(LIST, {env: env()})
    assert.equal(r.exitCode, 0)
    assert.equal(r.sleeps.length, 1)
    assert.ok(r.sleeps[0] >= 250 && r.sleeps[0] <= 500)
  })

  it('an unknown backup status passes through to every format', async () => {
    nock(API)
      .get(BACKUPS)
      .reply(200, {backups: [backup({status: 'archiving'})]})
    const r = await esc([...LIST, '--json'], {env: env()})
    assert.equal(JSON.parse(r.stdout)[0].status, 'archiving')
  })
})
