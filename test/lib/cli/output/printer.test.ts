import {strict as assert} from 'node:assert'

import type {ApiResponse, HttpExchange} from '../../../../src/lib/client/api/exchange.js'
import {
  backupIdKind,
  backupKind,
  clusterIdKind,
  clusterKind,
  historyItemKind,
  jobIdKind,
  jobKind,
  Printer,
  type OutputFormat,
} from '../../../../src/lib/cli/output/index.js'
import {backup, cluster, historyItem, job, PROJECT} from '../../client/api/fixtures.js'
import {exitCodeOf} from '../../../../src/lib/cli/error-exit.js'

function exchange(over: Partial<HttpExchange> = {}): HttpExchange {
  return {method: 'GET', url: 'http://api/x', path: '/x', status: 200, responseText: '{"a":1}', durationMs: 1, attempts: 1, ...over}
}
const res = <T>(data: T, x: Partial<HttpExchange> = {}): ApiResponse<T> => ({data, exchange: exchange(x)})

function printer(format: OutputFormat, quiet = false) {
  let out = ''
  const p = new Printer(format, {quiet, write: (t) => (out += t), now: () => new Date('2021-03-29T14:38:12Z')})
  return {p, out: () => out}
}

const BACKUP_DEBUG =
  'Backup { id: BackupId("c1ev3l5o0aeu6ojco7b0"), project_id: ProjectId("btfjev2rh41scaatc1k0"), ' +
  'source_cluster_id: ClusterId("c1eut65o0aeu6ojco7a0"), source_cluster_description: "Demo-Backup", ' +
  'description: "on demand backup", size_gb: 8, provider: Aws, region: "eu-central-1", status: "available", ' +
  'created: "2021-03-26T14:38:12+00:00", linked_resource: None }'

