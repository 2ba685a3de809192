import {strict as assert} from 'node:assert'
import nock from 'nock'

import {API, capture, cluster, MESDB, ORG, PROJECT, problem, useCommandEnv} from './helpers.js'

const ID = 'c1mnqjdo0aembuk4ljo0'
const CLUSTER = `${MESDB}/clusters/${ID}`
const GET = CLUSTER

interface Case {
  command: string
  args: string[]
  path: string
  /** The request body exactly as the official CLI serializes it; undefined: no body at all. */
  body?: string
  /** What the server answers (resize, upgrade, stop and start must answer an `{"id"}`). */
  response: string
}

const CASES: Case[] = [
  {
    command: 'update',
    args: ['--acl-id', 'a1', '--description', 'New', '--protected', 'true'],
    path: CLUSTER,
    body: '{"aclId":"a1","description":"New","protected":true}',
    response: '',
  },
  {command: 'update', args: [], path: CLUSTER, body: '{}', response: ''},
  {
    command: 'expand',
    args: ['--disk-type', 'gp3', '--disk-throughput', '125', '--disk-size-in-gb', '20', '--disk-iops', '3000'],
    path: `${CLUSTER}/disk/expand`,
    body: '{"diskSizeGb":20,"diskIops":3000,"diskThroughput":125,"diskType":"gp3"}',
    response: '',
  },
  {command: 'expand', args: ['--disk-size-in-gb', '20'], path: `${CLUSTER}/disk/expand`, body: '{"diskSizeGb":20}', response: ''},
  {
    command: 'resize',
    args: ['--target-size', 'C4'],
    path: `${CLUSTER}/commands/resize`,
    body: '{"targetSize":"C4"}',
    response: '{"id":"op-1"}',
  },
  {
    command: 'upgrade',
    args: ['--target-tag', '23.10.1'],
    path: `${CLUSTER}/commands/upgrade`,
    body: '{"targetTag":"23.10.1"}',
    response: '{"id":"op-1"}',
  },
  {command: 'stop', args: [], path: `${CLUSTER}/commands/stop`, response: '{"id":"op-1"}'},
  {command: 'start', args: [], path: `${CLUSTER}/commands/start`, response: '{"id":"op-1"}'},
]

const argv = (c: Case, ...more: string[]) => ['mesdb', 'clusters', c.command, '-i', ID, '--project-id', PROJECT, ...c.args, ...more]

