import type {ApiClient} from '../../client/api/client.js'
import type {Job} from '../../contract/models.js'
import {firstSharedRun, formatUtcRunTime, offsetMinuteExample} from '../../contract/schedule/index.js'
import {isActiveJob} from './active.js'

export interface NewJob {
  clusterId: string
  schedule: string
}

/**
 * Warnings for jobs on the same cluster whose schedule fires at a minute the new one does too:
 * such runs start together and one fails on the cluster lock.
 */
export function scheduleClashes(jobs: Job[], job: NewJob, now: Date): string[] {
  const lines: string[] = []
  const example = offsetMinuteExample(job.schedule)
  const advice = `Offset one schedule by 15-30 minutes${example ? `, e.g. --schedule '${example}'` : ''}`
  for (const other of jobs) {
    if (other.data?.clusterId !== job.clusterId || !isActiveJob(other)) continue
    let shared: Date | undefined
    try {
      shared = firstSharedRun(job.schedule, other.schedule, now)
    } catch {
      continue // a schedule this CLI would refuse (made elsewhere): nothing to compare
    }
    if (!shared) continue
    lines.push(
      `Warning: job ${other.id} ('${other.description}') also backs up cluster ${job.clusterId} at the same minute ` +
        `(first at ${formatUtcRunTime(shared)}); runs that start together fail on the cluster lock. ${advice}`,
    )
  }
  return lines
}

/** The clash warnings for a job about to be created; none when the job list cannot be read (a warning never blocks the create). */
export async function checkScheduleClashes(api: ApiClient, orgId: string, projectId: string, job: NewJob, now: Date): Promise<string[]> {
  let jobs: Job[]
  try {
    jobs = (await api.listJobs(orgId, projectId)).data.jobs
  } catch {
    return []
  }
  return scheduleClashes(jobs, job, now)
}
