import {strict as assert} from 'node:assert'
import nock from 'nock'

import {API, backup, capture, cluster, MESDB, ORG, PROJECT, problem, useCommandEnv} from '../clusters/helpers.js'

const BACKUP_ID = 'c10dvoarh41lb9otkdrg'
const SOURCE = cluster({
  id: 'c1eut65o0aeu6ojco7a0',
  description: 'Demo-Backup',
  networkId: 'n-prod',
  topology: 'three-node-multi-zone',
  instanceType: 'C4',
  diskSizeGb: 50,
  diskType: 'gp3',
  diskIops: 3000,
  diskThroughput: 125,
  projectionLevel: 'system',
  serverVersion: '23.10',
})
const restore = (...args: string[]) => ['mesdb', 'backups', 'restore', '-i', BACKUP_ID, ...args]

describe('esc mesdb backups restore', () => {
  const {env, clock, esc} = useCommandEnv()
  const e = () => ({...env(), ESC_PROJECT_ID: PROJECT})

  it('copies the source cluster settings and the backup version, and prints the new cluster id', async () => {
    const post = capture({id: 'c1new'})
    nock(API)
      .get(`${MESDB}/backups/${BACKUP_ID}`)
      .reply(200, {backup: backup({sizeGb: 8, serverVersion: '24.10'})})
    nock(API).get(`${MESDB}/clusters/c1eut65o0aeu6ojco7a0`).reply(200, {cluster: SOURCE})
    nock(API).post(`${MESDB}/clusters`).reply(post.reply)
    const r = await esc(restore(), {env: e()})
    assert.equal(r.stderr, '')
    assert.equal(r.stdout, 'ClusterId("c1new")\n')
    assert.equal(r.exitCode, 0)
    assert.deepEqual(post.bodies, [
      '{"description":"Restore of on demand backup","diskSizeGb":50,"diskType":"gp3","diskIops":3000,"diskThroughput":125,' +
        '"instanceType":"C4","networkId":"n-prod","projectionLevel":"system","serverVersion":"24.10",' +
        `"sourceBackupId":"${BACKUP_ID}","topology":"three-node-multi-zone"}`,
    ])
  })

  it('flags win over copied settings; a different disk type drops the copied IOPS', async () => {
    const post = capture({id: 'c1new'})
    nock(API).get(`${MESDB}/backups/${BACKUP_ID}`).reply(200, {backup: backup()})
    nock(API).get(`${MESDB}/clusters/c1eut65o0aeu6ojco7a0`).reply(200, {cluster: SOURCE})
    nock(API).post(`${MESDB}/clusters`).reply(post.reply)
    const r = await esc(
      restore(
        '--description',
        'ci restore',
        '--topology',
        'single-node',
        '--instance-type',
        'F1',
        '--disk-size-in-gb',
        '10',
        '--disk-type',
        'gp2',
        '--server-version',
        '24.10',
        '--projection-level',
        'off',
        '--public-access',
        'false',
        '--protected',
        'true',
        '--acl-id',
        'acl1',
        '--json',
      ),
      {env: e()},
    )
    assert.equal(r.stdout, '"c1new"')
    assert.deepEqual(post.bodies, [
      '{"aclId":"acl1","description":"ci restore","diskSizeGb":10,"diskType":"gp2","instanceType":"F1","networkId":"n-prod",' +
        `"projectionLevel":"off","serverVersion":"24.10","sourceBackupId":"${BACKUP_ID}","topology":"single-node","protected":true,"publicAccess":false}`,
    ])
  })

  it('restores across projects with --source-project-id and a target network', async () => {
    const post = capture({id: 'c1new'})
    const prod = `/mesdb/v1/organizations/${ORG}/projects/prod`
    nock(API)
      .get(`${prod}/backups/${BACKUP_ID}`)
      .reply(200, {backup: backup({projectId: 'prod'})})
    nock(API).get(`${prod}/clusters/c1eut65o0aeu6ojco7a0`).reply(200, {cluster: SOURCE})
    nock(API).post(`${MESDB}/clusters`).reply(post.reply)
    const r = await esc(restore('--source-project-id', 'prod', '--network-id', 'n-test'), {env: e()})
    assert.equal(r.exitCode, 0)
    const body = JSON.parse(post.bodies[0])
    assert.equal(body.networkId, 'n-test')
    assert.equal(body.sourceBackupProjectId, 'prod')
    assert.ok(post.bodies[0].endsWith('"sourceBackupProjectId":"prod"}'))
  })

  it('refuses a cross-project restore without --network-id (exit 2, nothing created)', async () => {
    nock(API).get(`/mesdb/v1/organizations/${ORG}/projects/prod/backups/${BACKUP_ID}`).reply(200, {backup: backup()})
    nock(API).get(`/mesdb/v1/organizations/${ORG}/projects/prod/clusters/c1eut65o0aeu6ojco7a0`).reply(200, {cluster: SOURCE})
    const r = await esc(restore('--source-project-id', 'prod'), {env: e()})
    assert.equal(r.exitCode, 2)
    assert.equal(
      r.stderr,
      `Error: --network-id is required to restore into project ${PROJECT}: the backup's cluster network belongs to project prod\n`,
    )
  })

  it('when the source cluster is gone, asks for the settings it cannot copy (exit 2)', async () => {
    nock(API).get(`${MESDB}/backups/${BACKUP_ID}`).reply(200, {backup: backup()})
    nock(API).get(`${MESDB}/clusters/c1eut65o0aeu6ojco7a0`).reply(404, problem(404, 'Not Found'))
    const r = await esc(restore('--network-id', 'n1'), {env: e()})
    assert.equal(r.exitCode, 2)
    assert.equal(
      r.stderr,
      `Error: Cannot copy the settings of backup ${BACKUP_ID}'s source cluster c1eut65o0aeu6ojco7a0 (it no longer exists): ` +
        'pass --topology, --instance-type, --disk-type, --projection-level\n',
    )
  })

  it('works without the source cluster when everything is given; the disk defaults to the backup size', async () => {
    const post = capture({id: 'c1new'})
    nock(API)
      .get(`${MESDB}/backups/${BACKUP_ID}`)
      .reply(200, {backup: backup({sizeGb: 8})})
    nock(API).get(`${MESDB}/clusters/c1eut65o0aeu6ojco7a0`).reply(404, problem(404, 'Not Found'))
    nock(API).post(`${MESDB}/clusters`).reply(post.reply)
    const r = await esc(
      restore(
        '--network-id',
        'n1',
        '--topology',
        'single-node',
        '--instance-type',
        'F1',
        '--disk-type',
        'gp3',
        '--projection-level',
        'off',
      ),
      {env: e()},
    )
    assert.equal(r.exitCode, 0)
    assert.equal(JSON.parse(post.bodies[0]).diskSizeGb, 8)
    assert.equal(JSON.parse(post.bodies[0]).serverVersion, '24.10')
  })

  it('refuses a disk smaller than the backup (exit 2)', async () => {
    nock(API)
      .get(`${MESDB}/backups/${BACKUP_ID}`)
      .reply(200, {backup: backup({sizeGb: 16})})
    nock(API).get(`${MESDB}/clusters/c1eut65o0aeu6ojco7a0`).reply(200, {cluster: SOURCE})
    const r = await esc(restore('--disk-size-in-gb', '10'), {env: e()})
    assert.equal(r.exitCode, 2)
    assert.equal(r.stderr, `Error: --disk-size-in-gb 10 is smaller than backup ${BACKUP_ID} (16 GB): use --disk-size-in-gb 16 or more\n`)
  })

  it('reports a missing backup as the API error (exit 1)', async () => {
    nock(API)
      .get(`${MESDB}/backups/${BACKUP_ID}`)
      .reply(404, problem(404, 'Not Found', 'no such backup'))
    const r = await esc(restore(), {env: e()})
    assert.equal(r.exitCode, 1)
    assert.equal(r.stderr, `Error: Not Found: no such backup (HTTP 404 GET ${MESDB}/backups/${BACKUP_ID})\n`)
  })

  it('when the backup cannot be read but every setting is given: one warning line, and the create is sent anyway', async () => {
    const post = capture({id: 'c1new'})
    nock(API).get(`${MESDB}/backups/${BACKUP_ID}`).reply(403, problem(403, 'Forbidden'))
    nock(API).post(`${MESDB}/clusters`).reply(post.reply)
    const r = await esc(
      restore(
        '--description',
        'r',
        '--network-id',
        'n1',
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
      ),
      {env: e()},
    )
    assert.equal(r.exitCode, 0)
    assert.equal(r.stdout, 'ClusterId("c1new")\n')
    assert.match(
      r.stderr,
      new RegExp(`^Warning: could not read backup ${BACKUP_ID} to check the disk size \\(.+\\); sending the create anyway\\n$`),
    )
    assert.deepEqual(post.bodies, [
      '{"description":"r","diskSizeGb":10,"diskType":"gp3","instanceType":"F1","networkId":"n1","projectionLevel":"off",' +
        `"serverVersion":"24.10","sourceBackupId":"${BACKUP_ID}","topology":"single-node"}`,
    ])
  })

  it('--dry-run shows the request and where the defaults came from, without creating anything', async () => {
    nock(API).get(`${MESDB}/backups/${BACKUP_ID}`).reply(200, {backup: backup()})
    nock(API).get(`${MESDB}/clusters/c1eut65o0aeu6ojco7a0`).reply(200, {cluster: SOURCE})
    const r = await esc(restore('--instance-type', 'F1', '--dry-run'), {env: e()})
    assert.equal(r.exitCode, 0)
    assert.equal(r.stderr, 'Dry run: nothing was sent.\n')
    assert.ok(r.stdout.startsWith(`POST ${MESDB}/clusters\n{\n  "description": "Restore of on demand backup",`))
    assert.match(
      r.stdout,
      /\nDefaults:\n {2}description: Restore of on demand backup \(backup description\)\n {2}networkId: n-prod \(source cluster\)\n/,
    )
    assert.ok(!r.stdout.includes('instanceType: F1'))
  })

  it('--wait follows the new cluster and prints it', async () => {
    nock(API).get(`${MESDB}/backups/${BACKUP_ID}`).reply(200, {backup: backup()})
    nock(API).get(`${MESDB}/clusters/c1eut65o0aeu6ojco7a0`).reply(200, {cluster: SOURCE})
    nock(API).post(`${MESDB}/clusters`).reply(200, {id: 'c1new'})
    nock(API)
      .get(`${MESDB}/clusters/c1new`)
      .reply(200, {cluster: cluster({id: 'c1new', status: 'provisioning'})})
    nock(API)
      .get(`${MESDB}/clusters/c1new`)
      .reply(200, {cluster: cluster({id: 'c1new', status: 'available'})})
    const r = await esc(restore('--wait', '--poll-interval', '30s', '-q'), {env: e()})
    assert.equal(r.exitCode, 0)
    assert.equal(r.stdout, 'c1new\n')
    assert.equal(r.stderr, 'cluster c1new: provisioning (0s)\ncluster c1new: available (0s)\n')
    assert.deepEqual(clock().sleeps, [500])
  })
})
