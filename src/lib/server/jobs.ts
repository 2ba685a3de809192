import {ApiProblem} from './api/problems.js'
import {newId} from './ids.js'
import {HistoryStatus} from './models.js'
import type {OperationsRunner} from './operations.js'
import type {Store} from './store/index.js'
import type {HistoryRow, JobRow} from './store/jobs.js'

/**
 * One run of a scheduled-backup job: a history item, a backup through the runner (so it honours
 * the cluster lock), then pruning of the job's own oldest backups beyond maxBackupCount.
 */
export class JobRunner {
  constructor(
    private readonly store: Store,
    private readonly runner: OperationsRunner,
    private readonly now: () => Date = () => new Date(),
    private readonly log: (message: string) => void = () => {},
    /** Told of a run that failed before a backup existed (a backup that fails is told by the runner). */
    private readonly onRefused: (job: JobRow, details: string) => void = () => {},
  ) {}

  run(job: JobRow): HistoryRow {
    const historyId = newId(this.now().getTime())
    this.store.history.insert({
      id: historyId,
      organization_id: job.organization_id,
      project_id: job.project_id,
      job_id: job.id,
      status: HistoryStatus.Running,
      details: 'backup started',
      linked_resource: '',
      start_time: this.now().toISOString(),
    })
    const fail = (details: string) => {
      this.store.history.finish(historyId, HistoryStatus.Failed, details, this.now().toISOString())
      this.log(`job ${job.id} run ${historyId} failed: ${details}`)
    }
    const cluster = this.store.clusters.get(job.cluster_id)
    if (!cluster || cluster.deleted) {
      fail(`cluster ${job.cluster_id} not found`)
      this.onRefused(job, `cluster ${job.cluster_id} not found`)
      return this.store.history.get(historyId)!
    }
    try {
      const backup = this.runner.startBackup({
        cluster,
        description: job.backup_description,
        jobId: job.id,
        onDone: async (done, error) => {
          if (error) return fail(`backup ${done.id} failed: ${error.message}`)
          const pruned = await this.prune(job)
          const suffix = pruned.length > 0 ? `; pruned ${pruned.join(', ')}` : ''
          this.store.history.finish(historyId, HistoryStatus.Succeeded, `backup ${done.id} available${suffix}`, this.now().toISOString())
        },
      })
      this.store.history.linkResource(historyId, backup.id)
    } catch (error) {
      const details = error instanceof ApiProblem || error instanceof Error ? error.message : String(error)
      fail(details)
      this.onRefused(job, details)
    }
    return this.store.history.get(historyId)!
  }

  /** Deletes the job's oldest finished backups beyond maxBackupCount; returns their ids. */
  async prune(job: JobRow): Promise<string[]> {
    const finished = this.store.backups.ofJob(job.id).filter((b) => b.status !== 'creating')
    const excess = finished.slice(0, Math.max(0, finished.length - job.max_backup_count))
    const pruned: string[] = []
    for (const backup of excess) {
      try {
        await this.runner.deleteBackup(backup)
        pruned.push(backup.id)
      } catch (error) {
        this.log(`pruning backup ${backup.id} of job ${job.id} failed: ${(error as Error).message}`)
      }
    }
    return pruned
  }
}
