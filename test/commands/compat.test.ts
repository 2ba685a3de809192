/**
 * Compatibility with the official esc: the command lines of Kurrent's backup docs and the shell
 * scripts users build around them, against API answers of the documented shapes. stdout is compared
 * byte for byte with what esc prints for the same answers.
 */
import {strict as assert} from 'node:assert'
import nock from 'nock'

import {
  API,
  backup,
  capture,
  cluster,
  DOCS_RESTORE,
  DOCS_RESTORE_BODY,
  historyItem,
  job,
  ORG,
  PROJECT,
  useCommandEnv,
} from './mesdb/clusters/helpers.js'

// The docs' ids: backups are taken in one project, the restore example uses another.
const DOCS_PROJECT = 'btfjev2rh41scaatc1k0'
const DOCS_MESDB = `/mesdb/v1/organizations/${ORG}/projects/${DOCS_PROJECT}`
const SOURCE_CLUSTER = 'c1eut65o0aeu6ojco7a0'
const BACKUP_ID = 'c1ev3l5o0aeu6ojco7b0'
const DOCS_BACKUP = backup({
  id: BACKUP_ID,
  projectId: DOCS_PROJECT,
  sourceClusterId: SOURCE_CLUSTER,
  region: 'eu-central-1',
  created: '2021-03-26T14:38:12Z',
})

/** `esc mesdb backups create --description "$1" --source-cluster-id … --project-id …` as the docs write it. */
const docsCreate = (description: string, ...more: string[]) => [
  'mesdb',
  'backups',
  'create',
  '--description',
  description,
  '--source-cluster-id',
  SOURCE_CLUSTER,
  '--project-id',
  DOCS_PROJECT,
  ...more,
]

/** What `$(…)` does to a command's output: trailing newlines go. */
const commandSubstitution = (stdout: string) => stdout.replace(/\n+$/, '')

