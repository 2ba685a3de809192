import type {Job} from '../../contract/models.js'

/** Job statuses are not enumerated by the API; these words mean the job no longer runs. */
const INACTIVE_STATUS = /delet|stop|paus|disabl|inactive/i

export function isActiveJob(job: Job): boolean {
  return !INACTIVE_STATUS.test(String(job.status))
}
