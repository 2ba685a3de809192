import {strict as assert} from 'node:assert'

import {backupDefunct, jobOverdue, restoreDefunct, runRefused} from '../../../src/lib/server/notify/messages.js'
import type {BackupRow} from '../../../src/lib/server/store/backups.js'
import type {ClusterRow} from '../../../src/lib/server/store/clusters.js'
import type {JobRow} from '../../../src/lib/server/store/jobs.js'

const AT = new Date('2026-01-01T03:00:00Z')

const cluster = (id: string, description: string): ClusterRow => ({
  id,
  organization_id: 'o1',
  project_id: 'p1',
  status: 'available',
  details: null,
  created: '2025-12-01T00:00:00Z',
  kind: 'managed',
  db_dir: '/x',
  index_dir: null,
  node_url: null,
  node_access: null,
  spec: JSON.stringify({description}),
  backup_seq: 1,
  deleted: 0,
})

const backup = (jobId: string | null): BackupRow => ({
  id: 'b1',
  organization_id: 'o1',
  project_id: 'p1',
  cluster_id: 'c1',
  cluster_description: 'Orders',
  description: 'nightly',
  status: 'defunct',
  details: 'chunk-000001.000000: MD5 mismatch',
  size_bytes: 0,
  created: '2026-01-01T02:59:00Z',
  completed: null,
  job_id: jobId,
  dir: '/x/b1',
  cluster_spec: '{}',
})

const job: JobRow = {
  id: 'j1',
  organization_id: 'o1',
  project_id: 'p1',
  description: 'hourly',
  schedule: '0 * * * *',
  status: 'active',
  cluster_id: 'c1',
  backup_description: 'nightly',
  max_backup_count: 3,
  created: '2025-12-31T00:00:00Z',
}

/**
 * Each message says which cluster (description and id), what failed, when, why, and the official
 * esc's command line that shows more, so the person paged at 3 a.m. can paste it.
 */
describe('local cloud: the text of each notification', () => {
  it('a manual backup that ends defunct names the backup and `esc mesdb backups get --id`', () => {
    const n = backupDefunct(backup(null), cluster('c1', 'Orders'), 'chunk-000001.000000: MD5 mismatch', AT)
    assert.equal(n.event, 'backupDefunct')
    assert.equal(
      n.summary,
      'Backup "nightly" of cluster "Orders" (c1) failed at 2026-01-01T03:00:00.000Z: chunk-000001.000000: MD5 mismatch. More: esc mesdb backups get --id b1',
    )
    assert.equal(n.details?.more, 'esc mesdb backups get --id b1')
  })

  it('a scheduled backup that ends defunct names the job and `esc orchestrate history list --job-id`', () => {
    const n = backupDefunct(backup('j1'), cluster('c1', 'Orders'), 'ENOSPC: no space left on device', AT)
    assert.equal(n.event, 'scheduledRunFailed')
    assert.equal(
      n.summary,
      'Scheduled backup "nightly" of job j1 on cluster "Orders" (c1) failed at 2026-01-01T03:00:00.000Z: ENOSPC: no space left on device. More: esc orchestrate history list --job-id j1',
    )
    assert.equal(n.details?.more, 'esc orchestrate history list --job-id j1')
  })

  it('a scheduled run that could not start names the cluster, the reason and the job history command', () => {
    const n = runRefused(job, 'cluster is locked by another operation', AT, 'Orders')
    assert.equal(n.event, 'scheduledRunFailed')
    assert.equal(
      n.summary,
      'Scheduled job "hourly" (j1) could not back up cluster "Orders" (c1) at 2026-01-01T03:00:00.000Z: cluster is locked by another operation. More: esc orchestrate history list --job-id j1',
    )
    // A cluster that is gone has no description left: the id alone.
    assert.match(runRefused(job, 'cluster c1 not found', AT, undefined).summary, /could not back up cluster c1 at /)
  })

  it('a restore that ends defunct names the new cluster, the backup and `esc mesdb clusters get --id`', () => {
    const n = restoreDefunct(cluster('c2', 'Orders restored'), 'backup b1 is not a complete backup', 'b1', AT)
    assert.equal(n.event, 'restoreDefunct')
    assert.equal(
      n.summary,
      'Restore of backup b1 into cluster "Orders restored" (c2) failed at 2026-01-01T03:00:00.000Z: backup b1 is not a complete backup. More: esc mesdb clusters get --id c2',
    )
  })

  it('an overdue job names the cluster, the schedule, the last success and the job history command', () => {
    const n = jobOverdue(job, new Date('2025-12-31T00:00:00Z'), AT, 'Orders')
    assert.equal(n.event, 'jobOverdue')
    assert.equal(
      n.summary,
      'Scheduled job "hourly" (j1) of cluster "Orders" (c1), schedule "0 * * * *", has had no successful run since it was created (2025-12-31T00:00:00.000Z); checked at 2026-01-01T03:00:00.000Z. More: esc orchestrate history list --job-id j1',
    )
    const later = jobOverdue(job, new Date('2026-01-01T00:05:00Z'), AT, 'Orders')
    assert.match(later.summary, /no successful run since 2026-01-01T00:05:00\.000Z; checked at/)
  })
})
