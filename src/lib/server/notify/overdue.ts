import {nextRun} from '../lib-adapter.js'
import {HistoryStatus} from '../models.js'
import {clusterSpec} from '../store/clusters.js'
import type {Store} from '../store/index.js'
import type {JobRow} from '../store/jobs.js'
import {jobOverdue} from './messages.js'
import type {Notifier} from './notifier.js'

/**
 * The dead-man's switch: an active job with no successful run for two of its intervals (counted
 * from its last success, or from its creation) raises one `jobOverdue` alert, and no other until
 * it succeeds again. Driven by the injected clock, checked on each poll of the notifier.
 */
export class OverdueWatch {
  constructor(
    private readonly store: Store,
    private readonly notifier: Notifier,
    private readonly now: () => Date,
  ) {}

  check(): void {
    const now = this.now()
    for (const job of this.store.jobs.active()) {
      const since = this.lastSuccess(job)
      const first = nextRun(job.schedule, since)
      const second = first && nextRun(job.schedule, first)
      if (!first || !second) continue
      const interval = second.getTime() - first.getTime()
      if (now.getTime() < since.getTime() + 2 * interval) continue
      // One alert per stretch of failure: keyed by the success it counts from.
      const key = `overdue_alerted:${job.id}`
      if (this.store.getMeta(key) === since.toISOString()) continue
      this.store.setMeta(key, since.toISOString())
      const cluster = this.store.clusters.get(job.cluster_id)
      const description = cluster && !cluster.deleted ? clusterSpec(cluster).description : undefined
      this.notifier.notify(job.organization_id, job.project_id, jobOverdue(job, since, now, description))
    }
  }

  private lastSuccess(job: JobRow): Date {
    const succeeded = this.store.history
      .list(job.organization_id, job.project_id, job.id)
      .filter((item) => item.status === HistoryStatus.Succeeded && item.end_time)
      .map((item) => Date.parse(item.end_time!))
    return new Date(Math.max(Date.parse(job.created), ...succeeded))
  }
}
