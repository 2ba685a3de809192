import type {ApiClient} from '../../client/api/client.js'
import {isActiveJob} from './active.js'

/**
 * Warnings naming the active jobs that back up a cluster being deleted (their runs would fail from
 * then on), each with the command that deletes it. None when the job list cannot be read: the
 * cluster is already on its way out, and a warning must not turn that into a failure.
 */
export async function jobsOfDeletedCluster(api: ApiClient, orgId: string, projectId: string, clusterId: string): Promise<string[]> {
  const jobs = await api.listJobs(orgId, projectId).then(
    (r) => r.data.jobs,
    () => [],
  )
  return jobs
    .filter((j) => j.data?.clusterId === clusterId && isActiveJob(j))
    .map(
      (j) =>
        `Warning: job ${j.id} ('${j.description}') backs up cluster ${clusterId}, which is being deleted: its runs will fail. ` +
        `Delete the job with: esc orchestrate jobs delete -i ${j.id} --org-id ${orgId} --project-id ${projectId}`,
    )
}
