import {backupCommand, clusterCommand, jobHistoryCommand} from '../../contract/commands.js'
import type {BackupRow} from '../store/backups.js'
import {type ClusterRow, clusterSpec} from '../store/clusters.js'
import type {JobRow} from '../store/jobs.js'
import type {Notification} from './send.js'

/*
 * What failed, which cluster (description and id), when, why, and the command that shows more. The
 * command lines come from the contract layer, which owns the official esc's spellings: the server
 * itself names no CLI flag.
 */

/** `"Orders" (c1)`, or the id alone when the description is unknown (a cluster that is gone). */
const clusterName = (id: string, description: string | undefined) => (description ? `"${description}" (${id})` : id)

export function backupDefunct(backup: BackupRow, cluster: ClusterRow, details: string, at: Date): Notification {
  const name = clusterName(cluster.id, backup.cluster_description)
  const more = backup.job_id ? jobHistoryCommand(backup.job_id) : backupCommand(backup.id)
  const what = backup.job_id
    ? `Scheduled backup "${backup.description}" of job ${backup.job_id} on cluster ${name}`
    : `Backup "${backup.description}" of cluster ${name}`
  return {
    event: backup.job_id ? 'scheduledRunFailed' : 'backupDefunct',
    summary: `${what} failed at ${at.toISOString()}: ${details}. More: ${more}`,
    key: `esc-backup-failed-${cluster.id}-${backup.job_id ?? 'manual'}`,
    details: {clusterId: cluster.id, backupId: backup.id, jobId: backup.job_id ?? undefined, reason: details, more},
  }
}

export function restoreDefunct(cluster: ClusterRow, details: string, sourceBackupId: string | undefined, at: Date): Notification {
  const more = clusterCommand(cluster.id)
  const name = clusterName(cluster.id, clusterSpec(cluster).description)
  return {
    event: 'restoreDefunct',
    summary: `Restore ${sourceBackupId ? `of backup ${sourceBackupId} ` : ''}into cluster ${name} failed at ${at.toISOString()}: ${details}. More: ${more}`,
    key: `esc-restore-failed-${cluster.id}`,
    details: {clusterId: cluster.id, backupId: sourceBackupId, reason: details, more},
  }
}

/** Sent only to webhooks that ask for successes. */
export function backupAvailable(backup: BackupRow, cluster: ClusterRow, at: Date): Notification {
  return {
    event: 'backupSucceeded',
    summary: `Backup "${backup.description}" of cluster ${clusterName(cluster.id, backup.cluster_description)} is available (${at.toISOString()})`,
    key: `esc-backup-succeeded-${backup.id}`,
    details: {clusterId: cluster.id, backupId: backup.id, jobId: backup.job_id ?? undefined, sizeBytes: backup.size_bytes},
  }
}

/** A scheduled run that could not start its backup (cluster locked, gone…). */
export function runRefused(job: JobRow, details: string, at: Date, clusterDescription: string | undefined): Notification {
  const more = jobHistoryCommand(job.id)
  return {
    event: 'scheduledRunFailed',
    summary: `Scheduled job "${job.description}" (${job.id}) could not back up cluster ${clusterName(job.cluster_id, clusterDescription)} at ${at.toISOString()}: ${details}. More: ${more}`,
    key: `esc-backup-failed-${job.cluster_id}-${job.id}`,
    details: {jobId: job.id, clusterId: job.cluster_id, reason: details, more},
  }
}

/** The dead-man's switch: no successful run of the job since `since`. */
export function jobOverdue(job: JobRow, since: Date, at: Date, clusterDescription: string | undefined): Notification {
  const created = since.getTime() === Date.parse(job.created)
  const what = created ? `since it was created (${since.toISOString()})` : `since ${since.toISOString()}`
  const more = jobHistoryCommand(job.id)
  return {
    event: 'jobOverdue',
    summary: `Scheduled job "${job.description}" (${job.id}) of cluster ${clusterName(job.cluster_id, clusterDescription)}, schedule "${job.schedule}", has had no successful run ${what}; checked at ${at.toISOString()}. More: ${more}`,
    key: `esc-job-overdue-${job.id}`,
    details: {jobId: job.id, clusterId: job.cluster_id, lastSuccess: since.toISOString(), more},
  }
}