describe('Printer', () => {
  it('fits a table list to the given width, and prints it whole without one', async () => {
    const long = 'x'.repeat(200)
    let out = ''
    const narrow = new Printer('table', {write: (t) => (out += t), now: () => new Date('2021-03-29T14:38:12Z'), width: 120})
    await narrow.list(backupKind, [backup({description: long})], res({}))
    assert.ok(
      out.split('\n').every((line) => [...line].length <= 120),
      out,
    )
    assert.ok(out.includes('…'))
    const {p, out: whole} = printer('table')
    await p.list(backupKind, [backup({description: long})], res({}))
    assert.ok(whole().includes(long))
  })

  describe('cli (Rust Debug of the v1 projection)', () => {
    it('prints a backup exactly as esc does', async () => {
      const {p, out} = printer('cli')
      await p.item(backupKind, backup(), res({}))
      assert.equal(out(), `${BACKUP_DEBUG}\n`)
    })

    it('prints linked_resource as Some and escapes strings', async () => {
      const {p, out} = printer('cli')
      await p.item(backupKind, backup({linkedResource: 'job1', description: 'say "hi"\n'}), res({}))
      assert.match(out(), /description: "say \\"hi\\"\\n"/)
      assert.match(out(), /linked_resource: Some\("job1"\) }\n$/)
    })

    it('prints a list one line per item plus an empty line; an empty list as just a newline', async () => {
      const a = printer('cli')
      await a.p.list(backupKind, [backup(), backup({provider: 'gcp'})], res({}))
      assert.equal(a.out(), `${BACKUP_DEBUG}\n${BACKUP_DEBUG.replace('provider: Aws', 'provider: Gcp')}\n\n`)
      const b = printer('cli')
      await b.p.list(backupKind, [], res({}))
      assert.equal(b.out(), '\n')
    })

    it('prints created ids as newtypes', async () => {
      for (const [kind, name] of [
        [backupIdKind, 'BackupId'],
        [clusterIdKind, 'ClusterId'],
        [jobIdKind, 'JobId'],
      ] as const) {
        const {p, out} = printer('cli')
        await p.created(kind, res({id: 'x1'}))
        assert.equal(out(), `${name}("x1")\n`)
      }
    })

    it('prints a cluster as EnrichedCluster with synthesized addresses', async () => {
      const {p, out} = printer('cli')
      await p.item(clusterKind, cluster(), res({}))
      assert.equal(
        out(),
        'EnrichedCluster { cluster: Cluster { id: ClusterId("c1mnqjdo0aembuk4ljo0"), org_id: OrgId("bt77lfqrh41scaatc180"), ' +
          'project_id: ProjectId("c10d0h2rh41lba1v92k0"), network_id: NetworkId("c10dr5qrh41lbabqa2j0"), description: "restore", ' +
          'provider: Aws, region: "eu-west-2", topology: SingleNode, instance_type: "f1", disk_size_gb: 10, disk_type: "gp3", ' +
          'server_version: "24.10", projection_level: Off, status: "available", created: 2021-03-26T09:37:17Z, disk_iops: None, ' +
          'disk_throughput: None }, addresses: ClusterAddresses { tcp: ["c1mnqjdo0aembuk4ljo0.mesdb.eventstore.cloud:1113"], ' +
          'grpc: "esdb://c1mnqjdo0aembuk4ljo0.mesdb.eventstore.cloud:2113", ui: "https://c1mnqjdo0aembuk4ljo0.mesdb.eventstore.cloud:2113" } }\n',
      )
    })

    it('prints a job and a history item', async () => {
      const a = printer('cli')
      await a.p.item(jobKind, job(), res({}))
      assert.equal(
        a.out(),
        `Job { id: JobId("c1jobh2rh41lba1v92k0"), org_id: OrgId("bt77lfqrh41scaatc180"), project_id: ProjectId("${PROJECT}"), ` +
          'description: "My Hourly Backup", schedule: "0 */1 * * *", status: "active", data: ScheduledBackup(JobDataScheduledBackup { ' +
          'description: "{cluster} Hourly Backup {datetime:RFC3339}", max_backup_count: 2, cluster_id: ClusterId("c196ogto0aeqohe3ommq") }) }\n',
      )
      const b = printer('cli')
      await b.p.list(historyItemKind, [historyItem(), historyItem({endTime: undefined})], res({}))
      const line = (end: string) =>
        `HistoryItem { org_id: OrgId("bt77lfqrh41scaatc180"), project_id: ProjectId("${PROJECT}"), job_id: JobId("c1jobh2rh41lba1v92k0"), ` +
        `status: "succeeded", details: "backup created", linked_resource: "c1ev3l5o0aeu6ojco7b0", start_time: 2021-03-26T14:00:00Z, end_time: ${end} }`
      assert.equal(b.out(), `${line('Some(2021-03-26T14:05:00Z)')}\n${line('None')}\n\n`)
    })

    it('fails with "unknown provider type" in cli and cli-json, like esc (exit 1)', async () => {
      for (const format of ['cli', 'cli-json'] as const) {
        const {p, out} = printer(format)
        await assert.rejects(
          p.list(backupKind, [backup(), backup({provider: 'oracle'})], res({})),
          (e: Error & {exit: number}) => e.message === 'unknown provider type: oracle' && exitCodeOf(e) === 1,
        )
        assert.equal(out(), '', 'nothing half-printed')
      }
    })
  })

  describe('cli-json (v1 projection, pretty, no trailing newline)', () => {
    it('prints a backup, a list and a created id', async () => {
      const a = printer('cli-json')
      await a.p.item(backupKind, backup(), res({}))
      assert.equal(
        a.out(),
        JSON.stringify(
          {
            id: 'c1ev3l5o0aeu6ojco7b0',
            projectId: PROJECT,
            sourceClusterId: 'c1eut65o0aeu6ojco7a0',
            sourceClusterDescription: 'Demo-Backup',
            description: 'on demand backup',
            sizeGb: 8,
            provider: 'aws',
            region: 'eu-central-1',
            status: 'available',
            created: '2021-03-26T14:38:12+00:00',
            linkedResource: null,
          },
          null,
          2,
        ),
      )
      const b = printer('cli-json')
      await b.p.list(backupKind, [], res({}))
      assert.equal(b.out(), '[]')
      const c = printer('cli-json')
      await c.p.created(clusterIdKind, res({id: 'c1mnqjdo0aembuk4ljo0'}))
      assert.equal(c.out(), '"c1mnqjdo0aembuk4ljo0"')
    })

    it('prints a cluster with addresses (three nodes: discover URL, three tcp hosts) and optional iops', async () => {
      const {p, out} = printer('cli-json')
      await p.item(clusterKind, cluster({id: 'c9', topology: 'three-node-multi-zone', diskIops: 3000, provider: 'GCP'}), res({}))
      const v = JSON.parse(out())
      assert.deepEqual(Object.keys(v), [
        'id',
        'organizationId',
        'projectId',
        'networkId',
        'description',
        'provider',
        'region',
        'topology',
        'instanceType',
        'diskSizeGb',
        'diskType',
        'serverVersion',
        'projectionLevel',
        'status',
        'created',
        'diskIops',
        'addresses',
      ])
      assert.equal(v.provider, 'gcp')
      assert.deepEqual(v.addresses, {
        tcp: ['c9-0.mesdb.eventstore.cloud:1113', 'c9-1.mesdb.eventstore.cloud:1113', 'c9-2.mesdb.eventstore.cloud:1113'],
        grpc: 'esdb+discover://c9.mesdb.eventstore.cloud:2113',
        ui: 'https://c9.mesdb.eventstore.cloud:2113',
      })
    })

    // esc's projection knows two shapes: three-node-multi-zone, and single-node for any other topology.
    it('prints the single-node addresses for every topology but three-node-multi-zone (cli and --json)', async () => {
      for (const topology of ['single-node', 'three-node', 'five-node', 'something-new']) {
        const single = {
          tcp: ['c9.mesdb.eventstore.cloud:1113'],
          grpc: 'esdb://c9.mesdb.eventstore.cloud:2113',
          ui: 'https://c9.mesdb.eventstore.cloud:2113',
        }
        const j = printer('cli-json')
        await j.p.item(clusterKind, cluster({id: 'c9', topology}), res({}))
        assert.deepEqual(JSON.parse(j.out()).addresses, single, topology)
        const d = printer('cli')
        await d.p.item(clusterKind, cluster({id: 'c9', topology}), res({}))
        assert.match(
          d.out(),
          /addresses: ClusterAddresses \{ tcp: \["c9\.mesdb\.eventstore\.cloud:1113"\], grpc: "esdb:\/\/c9\.mesdb\.eventstore\.cloud:2113", /,
          topology,
        )
      }
    })

    it('prints a job and a history item in v1 shape', async () => {
      const a = printer('cli-json')
      await a.p.item(jobKind, job(), res({}))
      assert.deepEqual(Object.keys(JSON.parse(a.out())), [
        'id',
        'organizationId',
        'projectId',
        'description',
        'schedule',
        'status',
        'type',
        'data',
      ])
      assert.deepEqual(Object.keys(JSON.parse(a.out()).data), ['description', 'maxBackupCount', 'clusterId'])
      const b = printer('cli-json')
      await b.p.item(historyItemKind, historyItem({endTime: undefined}), res({}))
      assert.deepEqual(JSON.parse(b.out()), {
        organizationId: 'bt77lfqrh41scaatc180',
        projectId: PROJECT,
        jobId: 'c1jobh2rh41lba1v92k0',
        status: 'succeeded',
        details: 'backup created',
        linkedResource: 'c1ev3l5o0aeu6ojco7b0',
        startTime: '2021-03-26T14:00:00Z',
        endTime: null,
      })
    })
  })

  describe('api and api-verbose', () => {
    const post = {method: 'POST', url: 'http://api/backups', requestBody: '{"description":"d"}', responseText: '{"id":"b1"}'}

    it('api: request body echoed first for POST, then the raw body; GET prints just the body', async () => {
      const a = printer('api')
      await a.p.created(backupIdKind, res({id: 'b1'}, post))
      assert.equal(a.out(), '{"description":"d"}\n{"id":"b1"}\n')
      const b = printer('api')
      await b.p.list(backupKind, [], res({}, {responseText: '{"backups":[{"id":"raw"}]}'}))
      assert.equal(b.out(), '{"backups":[{"id":"raw"}]}\n')
    })

    it('api: a delete with an empty body prints nothing', async () => {
      const {p, out} = printer('api')
      await p.done(res(undefined, {method: 'DELETE', responseText: ''}))
      assert.equal(out(), '')
    })

    it('api-verbose: method and URL, request body, status, response body', async () => {
      const {p, out} = printer('api-verbose')
      await p.created(backupIdKind, res({id: 'b1'}, post))
      assert.equal(out(), 'POST http://api/backups\n{"description":"d"}\nstatus: 200\n{"id":"b1"}\n')
    })

    it('non-2xx exchanges show the status line in api mode too', () => {
      const {p, out} = printer('api')
      p.exchange(exchange({status: 404, responseText: '{"title":"nope"}'}))
      assert.equal(out(), 'status: 404\n{"title":"nope"}\n')
    })
  })

  describe('table', () => {
    it('prints a list as a table with human sizes and absolute + relative dates', async () => {
      const {p, out} = printer('table')
      await p.list(backupKind, [backup()], res({}))
      const lines = out().split('\n')
      assert.match(lines[1], /│ ID\s+│ Description\s+│ Cluster\s+│ Status\s+│ Size\s+│ Region\s+│ Created\s+│/)
      assert.match(
        out(),
        /│ c1ev3l5o0aeu6ojco7b0 │ on demand backup │ Demo-Backup \(c1eut65o0aeu6ojco7a0\) │ available │ 8 GB │ aws\/eu-central-1 │ 2021-03-26 14:38 UTC \(3 days ago\) │/,
      )
    })

    it('prints one item as an aligned key/value block', async () => {
      const {p, out} = printer('table')
      await p.item(backupKind, backup({linkedResource: 'job1'}), res({}))
      assert.equal(
        out(),
        [
          'ID               c1ev3l5o0aeu6ojco7b0',
          'Description      on demand backup',
          'Status           available',
          `Project          ${PROJECT}`,
          'Source cluster   Demo-Backup (c1eut65o0aeu6ojco7a0)',
          'Size             8 GB',
          'Provider         aws',
          'Region           eu-central-1',
          'Server version   24.10.1',
          'Created          2021-03-26 14:38 UTC (3 days ago)',
          'Linked resource  job1',
          '',
        ].join('\n'),
      )
    })

    it('history columns: job, status, started, ended, duration, details, linked resource', async () => {
      const {p, out} = printer('table')
      await p.list(historyItemKind, [historyItem(), historyItem({endTime: undefined, status: 'running'})], res({}))
      assert.match(out(), /│ Job\s+│ Status\s+│ Started\s+│ Ended\s+│ Duration\s+│ Details\s+│ Linked resource\s+│/)
      assert.match(out(), /│ succeeded │ 2021-03-26 14:00 UTC \(3 days ago\) │ 2021-03-26 14:05 UTC \(3 days ago\) │ 5m 0s\s+│/)
      assert.match(out(), /│ running\s+│ 2021-03-26 14:00 UTC \(3 days ago\) │ —\s+│ running\s+│/)
    })

    it('says so when a list is empty, and prints unknown providers as sent', async () => {
      const a = printer('table')
      await a.p.list(backupKind, [], res({}))
      assert.equal(a.out(), 'No backups found.\n')
      const b = printer('table')
      await b.p.item(backupKind, backup({provider: 'oracle'}), res({}))
      assert.match(b.out(), /\nProvider {9}oracle\n/)
    })
  })

  describe('--quiet', () => {
    it('prints ids only, one per line, in any format', async () => {
      for (const format of ['cli', 'cli-json', 'api', 'table'] as const) {
        const {p, out} = printer(format, true)
        await p.list(backupKind, [backup({id: 'b1'}), backup({id: 'b2'})], res({}))
        await p.item(jobKind, job({id: 'j1'}), res({}))
        await p.created(backupIdKind, res({id: 'b3'}))
        await p.done(res(undefined))
        assert.equal(out(), 'b1\nb2\nj1\nb3\n', format)
      }
    })
  })
})