describe('compatibility with the official esc: the docs and scripts', () => {
  const {env, esc} = useCommandEnv()

  it('docs: backups create "on demand backup" prints BackupId("…") and POSTs the two fields', async () => {
    const post = capture({id: BACKUP_ID})
    nock(API).post(`${DOCS_MESDB}/backups`).reply(post.reply)
    const r = await esc(docsCreate('on demand backup'), {env: env()})
    assert.equal(r.stdout, `BackupId("${BACKUP_ID}")\n`)
    assert.equal(r.exitCode, 0)
    assert.deepEqual(post.bodies, [`{"description":"on demand backup","sourceClusterId":"${SOURCE_CLUSTER}"}`])
  })

  it('docs: backups get prints the Backup on one Debug line', async () => {
    nock(API).get(`${DOCS_MESDB}/backups/${BACKUP_ID}`).reply(200, {backup: DOCS_BACKUP})
    const r = await esc(['mesdb', 'backups', 'get', '--project-id', DOCS_PROJECT, '--id', BACKUP_ID], {env: env()})
    assert.equal(
      r.stdout,
      `Backup { id: BackupId("${BACKUP_ID}"), project_id: ProjectId("${DOCS_PROJECT}"), source_cluster_id: ClusterId("${SOURCE_CLUSTER}"), ` +
        'source_cluster_description: "Demo-Backup", description: "on demand backup", size_gb: 8, provider: Aws, region: "eu-central-1", ' +
        'status: "available", created: "2021-03-26T14:38:12+00:00", linked_resource: None }\n',
    )
  })

  it('script: id=$(esc mesdb backups create … | sed \'s/BackupId("\\(.*\\)")/\\1/\') yields the bare id', async () => {
    nock(API).post(`${DOCS_MESDB}/backups`).reply(200, {id: BACKUP_ID})
    const r = await esc(docsCreate('nightly'), {env: env()})
    const id = commandSubstitution(r.stdout.replace(/BackupId\("(.*)"\)/, '$1'))
    assert.equal(id, BACKUP_ID)
  })

  it('script: id=$(esc mesdb backups create … -q) and --json give the bare id', async () => {
    nock(API).post(`${DOCS_MESDB}/backups`).twice().reply(200, {id: BACKUP_ID})
    const quiet = await esc(docsCreate('nightly', '-q'), {env: env()})
    assert.equal(commandSubstitution(quiet.stdout), BACKUP_ID)
    const json = await esc(docsCreate('nightly', '--json'), {env: env()})
    assert.equal(json.stdout, `"${BACKUP_ID}"`, 'esc --json: a bare JSON string, no trailing newline')
  })

  it('script: descriptions with brackets reach the service exactly as typed, as with esc', async () => {
    const typed = ['pre-upgrade <v24>', 'a > b', 'json {"k":1}', 'deploy {{literal}} #{index}']
    const post = capture({id: BACKUP_ID})
    nock(API).post(`${DOCS_MESDB}/backups`).times(typed.length).reply(post.reply)
    for (const description of typed) {
      const r = await esc(docsCreate(description), {env: env()})
      assert.equal(r.stdout, `BackupId("${BACKUP_ID}")\n`, r.stderr)
    }
    assert.deepEqual(
      post.bodies.map((b) => JSON.parse(b).description),
      typed,
    )
  })

  it("script: esc mesdb backups list --json | jq '.[0]' reads esc's v1 Backup", async () => {
    const second = backup({id: 'c1ev3l5o0aeu6ojco7c0', projectId: DOCS_PROJECT, linkedResource: 'c1jobjobjob0aeu6ojco'})
    nock(API)
      .get(`${DOCS_MESDB}/backups`)
      .reply(200, {backups: [DOCS_BACKUP, second]})
    const r = await esc(['mesdb', 'backups', 'list', '--project-id', DOCS_PROJECT, '--json'], {env: env()})
    assert.ok(!r.stdout.endsWith('\n'), 'esc --json: no trailing newline')
    const list = JSON.parse(r.stdout)
    assert.deepEqual(list[0], {
      id: BACKUP_ID,
      projectId: DOCS_PROJECT,
      sourceClusterId: SOURCE_CLUSTER,
      sourceClusterDescription: 'Demo-Backup',
      description: 'on demand backup',
      sizeGb: 8,
      provider: 'aws',
      region: 'eu-central-1',
      status: 'available',
      created: '2021-03-26T14:38:12+00:00',
      linkedResource: null,
    })
    assert.equal(list[1].linkedResource, 'c1jobjobjob0aeu6ojco')
  })

  it('script: polling `esc mesdb backups get --id $id --json | jq -r .status` until available', async () => {
    nock(API)
      .get(`${DOCS_MESDB}/backups/${BACKUP_ID}`)
      .reply(200, {backup: {...DOCS_BACKUP, status: 'creating'}})
    nock(API).get(`${DOCS_MESDB}/backups/${BACKUP_ID}`).reply(200, {backup: DOCS_BACKUP})
    const statuses: string[] = []
    for (let i = 0; i < 2; i++) {
      const r = await esc(['mesdb', 'backups', 'get', '--project-id', DOCS_PROJECT, '--id', BACKUP_ID, '--json'], {env: env()})
      statuses.push(JSON.parse(r.stdout).status)
    }
    assert.deepEqual(statuses, ['creating', 'available'])
  })

  it('docs: the restore example prints ClusterId("…") and clusters get --json the v1 Cluster', async () => {
    // The docs' restore example runs in the cluster tests' project.
    const restoreProject = PROJECT
    const mesdb = `/mesdb/v1/organizations/${ORG}/projects/${restoreProject}`
    const post = capture({id: 'c1mnqjdo0aembuk4ljo0'})
    // Unlike esc, this CLI reads the backup first to check the restore before sending it.
    nock(API)
      .get(`${mesdb}/backups/c10dvoarh41lb9otkdrg`)
      .reply(200, {backup: backup({projectId: restoreProject})})
    nock(API).post(`${mesdb}/clusters`).reply(post.reply)
    const created = await esc(DOCS_RESTORE, {env: env()})
    assert.equal(created.stdout, 'ClusterId("c1mnqjdo0aembuk4ljo0")\n', created.stderr)
    assert.equal(post.bodies[0], DOCS_RESTORE_BODY)
    nock(API).get(`${mesdb}/clusters/c1mnqjdo0aembuk4ljo0`).reply(200, {cluster: cluster()})
    const got = await esc(['mesdb', 'clusters', 'get', '--id', 'c1mnqjdo0aembuk4ljo0', '--project-id', restoreProject, '--json'], {
      env: env(),
    })
    const host = 'c1mnqjdo0aembuk4ljo0.mesdb.eventstore.cloud'
    assert.deepEqual(JSON.parse(got.stdout), {
      id: 'c1mnqjdo0aembuk4ljo0',
      organizationId: ORG,
      projectId: restoreProject,
      networkId: 'c10dr5qrh41lbabqa2j0',
      description: 'restore',
      provider: 'aws',
      region: 'eu-west-2',
      topology: 'single-node',
      instanceType: 'f1',
      diskSizeGb: 10,
      diskType: 'gp3',
      serverVersion: '24.10',
      projectionLevel: 'off',
      status: 'available',
      created: '2021-03-26T09:37:17Z',
      addresses: {tcp: [`${host}:1113`], grpc: `esdb://${host}:2113`, ui: `https://${host}:2113`},
    })
  })

  it('docs: orchestrate jobs list and history list --job-id print one Debug line per item, then a blank line', async () => {
    const orchestrate = `/orchestrate/v1/organizations/${ORG}/projects/${DOCS_PROJECT}`
    const theJob = job({projectId: DOCS_PROJECT})
    nock(API)
      .get(`${orchestrate}/jobs`)
      .reply(200, {jobs: [theJob]})
    nock(API)
      .get(`${orchestrate}/history`)
      .query({jobId: theJob.id})
      .reply(200, {items: [historyItem({projectId: DOCS_PROJECT})]})
    const projectEnv = {...env(), ESC_PROJECT_ID: DOCS_PROJECT}
    const jobs = await esc(['orchestrate', 'jobs', 'list'], {env: projectEnv})
    assert.equal(
      jobs.stdout,
      `Job { id: JobId("${theJob.id}"), org_id: OrgId("${ORG}"), project_id: ProjectId("${DOCS_PROJECT}"), description: "My Hourly Backup", ` +
        'schedule: "0 */1 * * *", status: "active", data: ScheduledBackup(JobDataScheduledBackup { ' +
        'description: "{cluster} Hourly Backup {datetime:RFC3339}", max_backup_count: 2, cluster_id: ClusterId("c196ogto0aeqohe3ommq") }) }\n\n',
    )
    const history = await esc(['orchestrate', 'history', 'list', '--job-id', theJob.id], {env: projectEnv})
    assert.equal(
      history.stdout,
      `HistoryItem { org_id: OrgId("${ORG}"), project_id: ProjectId("${DOCS_PROJECT}"), job_id: JobId("${theJob.id}"), status: "succeeded", ` +
        'details: "backup created", linked_resource: "c1ev3l5o0aeu6ojco7b0", start_time: 2021-03-26T14:00:00Z, end_time: Some(2021-03-26T14:05:00Z) }\n\n',
    )
  })

  it('docs: orchestrate jobs create sends the label template unrendered and prints JobId("…")', async () => {
    const orchestrate = `/orchestrate/v1/organizations/${ORG}/projects/${DOCS_PROJECT}`
    const post = capture({id: 'c1jobjobjob0aeu6ojco'})
    nock(API).post(`${orchestrate}/jobs`).reply(post.reply)
    const r = await esc(
      [
        'orchestrate',
        'jobs',
        'create',
        '--description',
        'My Hourly Backup',
        '--schedule',
        '0 */1 * * *',
        'scheduled-backup',
        '--description',
        '{cluster} Hourly Backup {datetime:RFC3339}',
        '--max-backup-count',
        '2',
        '--cluster-id',
        'c196ogto0aeqohe3ommq',
      ],
      {env: {...env(), ESC_PROJECT_ID: DOCS_PROJECT}},
    )
    assert.equal(r.stdout, 'JobId("c1jobjobjob0aeu6ojco")\n', r.stderr)
    assert.deepEqual(post.bodies, [
      '{"type":"ScheduledBackup","data":{"clusterId":"c196ogto0aeqohe3ommq","description":"{cluster} Hourly Backup {datetime:RFC3339}",' +
        '"maxBackupCount":2},"description":"My Hourly Backup","schedule":"0 */1 * * *"}',
    ])
  })

  it('--fmt api echoes the request body, then the raw response; delete and an empty list print as esc does', async () => {
    nock(API).post(`${DOCS_MESDB}/backups`).reply(200, {id: BACKUP_ID})
    const api = await esc(docsCreate('on demand backup', '--fmt', 'api'), {env: env()})
    assert.equal(api.stdout, `{"description":"on demand backup","sourceClusterId":"${SOURCE_CLUSTER}"}\n{"id":"${BACKUP_ID}"}\n`)
    nock(API).delete(`${DOCS_MESDB}/backups/${BACKUP_ID}`).reply(200, '')
    const deleted = await esc(['mesdb', 'backups', 'delete', '--id', BACKUP_ID, '--project-id', DOCS_PROJECT], {env: env()})
    assert.deepEqual([deleted.stdout, deleted.exitCode], ['', 0])
    nock(API).get(`${DOCS_MESDB}/backups`).reply(200, {backups: []})
    const empty = await esc(['mesdb', 'backups', 'list', '--project-id', DOCS_PROJECT], {env: env()})
    assert.equal(empty.stdout, '\n')
  })

  it('cli output escapes quotes, backslashes and newlines in strings like Rust Debug', async () => {
    nock(API)
      .get(`${DOCS_MESDB}/backups/${BACKUP_ID}`)
      .reply(200, {backup: {...DOCS_BACKUP, description: 'a "q" \\ b\n'}})
    const r = await esc(['mesdb', 'backups', 'get', '--project-id', DOCS_PROJECT, '--id', BACKUP_ID], {env: env()})
    assert.match(r.stdout, / description: "a \\"q\\" \\\\ b\\n", /)
  })
})