describe('esc mesdb clusters update|expand|resize|upgrade|stop|start', () => {
  const {env, esc} = useCommandEnv()

  for (const c of CASES) {
    const name = `${c.command} ${c.args.join(' ')}`.trim()

    it(`${name}: PUT ${c.path.slice(MESDB.length)} with the exact body; nothing on stdout in cli and json`, async () => {
      for (const fmt of [[], ['--json'], ['--fmt', 'cli-json']]) {
        const seen = capture(c.response)
        const scope = nock(API, {reqheaders: {authorization: 'Bearer tok'}})
          .put(c.path)
          .reply((uri, body) => {
            seen.reply(uri, body)
            return [200, c.response]
          })
        const r = await esc(argv(c, ...fmt), {env: env()})
        assert.equal(r.stderr, '')
        assert.equal(r.exitCode, 0)
        assert.equal(r.stdout, '')
        assert.ok(scope.isDone())
        assert.deepEqual(seen.bodies, [c.body ?? ''])
      }
    })

    it(`${name}: --fmt api echoes the body then the answer; api-verbose adds method, URL and status`, async () => {
      nock(API).put(c.path).twice().reply(200, c.response)
      const api = await esc(argv(c, '--fmt', 'api'), {env: env()})
      const echo = c.body === undefined ? '' : `${c.body}\n`
      const answer = c.response ? `${c.response}\n` : ''
      assert.equal(api.stdout, `${echo}${answer}`)
      const verbose = await esc(argv(c, '--fmt', 'api-verbose'), {env: env()})
      assert.equal(verbose.stdout, `PUT ${API}${c.path}\n${echo}status: 200\n${answer}`)
    })
  }

  for (const command of ['resize', 'upgrade', 'stop', 'start']) {
    it(`${command} fails (exit 1) when the answer has no {"id"}, as the official CLI does`, async () => {
      const c = CASES.find((x) => x.command === command)!
      nock(API).put(c.path).reply(200, '{}')
      const r = await esc(argv(c), {env: env()})
      assert.equal(r.exitCode, 1)
      assert.match(r.stderr, /id/)
    })
  }

  it('update --protected takes only true or false (exit 2, naming the flag)', async () => {
    const r = await esc(['mesdb', 'clusters', 'update', '-i', ID, '--project-id', PROJECT, '--protected', 'yes'], {env: env()})
    assert.equal(r.exitCode, 2)
    assert.match(r.stderr, /--protected/)
  })

  it('expand needs an integer --disk-size-in-gb (exit 2); resize needs --target-size; upgrade needs --target-tag', async () => {
    const a = await esc(['mesdb', 'clusters', 'expand', '-i', ID, '--project-id', PROJECT, '--disk-size-in-gb', 'ten'], {env: env()})
    assert.equal(a.exitCode, 2)
    assert.match(a.stderr, /disk-size-in-gb/)
    const b = await esc(['mesdb', 'clusters', 'resize', '-i', ID, '--project-id', PROJECT], {env: env()})
    assert.equal(b.exitCode, 2)
    assert.match(b.stderr, /target-size/)
    const u = await esc(['mesdb', 'clusters', 'upgrade', '-i', ID, '--project-id', PROJECT], {env: env()})
    assert.equal(u.exitCode, 2)
    assert.match(u.stderr, /target-tag/)
  })

  it('a refusal of the API (409 locked) exits 1 with its detail', async () => {
    nock(API)
      .put(`${CLUSTER}/disk/expand`)
      .reply(409, problem(409, 'Conflict', 'the cluster is locked by another operation'))
    const r = await esc(['mesdb', 'clusters', 'expand', '-i', ID, '--project-id', PROJECT, '--disk-size-in-gb', '20'], {env: env()})
    assert.equal(r.exitCode, 1)
    assert.match(r.stderr, /locked by another operation/)
    assert.equal(r.stdout, '')
  })

  describe('--wait', () => {
    const c = (status: string, more = {}) => ({cluster: cluster({status, ...more})})

    it('expand --wait polls through expanding disks until available and prints the cluster', async () => {
      nock(API).put(`${CLUSTER}/disk/expand`).reply(200, '')
      nock(API).get(GET).reply(200, c('expanding disks'))
      nock(API)
        .get(GET)
        .reply(200, c('available', {diskSizeGb: 20}))
      const r = await esc(
        ['mesdb', 'clusters', 'expand', '-i', ID, '--project-id', PROJECT, '--disk-size-in-gb', '20', '--wait', '--json'],
        {env: env()},
      )
      assert.equal(r.exitCode, 0)
      assert.equal(JSON.parse(r.stdout).diskSizeGb, 20)
      // The second poll comes half a second after the first (early polls: 0.5 s, 1 s, 2 s, then the interval).
      assert.equal(r.stderr, `cluster ${ID}: expanding disks (0s)\ncluster ${ID}: available (0s)\n`)
    })

    it('stop --wait ends at stopped, not available', async () => {
      nock(API).put(`${CLUSTER}/commands/stop`).reply(200, {id: 'op-1'})
      nock(API).get(GET).reply(200, c('stopping'))
      nock(API).get(GET).reply(200, c('stopped'))
      const r = await esc(['mesdb', 'clusters', 'stop', '-i', ID, '--project-id', PROJECT, '--wait', '-q'], {env: env()})
      assert.equal(r.exitCode, 0)
      assert.equal(r.stdout, `${ID}\n`)
      assert.equal(r.stderr, `cluster ${ID}: stopping (0s)\ncluster ${ID}: stopped (0s)\n`)
    })

    it('resize --wait exits 5 when the cluster ends defunct, with its details', async () => {
      nock(API).put(`${CLUSTER}/commands/resize`).reply(200, {id: 'op-1'})
      nock(API)
        .get(GET)
        .reply(200, c('defunct', {details: 'resize failed'}))
      const r = await esc(['mesdb', 'clusters', 'resize', '-i', ID, '--project-id', PROJECT, '--target-size', 'C4', '--wait'], {env: env()})
      assert.equal(r.exitCode, 5)
      assert.match(r.stderr, /Error: The cluster c1mnqjdo0aembuk4ljo0 ended with status 'defunct': resize failed\n$/)
    })

    it('stop --wait exits 4 on timeout with a re-attach command that waits for stopped', async () => {
      nock(API).put(`${CLUSTER}/commands/stop`).reply(200, {id: 'op-1'})
      // Polls at 0, 0.5, 1.5, 3.5 and 8.5 s, and once more at the 10 s deadline.
      nock(API).get(GET).times(6).reply(200, c('stopping'))
      const r = await esc(['mesdb', 'clusters', 'stop', '-i', ID, '--project-id', PROJECT, '--wait', '--timeout', '10s'], {env: env()})
      assert.equal(r.exitCode, 4)
      assert.doesNotMatch(r.stderr, /status check failed/)
      // The hint offers a longer wait than the one that just ran out.
      assert.match(
        r.stderr,
        new RegExp(
          `Re-attach with: esc mesdb clusters wait -i ${ID} --org-id ${ORG} --project-id ${PROJECT} --until stopped --timeout 20s\n$`,
        ),
      )
    })

    it('clusters wait --until stopped waits for a stop begun elsewhere', async () => {
      nock(API).get(GET).reply(200, c('stopping'))
      nock(API).get(GET).reply(200, c('stopped'))
      const r = await esc(['mesdb', 'clusters', 'wait', '-i', ID, '--project-id', PROJECT, '--until', 'stopped', '-q'], {env: env()})
      assert.equal(r.exitCode, 0)
      assert.equal(r.stdout, `${ID}\n`)
    })
  })
})
