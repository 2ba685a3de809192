import type {BackupRow} from '../store/backups.js'
import type {ClusterRow} from '../store/clusters.js'
import type {JobRow} from '../store/jobs.js'
import type {Notification} from './send.js'

/**
 * What failed, which cluster, when, why, and where to look next. The server names no CLI flag (a
 * layering rule), so the pointer names the resource and its id, not a command line.
 */
export function backupDefunct(backup: BackupRow, cluster: ClusterRow, details: string, at: Date): Notification {
  const name = `${backup.cluster_description} (${cluster.id})`
  const more = backup.job_id ? `the history of job ${backup.job_id}` : `backup ${backup.id}`
  const what = backup.job_id ? `Scheduled backup of job ${backup.job_id}` : 'Backup'
  return {
    event: backup.job_id ? 'scheduledRunFailed' : 'backupDefunct',
    summary: `${what} "${backup.description}" of cluster ${name} failed at ${at.toISOString()}: ${details}. More: ${more}`,
    key: `esc-backup-failed-${cluster.id}-${backup.job_id ?? 'manual'}`,
    details: {clusterId: cluster.id, backupId: backup.id, jobId: backup.job_id ?? undefined, reason: details, more},
  }
}

export function restoreDefunct(cluster: ClusterRow, details: string, sourceBackupId: string | undefined, at: Date): Notification {
  const more = `cluster ${cluster.id}`
  return {
    event: 'restoreDefunct',
    summary: `Restore ${sourceBackupId ? `of backup ${sourceBackupId} ` : ''}into cluster ${cluster.id} failed at ${at.toISOString()}: ${details}. More: ${more}`,
    key: `esc-restore-failed-${cluster.id}`,
    details: {clusterId: cluster.id, backupId: sourceBackupId, reason: details, more},
  }
}

/** Sent only to webhooks that ask for successes. */
export function backupAvailable(backup: BackupRow, cluster: ClusterRow, at: Date): Notification {
  return {
    event: 'backupSucceeded',
    summary: `Backup "${backup.description}" of cluster ${backup.cluster_description} (${cluster.id}) is available (${at.toISOString()})`,
    key: `esc-backup-succeeded-${backup.id}`,
    details: {clusterId: cluster.id, backupId: backup.id, jobId: backup.job_id ?? undefined, sizeBytes: backup.size_bytes},
  }
}

/** A scheduled run that could not start its backup (cluster locked, gone…). */
export function runRefused(job: JobRow, details: string, at: Date): Notification {
  return {
    event: 'scheduledRunFailed',
    summary: `Scheduled job "${job.description}" (${job.id}) could not back up cluster ${job.cluster_id} at ${at.toISOString()}: ${details}. More: the history of job ${job.id}`,
    key: `esc-backup-failed-${job.cluster_id}-${job.id}`,
    details: {jobId: job.id, clusterId: job.cluster_id, reason: details},
  }
}
